// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON sysfs interface: /sys/kernel/mm/damon/admin.
 *
 * The tree only holds user input.  "on" and "commit" translate a context
 * directory into a fresh struct damon_ctx, which either gets started or is
 * committed to the running context from inside its kdamond.  The other
 * commands copy results of the running context back into the tree.
 */

#define pr_fmt(fmt) "damon-sysfs: " fmt

#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/pid.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "sysfs-schemes.h"

/* Protects the ctx pointer of kdamond directories, for short sections. */
static DEFINE_MUTEX(damon_sysfs_ctx_lock);

/* monitoring_attrs/ */

struct dsys_intervals_goal {
	unsigned long access_bp, aggrs, min_sample_us, max_sample_us;
};

static const struct damon_sysfs_file dsys_intervals_goal_files[] = {
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_intervals_goal, access_bp, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_intervals_goal, aggrs, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_intervals_goal, min_sample_us, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_intervals_goal, max_sample_us, 0),
};

static const struct damon_sysfs_type dsys_intervals_goal_type = {
	.files = dsys_intervals_goal_files,
	.nr_files = ARRAY_SIZE(dsys_intervals_goal_files),
	.data_size = sizeof(struct dsys_intervals_goal),
};

struct dsys_intervals {
	unsigned long sample_us, aggr_us, update_us;
};

static const struct damon_sysfs_file dsys_intervals_files[] = {
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_intervals, sample_us, 5000),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_intervals, aggr_us, 100000),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_intervals, update_us, 1000000),
};

enum { DSYS_INTERVALS_GOAL };

static const struct damon_sysfs_subdir dsys_intervals_subdirs[] = {
	[DSYS_INTERVALS_GOAL] = { "intervals_goal", &dsys_intervals_goal_type },
};

static const struct damon_sysfs_type dsys_intervals_type = {
	.files = dsys_intervals_files,
	.nr_files = ARRAY_SIZE(dsys_intervals_files),
	.subdirs = dsys_intervals_subdirs,
	.nr_subdirs = ARRAY_SIZE(dsys_intervals_subdirs),
	.data_size = sizeof(struct dsys_intervals),
};

struct dsys_nr_regions {
	unsigned long min, max;
};

static const struct damon_sysfs_file dsys_nr_regions_files[] = {
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_nr_regions, min, 10),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_nr_regions, max, 1000),
};

static const struct damon_sysfs_type dsys_nr_regions_type = {
	.files = dsys_nr_regions_files,
	.nr_files = ARRAY_SIZE(dsys_nr_regions_files),
	.data_size = sizeof(struct dsys_nr_regions),
};

/* monitoring_attrs/sample/ */

struct dsys_primitives {
	unsigned long page_table, page_fault, perf_events;
};

static const struct damon_sysfs_file dsys_primitives_files[] = {
	DAMON_SYSFS_RW(DAMON_SYSFS_BOOL, struct dsys_primitives, page_table, 1),
	DAMON_SYSFS_RW(DAMON_SYSFS_BOOL, struct dsys_primitives, page_fault, 0),
#ifdef CONFIG_DAMON_PERF_EVENTS
	DAMON_SYSFS_RW(DAMON_SYSFS_BOOL, struct dsys_primitives, perf_events, 0),
#endif
};

static const struct damon_sysfs_type dsys_primitives_type = {
	.files = dsys_primitives_files,
	.nr_files = ARRAY_SIZE(dsys_primitives_files),
	.data_size = sizeof(struct dsys_primitives),
};

/* A CPU list as /sys/devices/system/cpu/online shows it, of possible CPUs. */
static int dsys_parse_cpumask(const char *buf, struct cpumask *mask)
{
	if (cpulist_parse(buf, mask))
		return -EINVAL;
	return cpumask_subset(mask, cpu_possible_mask) ? 0 : -EINVAL;
}

static int dsys_check_cpumask(const char *buf)
{
	cpumask_var_t mask;
	int err;

	if (!alloc_cpumask_var(&mask, GFP_KERNEL))
		return -ENOMEM;
	err = dsys_parse_cpumask(buf, mask);
	free_cpumask_var(mask);
	return err;
}

/*
 * Thread ids separated by commas or white space, at most
 * DAMON_SAMPLE_FILTER_MAX_TIDS of them.  Stores them in @tids unless it is
 * NULL, and their number in @nr.
 */
