// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON sysfs interface: the schemes/ directory of a context.
 */

#include <linux/cgroup.h>
#include <linux/memcontrol.h>
#include <linux/numa.h>
#include <linux/slab.h>

#include "sysfs-schemes.h"

/* {min,max} pair used by the access pattern */

struct dsys_range {
	unsigned long min, max;
};

static const struct damon_sysfs_file dsys_range_files[] = {
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_range, min, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_range, max, 0),
};

static const struct damon_sysfs_type dsys_range_type = {
	.files = dsys_range_files,
	.nr_files = ARRAY_SIZE(dsys_range_files),
	.data_size = sizeof(struct dsys_range),
};

enum { DSYS_AP_SZ, DSYS_AP_NR_ACCESSES, DSYS_AP_AGE };

static const struct damon_sysfs_subdir dsys_pattern_subdirs[] = {
	[DSYS_AP_SZ] = { "sz", &dsys_range_type },
	[DSYS_AP_NR_ACCESSES] = { "nr_accesses", &dsys_range_type },
	[DSYS_AP_AGE] = { "age", &dsys_range_type },
};

static const struct damon_sysfs_type dsys_pattern_type = {
	.subdirs = dsys_pattern_subdirs,
	.nr_subdirs = ARRAY_SIZE(dsys_pattern_subdirs),
};

/* quotas/ */

struct dsys_weights {
	unsigned long sz_permil, nr_accesses_permil, age_permil;
};

static const struct damon_sysfs_file dsys_weights_files[] = {
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_weights, sz_permil, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_weights, nr_accesses_permil, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_weights, age_permil, 0),
};

static const struct damon_sysfs_type dsys_weights_type = {
	.files = dsys_weights_files,
	.nr_files = ARRAY_SIZE(dsys_weights_files),
	.data_size = sizeof(struct dsys_weights),
};

static const char * const dsys_metric_names[] = {
	[DAMOS_QUOTA_USER_INPUT] = "user_input",
	[DAMOS_QUOTA_SOME_MEM_PSI_US] = "some_mem_psi_us",
	[DAMOS_QUOTA_NODE_MEM_USED_BP] = "node_mem_used_bp",
	[DAMOS_QUOTA_NODE_MEM_FREE_BP] = "node_mem_free_bp",
	[DAMOS_QUOTA_NODE_MEMCG_USED_BP] = "node_memcg_used_bp",
	[DAMOS_QUOTA_NODE_MEMCG_FREE_BP] = "node_memcg_free_bp",
	[DAMOS_QUOTA_ACTIVE_MEM_BP] = "active_mem_bp",
	[DAMOS_QUOTA_INACTIVE_MEM_BP] = "inactive_mem_bp",
	[DAMOS_QUOTA_NODE_ELIGIBLE_MEM_BP] = "node_eligible_mem_bp",
	[NR_DAMOS_QUOTA_GOAL_METRICS] = NULL,
};

struct dsys_goal {
	unsigned long target_metric, target_value, current_value;
	long nid;
	char *path;
};

static const struct damon_sysfs_file dsys_goal_files[] = {
	DAMON_SYSFS_ENUM_RW(struct dsys_goal, target_metric, dsys_metric_names,
			    DAMOS_QUOTA_USER_INPUT),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_goal, target_value, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_goal, current_value, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_INT, struct dsys_goal, nid, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_STRING, struct dsys_goal, path, 0),
};

static const struct damon_sysfs_type dsys_goal_type = {
	.files = dsys_goal_files,
	.nr_files = ARRAY_SIZE(dsys_goal_files),
	.data_size = sizeof(struct dsys_goal),
};

static const struct damon_sysfs_file dsys_goals_files[] = {
	DAMON_SYSFS_NR_FILE(nr_goals),
};

static const struct damon_sysfs_type dsys_goals_type = {
	.files = dsys_goals_files,
	.nr_files = ARRAY_SIZE(dsys_goals_files),
	.kid_type = &dsys_goal_type,
	.nr_max = DAMON_SYSFS_NR_MAX,
};

static const char * const dsys_tuner_names[] = {
	[DAMOS_QUOTA_GOAL_TUNER_CONSIST] = "consist",
	[DAMOS_QUOTA_GOAL_TUNER_TEMPORAL] = "temporal",
	[NR_DAMOS_QUOTA_GOAL_TUNERS] = NULL,
};

struct dsys_quotas {
	unsigned long ms, bytes, reset_interval_ms, effective_bytes;
	unsigned long goal_tuner, fail_charge_num, fail_charge_denom;
};

static const struct damon_sysfs_file dsys_quotas_files[] = {
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_quotas, ms, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_quotas, bytes, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_quotas, reset_interval_ms, 0),
	DAMON_SYSFS_RO(DAMON_SYSFS_ULONG, struct dsys_quotas, effective_bytes),
	DAMON_SYSFS_ENUM_RW(struct dsys_quotas, goal_tuner, dsys_tuner_names,
			    DAMOS_QUOTA_GOAL_TUNER_CONSIST),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_quotas, fail_charge_num, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_quotas, fail_charge_denom, 0),
};

