// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON_LRU_SORT: access-aware sorting of the LRU lists.
 *
 * DAMON_LRU_SORT monitors the physical address space, moves frequently
 * accessed memory to the head of the active LRU lists and memory that has
 * been idle for a while to the inactive lists, so that reclaim, when it has
 * to run, finds cold pages first and leaves hot ones alone.  The work is
 * bounded by a time quota and by free memory watermarks.  Everything is set
 * through module parameters; see
 * Documentation/admin-guide/mm/damon/lru_sort.rst.
 */

#define pr_fmt(fmt) "damon_lru_sort: " fmt

#include <linux/damon.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/numa.h>
#include <linux/string.h>

#include "modules-common.h"

#ifdef MODULE_PARAM_PREFIX
#undef MODULE_PARAM_PREFIX
#endif
#define MODULE_PARAM_PREFIX "damon_lru_sort."

static struct damon_ctx *damon_lru_sort_build_ctx(void);
static int damon_lru_sort_repeat_fn(void *data);

DEFINE_DAMON_MODULES_KDAMOND(damon_lru_sort_kdamond, "DAMON_LRU_SORT",
			     damon_lru_sort_build_ctx, damon_lru_sort_repeat_fn,
			     false);
DEFINE_DAMON_MODULES_COMMIT_INPUTS_PARAM(damon_lru_sort_kdamond);

static unsigned long hot_thres_access_freq __read_mostly = 500;
module_param(hot_thres_access_freq, ulong, 0600);
MODULE_PARM_DESC(hot_thres_access_freq,
		 "Access frequency (permil of the maximum) that makes memory hot");

static unsigned long cold_min_age __read_mostly = 120 * USEC_PER_SEC;
module_param(cold_min_age, ulong, 0600);
MODULE_PARM_DESC(cold_min_age,
		 "Time memory must have stayed idle to be cold, in us");

static unsigned long active_mem_bp __read_mostly;
module_param(active_mem_bp, ulong, 0600);
MODULE_PARM_DESC(active_mem_bp,
		 "Share of active LRU memory to aim at, in bp; 0 to not aim");

static bool autotune_monitoring_intervals __read_mostly;
module_param(autotune_monitoring_intervals, bool, 0600);
MODULE_PARM_DESC(autotune_monitoring_intervals,
		 "Let DAMON tune the sampling and aggregation intervals");

static struct damos_quota damon_lru_sort_quota = {
	.ms = 10,
	.sz = 0,
	.reset_interval = 1000,
	/* Replaced per scheme; see damon_lru_sort_new_scheme(). */
	.weight_sz = 0,
	.weight_nr_accesses = 1,
	.weight_age = 0,
};

DEFINE_DAMON_MODULES_DAMOS_TIME_QUOTA(damon_lru_sort_quota);

static struct damos_watermarks damon_lru_sort_wmarks = {
	.metric = DAMOS_WMARK_FREE_MEM_RATE,
	.interval = 5 * USEC_PER_SEC,
	.high = 200,
	.mid = 150,
	.low = 50,
};

DEFINE_DAMON_MODULES_WMARKS_PARAMS(damon_lru_sort_wmarks);

static struct damon_attrs damon_lru_sort_mon_attrs = {
	.sample_interval = 5 * USEC_PER_MSEC,
	.aggr_interval = 100 * USEC_PER_MSEC,
	.ops_update_interval = USEC_PER_SEC,
	.min_nr_regions = 10,
	.max_nr_regions = 1000,
};

DEFINE_DAMON_MODULES_MON_ATTRS_PARAMS(damon_lru_sort_mon_attrs);

static unsigned long monitor_region_start __read_mostly;
static unsigned long monitor_region_end __read_mostly;
static unsigned long addr_unit __read_mostly = 1;
DEFINE_DAMON_MODULES_MON_REGION_PARAMS(monitor_region_start,
				       monitor_region_end, addr_unit);

static struct damos_stat damon_lru_sort_hot_stat;
DEFINE_DAMON_MODULES_DAMOS_STATS_PARAMS(damon_lru_sort_hot_stat,
					lru_sort_tried_hot, lru_sorted_hot,
					nr_hot_quota_exceeds);

static struct damos_stat damon_lru_sort_cold_stat;
DEFINE_DAMON_MODULES_DAMOS_STATS_PARAMS(damon_lru_sort_cold_stat,
					lru_sort_tried_cold, lru_sorted_cold,
					nr_cold_quota_exceeds);

/*
 * The hot scheme prioritizes the hottest regions under the quota, the cold
 * one the longest idle.  Each gets the whole time quota.
 */
