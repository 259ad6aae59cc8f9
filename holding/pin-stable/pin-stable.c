// SPDX-License-Identifier: GPL-2.0
/*
 * A device writes into page cache folios while writeback writes them out:
 * the data changes under the write, and a device that needs stable pages
 * stores a checksum that does not match what it stored. FILE is on a
 * filesystem on a dm-integrity device (RAWDEV, crc32c tags, direct mode),
 * whose writes are delayed (dm-delay under it); its NPAGES pages are
 * written and fsynced, so that they are on disk with good tags. A slow
 * O_DIRECT read from SLOWDEV (dm-delay, reads complete after 3 s) then
 * lands in a MAP_SHARED mapping of FILE and pins its pages; the pin's
 * write fault dirties them. While the read is in flight, FILE is written
 * back: background writeback, sync_file_range(SYNC_FILE_RANGE_WRITE), by
 * default, data integrity writeback (fsync()) with --fsync. The read
 * completes while the write waits in dm-delay, and the write stores the
 * device's data under the tags that dm-integrity computed from the
 * filesystem's data.
 *
 * After the writeback and the read, each page of FILE is read from RAWDEV
 * with O_DIRECT at the block that FIBMAP gives, bypassing FILE's page
 * cache: it holds the filesystem's older data (not written, because it was
 * pinned), the device's data (written after the read), or it fails its
 * checksum (EILSEQ: written while the read changed it). A checksum failure
 * is data that a crash at this point would leave unreadable. Then FILE is
 * fsynced, its page cache dropped and read back, and RAWDEV read again:
 * every page must hold the device's data, with good tags.
 *
 * The program checks that the pins were held when the writeback started
 * (nr_foll_pin_acquired, and the read's completion time), and that FILE's
 * blocks read back with good tags before the test; an attempt where the
 * pins were not held is repeated, up to three times.
 *
 * Prints one line with the counts. Exits 0 when no page failed its
 * checksum or held anything else, 1 otherwise, 2 when the setup did not
 * hold.
 *
 * Usage: pin-stable [--fsync] FILE RAWDEV SLOWDEV
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096
#define NPAGES 256
#define LEN (NPAGES * PAGE)
#define ATTEMPTS 3

static unsigned char *map;
static int slowfd, use_fsync;
static volatile int read_done;
static ssize_t read_ret;
static int read_errno;
static double read_end;

static void fail(const char *what)
{
	fprintf(stderr, "pin-stable: %s: %s\n", what, strerror(errno));
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
		p[i] = (unsigned char)(who + page * 5 + i * 11);
}

static void write_proc(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, val, strlen(val)) < 0)
		fail(path);
	close(fd);
}

static long vmstat(const char *key)
{
	char name[64];
	long val, ret = -1;
	FILE *f = fopen("/proc/vmstat", "r");

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
	read_ret = pread(slowfd, map, LEN, 0);
	read_errno = errno;
	read_end = now();
	read_done = 1;
	return NULL;
}

enum { OLD, DEV, BAD_SUM, OTHER, NCOUNT };

/*
 * Reads FILE's pages from RAWDEV at @blocks: how many hold the
 * filesystem's data, the device's, fail their checksum or hold anything
 * else.
 */
static void scan(int rawfd, const long *blocks, unsigned char *buf, int *counts)
{
	unsigned char want[PAGE];

	memset(counts, 0, NCOUNT * sizeof(*counts));
	for (int i = 0; i < NPAGES; i++) {
		if (pread(rawfd, buf, PAGE, blocks[i] * PAGE) != PAGE) {
			if (errno != EILSEQ)
				fail("O_DIRECT read of RAWDEV");
			counts[BAD_SUM]++;
			continue;
		}
		fill(want, i, 'F');
		if (!memcmp(buf, want, PAGE)) {
			counts[OLD]++;
			continue;
		}
		fill(want, i, 'D');
		counts[memcmp(buf, want, PAGE) ? OTHER : DEV]++;
	}
}

/*
 * One attempt: 0 if the setup held, with the counts after the writeback in
 * @during and at the end in @after (and the pages of FILE that hold the
 * device's data in *@delivered), or a message saying what did not hold.
 */