enum { DSYS_QUOTAS_WEIGHTS, DSYS_QUOTAS_GOALS };

static const struct damon_sysfs_subdir dsys_quotas_subdirs[] = {
	[DSYS_QUOTAS_WEIGHTS] = { "weights", &dsys_weights_type },
	[DSYS_QUOTAS_GOALS] = { "goals", &dsys_goals_type },
};

static const struct damon_sysfs_type dsys_quotas_type = {
	.files = dsys_quotas_files,
	.nr_files = ARRAY_SIZE(dsys_quotas_files),
	.subdirs = dsys_quotas_subdirs,
	.nr_subdirs = ARRAY_SIZE(dsys_quotas_subdirs),
	.data_size = sizeof(struct dsys_quotas),
};

/* watermarks/ */

static const char * const dsys_wmark_names[] = {
	[DAMOS_WMARK_NONE] = "none",
	[DAMOS_WMARK_FREE_MEM_RATE] = "free_mem_rate",
	[NR_DAMOS_WMARK_METRICS] = NULL,
};

struct dsys_wmarks {
	unsigned long metric, interval_us, high, mid, low;
};

static const struct damon_sysfs_file dsys_wmarks_files[] = {
	DAMON_SYSFS_ENUM_RW(struct dsys_wmarks, metric, dsys_wmark_names,
			    DAMOS_WMARK_NONE),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_wmarks, interval_us, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_wmarks, high, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_wmarks, mid, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_wmarks, low, 0),
};

static const struct damon_sysfs_type dsys_wmarks_type = {
	.files = dsys_wmarks_files,
	.nr_files = ARRAY_SIZE(dsys_wmarks_files),
	.data_size = sizeof(struct dsys_wmarks),
};

/* filters/, core_filters/, ops_filters/ */

static const char * const dsys_filter_names[] = {
	[DAMOS_FILTER_TYPE_ANON] = "anon",
	[DAMOS_FILTER_TYPE_ACTIVE] = "active",
	[DAMOS_FILTER_TYPE_MEMCG] = "memcg",
	[DAMOS_FILTER_TYPE_YOUNG] = "young",
	[DAMOS_FILTER_TYPE_HUGEPAGE_SIZE] = "hugepage_size",
	[DAMOS_FILTER_TYPE_UNMAPPED] = "unmapped",
	[DAMOS_FILTER_TYPE_ADDR] = "addr",
	[DAMOS_FILTER_TYPE_TARGET] = "target",
	[NR_DAMOS_FILTER_TYPES] = NULL,
};

struct dsys_filter {
	unsigned long type, matching, allow;
	char *memcg_path;
	unsigned long addr_start, addr_end, damon_target_idx, min, max;
};

static const struct damon_sysfs_file dsys_filter_files[] = {
	DAMON_SYSFS_ENUM_RW(struct dsys_filter, type, dsys_filter_names,
			    DAMOS_FILTER_TYPE_ANON),
	DAMON_SYSFS_RW(DAMON_SYSFS_BOOL, struct dsys_filter, matching, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_BOOL, struct dsys_filter, allow, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_STRING, struct dsys_filter, memcg_path, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_filter, addr_start, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_filter, addr_end, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_filter, damon_target_idx, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_filter, min, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_filter, max, 0),
};

static const struct damon_sysfs_type dsys_filter_type = {
	.files = dsys_filter_files,
	.nr_files = ARRAY_SIZE(dsys_filter_files),
	.data_size = sizeof(struct dsys_filter),
};

static const struct damon_sysfs_file dsys_filters_files[] = {
	DAMON_SYSFS_NR_FILE(nr_filters),
};

static const struct damon_sysfs_type dsys_filters_type = {
	.files = dsys_filters_files,
	.nr_files = ARRAY_SIZE(dsys_filters_files),
	.kid_type = &dsys_filter_type,
	.nr_max = DAMON_SYSFS_NR_MAX,
};

/* dests/ */

struct dsys_dest {
	unsigned long id, weight;
};

static const struct damon_sysfs_file dsys_dest_files[] = {
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_dest, id, 0),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_dest, weight, 0),
};

static const struct damon_sysfs_type dsys_dest_type = {
	.files = dsys_dest_files,
	.nr_files = ARRAY_SIZE(dsys_dest_files),
	.data_size = sizeof(struct dsys_dest),
};

static const struct damon_sysfs_file dsys_dests_files[] = {
	DAMON_SYSFS_NR_FILE(nr_dests),
};

static const struct damon_sysfs_type dsys_dests_type = {
	.files = dsys_dests_files,
	.nr_files = ARRAY_SIZE(dsys_dests_files),
	.kid_type = &dsys_dest_type,
	.nr_max = MAX_NUMNODES,
};

/* stats/ */

struct dsys_stats {
	unsigned long nr_tried, sz_tried, nr_applied, sz_applied;
	unsigned long sz_ops_filter_passed, qt_exceeds, nr_snapshots;
	unsigned long max_nr_snapshots;
};

