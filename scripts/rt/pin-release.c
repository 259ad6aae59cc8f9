// SPDX-License-Identifier: GPL-2.0
/*
 * A page cache folio that a device is writing into is lost to the file:
 * the failure the series' source documents start from, through the path
 * that is still open on 7.2 (reclaim has skipped pinned folios since 6.4).
 * FILE, on a filesystem with buffer heads and large folios (ext4), is
 * written in one 2 MiB write, so that its page cache is one PMD-sized
 * folio. A slow O_DIRECT read (the "device") lands in the first 1 MiB of
 * a MAP_SHARED mapping of FILE and pins those pages. While the read is in
 * flight, FILE is fsynced (the folio is clean) and its last page is
 * punched out (fallocate(PUNCH_HOLE)). To truncate part of a large folio,
 * the kernel tries to split it: the split calls filemap_release_folio(),
 * which frees the buffer heads, and then fails on the pins. 7.2.8 then
 * drops the clean folio from the page cache, so the block layer dirties a
 * folio that is no longer the file's when the read completes. A kernel
 * that kept the folio but not its buffers loses the data too: ext4's
 * writeback drops a dirty folio without buffers ("does not have buffers
 * attached"). Either way, what the device wrote never reaches the disk.
 *
 * SLOWDEV must complete reads after well over a second (dm-delay), so that
 * the pins are held across the fsync and the punch by construction, not by
 * luck. The program checks that they were (the pin counter,
 * nr_foll_pin_acquired, and the read's completion time) and that the split
 * was tried on a PMD-sized folio and failed (thp_split_page_failed); an
 * attempt where either did not hold is repeated, up to three times.
 *
 * After the read, FILE is fsynced again and read back with O_DIRECT, page
 * by page: each page the device wrote holds its data (delivered), the
 * filesystem's older data (lost) or neither (corrupt); the pages the read
 * did not cover must hold the older data and the punched page zeroes.
 * Prints one line with the counts. Exits 0 when every page is as it must
 * be, 1 when one is not, 2 when the setup did not hold.
 *
 * With --pageout, reclaim takes the place of the punch: MADV_PAGEOUT on the
 * mapping, after the fsync. Reclaim has skipped pinned folios since 6.4,
 * before it releases their private data, so this mode shows that path
 * closed; there is no split to check.
 *
 * Usage: pin-release [--pageout] FILE SLOWDEV
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096
#define NPAGES 512		/* FILE: one PMD-sized folio */
#define NREAD 256		/* pages the O_DIRECT read writes */
#define LEN (NPAGES * PAGE)
#define READ_LEN (NREAD * PAGE)
#define ATTEMPTS 3

static unsigned char *map;
static int slowfd, pageout;
static volatile int read_done;
static ssize_t read_ret;
static int read_errno;
static double read_end;

static void fail(const char *what)
{
	fprintf(stderr, "pin-release: %s: %s\n", what, strerror(errno));
	exit(2);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The filesystem's data ('F') and the device's ('D'), per page. */
static void fill(unsigned char *p, int page, char who)
{
	for (int i = 0; i < PAGE; i++)
		p[i] = (unsigned char)(who + page * 7 + i * 13);
}

static void write_proc(const char *path, const char *val, int must)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, val, strlen(val)) < 0) {
		if (must)
			fail(path);
	}
	if (fd >= 0)
		close(fd);
}

static long vmstat(const char *key)
{
	char name[64];
	long val, ret = -1;
	FILE *f;

	write_proc("/proc/sys/vm/stat_refresh", "1", 0);
	f = fopen("/proc/vmstat", "r");
	if (!f)
		fail("/proc/vmstat");
	while (fscanf(f, "%63s %ld", name, &val) == 2)
		if (!strcmp(name, key))
			ret = val;
	fclose(f);
	return ret;
}

static void *reader(void *arg)
{
	(void)arg;
	read_ret = pread(slowfd, map, READ_LEN, 0);
	read_errno = errno;
	read_end = now();
	read_done = 1;
	return NULL;
}

/*
 * One attempt: returns 0 if the setup held (the counts are in @counts:
 * delivered, lost, corrupt, and the other pages that are wrong), or a
 * message saying what did not hold.
 */