static int dsys_parse_tids(const char *buf, pid_t *tids, unsigned int *nr)
{
	char *copy, *cur, *tok;
	int err = 0, tid;

	*nr = 0;
	copy = kstrdup(buf, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	cur = copy;
	while ((tok = strsep(&cur, ", \t\n"))) {
		if (!*tok)
			continue;
		if (kstrtoint(tok, 10, &tid) || tid <= 0 ||
		    *nr >= DAMON_SAMPLE_FILTER_MAX_TIDS) {
			err = -EINVAL;
			break;
		}
		if (tids)
			tids[*nr] = tid;
		(*nr)++;
	}
	kfree(copy);
	return err;
}

static int dsys_check_tids(const char *buf)
{
	unsigned int nr;

	return dsys_parse_tids(buf, NULL, &nr);
}

static const char * const dsys_sample_filter_type_names[] = {
	[DAMON_SAMPLE_FILTER_TYPE_CPUMASK] = "cpumask",
	[DAMON_SAMPLE_FILTER_TYPE_THREADS] = "threads",
	[DAMON_SAMPLE_FILTER_TYPE_WRITE] = "write",
	[NR_DAMON_SAMPLE_FILTER_TYPES] = NULL,
};

struct dsys_sample_filter {
	unsigned long type, matching, allow;
	char *cpumask, *tid_arr;
};

static const struct damon_sysfs_file dsys_sample_filter_files[] = {
	DAMON_SYSFS_ENUM_RW(struct dsys_sample_filter, type,
			    dsys_sample_filter_type_names,
			    DAMON_SAMPLE_FILTER_TYPE_CPUMASK),
	DAMON_SYSFS_RW(DAMON_SYSFS_BOOL, struct dsys_sample_filter, matching, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_BOOL, struct dsys_sample_filter, allow, 0),
	DAMON_SYSFS_STR_RW(struct dsys_sample_filter, cpumask,
			   dsys_check_cpumask),
	DAMON_SYSFS_STR_RW(struct dsys_sample_filter, tid_arr, dsys_check_tids),
};

static const struct damon_sysfs_type dsys_sample_filter_type = {
	.files = dsys_sample_filter_files,
	.nr_files = ARRAY_SIZE(dsys_sample_filter_files),
	.data_size = sizeof(struct dsys_sample_filter),
};

static const struct damon_sysfs_file dsys_sample_filters_files[] = {
	DAMON_SYSFS_NR_FILE(nr_filters),
};

/* Most sample filters of a context. */
#define DSYS_SAMPLE_FILTERS_MAX	64

static const struct damon_sysfs_type dsys_sample_filters_type = {
	.files = dsys_sample_filters_files,
	.nr_files = ARRAY_SIZE(dsys_sample_filters_files),
	.kid_type = &dsys_sample_filter_type,
	.nr_max = DSYS_SAMPLE_FILTERS_MAX,
};

/* Filled by update_schemes_stats and by the periodic refresh. */
struct dsys_sample_stats {
	unsigned long pushed, dropped_full, dropped_nested, stale, filtered;
	unsigned long unmatched, matched;
};

static const struct damon_sysfs_file dsys_sample_stats_files[] = {
	DAMON_SYSFS_RO(DAMON_SYSFS_ULONG, struct dsys_sample_stats, pushed),
	DAMON_SYSFS_RO(DAMON_SYSFS_ULONG, struct dsys_sample_stats, dropped_full),
	DAMON_SYSFS_RO(DAMON_SYSFS_ULONG, struct dsys_sample_stats, dropped_nested),
	DAMON_SYSFS_RO(DAMON_SYSFS_ULONG, struct dsys_sample_stats, stale),
	DAMON_SYSFS_RO(DAMON_SYSFS_ULONG, struct dsys_sample_stats, filtered),
	DAMON_SYSFS_RO(DAMON_SYSFS_ULONG, struct dsys_sample_stats, unmatched),
	DAMON_SYSFS_RO(DAMON_SYSFS_ULONG, struct dsys_sample_stats, matched),
};

static const struct damon_sysfs_type dsys_sample_stats_type = {
	.files = dsys_sample_stats_files,
	.nr_files = ARRAY_SIZE(dsys_sample_stats_files),
	.data_size = sizeof(struct dsys_sample_stats),
};

#ifdef CONFIG_DAMON_PERF_EVENTS
/* monitoring_attrs/sample/perf_events/: fields of struct damon_perf_event */

struct dsys_perf_event {
	unsigned long type, config, config1, config2;
	unsigned long sample_phys_addr, sample_weight_struct, freq;
	unsigned long sample_freq, sample_period, wakeup_events, precise_ip;
	unsigned long exclude_kernel, exclude_hv;
};

static const struct damon_sysfs_file dsys_perf_event_files[] = {
	DAMON_SYSFS_RW(DAMON_SYSFS_HEX, struct dsys_perf_event, type, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_HEX, struct dsys_perf_event, config, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_HEX, struct dsys_perf_event, config1, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_HEX, struct dsys_perf_event, config2, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_BOOL01, struct dsys_perf_event,
		       sample_phys_addr, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_BOOL01, struct dsys_perf_event,
		       sample_weight_struct, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_BOOL01, struct dsys_perf_event, freq, 1),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_perf_event, sample_freq, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_perf_event,
		       sample_period, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_perf_event,
		       wakeup_events, 1),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_perf_event, precise_ip, 2),
	DAMON_SYSFS_RW(DAMON_SYSFS_BOOL01, struct dsys_perf_event,
		       exclude_kernel, 1),
	DAMON_SYSFS_RW(DAMON_SYSFS_BOOL01, struct dsys_perf_event, exclude_hv, 1),
};

static const struct damon_sysfs_type dsys_perf_event_type = {
	.files = dsys_perf_event_files,
	.nr_files = ARRAY_SIZE(dsys_perf_event_files),
	.data_size = sizeof(struct dsys_perf_event),
};

static const struct damon_sysfs_file dsys_perf_events_files[] = {
	DAMON_SYSFS_NR_FILE(nr_perf_events),
};

static const struct damon_sysfs_type dsys_perf_events_type = {
	.files = dsys_perf_events_files,
	.nr_files = ARRAY_SIZE(dsys_perf_events_files),
	.kid_type = &dsys_perf_event_type,
	.nr_max = DAMON_MAX_PERF_EVENTS,
};
#endif	/* CONFIG_DAMON_PERF_EVENTS */

enum {
	DSYS_SAMPLE_PRIMITIVES,
	DSYS_SAMPLE_FILTERS,
	DSYS_SAMPLE_STATS,
	DSYS_SAMPLE_PERF_EVENTS,	/* only with CONFIG_DAMON_PERF_EVENTS */
};

static const struct damon_sysfs_subdir dsys_sample_subdirs[] = {
	[DSYS_SAMPLE_PRIMITIVES] = { "primitives", &dsys_primitives_type },
	[DSYS_SAMPLE_FILTERS] = { "filters", &dsys_sample_filters_type },
	[DSYS_SAMPLE_STATS] = { "stats", &dsys_sample_stats_type },
#ifdef CONFIG_DAMON_PERF_EVENTS
	[DSYS_SAMPLE_PERF_EVENTS] = { "perf_events", &dsys_perf_events_type },
#endif
};

static const struct damon_sysfs_type dsys_sample_type = {
	.subdirs = dsys_sample_subdirs,
	.nr_subdirs = ARRAY_SIZE(dsys_sample_subdirs),
};

/* monitoring_attrs/probes/ */

/* Filter types a probe accepts, by their index in the type file. */
static const enum damos_filter_type dsys_probe_filter_types[] = {
	DAMOS_FILTER_TYPE_ANON,
	DAMOS_FILTER_TYPE_MEMCG,
};

static const char * const dsys_probe_filter_type_names[] = {
	"anon",
	"memcg",
	NULL,
};