static struct damos *damon_lru_sort_new_scheme(struct damon_attrs *attrs,
					       bool hot)
{
	struct damos_quota quota = damon_lru_sort_quota;
	unsigned long aggr = max(attrs->aggr_interval, 1UL);
	struct damos_access_pattern pattern = {
		.min_sz_region = PAGE_SIZE,
		.max_sz_region = ULONG_MAX,
		.max_nr_accesses = UINT_MAX,
		.max_age_region = UINT_MAX,
	};

	if (hot) {
		pattern.min_nr_accesses = hot_thres_access_freq *
			damon_max_nr_accesses(attrs) / 1000;
		quota.weight_nr_accesses = 1;
		quota.weight_age = 0;
	} else {
		pattern.max_nr_accesses = 0;
		pattern.min_age_region = min_t(unsigned long, UINT_MAX,
					       cold_min_age / aggr);
		quota.weight_nr_accesses = 0;
		quota.weight_age = 1;
	}
	quota.weight_sz = 0;
	return damon_new_scheme(&pattern,
				hot ? DAMOS_LRU_PRIO : DAMOS_LRU_DEPRIO, 0,
				&quota, &damon_lru_sort_wmarks, NUMA_NO_NODE);
}

static int damon_lru_sort_add_scheme(struct damon_ctx *ctx, bool hot)
{
	struct damos_quota_goal *g;
	struct damos *s;

	s = damon_lru_sort_new_scheme(&ctx->attrs, hot);
	if (!s)
		return -ENOMEM;
	damon_add_scheme(ctx, s);
	if (!active_mem_bp)
		return 0;
	/* Aim the two schemes at complementary shares of the LRU lists. */
	if (hot)
		g = damos_new_quota_goal(DAMOS_QUOTA_ACTIVE_MEM_BP,
					 active_mem_bp);
	else
		g = damos_new_quota_goal(DAMOS_QUOTA_INACTIVE_MEM_BP,
					 10000 - active_mem_bp);
	if (!g)
		return -ENOMEM;
	damos_add_quota_goal(&s->quota, g);
	return 0;
}

static struct damon_ctx *damon_lru_sort_build_ctx(void)
{
	struct damon_attrs attrs = damon_lru_sort_mon_attrs;
	struct damon_ctx *ctx;
	int err;

	if (hot_thres_access_freq > 1000 || active_mem_bp > 10000)
		return ERR_PTR(-EINVAL);
	if (autotune_monitoring_intervals) {
		/* Aim at 4% of the observable accesses, within 5 ms..10 s. */
		attrs.intervals_goal = (struct damon_intervals_goal) {
			.access_bp = 400,
			.aggrs = 3,
			.min_sample_us = 5 * USEC_PER_MSEC,
			.max_sample_us = 10 * USEC_PER_SEC,
		};
	}
	ctx = damon_modules_new_paddr_ctx(&attrs, addr_unit,
					  &monitor_region_start,
					  &monitor_region_end);
	if (IS_ERR(ctx))
		return ctx;

	err = damon_lru_sort_add_scheme(ctx, true);
	if (!err)
		err = damon_lru_sort_add_scheme(ctx, false);
	if (err) {
		damon_destroy_ctx(ctx);
		return ERR_PTR(err);
	}
	if (!damon_modules_running(&damon_lru_sort_kdamond)) {
		/* A fresh start, not a commit: statistics begin anew. */
		memset(&damon_lru_sort_hot_stat, 0,
		       sizeof(damon_lru_sort_hot_stat));
		memset(&damon_lru_sort_cold_stat, 0,
		       sizeof(damon_lru_sort_cold_stat));
	}
	damon_lru_sort_kdamond.commit_inputs = false;
	return ctx;
}

static void damon_lru_sort_commit_inputs(struct damon_ctx *ctx)
{
	struct damon_ctx *new;
	int err;

	new = damon_lru_sort_build_ctx();
	if (IS_ERR(new)) {
		err = PTR_ERR(new);
	} else {
		err = damon_commit_ctx(ctx, new);
		damon_destroy_ctx(new);
	}
	if (err)
		pr_warn("committing the parameters failed (%d)\n", err);
}

/* Called by the kdamond every sampling interval. */
static int damon_lru_sort_repeat_fn(void *data)
{
	struct damon_ctx *ctx = data;
	struct damos *s;
	bool hot = true;

	damon_for_each_scheme(s, ctx) {
		if (hot)
			damon_lru_sort_hot_stat = s->stat;
		else
			damon_lru_sort_cold_stat = s->stat;
		hot = false;
	}

	if (damon_lru_sort_kdamond.commit_inputs) {
		damon_lru_sort_commit_inputs(ctx);
		damon_lru_sort_kdamond.commit_inputs = false;
	}
	return 0;
}

static int __init damon_lru_sort_init(void)
{
	int err = damon_modules_init(&damon_lru_sort_kdamond);

	if (err)
		pr_err("failed to start (%d)\n", err);
	return err;
}

module_init(damon_lru_sort_init);
