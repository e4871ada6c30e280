/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the special-purpose DAMON modules (DAMON_STAT,
 * DAMON_RECLAIM and DAMON_LRU_SORT): tables of module parameters that
 * several modules expose under the same names, and the life cycle of the
 * single kdamond each module runs.
 */

#ifndef _MM_DAMON_MODULES_COMMON_H
#define _MM_DAMON_MODULES_COMMON_H

#include <linux/damon.h>
#include <linux/moduleparam.h>

/*
 * Monitoring attributes of @attrs (a struct damon_attrs) as the parameters
 * sample_interval, aggr_interval, min_nr_regions and max_nr_regions.
 */
#define DEFINE_DAMON_MODULES_MON_ATTRS_PARAMS(attrs)			\
	module_param_named(sample_interval, attrs.sample_interval,	\
			ulong, 0600);					\
	MODULE_PARM_DESC(sample_interval,				\
			"Sampling interval, in microseconds");		\
	module_param_named(aggr_interval, attrs.aggr_interval,		\
			ulong, 0600);					\
	MODULE_PARM_DESC(aggr_interval,					\
			"Aggregation interval, in microseconds");	\
	module_param_named(min_nr_regions, attrs.min_nr_regions,	\
			ulong, 0600);					\
	MODULE_PARM_DESC(min_nr_regions,				\
			"Minimum number of monitoring regions");	\
	module_param_named(max_nr_regions, attrs.max_nr_regions,	\
			ulong, 0600);					\
	MODULE_PARM_DESC(max_nr_regions,				\
			"Maximum number of monitoring regions")

/*
 * Time quota of @quota (a struct damos_quota) as the parameters quota_ms and
 * quota_reset_interval_ms.
 */
#define DEFINE_DAMON_MODULES_DAMOS_TIME_QUOTA(quota)			\
	module_param_named(quota_ms, quota.ms, ulong, 0600);		\
	MODULE_PARM_DESC(quota_ms,					\
			"Time the action may take per reset interval, ms"); \
	module_param_named(quota_reset_interval_ms,			\
			quota.reset_interval, ulong, 0600);		\
	MODULE_PARM_DESC(quota_reset_interval_ms,			\
			"Quota charge window, in milliseconds")

/* The time quota of @quota plus its size quota, as quota_sz (bytes). */
#define DEFINE_DAMON_MODULES_DAMOS_QUOTAS(quota)			\
	DEFINE_DAMON_MODULES_DAMOS_TIME_QUOTA(quota);			\
	module_param_named(quota_sz, quota.sz, ulong, 0600);		\
	MODULE_PARM_DESC(quota_sz,					\
			"Bytes the action may be applied to per reset interval")

/*
 * Watermarks @wmarks (a struct damos_watermarks) as the parameters
 * wmarks_interval (us), wmarks_high, wmarks_mid and wmarks_low (permil of
 * free memory).
 */
#define DEFINE_DAMON_MODULES_WMARKS_PARAMS(wmarks)			\
	module_param_named(wmarks_interval, wmarks.interval, ulong, 0600); \
	MODULE_PARM_DESC(wmarks_interval,				\
			"Watermarks check interval, in microseconds");	\
	module_param_named(wmarks_high, wmarks.high, ulong, 0600);	\
	MODULE_PARM_DESC(wmarks_high,					\
			"Free memory permil above which the module idles"); \
	module_param_named(wmarks_mid, wmarks.mid, ulong, 0600);	\
	MODULE_PARM_DESC(wmarks_mid,					\
			"Free memory permil below which the module works"); \
	module_param_named(wmarks_low, wmarks.low, ulong, 0600);	\
	MODULE_PARM_DESC(wmarks_low,					\
			"Free memory permil below which the module idles")

/*
 * Read-only statistics of one scheme, copied from a struct damos_stat
 * @stat: nr_<tried>_regions, bytes_<tried>_regions, nr_<applied>_regions,
 * bytes_<applied>_regions and, if @qt_exceeds_name is given,
 * @qt_exceeds_name.
 */
#define DEFINE_DAMON_MODULES_DAMOS_STATS_PARAMS(stat, tried, applied,	\
		qt_exceeds_name)					\
	module_param_named(nr_##tried##_regions, stat.nr_tried,	\
			ulong, 0400);					\
	MODULE_PARM_DESC(nr_##tried##_regions,				\
			"Regions the action was tried on");		\
	module_param_named(bytes_##tried##_regions, stat.sz_tried,	\
			ulong, 0400);					\
	MODULE_PARM_DESC(bytes_##tried##_regions,			\
			"Bytes of the regions the action was tried on"); \
	module_param_named(nr_##applied##_regions, stat.nr_applied,	\
			ulong, 0400);					\
	MODULE_PARM_DESC(nr_##applied##_regions,			\
			"Regions the action was applied to");		\
	module_param_named(bytes_##applied##_regions, stat.sz_applied,	\
			ulong, 0400);					\
	MODULE_PARM_DESC(bytes_##applied##_regions,			\
			"Bytes the action was applied to");		\
	module_param_named(qt_exceeds_name, stat.qt_exceeds, ulong, 0400); \
	MODULE_PARM_DESC(qt_exceeds_name,				\
			"Times the quota was exceeded")

/**
 * struct damon_modules_kdamond - The kdamond of a special-purpose module.
 * @build_ctx:		Returns a new, not yet running context made from the
 *			module's current parameters, or an ERR_PTR().
 * @repeat_fn:		Optional; run by the kdamond once per sampling
 *			interval while it runs, with the context as argument.
 * @kdamond_pid:	Parameter that shows the kdamond's pid, -1 when off.
 * @ctx:		The running context, or NULL (private).
 * @repeat_call:	damon_call() control of @repeat_fn (private).
 * @initialized:	Whether the module init function ran (private).
 *
 * Switching is serialized by the kernel parameter lock, which every store
 * of a built-in module parameter holds.
 */
struct damon_modules_kdamond {
	struct damon_ctx *(*build_ctx)(void);
	int (*repeat_fn)(void *data);
	int *kdamond_pid;

/* private: */
	struct damon_ctx *ctx;
	struct damon_call_control repeat_call;
	bool initialized;
};

int damon_modules_enabled_store(struct damon_modules_kdamond *k,
				bool *enabled, const char *val);
int damon_modules_init(struct damon_modules_kdamond *k, bool *enabled);
bool damon_modules_running(struct damon_modules_kdamond *k);

struct damon_ctx *damon_modules_new_paddr_ctx(struct damon_attrs *attrs,
					      unsigned long addr_unit, unsigned long *start,
		unsigned long *end);

#endif /* _MM_DAMON_MODULES_COMMON_H */
