// SPDX-License-Identifier: GPL-2.0
/*
 * Workload of the DAMON operations set selftests: maps an area and keeps
 * accessing a known part of it, so that what DAMON reports can be checked
 * against what really happens.
 *
 * usage: ops_access [options]
 *   -s MIB	size of the mapping (default 64)
 *   -w MIB	bytes accessed, from the start of the mapping (default: all)
 *   -c MIB	a further "cold" part right after the hot one, accessed once
 *		every -C passes (default 0)
 *   -C N	cold part access period in passes (default 100)
 *   -t SEC	run time, then exit (default 10)
 *   -m MODE	backing: "normal", "thp" (MADV_HUGEPAGE), "hugetlb" or
 *		"file" (a shared mapping of an unlinked file in the current
 *		directory, so page cache rather than anonymous memory)
 *   -p USEC	pause between passes (default 0)
 *   -r MSEC	print "rate <passes per second>" every MSEC milliseconds
 *   -D		drop the hot part (MADV_DONTNEED) before every pass, so that
 *		every pass page faults on each of its pages
 *   -R		only read the hot and cold parts, never write them
 *   -W		only write the hot and cold parts, never read them (so that
 *		the first access to a page after a while is a write)
 *
 * Once the memory is populated it prints "ready <pid> <start> <end>"
 * (addresses in decimal) and a final "passes <n> <passes per second>".
 * On SIGUSR1 it reads every page of the mapping once, then prints
 * "touched".
 * It is killed when the process that started it exits.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define MIB (1UL << 20)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* set by the SIGUSR1 handler, taken by the main loop */
static int touch_all;
static char read_sink;

/* relaxed atomics: plain loads and stores the compiler may not drop */
static void touch(char *p, unsigned long sz, unsigned long step)
{
	unsigned long off;

	for (off = 0; off < sz; off += step)
		__atomic_store_n(&p[off], __atomic_load_n(&p[off], __ATOMIC_RELAXED) + 1,
				 __ATOMIC_RELAXED);
}

/* relaxed atomic loads only: the pages are read, never written */
static void touch_read(char *p, unsigned long sz, unsigned long step)
{
	unsigned long off;
	char sum = 0;

	for (off = 0; off < sz; off += step)
		sum += __atomic_load_n(&p[off], __ATOMIC_RELAXED);
	__atomic_store_n(&read_sink, sum, __ATOMIC_RELAXED);
}

/* relaxed atomic stores only: the pages are written, never read */
static void touch_write(char *p, unsigned long sz, unsigned long step,
			char val)
{
	unsigned long off;

	for (off = 0; off < sz; off += step)
		__atomic_store_n(&p[off], val, __ATOMIC_RELAXED);
}

static void on_usr1(int sig)
{
	(void)sig;
	__atomic_store_n(&touch_all, 1, __ATOMIC_RELAXED);
}

int main(int argc, char *argv[])
{
	unsigned long sz = 64 * MIB, wss = 0, cold = 0, cold_period = 100;
	unsigned long passes = 0, step = 4096, pause_us = 0, report_ms = 0;
	unsigned long last_passes = 0;
	int drop_hot = 0;
	double last_report;
	const char *mode = "normal";
	double secs = 10, start, end;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
	int read_only = 0, write_only = 0;
	char *p;
	int opt;

	/* Do not outlive the test that started us, however it ended. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() == 1)
		return 4;
	while ((opt = getopt(argc, argv, "s:w:c:C:t:m:p:r:DRW")) != -1) {
		switch (opt) {
		case 's':
			sz = strtoul(optarg, NULL, 0) * MIB;
			break;
		case 'w':
			wss = strtoul(optarg, NULL, 0) * MIB;
			break;
		case 'c':
			cold = strtoul(optarg, NULL, 0) * MIB;
			break;
		case 'C':
			cold_period = strtoul(optarg, NULL, 0);
			break;
		case 't':
			secs = atof(optarg);
			break;
		case 'm':
			mode = optarg;
			break;
		case 'p':
			pause_us = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			report_ms = strtoul(optarg, NULL, 0);
			break;
		case 'D':
			drop_hot = 1;
			break;
		case 'R':
			read_only = 1;
			break;
		case 'W':
			write_only = 1;
			break;
		default:
			fprintf(stderr, "bad option\n");
			return 1;
		}
	}
	if (!wss || wss > sz)
		wss = sz;
	if (wss + cold > sz)
		cold = sz - wss;
	if (!cold_period)
		cold_period = 1;

	if (!strcmp(mode, "hugetlb"))
		flags |= MAP_HUGETLB;
	if (!strcmp(mode, "file")) {
		char name[] = "ops_access.XXXXXX";
		int fd = mkstemp(name);

		if (fd < 0 || unlink(name) || ftruncate(fd, sz)) {
			perror("file");
			return 2;
		}
		flags = MAP_SHARED;
		p = mmap(NULL, sz, PROT_READ | PROT_WRITE, flags, fd, 0);
	} else {
		p = mmap(NULL, sz, PROT_READ | PROT_WRITE, flags, -1, 0);
	}
	if (p == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	if (!strcmp(mode, "thp")) {
		/* Realign to a huge page boundary for PMD mappings. */
		munmap(p, sz);
		p = mmap(NULL, sz + (2 * MIB), PROT_READ | PROT_WRITE, flags,
			 -1, 0);
		if (p == MAP_FAILED) {
			perror("mmap");
			return 2;
		}
		p = (char *)(((unsigned long)p + 2 * MIB - 1) & ~(2 * MIB - 1));
		if (madvise(p, sz, MADV_HUGEPAGE)) {
			perror("madvise");
			return 3;
		}
	}
	memset(p, 1, sz);
	printf("ready %d %lu %lu\n", getpid(), (unsigned long)p,
	       (unsigned long)p + sz);
	fflush(stdout);

	signal(SIGUSR1, on_usr1);
	start = now();
	end = start + secs;
	last_report = start;
	while (now() < end) {
		if (report_ms && now() - last_report >= report_ms / 1e3) {
			printf("rate %.3f\n", (passes - last_passes) /
			       (now() - last_report));
			fflush(stdout);
			last_passes = passes;
			last_report = now();
		}
		if (drop_hot && madvise(p, wss, MADV_DONTNEED)) {
			perror("madvise");
			return 3;
		}
		if (__atomic_exchange_n(&touch_all, 0, __ATOMIC_RELAXED)) {
			touch_read(p, sz, step);
			printf("touched\n");
			fflush(stdout);
		}
		if (read_only)
			touch_read(p, wss, step);
		else if (write_only)
			touch_write(p, wss, step, passes);
		else
			touch(p, wss, step);
		if (cold && passes % cold_period == 0) {
			if (read_only)
				touch_read(p + wss, cold, step);
			else if (write_only)
				touch_write(p + wss, cold, step, passes);
			else
				touch(p + wss, cold, step);
		}
		passes++;
		if (pause_us)
			usleep(pause_us);
	}
	printf("passes %lu %.3f\n", passes, passes / (now() - start));
	return 0;
}