static const struct damon_sysfs_file dsys_stats_files[] = {
	DAMON_SYSFS_RO(DAMON_SYSFS_ULONG, struct dsys_stats, nr_tried),
	DAMON_SYSFS_RO(DAMON_SYSFS_ULONG, struct dsys_stats, sz_tried),
	DAMON_SYSFS_RO(DAMON_SYSFS_ULONG, struct dsys_stats, nr_applied),
	DAMON_SYSFS_RO(DAMON_SYSFS_ULONG, struct dsys_stats, sz_applied),
	DAMON_SYSFS_RO(DAMON_SYSFS_ULONG, struct dsys_stats, sz_ops_filter_passed),
	DAMON_SYSFS_RO(DAMON_SYSFS_ULONG, struct dsys_stats, qt_exceeds),
	DAMON_SYSFS_RO(DAMON_SYSFS_ULONG, struct dsys_stats, nr_snapshots),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_stats, max_nr_snapshots, 0),
};

static const struct damon_sysfs_type dsys_stats_type = {
	.files = dsys_stats_files,
	.nr_files = ARRAY_SIZE(dsys_stats_files),
	.data_size = sizeof(struct dsys_stats),
};

/* tried_regions/ */

struct dsys_tried_region {
	unsigned long start, end, nr_accesses, age, sz_filter_passed;
	/* Hits of each probe of the context, for probes/P/hits. */
	unsigned long nr_probes;
	unsigned long probe_hits[DAMON_MAX_PROBES];
};

/* tried_regions/R/probes/P/ */
struct dsys_tried_probe {
	unsigned long hits;
};

static const struct damon_sysfs_file dsys_tried_probe_files[] = {
	DAMON_SYSFS_RO(DAMON_SYSFS_ULONG, struct dsys_tried_probe, hits),
};

static const struct damon_sysfs_type dsys_tried_probe_type = {
	.files = dsys_tried_probe_files,
	.nr_files = ARRAY_SIZE(dsys_tried_probe_files),
	.data_size = sizeof(struct dsys_tried_probe),
};

/* Numbered by the kernel, as many as the context has probes. */
static const struct damon_sysfs_type dsys_tried_probes_type = {
	.kid_type = &dsys_tried_probe_type,
};

enum { DSYS_TRIED_REGION_PROBES };

static const struct damon_sysfs_subdir dsys_tried_region_subdirs[] = {
	[DSYS_TRIED_REGION_PROBES] = { "probes", &dsys_tried_probes_type },
};

static const struct damon_sysfs_file dsys_tried_region_files[] = {
	DAMON_SYSFS_RO(DAMON_SYSFS_ULONG, struct dsys_tried_region, start),
	DAMON_SYSFS_RO(DAMON_SYSFS_ULONG, struct dsys_tried_region, end),
	DAMON_SYSFS_RO(DAMON_SYSFS_ULONG, struct dsys_tried_region, nr_accesses),
	DAMON_SYSFS_RO(DAMON_SYSFS_ULONG, struct dsys_tried_region, age),
	DAMON_SYSFS_RO(DAMON_SYSFS_ULONG, struct dsys_tried_region, sz_filter_passed),
};

static const struct damon_sysfs_type dsys_tried_region_type = {
	.files = dsys_tried_region_files,
	.nr_files = ARRAY_SIZE(dsys_tried_region_files),
	.subdirs = dsys_tried_region_subdirs,
	.nr_subdirs = ARRAY_SIZE(dsys_tried_region_subdirs),
	.data_size = sizeof(struct dsys_tried_region),
};

struct dsys_tried {
	unsigned long total_bytes;
};

static const struct damon_sysfs_file dsys_tried_files[] = {
	DAMON_SYSFS_RO(DAMON_SYSFS_ULONG, struct dsys_tried, total_bytes),
};

/* The numbered children are made by the kernel only: no nr_* file. */
static const struct damon_sysfs_type dsys_tried_type = {
	.files = dsys_tried_files,
	.nr_files = ARRAY_SIZE(dsys_tried_files),
	.kid_type = &dsys_tried_region_type,
	.data_size = sizeof(struct dsys_tried),
};

/* schemes/N/ */

static const char * const dsys_action_names[] = {
	[DAMOS_WILLNEED] = "willneed",
	[DAMOS_COLD] = "cold",
	[DAMOS_PAGEOUT] = "pageout",
	[DAMOS_HUGEPAGE] = "hugepage",
	[DAMOS_NOHUGEPAGE] = "nohugepage",
	[DAMOS_COLLAPSE] = "collapse",
	[DAMOS_LRU_PRIO] = "lru_prio",
	[DAMOS_LRU_DEPRIO] = "lru_deprio",
	[DAMOS_MIGRATE_HOT] = "migrate_hot",
	[DAMOS_MIGRATE_COLD] = "migrate_cold",
	[DAMOS_STAT] = "stat",
	[NR_DAMOS_ACTIONS] = NULL,
};

