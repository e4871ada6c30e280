// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON_STAT: access monitoring of the whole system, reduced to a few
 * numbers.
 *
 * Once enabled, DAMON_STAT monitors all System RAM through the physical
 * address space operations set, with monitoring intervals that DAMON tunes
 * by itself so that about 4% of the observable accesses are seen in each
 * snapshot.  Every second the kdamond turns the regions into an
 * estimated memory bandwidth and a distribution of how long memory has been
 * idle, and exposes both as read-only module parameters.
 */

#define pr_fmt(fmt) "damon_stat: " fmt

#include <linux/damon.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>

#include "modules-common.h"

#ifdef MODULE_PARAM_PREFIX
#undef MODULE_PARAM_PREFIX
#endif
#define MODULE_PARAM_PREFIX "damon_stat."

/* Results are recomputed at most this often. */
#define DAMON_STAT_REFRESH_INTERVAL	HZ

/* p0, p1, ..., p100 */
#define DAMON_STAT_NR_PERCENTILES	101

static struct damon_ctx *damon_stat_build_ctx(void);
static int damon_stat_repeat_fn(void *data);

DEFINE_DAMON_MODULES_KDAMOND(damon_stat_kdamond, "DAMON_STAT",
			     damon_stat_build_ctx, damon_stat_repeat_fn,
			     IS_ENABLED(CONFIG_DAMON_STAT_ENABLED_DEFAULT));

static unsigned long estimated_memory_bandwidth __read_mostly;
module_param(estimated_memory_bandwidth, ulong, 0400);
MODULE_PARM_DESC(estimated_memory_bandwidth,
		 "Estimated memory bandwidth use, in bytes per second");

static unsigned long aggr_interval_us __read_mostly;
module_param(aggr_interval_us, ulong, 0400);
MODULE_PARM_DESC(aggr_interval_us,
		 "Current (auto-tuned) aggregation interval, in microseconds");

/* Protects damon_stat_percentiles against torn reads. */
static DEFINE_SPINLOCK(damon_stat_percentiles_lock);
static long damon_stat_percentiles[DAMON_STAT_NR_PERCENTILES];

static int damon_stat_percentiles_get(char *buffer,
				      const struct kernel_param *kp)
{
	long snapshot[DAMON_STAT_NR_PERCENTILES];
	int i, len = 0;

	spin_lock(&damon_stat_percentiles_lock);
	memcpy(snapshot, damon_stat_percentiles, sizeof(snapshot));
	spin_unlock(&damon_stat_percentiles_lock);

	for (i = 0; i < DAMON_STAT_NR_PERCENTILES; i++)
		len += scnprintf(buffer + len, PAGE_SIZE - len, "%s%ld",
				 i ? "," : "", snapshot[i]);
	len += scnprintf(buffer + len, PAGE_SIZE - len, "\n");
	return len;
}

static const struct kernel_param_ops percentiles_param_ops = {
	.get = damon_stat_percentiles_get,
};

module_param_cb(memory_idle_ms_percentiles, &percentiles_param_ops, NULL,
		0400);
MODULE_PARM_DESC(memory_idle_ms_percentiles,
		 "Idle time percentiles of memory in ms, negative if accessed");

/* One monitoring region, reduced to what the percentiles need. */
struct damon_stat_region {
	long idle_ms;
	unsigned long sz;
};

static int damon_stat_cmp_idle(const void *a, const void *b)
{
	const struct damon_stat_region *ra = a, *rb = b;

	if (ra->idle_ms < rb->idle_ms)
		return -1;
	return ra->idle_ms > rb->idle_ms;
}

/* Time passed in the ongoing aggregation interval, in microseconds. */
static unsigned long damon_stat_window_us(struct damon_ctx *ctx)
{
	unsigned long left = ctx->next_aggregation_sis -
		ctx->passed_sample_intervals;

	if (left >= ctx->attrs.aggr_samples)
		return 0;
	return (ctx->attrs.aggr_samples - left) * ctx->attrs.sample_interval;
}

/*
 * How long @r has been idle, in milliseconds: its age, plus the part of the
 * ongoing aggregation interval @window_us in which it stayed idle.  A
 * region that is being accessed gets the negated time it has been accessed
 * at about its current frequency instead, counting the ongoing aggregation
 * interval, so that it sorts before every idle region and the most
 * persistently accessed memory comes first.
 */
static long damon_stat_idle_ms(struct damon_region *r,
			       unsigned long aggr_us, unsigned long window_us)
{
	bool accessed = r->nr_accesses_bp / 10000 > 0;
	u64 windows = (u64)r->age + accessed;
	u64 us;

	if (windows && aggr_us > div64_u64(U64_MAX - window_us, windows))
		return accessed ? -LONG_MAX : LONG_MAX;
	us = windows * aggr_us;
	if (!accessed && !r->nr_accesses)
		us += window_us;
	us = min_t(u64, div_u64(us, USEC_PER_MSEC), LONG_MAX);
	return accessed ? -(long)us : (long)us;
}