static const char *attempt(const char *file, unsigned char *buf, int *counts,
			   double *pinned_ms)
{
	static char why[256];
	long pins0, pins = 0, split0, split;
	unsigned char want[PAGE];
	double t0, t_punched;
	pthread_t thr;
	int fd, dfd;

	/* FILE's own data, in one write: one folio of NPAGES pages. */
	sync();
	write_proc("/proc/sys/vm/drop_caches", "3", 1);
	write_proc("/proc/sys/vm/compact_memory", "1", 0);
	for (int i = 0; i < NPAGES; i++)
		fill(buf + i * PAGE, i, 'F');
	fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		fail(file);
	if (pwrite(fd, buf, LEN, 0) != LEN || fsync(fd))
		fail("write FILE");

	map = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		fail("mmap");
	read_done = 0;
	split0 = vmstat("thp_split_page_failed");
	pins0 = vmstat("nr_foll_pin_acquired");
	t0 = now();
	if (pthread_create(&thr, NULL, reader, NULL))
		fail("pthread_create");
	/* The read's pins, one per page, before it can complete. */
	while (!read_done && now() - t0 < 1.0) {
		pins = vmstat("nr_foll_pin_acquired") - pins0;
		if (pins >= NREAD)
			break;
		usleep(10000);
	}
	if (fsync(fd))
		fail("fsync");
	if (pageout) {
		if (madvise(map, LEN, MADV_PAGEOUT))
			fail("madvise(MADV_PAGEOUT)");
	} else if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			     LEN - PAGE, PAGE)) {
		fail("fallocate(PUNCH_HOLE)");
	}
	t_punched = now();
	split = vmstat("thp_split_page_failed") - split0;
	pthread_join(thr, NULL);
	if (read_ret != READ_LEN) {
		errno = read_errno;
		fail("O_DIRECT read of SLOWDEV");
	}
	*pinned_ms = (read_end - t0) * 1e3;

	/* What the device wrote must now reach the disk. */
	if (fsync(fd))
		fail("fsync after the read");
	if (munmap(map, LEN))
		fail("munmap");
	close(fd);
	if (pins < NREAD || read_end <= t_punched) {
		const char *what = pageout ? "page-out" : "punch";

		snprintf(why, sizeof(why),
			 "the pins were not held across fsync and %s: %ld of %d pins seen, %s done at %.0f ms, read completed at %.0f ms",
			 what, pins, NREAD, what, (t_punched - t0) * 1e3, *pinned_ms);
		return why;
	}
	if (!pageout && split < 1) {
		snprintf(why, sizeof(why),
			 "no failed split of a PMD-sized folio (thp_split_page_failed +%ld): FILE's page cache was not one 2 MiB folio",
			 split);
		return why;
	}

	sync();
	write_proc("/proc/sys/vm/drop_caches", "1", 1);
	dfd = open(file, O_RDONLY | O_DIRECT);
	if (dfd < 0 || pread(dfd, buf, LEN, 0) != LEN)
		fail("O_DIRECT read of FILE");
	close(dfd);
	counts[0] = counts[1] = counts[2] = counts[3] = 0;
	for (int i = 0; i < NPAGES; i++) {
		unsigned char *p = buf + i * PAGE;

		if (i < NREAD) {
			fill(want, i, 'D');
			if (!memcmp(p, want, PAGE)) {
				counts[0]++;
				continue;
			}
			fill(want, i, 'F');
			counts[memcmp(p, want, PAGE) ? 2 : 1]++;
			continue;
		}
		if (i < NPAGES - 1 || pageout)
			fill(want, i, 'F');
		else
			memset(want, 0, PAGE);
		if (memcmp(p, want, PAGE))
			counts[3]++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const char *why = NULL;
	int counts[4], n;
	unsigned char *buf;
	double pinned_ms;

	if (argc == 4 && !strcmp(argv[1], "--pageout")) {
		pageout = 1;
		argv++;
		argc--;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: pin-release [--pageout] FILE SLOWDEV\n");
		return 2;
	}
	if (posix_memalign((void **)&buf, PAGE, LEN))
		fail("posix_memalign");

	/* The device's data, on SLOWDEV (its writes are not delayed). */
	for (int i = 0; i < NREAD; i++)
		fill(buf + i * PAGE, i, 'D');
	slowfd = open(argv[2], O_RDWR | O_DIRECT);
	if (slowfd < 0)
		fail(argv[2]);
	if (pwrite(slowfd, buf, READ_LEN, 0) != READ_LEN)
		fail("write SLOWDEV");

	for (n = 1; n <= ATTEMPTS; n++) {
		why = attempt(argv[1], buf, counts, &pinned_ms);
		if (!why)
			break;
		fprintf(stderr, "pin-release: attempt %d: %s\n", n, why);
	}
	if (why) {
		printf("setup did not hold in %d attempts: %s\n", ATTEMPTS, why);
		return 2;
	}
	printf("pages written by the device %d: delivered %d, lost %d, corrupt %d; other pages wrong %d (pinned for %.0f ms across fsync and %s; attempt %d)\n",
	       NREAD, counts[0], counts[1], counts[2], counts[3], pinned_ms,
	       pageout ? "MADV_PAGEOUT" : "a hole punch that tried to split the folio", n);
	return counts[0] == NREAD && !counts[3] ? 0 : 1;
}