struct dsys_scheme {
	unsigned long action;
	long target_nid;
	unsigned long apply_interval_us;
};

static const struct damon_sysfs_file dsys_scheme_files[] = {
	DAMON_SYSFS_ENUM_RW(struct dsys_scheme, action, dsys_action_names,
			    DAMOS_STAT),
	DAMON_SYSFS_RW(DAMON_SYSFS_INT, struct dsys_scheme, target_nid,
		       NUMA_NO_NODE),
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dsys_scheme, apply_interval_us, 0),
};

enum {
	DSYS_S_PATTERN,
	DSYS_S_QUOTAS,
	DSYS_S_WMARKS,
	DSYS_S_FILTERS,
	DSYS_S_CORE_FILTERS,
	DSYS_S_OPS_FILTERS,
	DSYS_S_DESTS,
	DSYS_S_STATS,
	DSYS_S_TRIED,
};

static const struct damon_sysfs_subdir dsys_scheme_subdirs[] = {
	[DSYS_S_PATTERN] = { "access_pattern", &dsys_pattern_type },
	[DSYS_S_QUOTAS] = { "quotas", &dsys_quotas_type },
	[DSYS_S_WMARKS] = { "watermarks", &dsys_wmarks_type },
	[DSYS_S_FILTERS] = { "filters", &dsys_filters_type },
	[DSYS_S_CORE_FILTERS] = { "core_filters", &dsys_filters_type },
	[DSYS_S_OPS_FILTERS] = { "ops_filters", &dsys_filters_type },
	[DSYS_S_DESTS] = { "dests", &dsys_dests_type },
	[DSYS_S_STATS] = { "stats", &dsys_stats_type },
	[DSYS_S_TRIED] = { "tried_regions", &dsys_tried_type },
};

static const struct damon_sysfs_type dsys_scheme_type = {
	.files = dsys_scheme_files,
	.nr_files = ARRAY_SIZE(dsys_scheme_files),
	.subdirs = dsys_scheme_subdirs,
	.nr_subdirs = ARRAY_SIZE(dsys_scheme_subdirs),
	.data_size = sizeof(struct dsys_scheme),
};

static const struct damon_sysfs_file dsys_schemes_files[] = {
	DAMON_SYSFS_NR_FILE(nr_schemes),
};

const struct damon_sysfs_type damon_sysfs_schemes_type = {
	.files = dsys_schemes_files,
	.nr_files = ARRAY_SIZE(dsys_schemes_files),
	.kid_type = &dsys_scheme_type,
	.nr_max = DAMON_SYSFS_NR_MAX,
};

/* Translation into struct damos. */

static void *sub_data(struct damon_sysfs_node *node, int idx)
{
	return node->subs[idx]->data;
}

/* Cgroup id of the memory cgroup at @slot's path, for memcg filters/goals. */
static int dsys_memcg_id(char * const *slot, unsigned short *id)
{
#ifdef CONFIG_MEMCG
	struct cgroup_subsys_state *css;
	struct cgroup *cgrp;
	char *path;
	int err = -EINVAL;

	path = damon_sysfs_strdup(slot);
	if (!path)
		return -ENOMEM;
	if (!*path)
		goto out;
	cgrp = cgroup_get_from_path(path);
	if (IS_ERR(cgrp))
		goto out;
	css = cgroup_get_e_css(cgrp, &memory_cgrp_subsys);
	if (css) {
		*id = mem_cgroup_id(mem_cgroup_from_css(css));
		css_put(css);
		err = 0;
	}
	cgroup_put(cgrp);
out:
	kfree(path);
	return err;
#else
	return -EINVAL;
#endif
}

static int dsys_uint(unsigned long v, unsigned int *out)
{
	if (v > UINT_MAX)
		return -EINVAL;
	*out = v;
	return 0;
}

static int dsys_build_pattern(struct damon_sysfs_node *pn,
			      struct damos_access_pattern *p)
{
	struct dsys_range *sz = sub_data(pn, DSYS_AP_SZ);
	struct dsys_range *nr = sub_data(pn, DSYS_AP_NR_ACCESSES);
	struct dsys_range *age = sub_data(pn, DSYS_AP_AGE);

	/*
	 * The core checks the ranges (damos_validate_schemes()), but only
	 * after the clamping below, which may make an inverted range equal.
	 */
	if (nr->min > nr->max || age->min > age->max)
		return -EINVAL;
	/* Frequencies and ages beyond UINT_MAX mean "no upper limit". */
	*p = (struct damos_access_pattern){
		.min_sz_region = sz->min,
		.max_sz_region = sz->max,
		.min_nr_accesses = min_t(unsigned long, nr->min, UINT_MAX),
		.max_nr_accesses = min_t(unsigned long, nr->max, UINT_MAX),
		.min_age_region = min_t(unsigned long, age->min, UINT_MAX),
		.max_age_region = min_t(unsigned long, age->max, UINT_MAX),
	};
	return 0;
}

