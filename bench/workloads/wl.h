/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ground-truth workload engine for the DAMON benchmark.
 *
 * A workload is one anonymous mapping cut into zones.  Each zone is touched
 * (one write per 4 KiB page) either continuously, or once every period_ms,
 * and only while the workload clock is inside the zone's [from, to) window
 * (which is how the phase and stairs workloads move their hot set).  Every
 * touch is logged per chunk (at most 2 MiB of one zone) with CLOCK_MONOTONIC
 * timestamps, so the driver knows exactly which bytes were accessed in any
 * time window.  Touches of a chunk closer than WL_GAP_NS are merged into one
 * log interval that carries the number of passes.
 *
 * Protocol with the driver: the workload maps and populates its memory,
 * prints "ready <pid>" on stdout and waits for SIGUSR1; then it runs its
 * schedule for the given duration (or until SIGTERM), and writes its log.
 */
#ifndef BENCH_WL_H
#define BENCH_WL_H

#define MiB (1024UL * 1024)
#define WL_PAGE 4096UL
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct wl_zone {
	unsigned long start, end;	/* offsets in the mapping */
	long period_ms;			/* 0: continuous, <0: never touched */
	double from, to;		/* active window, seconds after go */
	const char *label;
	/* engine state */
	double next_due;
	int was_active;
};

struct wl_spec {
	const char *name;
	unsigned long size;
	struct wl_zone *zones;
	int nr_zones;
	int sparse;		/* populate only the zones, not the whole mapping */
};

/* Run the workload: parses argv (-d secs, -o log, -p), never returns. */
int wl_main(struct wl_spec *spec, int argc, char **argv);

/* Parse a size like 256M, 4G or 1T. */
unsigned long wl_parse_size(const char *s);

/* The size given with -s (else @def), in 64 MiB steps, at least @min. */
unsigned long wl_size_arg(int argc, char **argv, unsigned long def,
			  unsigned long min);

#endif
