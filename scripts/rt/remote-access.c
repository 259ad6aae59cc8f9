// SPDX-License-Identifier: GPL-2.0-only
/*
 * remote-access FILE PAGES: write and read a process's memory through
 * /proc/self/mem, which goes through __access_remote_vm() (the path
 * ptrace(PTRACE_POKEDATA) and /proc/pid/mem writes take), on
 * - a MAP_SHARED mapping of FILE (page cache: the write must reach the
 *   file after msync(), i.e. the page must have been dirtied), and
 * - private anonymous memory.
 * Each page gets its own pattern; every byte is checked through the
 * mapping, through /proc/self/mem and, for the file, with pread().
 * Prints the number of pages checked; exits non-zero on any mismatch.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static long psz;

static void fill(unsigned char *buf, long page, int seed)
{
	for (long i = 0; i < psz; i++)
		buf[i] = (unsigned char)(page * 131 + i * 7 + seed);
}

static int check(const char *what, const unsigned char *got, long page,
		 int seed)
{
	unsigned char *want = malloc(psz);

	fill(want, page, seed);
	if (memcmp(got, want, psz)) {
		fprintf(stderr, "%s: page %ld differs\n", what, page);
		free(want);
		return 1;
	}
	free(want);
	return 0;
}

/* Write every page of [map, map + pages * psz) through /proc/self/mem. */
static int poke_all(int mem, unsigned char *map, long pages, int seed,
		    const char *what)
{
	unsigned char *buf = malloc(psz);
	int bad = 0;

	for (long p = 0; p < pages; p++) {
		fill(buf, p, seed);
		if (pwrite(mem, buf, psz, (off_t)(uintptr_t)(map + p * psz)) != psz) {
			perror("pwrite /proc/self/mem");
			free(buf);
			return 1;
		}
	}
	for (long p = 0; p < pages; p++) {
		bad |= check(what, map + p * psz, p, seed);
		if (pread(mem, buf, psz, (off_t)(uintptr_t)(map + p * psz)) != psz) {
			perror("pread /proc/self/mem");
			free(buf);
			return 1;
		}
		bad |= check(what, buf, p, seed);
	}
	free(buf);
	return bad;
}

int main(int argc, char **argv)
{
	unsigned char *file_map, *anon, *buf;
	long pages;
	int fd, mem, bad = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: %s FILE PAGES\n", argv[0]);
		return 2;
	}
	psz = sysconf(_SC_PAGESIZE);
	pages = atol(argv[2]);
	fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0600);
	mem = open("/proc/self/mem", O_RDWR);
	if (fd < 0 || mem < 0 || ftruncate(fd, pages * psz)) {
		perror("open/ftruncate");
		return 1;
	}
	file_map = mmap(NULL, pages * psz, PROT_READ | PROT_WRITE, MAP_SHARED,
			fd, 0);
	anon = mmap(NULL, pages * psz, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (file_map == MAP_FAILED || anon == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	/* Fault the file pages in and let writeback clean them first. */
	memset(file_map, 0, pages * psz);
	if (msync(file_map, pages * psz, MS_SYNC)) {
		perror("msync");
		return 1;
	}
	bad |= poke_all(mem, file_map, pages, 1, "file mapping");
	bad |= poke_all(mem, anon, pages, 2, "anonymous");
	/* The /proc/self/mem writes must have dirtied the page cache. */
	if (msync(file_map, pages * psz, MS_SYNC)) {
		perror("msync");
		return 1;
	}
	buf = malloc(psz);
	for (long p = 0; p < pages; p++) {
		if (pread(fd, buf, psz, p * psz) != psz) {
			perror("pread file");
			return 1;
		}
		bad |= check("file contents", buf, p, 1);
	}
	if (posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0) {
		munmap(file_map, pages * psz);
		for (long p = 0; p < pages; p++) {
			if (pread(fd, buf, psz, p * psz) != psz) {
				perror("pread file");
				return 1;
			}
			bad |= check("file contents after dropping the page cache", buf, p, 1);
		}
	}
	free(buf);
	printf("%ld file pages and %ld anonymous pages written and read back through /proc/self/mem%s\n",
	       pages, pages, bad ? ": MISMATCH" : "");
	return bad;
}