static int dsys_build_quota(struct damon_sysfs_node *qn, struct damos_quota *q)
{
	struct dsys_quotas *sq = qn->data;
	struct dsys_weights *w = sub_data(qn, DSYS_QUOTAS_WEIGHTS);

	memset(q, 0, sizeof(*q));
	INIT_LIST_HEAD(&q->goals);
	q->reset_interval = sq->reset_interval_ms;
	q->ms = sq->ms;
	q->sz = sq->bytes;
	q->goal_tuner = sq->goal_tuner;
	if (dsys_uint(w->sz_permil, &q->weight_sz) ||
	    dsys_uint(w->nr_accesses_permil, &q->weight_nr_accesses) ||
	    dsys_uint(w->age_permil, &q->weight_age) ||
	    dsys_uint(sq->fail_charge_num, &q->fail_charge_num) ||
	    dsys_uint(sq->fail_charge_denom, &q->fail_charge_denom))
		return -EINVAL;
	return 0;
}

/* Adds the goals of goals directory @gn to @q. */
static int dsys_add_goals(struct damos_quota *q, struct damon_sysfs_node *gn)
{
	unsigned long i;
	int err;

	for (i = 0; i < gn->nr; i++) {
		struct dsys_goal *sg = gn->kids[i]->data;
		struct damos_quota_goal *g;

		g = damos_new_quota_goal(sg->target_metric, sg->target_value);
		if (!g)
			return -ENOMEM;
		damos_add_quota_goal(q, g);
		g->current_value = sg->current_value;
		g->nid = sg->nid;
		switch (sg->target_metric) {
		case DAMOS_QUOTA_NODE_MEMCG_USED_BP:
		case DAMOS_QUOTA_NODE_MEMCG_FREE_BP:
			err = dsys_memcg_id(&sg->path, &g->memcg_id);
			if (err)
				return err;
			fallthrough;
		case DAMOS_QUOTA_NODE_MEM_USED_BP:
		case DAMOS_QUOTA_NODE_MEM_FREE_BP:
		case DAMOS_QUOTA_NODE_ELIGIBLE_MEM_BP:
			if (sg->nid < 0 || sg->nid >= MAX_NUMNODES)
				return -EINVAL;
			break;
		default:
			break;
		}
	}
	return 0;
}

static void dsys_free_goals(struct damos_quota *q)
{
	struct damos_quota_goal *g, *next;

	damos_for_each_quota_goal_safe(g, next, q)
		damos_destroy_quota_goal(g);
}

/*
 * Adds the filters of filters directory @fn to @s.  @layer is 0 for the
 * legacy directory (any type), 1 for core_filters, 2 for ops_filters.
 */
static int dsys_add_filters(struct damos *s, struct damon_sysfs_node *fn,
			    int layer)
{
	unsigned long i;
	int err;

	for (i = 0; i < fn->nr; i++) {
		struct dsys_filter *sf = fn->kids[i]->data;
		bool for_ops = damos_filter_for_ops(sf->type);
		struct damos_filter *f;

		if ((layer == 1 && for_ops) || (layer == 2 && !for_ops))
			return -EINVAL;
		f = damos_new_filter(sf->type, sf->matching, sf->allow);
		if (!f)
			return -ENOMEM;
		/* added first: destroying the scheme frees it on errors */
		damos_add_filter(s, f);
		switch (sf->type) {
		case DAMOS_FILTER_TYPE_MEMCG:
			err = dsys_memcg_id(&sf->memcg_path, &f->memcg_id);
			break;
		/* Inverted ranges are refused by damos_validate_schemes(). */
		case DAMOS_FILTER_TYPE_ADDR:
			err = 0;
			f->addr_range.start = sf->addr_start;
			f->addr_range.end = sf->addr_end;
			break;
		case DAMOS_FILTER_TYPE_TARGET:
			err = sf->damon_target_idx > INT_MAX ? -EINVAL : 0;
			f->target_idx = sf->damon_target_idx;
			break;
		case DAMOS_FILTER_TYPE_HUGEPAGE_SIZE:
			err = 0;
			f->sz_range.min = sf->min;
			f->sz_range.max = sf->max;
			break;
		default:
			err = 0;
			break;
		}
		if (err)
			return err;
	}
	return 0;
}

static int dsys_set_dests(struct damos *s, struct damon_sysfs_node *dn)
{
	unsigned int *ids, *weights;
	unsigned long i;
	int err = -ENOMEM;

	if (!dn->nr)
		return 0;
	ids = kmalloc_array(dn->nr, sizeof(*ids), GFP_KERNEL);
	weights = kmalloc_array(dn->nr, sizeof(*weights), GFP_KERNEL);
	if (!ids || !weights)
		goto out;
	err = -EINVAL;
	for (i = 0; i < dn->nr; i++) {
		struct dsys_dest *d = dn->kids[i]->data;

		if (d->id >= MAX_NUMNODES || dsys_uint(d->weight, &weights[i]))
			goto out;
		ids[i] = d->id;
	}
	err = damos_set_migrate_dests(&s->migrate_dests, ids, weights, dn->nr);
out:
	kfree(ids);
	kfree(weights);
	return err;
}