static void damon_stat_set_percentiles(struct damon_stat_region *regions,
				       unsigned int nr, unsigned long total_sz)
{
	long result[DAMON_STAT_NR_PERCENTILES];
	unsigned long accumulated = 0;
	unsigned int i, p = 0;

	sort(regions, nr, sizeof(*regions), damon_stat_cmp_idle, NULL);
	/*
	 * Percentile p is the idle time of the region that holds the byte
	 * at p% of the total size, in ascending idle time order.
	 */
	for (i = 0; i < nr && p < DAMON_STAT_NR_PERCENTILES; i++) {
		accumulated += regions[i].sz;
		while (p < DAMON_STAT_NR_PERCENTILES &&
		       mult_frac(total_sz, p, 100) <= accumulated)
			result[p++] = regions[i].idle_ms;
	}
	/* Rounding can leave the top percentiles unset: use the maximum. */
	for (; p < DAMON_STAT_NR_PERCENTILES; p++)
		result[p] = nr ? regions[nr - 1].idle_ms : 0;

	spin_lock(&damon_stat_percentiles_lock);
	memcpy(damon_stat_percentiles, result, sizeof(result));
	spin_unlock(&damon_stat_percentiles_lock);
}

static void damon_stat_refresh(struct damon_ctx *ctx)
{
	unsigned long aggr_us = ctx->attrs.aggr_interval;
	unsigned long window_us = damon_stat_window_us(ctx);
	struct damon_stat_region *regions;
	unsigned long total_sz = 0;
	u64 accessed_bytes = 0;
	struct damon_target *t;
	struct damon_region *r;
	unsigned int nr = 0;

	damon_for_each_target(t, ctx)
		nr += damon_nr_regions(t);
	regions = kmalloc_array(nr, sizeof(*regions), GFP_KERNEL);
	if (!regions && nr)
		return;

	nr = 0;
	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t) {
			unsigned long sz = damon_sz_region(r) * ctx->addr_unit;

			/*
			 * Each positive sample is taken as one access to every
			 * byte of the region.
			 */
			accessed_bytes += mul_u64_u64_div_u64(sz,
							      r->nr_accesses_bp,
							      10000);
			regions[nr].sz = sz;
			regions[nr].idle_ms = damon_stat_idle_ms(r, aggr_us,
								 window_us);
			total_sz += sz;
			nr++;
		}
	}

	aggr_interval_us = aggr_us;
	estimated_memory_bandwidth = mul_u64_u64_div_u64(accessed_bytes,
							 USEC_PER_SEC,
							 max(aggr_us, 1UL));
	damon_stat_set_percentiles(regions, nr, total_sz);
	kfree(regions);
}

/* Called by the kdamond every sampling interval. */
static int damon_stat_repeat_fn(void *data)
{
	static unsigned long next_refresh;
	struct damon_ctx *ctx = data;

	if (!aggr_interval_us)
		next_refresh = jiffies + DAMON_STAT_REFRESH_INTERVAL;
	aggr_interval_us = ctx->attrs.aggr_interval;
	if (time_before(jiffies, next_refresh))
		return 0;
	next_refresh = jiffies + DAMON_STAT_REFRESH_INTERVAL;
	damon_stat_refresh(ctx);
	return 0;
}

static struct damon_ctx *damon_stat_build_ctx(void)
{
	struct damon_attrs attrs = {
		.sample_interval = 5 * USEC_PER_MSEC,
		.aggr_interval = 100 * USEC_PER_MSEC,
		.ops_update_interval = 60 * USEC_PER_SEC,
		/* Aim at 4% of the observable accesses, within 5 ms..10 s. */
		.intervals_goal = {
			.access_bp = 400,
			.aggrs = 3,
			.min_sample_us = 5 * USEC_PER_MSEC,
			.max_sample_us = 10 * USEC_PER_SEC,
		},
		.min_nr_regions = 10,
		.max_nr_regions = 1000,
	};
	unsigned long start = 0, end = 0;

	/* Results of a previous run are stale. */
	aggr_interval_us = 0;
	estimated_memory_bandwidth = 0;
	spin_lock(&damon_stat_percentiles_lock);
	memset(damon_stat_percentiles, 0, sizeof(damon_stat_percentiles));
	spin_unlock(&damon_stat_percentiles_lock);

	return damon_modules_new_paddr_ctx(&attrs, 1, &start, &end);
}

static int __init damon_stat_init(void)
{
	int err = damon_modules_init(&damon_stat_kdamond);

	if (err)
		pr_err("failed to start (%d)\n", err);
	return err;
}

module_init(damon_stat_init);

#ifdef CONFIG_DAMON_KUNIT_TEST
#include "tests/stat-kunit.h"
#endif
