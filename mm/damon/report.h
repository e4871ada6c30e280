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

#endif /* _MM_DAMON_REPORT_H */