static struct damos *dsys_build_scheme(struct damon_sysfs_node *sn, int *errp)
{
	struct dsys_scheme *ss = sn->data;
	struct dsys_wmarks *sw = sub_data(sn, DSYS_S_WMARKS);
	struct dsys_stats *st = sub_data(sn, DSYS_S_STATS);
	struct damos_watermarks wmarks = {
		.metric = sw->metric,
		.interval = sw->interval_us,
		.high = sw->high,
		.mid = sw->mid,
		.low = sw->low,
	};
	struct damos_access_pattern pattern;
	struct damos_quota quota;
	struct damos *s;
	int err;

	/* The watermarks are checked by the core (damos_validate_schemes()). */
	err = dsys_build_pattern(sn->subs[DSYS_S_PATTERN], &pattern);
	if (!err)
		err = dsys_build_quota(sn->subs[DSYS_S_QUOTAS], &quota);
	if (err) {
		*errp = err;
		return NULL;
	}
	s = damon_new_scheme(&pattern, ss->action, ss->apply_interval_us,
			     &quota, &wmarks, ss->target_nid);
	if (!s) {
		*errp = -ENOMEM;
		return NULL;
	}
	s->max_nr_snapshots = st->max_nr_snapshots;
	err = dsys_add_goals(&s->quota, sn->subs[DSYS_S_QUOTAS]->subs[DSYS_QUOTAS_GOALS]);
	if (!err)
		err = dsys_add_filters(s, sn->subs[DSYS_S_FILTERS], 0);
	if (!err)
		err = dsys_add_filters(s, sn->subs[DSYS_S_CORE_FILTERS], 1);
	if (!err)
		err = dsys_add_filters(s, sn->subs[DSYS_S_OPS_FILTERS], 2);
	if (!err)
		err = dsys_set_dests(s, sn->subs[DSYS_S_DESTS]);
	if (err) {
		damon_destroy_scheme(s);
		s = NULL;
	}
	*errp = err;
	return s;
}

/**
 * damon_sysfs_add_schemes() - Add the schemes of a schemes directory.
 * @ctx:	Context to add the schemes to.
 * @schemes:	The schemes/ directory.
 *
 * Return: 0 on success, a negative error code if a value is invalid or
 * memory runs out.
 */
int damon_sysfs_add_schemes(struct damon_ctx *ctx,
			    struct damon_sysfs_node *schemes)
{
	unsigned long i;
	int err;

	for (i = 0; i < schemes->nr; i++) {
		struct damos *s = dsys_build_scheme(schemes->kids[i], &err);

		if (!s)
			return err;
		damon_add_scheme(ctx, s);
	}
	return 0;
}

/**
 * damon_sysfs_commit_quota_goals() - Install the quota goals of the tree.
 * @ctx:	The running context; called from its kdamond.
 * @schemes:	The schemes/ directory of its context directory.
 *
 * Goals of scheme directory N replace those of the N-th scheme of @ctx.
 * Nothing is changed if any goal is invalid.
 *
 * Return: 0 on success, a negative error code otherwise.
 */
int damon_sysfs_commit_quota_goals(struct damon_ctx *ctx,
				   struct damon_sysfs_node *schemes)
{
	struct damos_quota *quotas;
	unsigned long i, nr = schemes->nr;
	struct damos *s;
	int err = 0;

	/* Up to DAMON_SYSFS_NR_MAX schemes: more than kmalloc() can give. */
	quotas = kvcalloc(nr, sizeof(*quotas), GFP_KERNEL);
	if (!quotas && nr)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		struct damon_sysfs_node *qn = schemes->kids[i]->subs[DSYS_S_QUOTAS];

		INIT_LIST_HEAD(&quotas[i].goals);
		if (!err)
			err = dsys_add_goals(&quotas[i], qn->subs[DSYS_QUOTAS_GOALS]);
	}
	i = 0;
	damon_for_each_scheme(s, ctx) {
		if (err || i >= nr)
			break;
		err = damos_commit_quota_goals(&s->quota, &quotas[i++]);
	}
	for (i = 0; i < nr; i++)
		dsys_free_goals(&quotas[i]);
	kvfree(quotas);
	return err;
}

/**
 * damon_sysfs_schemes_update_stats() - Copy scheme stats into the tree.
 * @ctx:	The context; called from its kdamond.
 * @schemes:	The schemes/ directory of its context directory.
 */
void damon_sysfs_schemes_update_stats(struct damon_ctx *ctx,
				      struct damon_sysfs_node *schemes)
{
	unsigned long i = 0;
	struct damos *s;

