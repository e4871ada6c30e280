// SPDX-License-Identifier: GPL-2.0
/*
 * Demo workload for testbed/run: a 256 MiB anonymous mapping with a known
 * access pattern, so that what DAMON reports can be checked by eye.
 *
 *   [  0,  64) MiB  cold  (touched once at start)
 *   [ 64,  96) MiB  HOT   (every page written continuously)
 *   [ 96, 160) MiB  cold
 *   [160, 224) MiB  warm  (a second thread writes every page, then sleeps 150 ms)
 *   [224, 256) MiB  cold
 *
 * Prints the layout (absolute addresses) on stdout, then runs until SIGTERM
 * or for argv[1] seconds, and prints how many passes each part got.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MiB (1024UL * 1024)
#define PAGE 4096UL

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void touch(char *p, unsigned long len, int v)
{
	unsigned long i;

	for (i = 0; i < len; i += PAGE)
		((volatile char *)p)[i] = v;
}

static char *warm;
static volatile sig_atomic_t stop;
static unsigned long warm_passes, hot_passes;

static void *warm_thread(void *arg)
{
	int v = 0;

	while (!stop) {
		touch(warm, 64 * MiB, ++v);
		warm_passes++;
		usleep(150 * 1000);
	}
	return NULL;
}

static void on_term(int sig)
{
	stop = 1;
}

int main(int argc, char **argv)
{
	pthread_t th;
	unsigned long size = 256 * MiB;
	double secs = argc > 1 ? atof(argv[1]) : 1e9;
	double start;
	char *m;
	int v = 0;

	m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	madvise(m, size, MADV_NOHUGEPAGE);	/* page-granular pattern */
	touch(m, size, 1);
	printf("layout %lx %lx total\n", (unsigned long)m, (unsigned long)m + size);
	printf("layout %lx %lx cold\n", (unsigned long)m, (unsigned long)m + 64 * MiB);
	printf("layout %lx %lx hot\n", (unsigned long)m + 64 * MiB, (unsigned long)m + 96 * MiB);
	printf("layout %lx %lx cold\n", (unsigned long)m + 96 * MiB, (unsigned long)m + 160 * MiB);
	printf("layout %lx %lx warm\n", (unsigned long)m + 160 * MiB, (unsigned long)m + 224 * MiB);
	printf("layout %lx %lx cold\n", (unsigned long)m + 224 * MiB, (unsigned long)m + size);
	fflush(stdout);

	warm = m + 160 * MiB;
	if (pthread_create(&th, NULL, warm_thread, NULL)) {
		perror("pthread_create");
		return 1;
	}
	signal(SIGTERM, on_term);
	start = now();
	while (!stop && now() - start < secs) {
		touch(m + 64 * MiB, 32 * MiB, ++v);
		hot_passes++;
	}
	stop = 1;
	pthread_join(th, NULL);
	/* how often each part was really written, for demo-report */
	printf("info passes hot %lu warm %lu secs %.2f\n", hot_passes, warm_passes,
	       now() - start);
	return 0;
}