struct dsys_probe_filter {
	unsigned long type, matching, allow;
	char *path;
};

static const struct damon_sysfs_file dsys_probe_filter_files[] = {
	DAMON_SYSFS_ENUM_RW(struct dsys_probe_filter, type,
			    dsys_probe_filter_type_names, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_BOOL, struct dsys_probe_filter, matching, 1),
	DAMON_SYSFS_RW(DAMON_SYSFS_BOOL, struct dsys_probe_filter, allow, 1),
	DAMON_SYSFS_RW(DAMON_SYSFS_STRING, struct dsys_probe_filter, path, 0),
};

static const struct damon_sysfs_type dsys_probe_filter_type = {
	.files = dsys_probe_filter_files,
	.nr_files = ARRAY_SIZE(dsys_probe_filter_files),
	.data_size = sizeof(struct dsys_probe_filter),
};

static const struct damon_sysfs_file dsys_probe_filters_files[] = {
	DAMON_SYSFS_NR_FILE(nr_filters),
};

static const struct damon_sysfs_type dsys_probe_filters_type = {
	.files = dsys_probe_filters_files,
	.nr_files = ARRAY_SIZE(dsys_probe_filters_files),
	.kid_type = &dsys_probe_filter_type,
	.nr_max = DAMON_PROBE_MAX_FILTERS,
};

struct dsys_probe {
	unsigned long weight;
};

static const struct damon_sysfs_file dsys_probe_files[] = {
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_probe, weight, 0),
};

enum { DSYS_PROBE_FILTERS };

static const struct damon_sysfs_subdir dsys_probe_subdirs[] = {
	[DSYS_PROBE_FILTERS] = { "filters", &dsys_probe_filters_type },
};

static const struct damon_sysfs_type dsys_probe_type = {
	.files = dsys_probe_files,
	.nr_files = ARRAY_SIZE(dsys_probe_files),
	.subdirs = dsys_probe_subdirs,
	.nr_subdirs = ARRAY_SIZE(dsys_probe_subdirs),
	.data_size = sizeof(struct dsys_probe),
};

static const struct damon_sysfs_file dsys_probes_files[] = {
	DAMON_SYSFS_NR_FILE(nr_probes),
};

static const struct damon_sysfs_type dsys_probes_type = {
	.files = dsys_probes_files,
	.nr_files = ARRAY_SIZE(dsys_probes_files),
	.kid_type = &dsys_probe_type,
	.nr_max = DAMON_MAX_PROBES,
};

enum { DSYS_ATTRS_INTERVALS, DSYS_ATTRS_NR_REGIONS, DSYS_ATTRS_SAMPLE,
	DSYS_ATTRS_PROBES };

static const struct damon_sysfs_subdir dsys_attrs_subdirs[] = {
	[DSYS_ATTRS_INTERVALS] = { "intervals", &dsys_intervals_type },
	[DSYS_ATTRS_NR_REGIONS] = { "nr_regions", &dsys_nr_regions_type },
	[DSYS_ATTRS_SAMPLE] = { "sample", &dsys_sample_type },
	[DSYS_ATTRS_PROBES] = { "probes", &dsys_probes_type },
};

static const struct damon_sysfs_type dsys_attrs_type = {
	.subdirs = dsys_attrs_subdirs,
	.nr_subdirs = ARRAY_SIZE(dsys_attrs_subdirs),
};

/* targets/ */

struct dsys_region {
	unsigned long start, end;
};

static const struct damon_sysfs_file dsys_region_files[] = {
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_region, start, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_region, end, 0),
};

static const struct damon_sysfs_type dsys_region_type = {
	.files = dsys_region_files,
	.nr_files = ARRAY_SIZE(dsys_region_files),
	.data_size = sizeof(struct dsys_region),
};

static const struct damon_sysfs_file dsys_regions_files[] = {
	DAMON_SYSFS_NR_FILE(nr_regions),
};

static const struct damon_sysfs_type dsys_regions_type = {
	.files = dsys_regions_files,
	.nr_files = ARRAY_SIZE(dsys_regions_files),
	.kid_type = &dsys_region_type,
	.nr_max = DAMON_SYSFS_NR_MAX,
};

struct dsys_target {
	long pid_target;
	unsigned long obsolete_target;
};

static const struct damon_sysfs_file dsys_target_files[] = {
	DAMON_SYSFS_RW(DAMON_SYSFS_INT, struct dsys_target, pid_target, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_BOOL, struct dsys_target, obsolete_target, 0),
};

enum { DSYS_TARGET_REGIONS };

static const struct damon_sysfs_subdir dsys_target_subdirs[] = {
	[DSYS_TARGET_REGIONS] = { "regions", &dsys_regions_type },
};

static const struct damon_sysfs_type dsys_target_type = {
	.files = dsys_target_files,
	.nr_files = ARRAY_SIZE(dsys_target_files),
	.subdirs = dsys_target_subdirs,
	.nr_subdirs = ARRAY_SIZE(dsys_target_subdirs),
	.data_size = sizeof(struct dsys_target),
};

static const struct damon_sysfs_file dsys_targets_files[] = {
	DAMON_SYSFS_NR_FILE(nr_targets),
};

static const struct damon_sysfs_type dsys_targets_type = {
	.files = dsys_targets_files,
	.nr_files = ARRAY_SIZE(dsys_targets_files),
	.kid_type = &dsys_target_type,
	.nr_max = DAMON_SYSFS_NR_MAX,
};

/* contexts/ */

static const char * const dsys_ops_names[] = {
	[DAMON_OPS_VADDR] = "vaddr",
	[DAMON_OPS_FVADDR] = "fvaddr",
	[DAMON_OPS_PADDR] = "paddr",
	[NR_DAMON_OPS] = NULL,
};

static ssize_t avail_operations_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	int id, len = 0;

	for (id = 0; id < NR_DAMON_OPS; id++)
		if (damon_is_registered_ops(id))
			len += sysfs_emit_at(buf, len, "%s\n",
					     dsys_ops_names[id]);
	return len;
}

