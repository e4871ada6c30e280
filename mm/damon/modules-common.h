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
 * The monitored physical address range [@start, @end) (unsigned longs, both
 * 0 for all System RAM) and the bytes per address unit @unit, as the
 * parameters monitor_region_start, monitor_region_end and addr_unit.
 */
#define DEFINE_DAMON_MODULES_MON_REGION_PARAMS(start, end, unit)	\
	module_param_named(monitor_region_start, start, ulong, 0600);	\
	MODULE_PARM_DESC(monitor_region_start,				\
			"Start of the monitored physical range, 0 with end 0 for all RAM"); \
	module_param_named(monitor_region_end, end, ulong, 0600);	\
	MODULE_PARM_DESC(monitor_region_end,				\
			"End of the monitored physical range");		\
	module_param_named(addr_unit, unit, ulong, 0600);		\
	MODULE_PARM_DESC(addr_unit,					\
			"Bytes per address unit of the monitoring")

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
 * @enabled:		The "enabled" parameter: whether the kdamond should
 *			run.
 * @kdamond_pid:	The read-only "kdamond_pid" parameter: the kdamond's
 *			pid, -1 when off.
 * @commit_inputs:	The "commit_inputs" parameter, of the modules that
 *			define it (DEFINE_DAMON_MODULES_COMMIT_INPUTS_PARAM()).
 *
 * The private members are the running context (or NULL), the damon_call()
 * control of @repeat_fn, and whether the module init function ran.
 *
 * Switching is serialized by the kernel parameter lock, which every store
 * of a built-in module parameter holds.
 */
struct damon_modules_kdamond {
	struct damon_ctx *(*build_ctx)(void);
	int (*repeat_fn)(void *data);
	bool enabled;
	int kdamond_pid;
	bool commit_inputs;

/* private: */
	struct damon_ctx *ctx;
	struct damon_call_control repeat_call;
	bool initialized;
};

/*
 * The kdamond of a module and the parameters that drive it: defines @kd, a
 * struct damon_modules_kdamond that builds its context with @build and
 * calls @repeat on each of its loops, and the parameters kdamond_pid
 * (@kd.kdamond_pid, read-only, -1 while off) and enabled (@kd.enabled,
 * initially @on), which starts and stops the kdamond.  @name names the
 * module in the parameter descriptions.
 */
#define DEFINE_DAMON_MODULES_KDAMOND(kd, name, build, repeat, on)	\
	static struct damon_modules_kdamond kd = {			\
		.build_ctx = build,					\
		.repeat_fn = repeat,					\
		.enabled = on,						\
		.kdamond_pid = -1,					\
	};								\
	module_param_named(kdamond_pid, kd.kdamond_pid, int, 0400);	\
	MODULE_PARM_DESC(kdamond_pid,					\
			"PID of the " name " kdamond, -1 if off");	\
	static int kd##_enabled_set(const char *val,			\
				    const struct kernel_param *kp)	\
	{								\
		return damon_modules_enabled_store(&kd, val);		\
	}								\
	static const struct kernel_param_ops kd##_enabled_ops = {	\
		.set = kd##_enabled_set,				\
		.get = param_get_bool,					\
	};								\
	module_param_cb(enabled, &kd##_enabled_ops, &kd.enabled, 0600);	\
	MODULE_PARM_DESC(enabled, "Run " name " (Y) or not (N)")

/*
 * The commit_inputs parameter of @kd (@kd.commit_inputs): writing Y applies
 * the other parameters to the running kdamond, which sets it back to N once
 * it did so.
 */
#define DEFINE_DAMON_MODULES_COMMIT_INPUTS_PARAM(kd)			\
	module_param_named(commit_inputs, kd.commit_inputs, bool, 0600); \
	MODULE_PARM_DESC(commit_inputs,					\
			"Apply the parameters to the running kdamond")

int damon_modules_enabled_store(struct damon_modules_kdamond *k,
				const char *val);
int damon_modules_init(struct damon_modules_kdamond *k);
bool damon_modules_running(struct damon_modules_kdamond *k);

struct damon_ctx *damon_modules_new_paddr_ctx(struct damon_attrs *attrs,
					      unsigned long addr_unit,
					      unsigned long *start,
					      unsigned long *end);

#endif /* _MM_DAMON_MODULES_COMMON_H */
