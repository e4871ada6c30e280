// SPDX-License-Identifier: GPL-2.0
/*
 * Page faults at a controlled rate, for bench/reports: one thread per CPU,
 * pinned, each on its own part of one anonymous mapping.
 *
 * usage: faultrate [-n THREADS] [-s KIB] [-r RATE] [-t SEC] [-T]
 *   -n N	threads, pinned to CPUs 0..N-1 (default: all online CPUs)
 *   -s KIB	pages of each thread, in KiB (default 1024)
 *   -r RATE	page faults per second per thread; 0: as fast as it can
 *		(default 0)
 *   -t SEC	length of the run once started (default 10)
 *   -T		touch mode: never drop pages, only write one byte per page
 *		over and over as fast as possible (-r is ignored); the faults
 *		are then only those that somebody else arms (DAMON's fault
 *		sampling primitive)
 *
 * Default (drop) mode: each thread drops a batch of its pages with
 * MADV_DONTNEED and writes one byte to each, so that every write faults,
 * then sleeps until the time its fault count is due at RATE
 * (CLOCK_MONOTONIC, absolute deadlines, so lateness is caught up).
 * Batches are RATE / 1000 pages (at least 1, at most 64; 64 when
 * unpaced), i.e. about one batch per millisecond.
 *
 * Once every thread populated its pages it prints "ready <pid>" and waits
 * for SIGUSR1; then all threads run for SEC seconds, and it prints
 * "thread <i> cpu <c> faults <n> secs <s>" per thread, where n is the
 * thread's own minor fault count (getrusage(RUSAGE_THREAD)) over the run,
 * i.e. the faults it really made, and "done <total faults> <secs>
 * <faults/s per thread>".  It then waits to be killed, so that a kdamond
 * monitoring it lives on while the caller reads its counters.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define PAGE		4096UL
#define MAX_BATCH	64

struct thr {
	pthread_t tid;
	int idx;
	int cpu;
	char *base;
	unsigned long nr_pages;
	long faults;
	double secs;
};

static unsigned long rate;
static double run_secs = 10;
static int touch_mode;
static volatile sig_atomic_t go;
static pthread_barrier_t populated;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	return ru.ru_minflt;
}

static void sleep_until(double t)
{
	struct timespec ts;

	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - ts.tv_sec) * 1e9);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

static void *run(void *arg)
{
	struct thr *t = arg;
	unsigned long batch, next = 0, done = 0, i;
	double t0, end;
	cpu_set_t set;
	long f0;

	CPU_ZERO(&set);
	CPU_SET(t->cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
	for (i = 0; i < t->nr_pages; i++)
		t->base[i * PAGE] = 1;
	pthread_barrier_wait(&populated);
	while (!go)
		usleep(1000);

	batch = rate ? rate / 1000 : MAX_BATCH;
	if (batch < 1)
		batch = 1;
	if (batch > MAX_BATCH)
		batch = MAX_BATCH;
	if (batch > t->nr_pages)
		batch = t->nr_pages;
	f0 = minflt();
	t0 = now();
	end = t0 + run_secs;
	while (now() < end) {
		if (touch_mode) {
			for (i = 0; i < t->nr_pages; i++)
				__atomic_fetch_add(&t->base[i * PAGE], 1,
						   __ATOMIC_RELAXED);
			continue;
		}
		if (next + batch > t->nr_pages)
			next = 0;
		madvise(t->base + next * PAGE, batch * PAGE, MADV_DONTNEED);
		for (i = 0; i < batch; i++)
			__atomic_store_n(&t->base[(next + i) * PAGE], 1,
					 __ATOMIC_RELAXED);
		next += batch;
		done += batch;
		if (rate)
			sleep_until(t0 + (double)done / rate);
	}
	t->secs = now() - t0;
	t->faults = minflt() - f0;
	return NULL;
}

static void on_usr1(int sig)
{
	go = 1;
}

int main(int argc, char **argv)
{
	unsigned long kib = 1024;
	int nr = sysconf(_SC_NPROCESSORS_ONLN), opt, i;
	pthread_attr_t attr;
	struct thr *thr;
	double secs = 0;
	long total = 0;
	char *base;

	while ((opt = getopt(argc, argv, "n:s:r:t:T")) != -1) {
		switch (opt) {
		case 'n':
			nr = atoi(optarg);
			break;
		case 's':
			kib = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			rate = strtoul(optarg, NULL, 0);
			break;
		case 't':
			run_secs = atof(optarg);
			break;
		case 'T':
			touch_mode = 1;
			break;
		default:
			fprintf(stderr, "usage: faultrate [-n THREADS] [-s KIB] "
				"[-r RATE] [-t SEC] [-T]\n");
			return 2;
		}
	}
	if (nr < 1 || kib < 4)
		return 2;
	signal(SIGUSR1, on_usr1);
	thr = calloc(nr, sizeof(*thr));
	base = mmap(NULL, nr * kib * 1024, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!thr || base == MAP_FAILED) {
		perror("faultrate");
		return 1;
	}
	madvise(base, nr * kib * 1024, MADV_NOHUGEPAGE);
	pthread_barrier_init(&populated, NULL, nr + 1);
	/* Small stacks: the mapping should be most of the address space. */
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (i = 0; i < nr; i++) {
		thr[i].idx = i;
		thr[i].cpu = i;
		thr[i].base = base + i * kib * 1024;
		thr[i].nr_pages = kib * 1024 / PAGE;
		if (pthread_create(&thr[i].tid, &attr, run, &thr[i])) {
			perror("pthread_create");
			return 1;
		}
	}
	pthread_barrier_wait(&populated);
	printf("ready %d\n", getpid());
	fflush(stdout);
	for (i = 0; i < nr; i++) {
		pthread_join(thr[i].tid, NULL);
		printf("thread %d cpu %d faults %ld secs %.3f\n", i, thr[i].cpu,
		       thr[i].faults, thr[i].secs);
		total += thr[i].faults;
		secs += thr[i].secs;
	}
	secs /= nr;
	printf("done %ld %.3f %.0f\n", total, secs, total / secs / nr);
	fflush(stdout);
	for (;;)
		pause();
	return 0;
}
