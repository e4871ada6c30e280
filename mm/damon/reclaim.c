// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON_RECLAIM: proactive reclamation of cold memory.
 *
 * DAMON_RECLAIM monitors the physical address space and pages out memory
 * that has not been accessed for a user-given time, before the system runs
 * short of free memory.  How much it may reclaim is bounded by time and
 * size quotas, optionally tuned by memory pressure or user feedback, and
 * when it works is bounded by free memory watermarks.  Everything is set
 * through module parameters; see
 * Documentation/admin-guide/mm/damon/reclaim.rst.
 */

#define pr_fmt(fmt) "damon_reclaim: " fmt

#include <linux/damon.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/numa.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "modules-common.h"

#ifdef MODULE_PARAM_PREFIX
#undef MODULE_PARAM_PREFIX
#endif
#define MODULE_PARAM_PREFIX "damon_reclaim."

static struct damon_ctx *damon_reclaim_build_ctx(void);
static int damon_reclaim_repeat_fn(void *data);

DEFINE_DAMON_MODULES_KDAMOND(damon_reclaim_kdamond, "DAMON_RECLAIM",
			     damon_reclaim_build_ctx, damon_reclaim_repeat_fn,
			     false);
DEFINE_DAMON_MODULES_COMMIT_INPUTS_PARAM(damon_reclaim_kdamond);

static unsigned long min_age __read_mostly = 120 * USEC_PER_SEC;
module_param(min_age, ulong, 0600);
MODULE_PARM_DESC(min_age,
		 "Time memory must have stayed idle to be reclaimed, in us");

static struct damos_quota damon_reclaim_quota = {
	.ms = 10,
	.sz = 128 * SZ_1M,
	.reset_interval = 1000,
	/* Among the cold regions, reclaim the longest idle first. */
	.weight_sz = 0,
	.weight_nr_accesses = 0,
	.weight_age = 1,
};

DEFINE_DAMON_MODULES_DAMOS_QUOTAS(damon_reclaim_quota);

static unsigned long quota_mem_pressure_us __read_mostly;
module_param(quota_mem_pressure_us, ulong, 0600);
MODULE_PARM_DESC(quota_mem_pressure_us,
		 "Memory pressure (some PSI, us per reset interval) to aim at");

static unsigned long quota_autotune_feedback __read_mostly;
module_param(quota_autotune_feedback, ulong, 0600);
MODULE_PARM_DESC(quota_autotune_feedback,
		 "User feedback for quota tuning; 10000 means goal met");

static struct damos_watermarks damon_reclaim_wmarks = {
	.metric = DAMOS_WMARK_FREE_MEM_RATE,
	.interval = 5 * USEC_PER_SEC,
	.high = 500,
	.mid = 400,
	.low = 200,
};

DEFINE_DAMON_MODULES_WMARKS_PARAMS(damon_reclaim_wmarks);

static struct damon_attrs damon_reclaim_mon_attrs = {
	.sample_interval = 5 * USEC_PER_MSEC,
	.aggr_interval = 100 * USEC_PER_MSEC,
	.ops_update_interval = USEC_PER_SEC,
	.min_nr_regions = 10,
	.max_nr_regions = 1000,
};

DEFINE_DAMON_MODULES_MON_ATTRS_PARAMS(damon_reclaim_mon_attrs);

static unsigned long monitor_region_start __read_mostly;
static unsigned long monitor_region_end __read_mostly;
static unsigned long addr_unit __read_mostly = 1;
DEFINE_DAMON_MODULES_MON_REGION_PARAMS(monitor_region_start,
				       monitor_region_end, addr_unit);

static bool skip_anon __read_mostly;
module_param(skip_anon, bool, 0600);
MODULE_PARM_DESC(skip_anon, "Do not reclaim anonymous pages");

static struct damos_stat damon_reclaim_stat;
DEFINE_DAMON_MODULES_DAMOS_STATS_PARAMS(damon_reclaim_stat, reclaim_tried,
					reclaimed, nr_quota_exceeds);

static struct damos *damon_reclaim_new_scheme(void)
{
	unsigned long aggr = max(damon_reclaim_mon_attrs.aggr_interval, 1UL);
	struct damos_access_pattern pattern = {
		.min_sz_region = PAGE_SIZE,
		.max_sz_region = ULONG_MAX,
		/* Not accessed at all ... */
		.min_nr_accesses = 0,
		.max_nr_accesses = 0,
		/* ... for at least min_age. */
		.min_age_region = min_t(unsigned long, UINT_MAX,
					min_age / aggr),
		.max_age_region = UINT_MAX,
	};

	return damon_new_scheme(&pattern, DAMOS_PAGEOUT, 0,
				&damon_reclaim_quota, &damon_reclaim_wmarks,
				NUMA_NO_NODE);
}

static int damon_reclaim_add_goal(struct damos *s,
				  enum damos_quota_goal_metric metric,
				  unsigned long target,
				  unsigned long current_value)
{
	struct damos_quota_goal *g = damos_new_quota_goal(metric, target);

	if (!g)
		return -ENOMEM;
	g->current_value = current_value;
	damos_add_quota_goal(&s->quota, g);
	return 0;
}

static struct damon_ctx *damon_reclaim_build_ctx(void)
{
	struct damon_ctx *ctx;
	struct damos *s;
	int err = -ENOMEM;

	ctx = damon_modules_new_paddr_ctx(&damon_reclaim_mon_attrs, addr_unit,
					  &monitor_region_start,
					  &monitor_region_end);
	if (IS_ERR(ctx))
		return ctx;

	s = damon_reclaim_new_scheme();
	if (!s)
		goto out;
	damon_add_scheme(ctx, s);

	if (quota_mem_pressure_us &&
	    damon_reclaim_add_goal(s, DAMOS_QUOTA_SOME_MEM_PSI_US,
				   quota_mem_pressure_us, 0))
		goto out;
	if (quota_autotune_feedback &&
	    damon_reclaim_add_goal(s, DAMOS_QUOTA_USER_INPUT, 10000,
				   quota_autotune_feedback))
		goto out;

	if (skip_anon) {
		struct damos_filter *f;

		f = damos_new_filter(DAMOS_FILTER_TYPE_ANON, true, false);
		if (!f)
			goto out;
		damos_add_filter(s, f);
	}
	if (!damon_modules_running(&damon_reclaim_kdamond)) {
		/* A fresh start, not a commit: statistics begin anew. */
		memset(&damon_reclaim_stat, 0, sizeof(damon_reclaim_stat));
	}
	damon_reclaim_kdamond.commit_inputs = false;
	return ctx;
out:
	damon_destroy_ctx(ctx);
	return ERR_PTR(err);
}

static void damon_reclaim_commit_inputs(struct damon_ctx *ctx)
{
	struct damon_ctx *new;
	int err;

	new = damon_reclaim_build_ctx();
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
static int damon_reclaim_repeat_fn(void *data)
{
	struct damon_ctx *ctx = data;
	struct damos *s;

	damon_for_each_scheme(s, ctx)
		damon_reclaim_stat = s->stat;

	if (damon_reclaim_kdamond.commit_inputs) {
		damon_reclaim_commit_inputs(ctx);
		damon_reclaim_kdamond.commit_inputs = false;
	}
	return 0;
}

static int __init damon_reclaim_init(void)
{
	int err = damon_modules_init(&damon_reclaim_kdamond);

	if (err)
		pr_err("failed to start (%d)\n", err);
	return err;
}

module_init(damon_reclaim_init);