static const char *attempt(const char *file, int rawfd, unsigned char *buf,
			   int *during, int *after, int *delivered,
			   double *ms)
{
	static char why[256];
	long blocks[NPAGES], pins0, pins = 0;
	unsigned char want[PAGE];
	double t0, t_wb;
	pthread_t thr;
	int fd, dfd, bsz;

	sync();
	write_proc("/proc/sys/vm/drop_caches", "3");
	for (int i = 0; i < NPAGES; i++)
		fill(buf + i * PAGE, i, 'F');
	fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		fail(file);
	if (pwrite(fd, buf, LEN, 0) != LEN || fsync(fd))
		fail("write FILE");
	if (ioctl(fd, FIGETBSZ, &bsz) || bsz != PAGE) {
		snprintf(why, sizeof(why), "FILE's block size is not %d", PAGE);
		return why;
	}
	for (int i = 0; i < NPAGES; i++) {
		int b = i;

		if (ioctl(fd, FIBMAP, &b) || !b)
			fail("FIBMAP");
		blocks[i] = b;
	}
	scan(rawfd, blocks, buf, during);
	if (during[OLD] != NPAGES) {
		snprintf(why, sizeof(why),
			 "FILE's blocks on RAWDEV before the test: %d of %d hold its data, %d fail their checksum",
			 during[OLD], NPAGES, during[BAD_SUM]);
		return why;
	}

	map = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		fail("mmap");
	read_done = 0;
	pins0 = vmstat("nr_foll_pin_acquired");
	t0 = now();
	if (pthread_create(&thr, NULL, reader, NULL))
		fail("pthread_create");
	/* The read's pins, one per page, before it can complete. */
	while (!read_done && now() - t0 < 1.0) {
		pins = vmstat("nr_foll_pin_acquired") - pins0;
		if (pins >= NPAGES)
			break;
		usleep(10000);
	}
	t_wb = now();
	if (use_fsync) {
		if (fsync(fd))
			fail("fsync");
	} else if (sync_file_range(fd, 0, LEN, SYNC_FILE_RANGE_WRITE) ||
		   sync_file_range(fd, 0, LEN, SYNC_FILE_RANGE_WAIT_AFTER)) {
		fail("sync_file_range");
	}
	pthread_join(thr, NULL);
	if (read_ret != LEN) {
		errno = read_errno;
		fail("O_DIRECT read of SLOWDEV");
	}
	*ms = (read_end - t0) * 1e3;
	if (pins < NPAGES || read_end <= t_wb) {
		snprintf(why, sizeof(why),
			 "the pins were not held when writeback started: %ld of %d pins seen, writeback at %.0f ms, read completed at %.0f ms",
			 pins, NPAGES, (t_wb - t0) * 1e3, *ms);
		munmap(map, LEN);
		close(fd);
		return why;
	}
	scan(rawfd, blocks, buf, during);

	/* What the device wrote must reach the disk, with good tags. */
	if (fsync(fd))
		fail("fsync after the read");
	if (munmap(map, LEN))
		fail("munmap");
	close(fd);
	sync();
	write_proc("/proc/sys/vm/drop_caches", "1");
	dfd = open(file, O_RDONLY | O_DIRECT);
	if (dfd < 0 || pread(dfd, buf, LEN, 0) != LEN)
		fail("O_DIRECT read of FILE");
	close(dfd);
	*delivered = 0;
	for (int i = 0; i < NPAGES; i++) {
		fill(want, i, 'D');
		*delivered += !memcmp(buf + i * PAGE, want, PAGE);
	}
	scan(rawfd, blocks, buf, after);
	return NULL;
}

int main(int argc, char **argv)
{
	int during[NCOUNT], after[NCOUNT], delivered, rawfd, n;
	const char *why = NULL;
	unsigned char *buf;
	double ms;

	if (argc == 5 && !strcmp(argv[1], "--fsync")) {
		use_fsync = 1;
		argv++;
		argc--;
	}
	if (argc != 4) {
		fprintf(stderr, "usage: pin-stable [--fsync] FILE RAWDEV SLOWDEV\n");
		return 2;
	}
	if (posix_memalign((void **)&buf, PAGE, LEN))
		fail("posix_memalign");

	/* The device's data, on SLOWDEV (its writes are not delayed). */
	for (int i = 0; i < NPAGES; i++)
		fill(buf + i * PAGE, i, 'D');
	slowfd = open(argv[3], O_RDWR | O_DIRECT);
	if (slowfd < 0)
		fail(argv[3]);
	if (pwrite(slowfd, buf, LEN, 0) != LEN)
		fail("write SLOWDEV");
	rawfd = open(argv[2], O_RDONLY | O_DIRECT);
	if (rawfd < 0)
		fail(argv[2]);

	for (n = 1; n <= ATTEMPTS; n++) {
		why = attempt(argv[1], rawfd, buf, during, after, &delivered, &ms);
		if (!why)
			break;
		fprintf(stderr, "pin-stable: attempt %d: %s\n", n, why);
	}
	if (why) {
		printf("setup did not hold in %d attempts: %s\n", ATTEMPTS, why);
		return 2;
	}
	printf("%s of %d pinned pages: on disk after it %d old, %d device's, %d failed checksum, %d other; at the end %d delivered, %d failed checksum, %d other (pinned for %.0f ms; attempt %d)\n",
	       use_fsync ? "fsync" : "background writeback", NPAGES,
	       during[OLD], during[DEV], during[BAD_SUM], during[OTHER],
	       delivered, after[BAD_SUM], after[OLD] + after[OTHER], ms, n);
	return !during[BAD_SUM] && !during[OTHER] && delivered == NPAGES &&
		after[DEV] == NPAGES ? 0 : 1;
}
