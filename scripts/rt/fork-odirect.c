// SPDX-License-Identifier: GPL-2.0
/*
 * fork() while O_DIRECT reads are in flight into the forking process's
 * buffer, the race from the 2009 thread on GUP and fork: a reader thread
 * reads sector-sized records with O_DIRECT into the second half of a page
 * while the main thread keeps writing to the first half of the same page
 * and forking children that write all over their copy. Every record read
 * must match what the file holds. Exits 0 when all reads verified.
 *
 * Usage: fork-odirect FILE [SECONDS]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096
#define HALF (PAGE / 2)
#define NREC 256		/* records of HALF bytes in the file */

static unsigned char *buf;
static volatile int stop;
static unsigned long reads, bad;
static int fd;

static void fill(unsigned char *p, unsigned int rec)
{
	for (int i = 0; i < HALF; i++)
		p[i] = (unsigned char)(rec * 131 + i * 7 + 1);
}

static void *reader(void *arg)
{
	unsigned char want[HALF];
	unsigned int rec = 0;

	(void)arg;
	while (!stop) {
		rec = (rec * 1103515245u + 12345u) % NREC;
		if (pread(fd, buf + HALF, HALF, (off_t)rec * HALF) != HALF) {
			perror("pread");
			bad++;
			break;
		}
		fill(want, rec);
		if (memcmp(buf + HALF, want, HALF))
			bad++;
		reads++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned char rec[HALF] __attribute__((aligned(PAGE)));
	unsigned long forks = 0;
	pthread_t t;
	time_t end;
	int wfd;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE [SECONDS]\n", argv[0]);
		return 2;
	}
	wfd = open(argv[1], O_RDWR | O_CREAT, 0600);
	if (wfd < 0) {
		perror(argv[1]);
		return 2;
	}
	for (unsigned int r = 0; r < NREC; r++) {
		fill(rec, r);
		if (pwrite(wfd, rec, HALF, (off_t)r * HALF) != HALF) {
			perror("pwrite");
			return 2;
		}
	}
	fsync(wfd);
	close(wfd);
	fd = open(argv[1], O_RDONLY | O_DIRECT);
	if (fd < 0) {
		perror("open O_DIRECT");
		return 2;
	}
	if (posix_memalign((void **)&buf, PAGE, PAGE))
		return 2;
	memset(buf, 0, PAGE);
	end = time(NULL) + (argc > 2 ? atoi(argv[2]) : 5);
	pthread_create(&t, NULL, reader, NULL);
	while (time(NULL) < end && !bad) {
		pid_t pid;

		buf[forks % HALF]++;		/* parent writes the first half */
		pid = fork();
		if (pid == 0) {
			memset(buf, 0xaa, PAGE);	/* child scribbles on its copy */
			_exit(0);
		}
		if (pid < 0) {
			perror("fork");
			break;
		}
		waitpid(pid, NULL, 0);
		forks++;
	}
	stop = 1;
	pthread_join(t, NULL);
	printf("fork-odirect: %lu forks, %lu O_DIRECT reads, %lu corrupted\n",
	       forks, reads, bad);
	return bad || !reads || !forks;
}