struct dsys_context {
	unsigned long operations, addr_unit, pause;
};

static const struct damon_sysfs_file dsys_context_files[] = {
	DAMON_SYSFS_CUSTOM_FILE(avail_operations, 0400,
				avail_operations_show, NULL),
	DAMON_SYSFS_ENUM_RW(struct dsys_context, operations, dsys_ops_names,
			    DAMON_OPS_VADDR),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_context, addr_unit, 1),
	DAMON_SYSFS_RW(DAMON_SYSFS_BOOL, struct dsys_context, pause, 0),
};

enum { DSYS_CTX_ATTRS, DSYS_CTX_TARGETS, DSYS_CTX_SCHEMES };

static const struct damon_sysfs_subdir dsys_context_subdirs[] = {
	[DSYS_CTX_ATTRS] = { "monitoring_attrs", &dsys_attrs_type },
	[DSYS_CTX_TARGETS] = { "targets", &dsys_targets_type },
	[DSYS_CTX_SCHEMES] = { "schemes", &damon_sysfs_schemes_type },
};

static const struct damon_sysfs_type dsys_context_type = {
	.files = dsys_context_files,
	.nr_files = ARRAY_SIZE(dsys_context_files),
	.subdirs = dsys_context_subdirs,
	.nr_subdirs = ARRAY_SIZE(dsys_context_subdirs),
	.data_size = sizeof(struct dsys_context),
};

static const struct damon_sysfs_file dsys_contexts_files[] = {
	DAMON_SYSFS_NR_FILE(nr_contexts),
};

/* One context per kdamond. */
static const struct damon_sysfs_type dsys_contexts_type = {
	.files = dsys_contexts_files,
	.nr_files = ARRAY_SIZE(dsys_contexts_files),
	.kid_type = &dsys_context_type,
	.nr_max = 1,
};

/* kdamonds/ */

struct dsys_kdamond {
	unsigned long refresh_ms;
	struct damon_ctx *ctx;
	unsigned long next_refresh;	/* jiffies */
	struct damon_call_control refresh;
	/*
	 * A tried regions command waits for a walk of @ctx without holding
	 * damon_sysfs_lock: @ctx must stay, and so must this directory.
	 */
	bool walking;
};

static struct dsys_kdamond *dsys_kd(struct damon_sysfs_node *node)
{
	return node->data;
}

static bool dsys_kd_running(struct damon_sysfs_node *kd)
{
	bool running;

	mutex_lock(&damon_sysfs_ctx_lock);
	running = dsys_kd(kd)->ctx && damon_is_running(dsys_kd(kd)->ctx);
	mutex_unlock(&damon_sysfs_ctx_lock);
	return running;
}

static void dsys_kd_set_ctx(struct damon_sysfs_node *kd, struct damon_ctx *ctx)
{
	struct damon_ctx *old;

	mutex_lock(&damon_sysfs_ctx_lock);
	old = dsys_kd(kd)->ctx;
	dsys_kd(kd)->ctx = ctx;
	mutex_unlock(&damon_sysfs_ctx_lock);
	if (old)
		damon_destroy_ctx(old);
}

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	bool on = dsys_kd_running(damon_sysfs_kobj_to_node(kobj));

	return sysfs_emit(buf, "%s\n", on ? "on" : "off");
}

static ssize_t pid_show(struct kobject *kobj, struct kobj_attribute *attr,
			char *buf)
{
	struct dsys_kdamond *kd = dsys_kd(damon_sysfs_kobj_to_node(kobj));
	int pid = -1;

	mutex_lock(&damon_sysfs_ctx_lock);
	if (kd->ctx)
		pid = damon_kdamond_pid(kd->ctx);
	mutex_unlock(&damon_sysfs_ctx_lock);
	return sysfs_emit(buf, "%d\n", pid);
}

static ssize_t state_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count);

static const struct damon_sysfs_file dsys_kdamond_files[] = {
	DAMON_SYSFS_CUSTOM_FILE(state, 0600, state_show, state_store),
	DAMON_SYSFS_CUSTOM_FILE(pid, 0400, pid_show, NULL),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_kdamond, refresh_ms, 0),
};

enum { DSYS_KD_CONTEXTS };

static const struct damon_sysfs_subdir dsys_kdamond_subdirs[] = {
	[DSYS_KD_CONTEXTS] = { "contexts", &dsys_contexts_type },
};

static void dsys_kdamond_release(struct damon_sysfs_node *node)
{
	/* nr_kdamonds can't change while any kdamond runs */
	if (dsys_kd(node)->ctx)
		damon_destroy_ctx(dsys_kd(node)->ctx);
}

static const struct damon_sysfs_type dsys_kdamond_type = {
	.files = dsys_kdamond_files,
	.nr_files = ARRAY_SIZE(dsys_kdamond_files),
	.subdirs = dsys_kdamond_subdirs,
	.nr_subdirs = ARRAY_SIZE(dsys_kdamond_subdirs),
	.data_size = sizeof(struct dsys_kdamond),
	.release = dsys_kdamond_release,
};

static int dsys_kdamonds_busy(struct damon_sysfs_node *kdamonds)
{
	unsigned long i;

	for (i = 0; i < kdamonds->nr; i++)
		if (dsys_kd_running(kdamonds->kids[i]) ||
		    dsys_kd(kdamonds->kids[i])->walking)
			return -EBUSY;
	return 0;
}

static const struct damon_sysfs_file dsys_kdamonds_files[] = {
	DAMON_SYSFS_NR_FILE(nr_kdamonds),
};

static const struct damon_sysfs_type dsys_kdamonds_type = {
	.files = dsys_kdamonds_files,
	.nr_files = ARRAY_SIZE(dsys_kdamonds_files),
	.kid_type = &dsys_kdamond_type,
	.nr_max = DAMON_SYSFS_NR_MAX,
	.nr_busy = dsys_kdamonds_busy,
};

static const struct damon_sysfs_subdir dsys_admin_subdirs[] = {
	{ "kdamonds", &dsys_kdamonds_type },
};

