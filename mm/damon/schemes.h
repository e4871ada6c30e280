/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the monitoring core (core.c) and the DAMOS engine (schemes.c) call
 * of each other.  Not for use outside mm/damon/.
 */

#ifndef _MM_DAMON_SCHEMES_H
#define _MM_DAMON_SCHEMES_H

#include <linux/damon.h>
#include <linux/kthread.h>
#include <linux/sched.h>

/*
 * Whether the kdamond running this is asked to stop: long loops of either
 * file end early then.  False outside a kthread (e.g. KUnit callers).
 */
static inline bool damon_stop_requested(void)
{
	return (current->flags & PF_KTHREAD) && kthread_should_stop();
}

/* Called by the kdamond once before its first sample. */
void damos_kdamond_init(struct damon_ctx *ctx);

/*
 * Called by the kdamond after every sample (after the merge of an
 * aggregation boundary, before the window is reset).  Applies every scheme
 * whose apply interval has come, and serves damos_walk() requests.
 */
void damos_apply_schemes(struct damon_ctx *ctx);

/*
 * Microseconds the kdamond should idle because the watermarks of every
 * scheme say so; 0 when monitoring should go on.  Called once per sample.
 */
unsigned long damos_wmarks_wait_us(struct damon_ctx *ctx);

/* Fails a pending damos_walk() request; the kdamond is going away. */
void damos_walk_cancel(struct damon_ctx *ctx);
/* Ends a pending damos_walk() request: no scheme will be applied soon. */
void damos_walk_complete(struct damon_ctx *ctx);
/* Called by damos_walk() when its caller is killed. */
bool damos_walk_withdraw(struct damon_ctx *ctx, struct damos_walk_control *wc);

/* Checks the schemes of @ctx are valid and can run on its operations set. */
int damos_validate_schemes(struct damon_ctx *ctx);

/*
 * Makes the schemes of @dst those of @src, keeping the runtime state (stats,
 * quota charges) of the schemes at the same index.  -ENOMEM leaves @dst
 * consistent but possibly partially updated.
 */
int damos_commit_schemes(struct damon_ctx *dst, struct damon_ctx *src);

/* Rescales time-based scheme state after a sampling interval change. */
void damos_attrs_changed(struct damon_ctx *ctx, struct damon_attrs *old);

/*
 * Picks a node of @d, by weight, for memory keyed by @key (e.g. a pfn);
 * NUMA_NO_NODE if @d is empty.  For the ops sets' migration actions.
 */
int damos_pick_dest(struct damos_migrate_dests *d, unsigned long key);

/* Called by core.c when a region is split or merged away (walk bookkeeping). */
void damos_forget_region(struct damon_ctx *ctx, struct damon_region *r);

/*
 * Implemented by core.c for schemes.c: splits @r of @t into [start,
 * start + @sz_r) and the rest, the rest inheriting the counters.
 */
bool damon_split_region_at(struct damon_target *t, struct damon_region *r,
			   unsigned long sz_r);

#endif /* _MM_DAMON_SCHEMES_H */