	damon_for_each_scheme(s, ctx) {
		struct dsys_stats *st;

		if (i >= schemes->nr)
			break;
		st = sub_data(schemes->kids[i++], DSYS_S_STATS);
		WRITE_ONCE(st->nr_tried, s->stat.nr_tried);
		WRITE_ONCE(st->sz_tried, s->stat.sz_tried);
		WRITE_ONCE(st->nr_applied, s->stat.nr_applied);
		WRITE_ONCE(st->sz_applied, s->stat.sz_applied);
		WRITE_ONCE(st->sz_ops_filter_passed, s->stat.sz_ops_filter_passed);
		WRITE_ONCE(st->qt_exceeds, s->stat.qt_exceeds);
		WRITE_ONCE(st->nr_snapshots, s->stat.nr_snapshots);
	}
}

/**
 * damon_sysfs_schemes_update_esz() - Copy effective size quotas into the tree.
 * @ctx:	The context; called from its kdamond.
 * @schemes:	The schemes/ directory of its context directory.
 */
void damon_sysfs_schemes_update_esz(struct damon_ctx *ctx,
				    struct damon_sysfs_node *schemes)
{
	unsigned long i = 0;
	struct damos *s;

	damon_for_each_scheme(s, ctx) {
		struct dsys_quotas *q;

		if (i >= schemes->nr)
			break;
		q = sub_data(schemes->kids[i++], DSYS_S_QUOTAS);
		WRITE_ONCE(q->effective_bytes, s->quota.esz);
	}
}

/* Regions a scheme was tried on, collected by the walk. */
struct dsys_tried_buf {
	struct dsys_tried_region *regions;
	unsigned long nr, cap, total;
	int err;
};

struct damon_sysfs_tried_walk {
	struct damos_walk_control control;
	struct dsys_tried_buf *bufs;
	unsigned long nr_bufs;
	bool bytes_only;
};

/* Records the probe hits of @r in @tr. */
static void dsys_tried_probe_hits(struct damon_ctx *ctx, struct damon_region *r,
				  struct dsys_tried_region *tr)
{
	unsigned int i;

	tr->nr_probes = min(damon_nr_probes(ctx), DAMON_MAX_PROBES);
	for (i = 0; i < tr->nr_probes; i++)
		tr->probe_hits[i] = damon_probe_hits_mvsum(ctx, r, i);
}

/* Fills the probes/ directory of tried region directory @rn from @tr. */
static int dsys_fill_tried_probes(struct damon_sysfs_node *rn,
				  const struct dsys_tried_region *tr)
{
	struct damon_sysfs_node *pn = rn->subs[DSYS_TRIED_REGION_PROBES];
	struct dsys_tried_probe *tp;
	unsigned long i;
	int err;

	err = damon_sysfs_set_nr_kids(pn, tr->nr_probes);
	if (err)
		return err;
	for (i = 0; i < tr->nr_probes; i++) {
		tp = pn->kids[i]->data;
		WRITE_ONCE(tp->hits, tr->probe_hits[i]);
	}
	return 0;
}

static void dsys_walk_fn(void *data, struct damon_ctx *ctx,
			 struct damon_target *t, struct damon_region *r,
			 struct damos *s, unsigned long sz_filter_passed)
{
	struct damon_sysfs_tried_walk *w = data;
	struct dsys_tried_buf *b;
	unsigned long i = 0;
	struct damos *pos;

	damon_for_each_scheme(pos, ctx) {
		if (pos == s)
			break;
		i++;
	}
	if (i >= w->nr_bufs)
		return;
	b = &w->bufs[i];
	b->total += damon_sz_region(r) * ctx->addr_unit;
	if (w->bytes_only || b->err)
		return;
	if (b->nr == b->cap) {
		unsigned long cap = max(b->cap * 2, 16UL);
		struct dsys_tried_region *n;

		/* Regions are not bounded: may outgrow kmalloc(). */
		n = kvrealloc(b->regions, array_size(cap, sizeof(*n)),
			      GFP_KERNEL);
		if (!n) {
			b->err = -ENOMEM;
			return;
		}
		b->regions = n;
		b->cap = cap;
	}
	b->regions[b->nr] = (struct dsys_tried_region){
		.start = r->ar.start,
		.end = r->ar.end,
		.nr_accesses = r->nr_accesses_bp / 10000,
		.age = r->age,
		.sz_filter_passed = sz_filter_passed,
	};
	dsys_tried_probe_hits(ctx, r, &b->regions[b->nr]);
	b->nr++;
}

/* Fills the tried_regions/ directory @tn from @b. */
static int dsys_fill_tried(struct damon_sysfs_node *tn,
			   struct dsys_tried_buf *b, bool bytes_only)
{
	struct dsys_tried *tried = tn->data;
	unsigned long i;
	int err;

	WRITE_ONCE(tried->total_bytes, b->total);
	if (bytes_only)
		return 0;
	if (b->err)
		return b->err;
	err = damon_sysfs_set_nr_kids(tn, b->nr);
	if (err)
		return err;
	for (i = 0; i < b->nr; i++) {
		*(struct dsys_tried_region *)tn->kids[i]->data = b->regions[i];
		err = dsys_fill_tried_probes(tn->kids[i], &b->regions[i]);
		if (err)
			return err;
	}
	return 0;
}