static const struct damon_sysfs_type dsys_admin_type = {
	.subdirs = dsys_admin_subdirs,
	.nr_subdirs = ARRAY_SIZE(dsys_admin_subdirs),
};

static const struct damon_sysfs_subdir dsys_damon_subdirs[] = {
	{ "admin", &dsys_admin_type },
};

static const struct damon_sysfs_type dsys_damon_type = {
	.subdirs = dsys_damon_subdirs,
	.nr_subdirs = ARRAY_SIZE(dsys_damon_subdirs),
};

/* Translation of a context directory into a struct damon_ctx. */

/* The context directory of a kdamond directory, or NULL. */
static struct damon_sysfs_node *dsys_kd_context(struct damon_sysfs_node *kd)
{
	struct damon_sysfs_node *contexts = kd->subs[DSYS_KD_CONTEXTS];

	return contexts->nr ? contexts->kids[0] : NULL;
}

/**
 * damon_sysfs_ranges_nonempty() - Check user-given regions are not empty.
 * @ranges:	The regions.
 * @nr:		Number of entries of @ranges.
 *
 * damon_set_regions() refuses unsorted and overlapping ranges, but skips
 * empty ones; the sysfs ABI refuses those too.
 *
 * Return: true if every region has a start below its end.
 */
static bool damon_sysfs_ranges_nonempty(const struct damon_addr_range *ranges,
					unsigned long nr)
{
	unsigned long i;

	for (i = 0; i < nr; i++) {
		if (ranges[i].start >= ranges[i].end)
			return false;
	}
	return true;
}

static int dsys_set_regions(struct damon_ctx *ctx, struct damon_target *t,
			    struct damon_sysfs_node *regions)
{
	struct damon_addr_range *ranges;
	unsigned long i;
	int err = -EINVAL;

	if (!regions->nr) {
		if (!ctx->ops.default_regions)
			return 0;
		return ctx->ops.default_regions(ctx, t);
	}
	ranges = kmalloc_array(regions->nr, sizeof(*ranges), GFP_KERNEL);
	if (!ranges)
		return -ENOMEM;
	for (i = 0; i < regions->nr; i++) {
		struct dsys_region *r = regions->kids[i]->data;

		ranges[i].start = r->start;
		ranges[i].end = r->end;
	}
	if (damon_sysfs_ranges_nonempty(ranges, regions->nr))
		err = damon_set_regions(t, ranges, regions->nr,
					ctx->min_sz_region);
	kfree(ranges);
	return err;
}

static int dsys_add_targets(struct damon_ctx *ctx,
			    struct damon_sysfs_node *targets)
{
	unsigned long i;
	int err;

	for (i = 0; i < targets->nr; i++) {
		struct damon_sysfs_node *tnode = targets->kids[i];
		struct dsys_target *st = tnode->data;
		struct damon_target *t = damon_new_target();

		if (!t)
			return -ENOMEM;
		damon_add_target(ctx, t);
		t->obsolete = st->obsolete_target;
		if (damon_target_has_pid(ctx)) {
			if (st->pid_target <= 0)
				return -EINVAL;
			t->pid = find_get_pid(st->pid_target);
			if (!t->pid)
				return -EINVAL;
		}
		err = dsys_set_regions(ctx, t, tnode->subs[DSYS_TARGET_REGIONS]);
		if (err)
			return err;
	}
	return 0;
}

static int dsys_set_attrs(struct damon_ctx *ctx, struct damon_sysfs_node *an)
{
	struct damon_sysfs_node *in = an->subs[DSYS_ATTRS_INTERVALS];
	struct dsys_intervals *iv = in->data;
	struct dsys_intervals_goal *g = in->subs[DSYS_INTERVALS_GOAL]->data;
	struct dsys_nr_regions *nr = an->subs[DSYS_ATTRS_NR_REGIONS]->data;
	struct damon_attrs attrs = {
		.sample_interval = iv->sample_us,
		.aggr_interval = iv->aggr_us,
		.ops_update_interval = iv->update_us,
		.intervals_goal = {
			.access_bp = g->access_bp,
			.aggrs = g->aggrs,
			.min_sample_us = g->min_sample_us,
			.max_sample_us = g->max_sample_us,
		},
		.min_nr_regions = nr->min,
		.max_nr_regions = nr->max,
	};

	/* Validated, once, by the core. */
	return damon_set_attrs(ctx, &attrs);
}

static int dsys_set_sample_filter(struct damon_sample_filter *f,
				  struct dsys_sample_filter *sf)
{
	unsigned int nr_tids;
	pid_t *tids;
	char *buf;
	int err;

	if (f->type != DAMON_SAMPLE_FILTER_TYPE_CPUMASK &&
	    f->type != DAMON_SAMPLE_FILTER_TYPE_THREADS)
		return 0;
	buf = damon_sysfs_strdup(f->type == DAMON_SAMPLE_FILTER_TYPE_CPUMASK ?
				 &sf->cpumask : &sf->tid_arr);
	if (!buf)
		return -ENOMEM;
	if (f->type == DAMON_SAMPLE_FILTER_TYPE_CPUMASK) {
		err = dsys_parse_cpumask(buf, f->cpumask);
		goto out;
	}
	err = -ENOMEM;
	tids = kcalloc(DAMON_SAMPLE_FILTER_MAX_TIDS, sizeof(*tids), GFP_KERNEL);
	if (!tids)
		goto out;
	err = dsys_parse_tids(buf, tids, &nr_tids);
	if (!err)
		err = damon_sample_filter_set_tids(f, tids, nr_tids);
	kfree(tids);
out:
	kfree(buf);
	return err;
}

#ifdef CONFIG_DAMON_PERF_EVENTS
static int dsys_set_perf_events(struct damon_ctx *ctx,
				struct damon_sysfs_node *pn)
{
	struct damon_perf_event *events;
	unsigned long i;
	int err = -EINVAL;

