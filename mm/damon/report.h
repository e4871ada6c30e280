/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the monitoring core (core.c) calls of the access report machinery
 * (report.c).  Not for use outside mm/damon/.
 */

#ifndef _MM_DAMON_REPORT_H
#define _MM_DAMON_REPORT_H

#include <linux/damon.h>

/* Default sampling setup of a new context: page tables only, no filter. */
void damon_sample_init(struct damon_ctx *ctx);

/* Frees the sample filters and the report state of a context. */
void damon_sample_destroy(struct damon_ctx *ctx);

/* -EINVAL unless the sampling setup of @ctx can run. */
int damon_sample_validate(struct damon_ctx *ctx);

/* Makes the sampling setup of @dst that of @src; @dst is unchanged on error. */
int damon_sample_commit(struct damon_ctx *dst, struct damon_ctx *src);

/*
 * Called by the kdamond at the start of each sampling interval, once the
 * regions of the interval are final: (un)registers for reports as the
 * primitives say and takes the snapshot of the region boundaries.
 */
void damon_report_tick_start(struct damon_ctx *ctx);

/*
 * Called by the kdamond at the end of each sampling interval, before the
 * accesses are accounted: drains the rings and marks the regions that the
 * reports of the interval fall in (&damon_region->reported).
 */
void damon_report_tick_end(struct damon_ctx *ctx);

/*
 * Accounts one sample of every region from the reports alone, for contexts
 * that don't check page tables.  Returns the largest nr_accesses.
 */
unsigned int damon_report_check_accesses(struct damon_ctx *ctx);

/* Stops taking reports; called by the kdamond when it exits. */
void damon_report_kdamond_exit(struct damon_ctx *ctx);

/**
 * struct damon_perf_sample - What an overflow handler knows of a sample.
 * @sample_flags:	PERF_SAMPLE_* bits of the fields the PMU filled.
 * @addr:		Data virtual address, if %PERF_SAMPLE_ADDR.
 * @phys_addr:		Data physical address, if %PERF_SAMPLE_PHYS_ADDR.
 * @mem_op:		PERF_MEM_OP_* bits, if %PERF_SAMPLE_DATA_SRC.
 * @cpu:		CPU of the sample.
 * @tid:		Thread of the sample.
 */
struct damon_perf_sample {
	u64 sample_flags;
	u64 addr;
	u64 phys_addr;
	u64 mem_op;
	int cpu;
	pid_t tid;
};

bool damon_perf_sample_report(const struct damon_perf_sample *s, bool phys,
			      bool user, unsigned long user_end,
			      struct damon_access_report *r);

/*
 * The perf_events sampling primitive (report-perf.c): kernel counters whose
 * samples are access reports.  One context at a time may own them.
 */
#ifdef CONFIG_DAMON_PERF_EVENTS
/* -EINVAL unless the perf events of @ctx make a valid setup. */
int damon_perf_validate(struct damon_ctx *ctx);
/* Creates the counters of @ctx, disabled, before its kdamond starts. */
int damon_perf_start(struct damon_ctx *ctx);
/* Enables the counters of @ctx; called by its kdamond. */
void damon_perf_arm(struct damon_ctx *ctx);
/* Disables and releases the counters of @ctx, if it owns any. */
void damon_perf_stop(struct damon_ctx *ctx);
/* Makes the counters of the running @dst those @src asks for. */
int damon_perf_commit(struct damon_ctx *dst, struct damon_ctx *src);
#else
static inline int damon_perf_validate(struct damon_ctx *ctx)
{
	return ctx->sample.primitives.perf_events ? -EINVAL : 0;
}

static inline int damon_perf_start(struct damon_ctx *ctx)
{
	return 0;
}

static inline void damon_perf_arm(struct damon_ctx *ctx)
{
}

static inline void damon_perf_stop(struct damon_ctx *ctx)
{
}

static inline int damon_perf_commit(struct damon_ctx *dst,
				    struct damon_ctx *src)
{
	return 0;
}
#endif

#endif /* _MM_DAMON_REPORT_H */