/**
 * damon_sysfs_tried_walk_new() - Prepare refreshing tried_regions directories.
 * @ctx:	The running context.
 * @schemes:	The schemes/ directory of its context directory.
 * @bytes_only:	Refresh total_bytes only.
 * @errp:	Where to store the error code if NULL is returned.
 *
 * Called under damon_sysfs_lock.  Empties the tried_regions directories
 * (unless @bytes_only) and allocates what the walk collects into.
 *
 * Return: the walk to pass to damon_sysfs_tried_walk(), or NULL with *@errp
 * set to 0 if there is nothing to walk, to a negative error code otherwise.
 */
struct damon_sysfs_tried_walk *
damon_sysfs_tried_walk_new(struct damon_ctx *ctx,
			   struct damon_sysfs_node *schemes, bool bytes_only,
			   int *errp)
{
	struct damon_sysfs_tried_walk *w;

	*errp = 0;
	if (!bytes_only)
		damon_sysfs_schemes_clear_tried(schemes);
	/*
	 * A walk completes once every scheme was applied: with no scheme it
	 * would wait until a commit adds one.  Commits take damon_sysfs_lock.
	 */
	if (list_empty(&ctx->schemes) || ctx->pause || !schemes->nr)
		return NULL;
	*errp = -ENOMEM;
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return NULL;
	w->nr_bufs = schemes->nr;
	w->bytes_only = bytes_only;
	w->control.walk_fn = dsys_walk_fn;
	w->control.data = w;
	/* Up to DAMON_SYSFS_NR_MAX schemes. */
	w->bufs = kvcalloc(w->nr_bufs, sizeof(*w->bufs), GFP_KERNEL);
	if (!w->bufs) {
		kfree(w);
		return NULL;
	}
	*errp = 0;
	return w;
}

/**
 * damon_sysfs_tried_walk() - Collect the regions the schemes are tried on.
 * @ctx:	The running context.
 * @w:		The walk, from damon_sysfs_tried_walk_new().
 *
 * Waits until every scheme of @ctx was applied once, which may take long:
 * call it without damon_sysfs_lock, with @ctx kept allocated.
 *
 * Return: 0 on success, a negative error code otherwise (-ECANCELED if the
 * kdamond stopped first).
 */
int damon_sysfs_tried_walk(struct damon_ctx *ctx,
			   struct damon_sysfs_tried_walk *w)
{
	return damos_walk(ctx, &w->control);
}

/**
 * damon_sysfs_tried_walk_fill() - Fill tried_regions directories from a walk.
 * @w:		The walk, done by damon_sysfs_tried_walk().
 * @schemes:	The schemes/ directory to fill, or NULL if it is gone.
 *
 * Called under damon_sysfs_lock.  The directories may have changed during
 * the walk: schemes/N gets what the N-th scheme was tried on, if both exist.
 *
 * Return: 0 on success, a negative error code otherwise.
 */
int damon_sysfs_tried_walk_fill(struct damon_sysfs_tried_walk *w,
				struct damon_sysfs_node *schemes)
{
	unsigned long i;
	int err;

	if (!schemes)
		return -EINVAL;
	for (i = 0; i < min(w->nr_bufs, schemes->nr); i++) {
		err = dsys_fill_tried(schemes->kids[i]->subs[DSYS_S_TRIED],
				      &w->bufs[i], w->bytes_only);
		if (err)
			return err;
	}
	return 0;
}

/**
 * damon_sysfs_tried_walk_free() - Free a walk.
 * @w:		The walk, from damon_sysfs_tried_walk_new().
 */
void damon_sysfs_tried_walk_free(struct damon_sysfs_tried_walk *w)
{
	unsigned long i;

	for (i = 0; i < w->nr_bufs; i++)
		kvfree(w->bufs[i].regions);
	kvfree(w->bufs);
	kfree(w);
}

/**
 * damon_sysfs_schemes_clear_tried() - Empty the tried_regions directories.
 * @schemes:	A schemes/ directory.
 */
void damon_sysfs_schemes_clear_tried(struct damon_sysfs_node *schemes)
{
	unsigned long i;

	for (i = 0; i < schemes->nr; i++) {
		struct damon_sysfs_node *tn = schemes->kids[i]->subs[DSYS_S_TRIED];
		struct dsys_tried *tried = tn->data;

		damon_sysfs_set_nr_kids(tn, 0);
		WRITE_ONCE(tried->total_bytes, 0);
	}
}

/**
 * damon_sysfs_memcg_id() - Cgroup id of the memory cgroup at a path.
 * @slot:	String slot holding the cgroup path, as in a memcg_path file.
 * @id:		Where to store the id.
 *
 * For the memcg filters of the probes of a context directory, like those
 * of schemes.
 *
 * Return: 0 on success, -EINVAL if there is no such cgroup, -ENOMEM.
 */
int damon_sysfs_memcg_id(char * const *slot, unsigned short *id)
{
	return dsys_memcg_id(slot, id);
}