	if (!pn->nr)
		return 0;
	events = kcalloc(pn->nr, sizeof(*events), GFP_KERNEL);
	if (!events)
		return -ENOMEM;
	for (i = 0; i < pn->nr; i++) {
		struct dsys_perf_event *pe = pn->kids[i]->data;
		struct damon_perf_event *e = &events[i];

		if (pe->type > U32_MAX || pe->wakeup_events > U32_MAX ||
		    pe->precise_ip > 3)
			goto out;
		e->type = pe->type;
		e->config = pe->config;
		e->config1 = pe->config1;
		e->config2 = pe->config2;
		e->sample_phys_addr = pe->sample_phys_addr;
		e->sample_weight_struct = pe->sample_weight_struct;
		e->freq = pe->freq;
		e->sample_freq = pe->sample_freq;
		e->sample_period = pe->sample_period;
		e->wakeup_events = pe->wakeup_events;
		e->precise_ip = pe->precise_ip;
		e->exclude_kernel = pe->exclude_kernel;
		e->exclude_hv = pe->exclude_hv;
	}
	err = damon_sample_set_perf_events(&ctx->sample, events, pn->nr);
out:
	kfree(events);
	return err;
}
#else
static int dsys_set_perf_events(struct damon_ctx *ctx,
				struct damon_sysfs_node *pn)
{
	return 0;
}
#endif	/* CONFIG_DAMON_PERF_EVENTS */

static int dsys_set_sample(struct damon_ctx *ctx, struct damon_sysfs_node *sn)
{
	struct dsys_primitives *p = sn->subs[DSYS_SAMPLE_PRIMITIVES]->data;
	struct damon_sysfs_node *filters = sn->subs[DSYS_SAMPLE_FILTERS];
	unsigned long i;
	int err;

	ctx->sample.primitives.page_table = p->page_table;
	ctx->sample.primitives.page_fault = p->page_fault;
	ctx->sample.primitives.perf_events = p->perf_events;
	if (IS_ENABLED(CONFIG_DAMON_PERF_EVENTS)) {
		err = dsys_set_perf_events(ctx,
					   sn->subs[DSYS_SAMPLE_PERF_EVENTS]);
		if (err)
			return err;
	}
	for (i = 0; i < filters->nr; i++) {
		struct dsys_sample_filter *sf = filters->kids[i]->data;
		struct damon_sample_filter *f;

		f = damon_new_sample_filter(sf->type, sf->matching, sf->allow);
		if (!f)
			return -ENOMEM;
		damon_add_sample_filter(&ctx->sample, f);
		err = dsys_set_sample_filter(f, sf);
		if (err)
			return err;
	}
	return 0;
}

/* The probes of probes/ directory @pn become those of @ctx. */
static int dsys_set_probes(struct damon_ctx *ctx, struct damon_sysfs_node *pn)
{
	unsigned long i, j;
	int err;

	for (i = 0; i < pn->nr; i++) {
		struct dsys_probe *sp = pn->kids[i]->data;
		struct damon_sysfs_node *fn = pn->kids[i]->subs[DSYS_PROBE_FILTERS];
		struct damon_probe *p;

		if (sp->weight > UINT_MAX)
			return -EINVAL;
		p = damon_new_probe(sp->weight);
		if (!p)
			return -ENOMEM;
		damon_add_probe(ctx, p);
		for (j = 0; j < fn->nr; j++) {
			struct dsys_probe_filter *sf = fn->kids[j]->data;
			struct damos_filter *f;

			f = damos_new_filter(dsys_probe_filter_types[sf->type],
					     sf->matching, sf->allow);
			if (!f)
				return -ENOMEM;
			damon_probe_add_filter(p, f);
			if (f->type != DAMOS_FILTER_TYPE_MEMCG)
				continue;
			/* A cgroup that does not exist is an invalid input. */
			err = damon_sysfs_memcg_id(&sf->path, &f->memcg_id);
			if (err)
				return err;
		}
	}
	return 0;
}

/*
 * Builds a context from context directory @cn; with @for_start, it also
 * requires what starting needs.  Called under damon_sysfs_lock.
 */
static struct damon_ctx *dsys_build_ctx(struct damon_sysfs_node *cn,
					bool for_start, int *errp)
{
	struct dsys_context *c = cn->data;
	struct damon_sysfs_node *targets = cn->subs[DSYS_CTX_TARGETS];
	struct damon_ctx *ctx;
	int err = -EINVAL;

	if (for_start && !targets->nr)
		goto out;
	if (!c->addr_unit)
		goto out;
	err = -ENOMEM;
	ctx = damon_new_ctx();
	if (!ctx)
		goto out;
	err = damon_select_ops(ctx, c->operations);
	if (err)
		goto destroy;
	err = -EINVAL;
	ctx->addr_unit = c->addr_unit;
	ctx->min_sz_region = max(DAMON_MIN_REGION / c->addr_unit, 1UL);
	if (!is_power_of_2(ctx->min_sz_region))
		goto destroy;
	ctx->pause = c->pause;
	err = dsys_set_attrs(ctx, cn->subs[DSYS_CTX_ATTRS]);
	if (err)
		goto destroy;
	err = dsys_set_sample(ctx, cn->subs[DSYS_CTX_ATTRS]->subs[DSYS_ATTRS_SAMPLE]);
	if (err)
		goto destroy;
	err = dsys_set_probes(ctx, cn->subs[DSYS_CTX_ATTRS]->subs[DSYS_ATTRS_PROBES]);
	if (err)
		goto destroy;
	err = dsys_add_targets(ctx, targets);
	if (err)
		goto destroy;
	err = damon_sysfs_add_schemes(ctx, cn->subs[DSYS_CTX_SCHEMES]);
	if (err)
		goto destroy;
	*errp = 0;
	return ctx;
destroy:
	damon_destroy_ctx(ctx);
out:
	*errp = err;
	return NULL;
}

/* Commands. */

/* Copies the access report counters of @ctx to its sample/stats/. */
static void dsys_update_sample_stats(struct damon_ctx *ctx,
				     struct damon_sysfs_node *cn)
{
	struct damon_sysfs_node *sn =
		cn->subs[DSYS_CTX_ATTRS]->subs[DSYS_ATTRS_SAMPLE];
	struct dsys_sample_stats *st = sn->subs[DSYS_SAMPLE_STATS]->data;
	struct damon_report_stat stat;

