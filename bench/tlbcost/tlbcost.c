// SPDX-License-Identifier: GPL-2.0
/*
 * What DAMON's TLB flushes cost a workload on real x86 CPUs.
 *
 * The test kernel only runs under QEMU's TCG here, where an interrupt costs
 * tens of microseconds and the soft TLB's size swings the workload's speed
 * tenfold, so the slowdown DAMON's flushes cause cannot be measured in the
 * guest.  This program reproduces the flushes on the host instead, with the
 * host kernel's own TLB shootdown code, which DAMON's flushes go through:
 *
 * - a workload thread, pinned to one CPU, writes one byte per page of W MiB
 *   of a 64 MiB mapping, over and over, counting its passes;
 * - a flusher thread of the same process, pinned to another CPU, makes the
 *   kernel flush translations of the process at a given rate, each flush
 *   interrupting the workload's CPU, like a kdamond's flushes do:
 *   "page" flushes evict one page of the workload's working set (the entry
 *   is refilled at its next access, as after DAMON's flush of a page whose
 *   Accessed bit it cleared), "mm" flushes evict all of the process's
 *   translations (as DAMON's whole address space flush at the end of a
 *   sampling pass).
 *
 * Phases with and without the flusher alternate every second; the median
 * pass rates of the two are compared.
 *
 * A "page" flush is madvise(MADV_COLD) of one page of the working set: it
 * clears the page's Accessed bit and, the bit being set, flushes its
 * translation, as DAMON's access check of a sampled page does.  An "mm"
 * flush unmaps 64 populated pages outside the working set, beyond x86's
 * single page flush ceiling of 33 pages, so the whole address space is
 * flushed, and maps them back (on the flusher's CPU, without interrupts).
 * The interrupts the workload's CPU actually got are read from the "TLB"
 * line of /proc/interrupts.
 *
 * usage: tlbcost MODE RATE [W_MIB [CYCLES]]
 *   MODE: page or mm; RATE: flushes per second (interrupts of the workload)
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MIB		(1UL << 20)
#define MAP_SZ		(64 * MIB)
#define REPORT_NS	100000000L	/* 100 ms */
#define DUMMY_SZ	(64 * 4096UL)

static char *map;
static unsigned long ws_sz;
static long page_sz;
static atomic_ulong passes;
static atomic_int flushing;
static atomic_int done;
static int mode_mm;
static long rate;

static long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		perror("sched_setaffinity");
}

static void *workload(void *arg __attribute__((unused)))
{
	unsigned long off;

	pin(1);
	while (!atomic_load(&done)) {
		for (off = 0; off < ws_sz; off += page_sz)
			map[off]++;
		atomic_fetch_add(&passes, 1);
	}
	return NULL;
}

/* Flushes one page of the working set, or the whole address space. */
static void flush_once(unsigned long i)
{
	unsigned long nr_pages = ws_sz / page_sz;

	char *dummy = map + MAP_SZ - DUMMY_SZ;

	if (mode_mm) {
		munmap(dummy, DUMMY_SZ);
		mmap(dummy, DUMMY_SZ, PROT_READ | PROT_WRITE, MAP_PRIVATE |
		     MAP_ANONYMOUS | MAP_FIXED | MAP_POPULATE, -1, 0);
	} else	/* spread over the working set, like samples over regions */
		madvise(map + (i * 7919 % nr_pages) * page_sz, page_sz,
			MADV_COLD);
}

/* TLB shootdown interrupts CPU @cpu received so far. */
static unsigned long tlb_interrupts(int cpu)
{
	char line[4096], *tok;
	unsigned long v = 0;
	FILE *f = fopen("/proc/interrupts", "r");
	int i;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		tok = strtok(line, " \t\n");
		if (!tok || strcmp(tok, "TLB:"))
			continue;
		for (i = 0; i <= cpu && (tok = strtok(NULL, " \t\n")); i++)
			v = strtoul(tok, NULL, 10);
		break;
	}
	fclose(f);
	return v;
}

static void *flusher(void *arg __attribute__((unused)))
{
	long period = 1000000000L / rate;
	long next = now_ns();
	unsigned long i = 0;

	pin(0);
	while (!atomic_load(&done)) {
		if (!atomic_load(&flushing)) {
			usleep(1000);
			next = now_ns();
			continue;
		}
		flush_once(i++);
		next += period;
		while (now_ns() < next)
			;
	}
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	int cycles, per_phase = 1000000000L / REPORT_NS, n[2] = {}, c, k, on;
	double *rates[2];
	pthread_t wl, fl;
	unsigned long flushes_on = 0;
	double secs_on = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: %s page|mm RATE [W_MIB [CYCLES]]\n",
			argv[0]);
		return 2;
	}
	mode_mm = !strcmp(argv[1], "mm");
	rate = atol(argv[2]);
	ws_sz = (argc > 3 ? atol(argv[3]) : 10) * MIB;
	cycles = argc > 4 ? atoi(argv[4]) : 20;
	if (rate <= 0 || !ws_sz || ws_sz > MAP_SZ - DUMMY_SZ || cycles <= 0)
		return 2;
	page_sz = sysconf(_SC_PAGESIZE);
	map = mmap(NULL, MAP_SZ, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return 1;
	madvise(map, MAP_SZ, MADV_NOHUGEPAGE);
	memset(map, 1, MAP_SZ);
	rates[0] = calloc(cycles * per_phase, sizeof(double));
	rates[1] = calloc(cycles * per_phase, sizeof(double));
	if (!rates[0] || !rates[1])
		return 1;

	pthread_create(&wl, NULL, workload, NULL);
	pthread_create(&fl, NULL, flusher, NULL);
	usleep(500000);		/* warm up */
	for (c = 0; c < cycles; c++) {
		for (on = 0; on < 2; on++) {
			unsigned long f0 = tlb_interrupts(1);
			long t0 = now_ns();

			atomic_store(&flushing, on);
			usleep(50000);	/* let the flusher start or stop */
			for (k = 0; k < per_phase; k++) {
				unsigned long p0 = atomic_load(&passes);
				long s = now_ns();

				usleep(REPORT_NS / 1000);
				rates[on][n[on]++] = (atomic_load(&passes) - p0) *
					1e9 / (now_ns() - s);
			}
			if (on) {
				flushes_on += tlb_interrupts(1) - f0;
				secs_on += (now_ns() - t0) / 1e9;
			}
		}
	}
	atomic_store(&flushing, 0);
	atomic_store(&done, 1);
	pthread_join(wl, NULL);
	pthread_join(fl, NULL);

	{
		double off = median(rates[0], n[0]), with = median(rates[1], n[1]);
		double iqr = (rates[0][n[0] * 3 / 4] - rates[0][n[0] / 4]) / off;

		printf("mode %s, %lu MiB working set: %.0f flushes/s asked, %.0f TLB interrupts/s; "
		       "passes/s without %.1f (IQR %.1f%%), with %.1f; "
		       "slowdown %.2f%%\n", mode_mm ? "mm" : "page",
		       ws_sz / MIB, (double)rate, flushes_on / secs_on, off,
		       iqr * 100, with, (1 - with / off) * 100);
	}
	return 0;
}