	damon_report_read_stat(ctx, &stat);
	WRITE_ONCE(st->pushed, stat.pushed);
	WRITE_ONCE(st->dropped_full, stat.dropped_full);
	WRITE_ONCE(st->dropped_nested, stat.dropped_nested);
	WRITE_ONCE(st->stale, stat.stale);
	WRITE_ONCE(st->filtered, stat.filtered);
	WRITE_ONCE(st->unmatched, stat.unmatched);
	WRITE_ONCE(st->matched, stat.matched);
}

/* Refreshes tuned intervals, stats and effective quotas of a context dir. */
static void dsys_refresh(struct damon_ctx *ctx, struct damon_sysfs_node *cn)
{
	struct damon_sysfs_node *in = cn->subs[DSYS_CTX_ATTRS]->subs[DSYS_ATTRS_INTERVALS];
	struct dsys_intervals *iv = in->data;

	WRITE_ONCE(iv->sample_us, ctx->attrs.sample_interval);
	WRITE_ONCE(iv->aggr_us, ctx->attrs.aggr_interval);
	damon_sysfs_schemes_update_stats(ctx, cn->subs[DSYS_CTX_SCHEMES]);
	damon_sysfs_schemes_update_esz(ctx, cn->subs[DSYS_CTX_SCHEMES]);
	dsys_update_sample_stats(ctx, cn);
}

/* Runs in the kdamond every sampling interval; refreshes per refresh_ms. */
static int dsys_refresh_fn(void *data)
{
	struct damon_sysfs_node *kdn = data;
	struct dsys_kdamond *kd = dsys_kd(kdn);
	unsigned long ms = READ_ONCE(kd->refresh_ms);
	struct damon_sysfs_node *cn;

	if (!ms || time_before(jiffies, kd->next_refresh))
		return 0;
	/* A command holding the lock may be waiting for this kdamond. */
	if (!mutex_trylock(&damon_sysfs_lock))
		return 0;
	cn = dsys_kd_context(kdn);
	if (cn && kd->ctx)
		dsys_refresh(kd->ctx, cn);
	kd->next_refresh = jiffies + msecs_to_jiffies(ms);
	mutex_unlock(&damon_sysfs_lock);
	return 0;
}

static int dsys_turn_on(struct damon_sysfs_node *kdn)
{
	struct dsys_kdamond *kd = dsys_kd(kdn);
	struct damon_sysfs_node *cn = dsys_kd_context(kdn);
	struct damon_ctx *ctx;
	int err;

	if (dsys_kd_running(kdn) || kd->walking)
		return -EBUSY;
	if (!cn)
		return -EINVAL;
	ctx = dsys_build_ctx(cn, true, &err);
	if (!ctx)
		return err;
	dsys_kd_set_ctx(kdn, ctx);
	err = damon_start(&ctx, 1, false);
	if (err) {
		dsys_kd_set_ctx(kdn, NULL);
		return err;
	}
	kd->next_refresh = jiffies;
	kd->refresh = (struct damon_call_control){
		.fn = dsys_refresh_fn,
		.data = kdn,
		.repeat = true,
	};
	damon_call(ctx, &kd->refresh);
	return 0;
}

/* Runs @fn(@arg) in the kdamond of @ctx; returns what @fn returned. */
static int dsys_call(struct damon_ctx *ctx, int (*fn)(void *data), void *arg)
{
	struct damon_call_control control = { .fn = fn, .data = arg };
	int err;

	err = damon_call(ctx, &control);
	return err ? err : control.return_code;
}

/* "commit": @src, built from the tree, becomes the running @dst. */
struct dsys_commit_arg {
	struct damon_ctx *dst, *src;
};

static int dsys_commit_fn(void *data)
{
	struct dsys_commit_arg *arg = data;

	return damon_commit_ctx(arg->dst, arg->src);
}

static int dsys_commit(struct damon_ctx *ctx, struct damon_sysfs_node *cn)
{
	struct dsys_commit_arg arg = { .dst = ctx };
	int err;

	arg.src = dsys_build_ctx(cn, false, &err);
	if (!arg.src)
		return err;
	err = dsys_call(ctx, dsys_commit_fn, &arg);
	damon_destroy_ctx(arg.src);
	return err;
}

/* The commands between the running @ctx and its schemes/ directory. */
struct dsys_schemes_arg {
	struct damon_ctx *ctx;
	struct damon_sysfs_node *schemes;
};

static int dsys_goals_fn(void *data)
{
	struct dsys_schemes_arg *arg = data;

	return damon_sysfs_commit_quota_goals(arg->ctx, arg->schemes);
}

static int dsys_stats_fn(void *data)
{
	struct dsys_schemes_arg *arg = data;

	damon_sysfs_schemes_update_stats(arg->ctx, arg->schemes);
	dsys_update_sample_stats(arg->ctx, arg->schemes->parent);
	return 0;
}

static int dsys_esz_fn(void *data)
{
	struct dsys_schemes_arg *arg = data;

	damon_sysfs_schemes_update_esz(arg->ctx, arg->schemes);
	return 0;
}

/* "update_tuned_intervals": the intervals of @ctx go to @iv. */
struct dsys_intervals_arg {
	struct damon_ctx *ctx;
	struct dsys_intervals *iv;
};

static int dsys_intervals_fn(void *data)
{
	struct dsys_intervals_arg *arg = data;

	WRITE_ONCE(arg->iv->sample_us, arg->ctx->attrs.sample_interval);
	WRITE_ONCE(arg->iv->aggr_us, arg->ctx->attrs.aggr_interval);
	return 0;
}

/*
 * Refreshes the tried_regions directories.  Called under damon_sysfs_lock,
 * which it drops while waiting for the walk: with long apply intervals that
 * takes long, and other commands, "off" first, must not wait for it.
 * Stopping the kdamond ends the walk.
 */
static int dsys_update_tried(struct damon_sysfs_node *kdn,
			     struct damon_sysfs_node *schemes, bool bytes_only)
{
	struct dsys_kdamond *kd = dsys_kd(kdn);
	struct damon_ctx *ctx = kd->ctx;
	struct damon_sysfs_tried_walk *w;
	struct damon_sysfs_node *cn;
	int err;

	w = damon_sysfs_tried_walk_new(ctx, schemes, bytes_only, &err);
	if (!w)
		return err;
	kd->walking = true;
	mutex_unlock(&damon_sysfs_lock);
	/*
	 * kd->walking keeps @ctx and this directory (thus the file being
	 * written) from being freed; relocking can't deadlock on a remover
	 * waiting for this write to end: nr_kdamonds refuses while walking.
	 * Still, relock by polling: a blocking mutex_lock() here, with the
	 * "state" file active, is the reverse of the order in which
	 * nr_kdamonds removes other kdamonds' "state" files under the lock,
	 * and lockdep, which sees one class for all of them, reports it.
	 */
	err = damon_sysfs_tried_walk(ctx, w);
	while (!mutex_trylock(&damon_sysfs_lock))
		usleep_range(500, 1000);
	kd->walking = false;
	cn = dsys_kd_context(kdn);
	schemes = cn ? cn->subs[DSYS_CTX_SCHEMES] : NULL;
	if (!err)
		err = damon_sysfs_tried_walk_fill(w, schemes);
	damon_sysfs_tried_walk_free(w);
	return err;
}

enum dsys_cmd {
	DSYS_CMD_ON,
	DSYS_CMD_OFF,
	DSYS_CMD_COMMIT,
	DSYS_CMD_COMMIT_GOALS,
	DSYS_CMD_UPDATE_STATS,
	DSYS_CMD_UPDATE_TRIED_REGIONS,
	DSYS_CMD_UPDATE_TRIED_BYTES,
	DSYS_CMD_CLEAR_TRIED_REGIONS,
	DSYS_CMD_UPDATE_ESZ,
	DSYS_CMD_UPDATE_INTERVALS,
	NR_DSYS_CMDS,
};

static const char * const dsys_cmd_names[] = {
	[DSYS_CMD_ON] = "on",
	[DSYS_CMD_OFF] = "off",
	[DSYS_CMD_COMMIT] = "commit",
	[DSYS_CMD_COMMIT_GOALS] = "commit_schemes_quota_goals",
	[DSYS_CMD_UPDATE_STATS] = "update_schemes_stats",
	[DSYS_CMD_UPDATE_TRIED_REGIONS] = "update_schemes_tried_regions",
	[DSYS_CMD_UPDATE_TRIED_BYTES] = "update_schemes_tried_bytes",
	[DSYS_CMD_CLEAR_TRIED_REGIONS] = "clear_schemes_tried_regions",
	[DSYS_CMD_UPDATE_ESZ] = "update_schemes_effective_quotas",
	[DSYS_CMD_UPDATE_INTERVALS] = "update_tuned_intervals",
};

/* Runs a command other than "on" on a running kdamond. */
static int dsys_running_cmd(struct damon_sysfs_node *kdn, enum dsys_cmd cmd)
{
	struct damon_ctx *ctx = dsys_kd(kdn)->ctx;
	struct damon_sysfs_node *cn = dsys_kd_context(kdn);
	struct dsys_schemes_arg sarg = { .ctx = ctx };
	struct dsys_intervals_arg iarg = { .ctx = ctx };

	if (!dsys_kd_running(kdn))
		return -EINVAL;
	if (cmd == DSYS_CMD_OFF)
		return damon_stop(&ctx, 1);
	/* The context directory is gone; nothing to read or fill. */
	if (!cn)
		return -EINVAL;
	sarg.schemes = cn->subs[DSYS_CTX_SCHEMES];
	iarg.iv = cn->subs[DSYS_CTX_ATTRS]->subs[DSYS_ATTRS_INTERVALS]->data;
	switch (cmd) {
	case DSYS_CMD_COMMIT:
		return dsys_commit(ctx, cn);
	case DSYS_CMD_COMMIT_GOALS:
		return dsys_call(ctx, dsys_goals_fn, &sarg);
	case DSYS_CMD_UPDATE_STATS:
		return dsys_call(ctx, dsys_stats_fn, &sarg);
	case DSYS_CMD_UPDATE_ESZ:
		return dsys_call(ctx, dsys_esz_fn, &sarg);
	case DSYS_CMD_UPDATE_INTERVALS:
		return dsys_call(ctx, dsys_intervals_fn, &iarg);
	case DSYS_CMD_UPDATE_TRIED_REGIONS:
	case DSYS_CMD_UPDATE_TRIED_BYTES:
		return dsys_update_tried(kdn, sarg.schemes,
					 cmd == DSYS_CMD_UPDATE_TRIED_BYTES);
	case DSYS_CMD_CLEAR_TRIED_REGIONS:
		damon_sysfs_schemes_clear_tried(sarg.schemes);
		return 0;
	default:
		return -EINVAL;
	}
}

static ssize_t state_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	struct damon_sysfs_node *kdn = damon_sysfs_kobj_to_node(kobj);
	int cmd, err;

	for (cmd = 0; cmd < NR_DSYS_CMDS; cmd++)
		if (sysfs_streq(buf, dsys_cmd_names[cmd]))
			break;
	if (cmd == NR_DSYS_CMDS)
		return -EINVAL;
	if (!damon_sysfs_trylock())
		return -EBUSY;
	if (cmd == DSYS_CMD_ON)
		err = dsys_turn_on(kdn);
	else
		err = dsys_running_cmd(kdn, cmd);
	mutex_unlock(&damon_sysfs_lock);
	return err ? err : count;
}

static struct damon_sysfs_node *damon_sysfs_root;

static int __init damon_sysfs_init(void)
{
	damon_sysfs_root = damon_sysfs_node_create(&dsys_damon_type, NULL,
						   mm_kobj, "damon");
	if (!damon_sysfs_root) {
		pr_err("failed to create the sysfs tree\n");
		return -ENOMEM;
	}
	return 0;
}
subsys_initcall(damon_sysfs_init);

#ifdef CONFIG_DAMON_KUNIT_TEST
#include "tests/sysfs-kunit.h"
#endif
