// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON-based Operation Schemes (DAMOS) engine.
 *
 * After every sample, the kdamond calls damos_apply_schemes().  Each scheme
 * whose apply interval came is then applied once: a "pass" over every
 * region of every target.  A region is acted on when it matches the access
 * pattern of the scheme, the core filters let it through, its priority
 * score is high enough, and the quota of the scheme is not used up.  The
 * ops set applies the action (and its own page-granularity filters).
 *
 * Quotas work on windows of reset_interval milliseconds.  At the start of
 * each window the effective size quota (esz) is computed from the size
 * quota, the time quota converted to bytes with the throughput measured so
 * far, and the quota goals; and, if the regions the pattern selects do not
 * all fit in esz, the lowest priority score that still fits is found with
 * a histogram of the scores.
 *
 * Approximations: node_eligible_mem_bp goals are measured on the regions
 * that match the pattern and pass the core filters in the last pass, with
 * the node of the first page of each region; that node is only known for
 * the physical address space, so on virtual address spaces the metric reads
 * zero.  The consist tuner keeps its quota in quota->esz_bp, in 1/10000
 * bytes, which limits goal-tuned quotas to about 429 KB per window on
 * 32-bit machines.
 */

#define pr_fmt(fmt) "damon-schemes: " fmt

#include <linux/damon.h>
#include <linux/export.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/math64.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/overflow.h>
#include <linux/psi.h>
#include <linux/slab.h>
#include <linux/vmstat.h>

#include <trace/events/damon.h>

#include "schemes.h"

/* One, in basis points. */
#define DAMOS_BP			10000UL

/* Throughput assumed for the time quota before anything was measured. */
#define DAMOS_DEFAULT_BYTES_PER_MS	(256UL << 10)

/* Measured throughput is halved in weight once this much time is summed. */
#define DAMOS_THROUGHPUT_DECAY_NS	(10ULL * NSEC_PER_SEC)

/*
 * Largest piece of a region handed to the ops set at once, in bytes, so
 * that a stop request is seen between pieces of a big region.
 */
#define DAMOS_APPLY_CHUNK_SZ		(4UL << 20)
/* Most pieces one region is handed to the ops set in. */
#define DAMOS_APPLY_MAX_PIECES		4096UL

/* Smallest step of the consist goal tuner, in bp of a byte. */
#define DAMOS_CONSIST_MIN_STEP_BP	((u64)DAMON_MIN_REGION * DAMOS_BP)

/**
 * damon_new_scheme() - Allocate a scheme.
 * @pattern:		Access pattern of the regions to act on.
 * @action:		Action to apply.
 * @apply_interval_us:	Apply interval; zero for every aggregation interval.
 * @quota:		Quota configuration; its goal list is not taken over.
 * @wmarks:		Watermarks configuration.
 * @target_nid:		Destination node of the migration actions.
 *
 * Return: the new scheme, or NULL on allocation failure.
 */
struct damos *damon_new_scheme(struct damos_access_pattern *pattern,
			       enum damos_action action,
			       unsigned long apply_interval_us,
			       struct damos_quota *quota,
			       struct damos_watermarks *wmarks, int target_nid)
{
	struct damos *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	s->pattern = *pattern;
	s->action = action;
	s->apply_interval_us = apply_interval_us;
	s->quota = *quota;
	INIT_LIST_HEAD(&s->quota.goals);
	s->quota.esz = 0;
	s->quota.total_charged_sz = 0;
	s->quota.total_charged_ns = 0;
	s->quota.charged_sz = 0;
	s->quota.charged_from = 0;
	s->quota.charge_target_from = NULL;
	s->quota.charge_addr_from = 0;
	s->quota.min_score = 0;
	s->quota.esz_bp = 0;
	s->wmarks = *wmarks;
	s->wmarks.activated = true;
	s->wmarks.next_check_sis = 0;
	s->target_nid = target_nid;
	INIT_LIST_HEAD(&s->core_filters);
	INIT_LIST_HEAD(&s->ops_filters);
	INIT_LIST_HEAD(&s->list);
	return s;
}
EXPORT_SYMBOL_GPL(damon_new_scheme);

/**
 * damon_add_scheme() - Append a scheme to a context.
 * @ctx:	The context.
 * @s:		The scheme.
 */
void damon_add_scheme(struct damon_ctx *ctx, struct damos *s)
{
	list_add_tail(&s->list, &ctx->schemes);
}
EXPORT_SYMBOL_GPL(damon_add_scheme);

/**
 * damon_destroy_scheme() - Unlink a scheme and free it with what it owns.
 * @s:	The scheme.
 */
void damon_destroy_scheme(struct damos *s)
{
	struct damos_quota_goal *g, *next_g;
	struct damos_filter *f, *next_f;

	damos_for_each_quota_goal_safe(g, next_g, &s->quota)
		damos_destroy_quota_goal(g);
	damos_for_each_core_filter_safe(f, next_f, s)
		damos_destroy_filter(f);
	damos_for_each_ops_filter_safe(f, next_f, s)
		damos_destroy_filter(f);
	damos_set_migrate_dests(&s->migrate_dests, NULL, NULL, 0);
	list_del(&s->list);
	kfree(s);
}

/**
 * damos_filter_for_ops() - Whether a filter type is handled by the ops set.
 * @type:	The filter type.
 *
 * Return: true for page-granularity types, false for the core's ones.
 */
bool damos_filter_for_ops(enum damos_filter_type type)
{
	switch (type) {
	case DAMOS_FILTER_TYPE_ADDR:
	case DAMOS_FILTER_TYPE_TARGET:
		return false;
	default:
		return true;
	}
}

/**
 * damos_new_filter() - Allocate a scheme filter.
 * @type:	What the filter matches.
 * @matching:	Whether it applies to matching or to non-matching memory.
 * @allow:	Whether the memory it applies to is allowed or rejected.
 *
 * Return: the new filter, or NULL on allocation failure.
 */
struct damos_filter *damos_new_filter(enum damos_filter_type type,
				      bool matching, bool allow)
{
	struct damos_filter *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return NULL;
	f->type = type;
	f->matching = matching;
	f->allow = allow;
	INIT_LIST_HEAD(&f->list);
	return f;
}

static void damos_set_filters_default_reject(struct damos *s);

/**
 * damos_add_filter() - Append a filter to the list of its layer.
 * @s:	The scheme.
 * @f:	The filter.
 */
void damos_add_filter(struct damos *s, struct damos_filter *f)
{
	if (damos_filter_for_ops(f->type))
		list_add_tail(&f->list, &s->ops_filters);
	else
		list_add_tail(&f->list, &s->core_filters);
	damos_set_filters_default_reject(s);
}

/**
 * damos_destroy_filter() - Unlink and free a filter.
 * @f:	The filter.
 */
void damos_destroy_filter(struct damos_filter *f)
{
	list_del(&f->list);
	kfree(f);
}

/**
 * damos_new_quota_goal() - Allocate a quota goal.
 * @metric:		What the goal measures.
 * @target_value:	Wanted value of the metric.
 *
 * Return: the new goal, or NULL on allocation failure.
 */
struct damos_quota_goal *damos_new_quota_goal(enum damos_quota_goal_metric metric,
					      unsigned long target_value)
{
	struct damos_quota_goal *g = kzalloc(sizeof(*g), GFP_KERNEL);

	if (!g)
		return NULL;
	g->metric = metric;
	g->target_value = target_value;
	INIT_LIST_HEAD(&g->list);
	return g;
}

/**
 * damos_add_quota_goal() - Append a goal to a quota.
 * @q:	The quota.
 * @g:	The goal.
 */
void damos_add_quota_goal(struct damos_quota *q, struct damos_quota_goal *g)
{
	list_add_tail(&g->list, &q->goals);
}

/**
 * damos_destroy_quota_goal() - Unlink and free a quota goal.
 * @g:	The goal.
 */
void damos_destroy_quota_goal(struct damos_quota_goal *g)
{
	list_del(&g->list);
	kfree(g);
}

/**
 * damos_set_migrate_dests() - Replace the migration destinations.
 * @dests:	The destinations to set.
 * @node_ids:	Node ids, @nr_dests entries.
 * @weights:	Weights, @nr_dests entries.
 * @nr_dests:	Number of destinations; zero clears @dests.
 *
 * Return: 0 on success, -ENOMEM (and @dests unchanged) on failure.
 */
int damos_set_migrate_dests(struct damos_migrate_dests *dests,
			    const unsigned int *node_ids,
			    const unsigned int *weights, size_t nr_dests)
{
	unsigned int *ids = NULL, *ws = NULL;

	if (nr_dests) {
		ids = kmemdup_array(node_ids, nr_dests, sizeof(*ids),
				    GFP_KERNEL);
		ws = kmemdup_array(weights, nr_dests, sizeof(*ws), GFP_KERNEL);
		if (!ids || !ws) {
			kfree(ids);
			kfree(ws);
			return -ENOMEM;
		}
	}
	kfree(dests->node_id_arr);
	kfree(dests->weight_arr);
	dests->node_id_arr = ids;
	dests->weight_arr = ws;
	dests->nr_dests = nr_dests;
	return 0;
}

/**
 * damos_pick_dest() - Pick a migration destination by weight.
 * @d:		The destinations.
 * @key:	A number that varies over the memory being migrated (e.g. an
 *		address or a page frame number, divided by the folio size).
 *
 * Destinations get shares of the @key space in proportion to their weights,
 * so that memory spreads over the nodes by weight.  When every weight is
 * zero, the destinations share the key space evenly.
 *
 * Return: a node id of @d, or NUMA_NO_NODE if @d is empty.
 */
int damos_pick_dest(struct damos_migrate_dests *d, unsigned long key)
{
	unsigned long total = 0, pos;
	size_t i;

	if (!d->nr_dests)
		return NUMA_NO_NODE;
	for (i = 0; i < d->nr_dests; i++)
		total += d->weight_arr[i];
	if (!total)
		return d->node_id_arr[key % d->nr_dests];
	pos = key % total;
	for (i = 0; i < d->nr_dests; i++) {
		if (pos < d->weight_arr[i])
			return d->node_id_arr[i];
		pos -= d->weight_arr[i];
	}
	return d->node_id_arr[d->nr_dests - 1];
}

/**
 * damos_commit_quota_goals() - Make the goals of a quota those of another.
 * @dst:	The quota to update.
 * @src:	The quota to copy the goals of.
 *
 * Goals are matched by index.  A kept goal of the same metric keeps its
 * measurement state.
 *
 * Return: 0 on success, -ENOMEM (and @dst unchanged) on failure.
 */
int damos_commit_quota_goals(struct damos_quota *dst, struct damos_quota *src)
{
	struct damos_quota_goal *dg, *sg, *next;
	LIST_HEAD(fresh);
	unsigned int nr_dst = 0, nr_src = 0, i = 0;

	damos_for_each_quota_goal(dg, dst)
		nr_dst++;
	damos_for_each_quota_goal(sg, src) {
		if (++nr_src <= nr_dst)
			continue;
		dg = damos_new_quota_goal(sg->metric, sg->target_value);
		if (!dg)
			goto nomem;
		list_add_tail(&dg->list, &fresh);
	}

	/* Nothing can fail from here. */
	sg = list_first_entry(&src->goals, struct damos_quota_goal, list);
	damos_for_each_quota_goal_safe(dg, next, dst) {
		if (i++ >= nr_src) {
			damos_destroy_quota_goal(dg);
			continue;
		}
		if (dg->metric != sg->metric)
			dg->last_psi_total = 0;
		dg->metric = sg->metric;
		dg->target_value = sg->target_value;
		dg->current_value = sg->current_value;
		dg->nid = sg->nid;
		dg->memcg_id = sg->memcg_id;
		sg = list_next_entry(sg, list);
	}
	/* @sg now is the first source goal that has no destination yet. */
	list_for_each_entry(dg, &fresh, list) {
		dg->current_value = sg->current_value;
		dg->nid = sg->nid;
		dg->memcg_id = sg->memcg_id;
		sg = list_next_entry(sg, list);
	}
	list_splice_tail(&fresh, &dst->goals);
	return 0;

nomem:
	list_for_each_entry_safe(dg, next, &fresh, list)
		damos_destroy_quota_goal(dg);
	return -ENOMEM;
}

/*
 * Filters
 */

static bool damos_filters_last_allow(struct list_head *filters)
{
	if (list_empty(filters))
		return false;
	return list_last_entry(filters, struct damos_filter, list)->allow;
}

/*
 * The core and the ops filters of a scheme form one ordered list, the core
 * ones first.  When no core filter applies to a region, the decision is
 * left to the ops filters, if there are any; only the very last filter of
 * the whole list sets the default.
 */
static void damos_set_filters_default_reject(struct damos *s)
{
	s->core_filters_default_reject = list_empty(&s->ops_filters) &&
		damos_filters_last_allow(&s->core_filters);
	s->ops_filters_default_reject =
		damos_filters_last_allow(&s->ops_filters);
}

/*
 * Whether the core filter @f matches region @r of target @t, the @tidx-th
 * target.  Address filters split @r at their boundaries first, so that @r
 * is either wholly inside or wholly outside of the filter range.
 */
static bool damos_core_filter_match(struct damon_ctx *ctx,
				    struct damon_target *t, unsigned int tidx,
				    struct damon_region *r,
				    struct damos_filter *f)
{
	unsigned long unit = max(ctx->min_sz_region, 1UL);
	unsigned long start, end;

	switch (f->type) {
	case DAMOS_FILTER_TYPE_TARGET:
		return f->target_idx >= 0 && f->target_idx == tidx;
	case DAMOS_FILTER_TYPE_ADDR:
		start = ALIGN_DOWN(f->addr_range.start, unit);
		end = ALIGN(f->addr_range.end, unit);
		if (end < f->addr_range.end)	/* overflowed */
			end = ALIGN_DOWN(ULONG_MAX, unit);
		if (start > r->ar.start && start < r->ar.end)
			damon_split_region_at(t, r, start - r->ar.start);
		if (end > r->ar.start && end < r->ar.end)
			damon_split_region_at(t, r, end - r->ar.start);
		return r->ar.start < end && start < r->ar.end;
	default:
		return false;
	}
}

/* Whether the core filters of @s let region @r through. */
static bool damos_core_filters_allow(struct damon_ctx *ctx,
				     struct damon_target *t, unsigned int tidx,
				     struct damon_region *r, struct damos *s)
{
	struct damos_filter *f;

	damos_for_each_core_filter(f, s) {
		if (damos_core_filter_match(ctx, t, tidx, r, f) == f->matching)
			return f->allow;
	}
	return !s->core_filters_default_reject;
}

/*
 * Access pattern
 */

static unsigned long damos_region_bytes(struct damon_ctx *ctx,
					struct damon_region *r)
{
	unsigned long bytes;

	if (check_mul_overflow(damon_sz_region(r), max(ctx->addr_unit, 1UL),
			       &bytes))
		return ULONG_MAX;
	return bytes;
}

/* All bounds are inclusive; the frequency is the moving sum in samples. */
static bool damos_pattern_match(unsigned long sz, unsigned int nr_accesses,
				unsigned int age,
				struct damos_access_pattern *p)
{
	return p->min_sz_region <= sz && sz <= p->max_sz_region &&
		p->min_nr_accesses <= nr_accesses &&
		nr_accesses <= p->max_nr_accesses &&
		p->min_age_region <= age && age <= p->max_age_region;
}

static bool damos_region_match(struct damon_ctx *ctx, struct damon_region *r,
			       struct damos *s)
{
	return damos_pattern_match(damos_region_bytes(ctx, r),
				   r->nr_accesses_bp / 10000, r->age,
				   &s->pattern);
}

/*
 * Quotas
 */

static bool damos_quota_limited(struct damos_quota *q)
{
	return q->ms || q->sz || !list_empty(&q->goals);
}

/*
 * Bytes a time quota of @ms milliseconds allows, at the throughput of
 * @sz bytes per @ns nanoseconds measured so far.
 */
static unsigned long damos_time_quota_bytes(unsigned long ms,
					    unsigned long sz, u64 ns)
{
	u64 per_ms, bytes;

	if (!sz || !ns)
		per_ms = DAMOS_DEFAULT_BYTES_PER_MS;
	else
		per_ms = mul_u64_u64_div_u64(sz, NSEC_PER_MSEC, ns);
	if (check_mul_overflow(per_ms, (u64)ms, &bytes) || bytes > ULONG_MAX)
		return ULONG_MAX;
	return bytes;
}

/* Bytes to charge for a try on @sz bytes that applied @applied bytes. */
static unsigned long damos_quota_charge(unsigned long sz, unsigned long applied,
					unsigned int num, unsigned int denom)
{
	unsigned long failed;

	applied = min(applied, sz);
	failed = sz - applied;
	if (!denom)
		return sz;
	return applied + mult_frac(failed, (unsigned long)num, denom);
}

/* Achievement of a goal, in bp: 10000 when the target is met exactly. */
static unsigned long damos_goal_score(struct damos_quota_goal *g)
{
	u64 score;

	if (!g->target_value)
		return g->current_value ? 2 * DAMOS_BP : DAMOS_BP;
	score = mul_u64_u64_div_u64(g->current_value, DAMOS_BP,
				    g->target_value);
	return min_t(u64, score, ULONG_MAX);
}

/* The most achieved goal rules, to not overshoot any of them. */
static unsigned long damos_quota_score(struct damos_quota *q)
{
	struct damos_quota_goal *g;
	unsigned long score = 0;

	damos_for_each_quota_goal(g, q)
		score = max(score, damos_goal_score(g));
	return score;
}

/*
 * One step of the consist tuner.  @last is the previous goal-based quota in
 * bp of a byte, @score the achievement of the goals.  Missing the goals
 * grows the quota in proportion to the miss (up to doubling it, plus a
 * small constant so that it can leave zero); overshooting them shrinks it
 * by the overshoot ratio.
 */
static unsigned long damos_consist_tune(unsigned long last,
					unsigned long score)
{
	unsigned long base, delta, next;

	if (score == DAMOS_BP)
		return last;
	if (score > DAMOS_BP)
		return mul_u64_u64_div_u64(last, DAMOS_BP, score);
	if (check_add_overflow(last, (unsigned long)DAMOS_CONSIST_MIN_STEP_BP,
			       &base))
		return ULONG_MAX;
	delta = mul_u64_u64_div_u64(base, DAMOS_BP - score, DAMOS_BP);
	if (check_add_overflow(last, delta, &next))
		return ULONG_MAX;
	return next;
}

/* The temporal tuner: no limit while the goals are missed, none after. */
static unsigned long damos_temporal_tune(unsigned long score)
{
	return score >= DAMOS_BP ? 0 : ULONG_MAX;
}

static unsigned long damos_bp_of(u64 part, u64 total)
{
	if (!total)
		return 0;
	return mul_u64_u64_div_u64(min(part, total), DAMOS_BP, total);
}

static bool damos_goal_nid_valid(int nid)
{
	return nid >= 0 && nid < MAX_NUMNODES && node_online(nid);
}

/* Total and free pages of node @nid. */
static void damos_node_pages(int nid, unsigned long *total,
			     unsigned long *free)
{
	struct sysinfo i;

#ifdef CONFIG_NUMA
	si_meminfo_node(&i, nid);
#else
	si_meminfo(&i);
#endif
	*total = i.totalram;
	*free = i.freeram;
}

static unsigned long damos_node_mem_bp(int nid, bool used)
{
	unsigned long total, free;

	if (!damos_goal_nid_valid(nid))
		return 0;
	damos_node_pages(nid, &total, &free);
	return damos_bp_of(used ? total - min(free, total) : free, total);
}

static unsigned long damos_node_memcg_bp(int nid, unsigned short memcg_id,
					 bool used)
{
	unsigned long total, free, memcg_pages = 0;
#ifdef CONFIG_MEMCG
	struct mem_cgroup *memcg;
	struct lruvec *lruvec;
	enum lru_list lru;
#endif

	if (!damos_goal_nid_valid(nid))
		return 0;
	damos_node_pages(nid, &total, &free);
#ifdef CONFIG_MEMCG
	rcu_read_lock();
	memcg = mem_cgroup_from_id(memcg_id);
	if (memcg) {
		lruvec = mem_cgroup_lruvec(memcg, NODE_DATA(nid));
		for_each_lru(lru)
			memcg_pages += lruvec_page_state(lruvec,
							 NR_LRU_BASE + lru);
	}
	rcu_read_unlock();
#endif
	memcg_pages = min(memcg_pages, total);
	return damos_bp_of(used ? memcg_pages : total - memcg_pages, total);
}

static unsigned long damos_active_mem_bp(bool active)
{
	unsigned long act, inact;

	act = global_node_page_state(NR_ACTIVE_ANON) +
		global_node_page_state(NR_ACTIVE_FILE);
	inact = global_node_page_state(NR_INACTIVE_ANON) +
		global_node_page_state(NR_INACTIVE_FILE);
	return damos_bp_of(active ? act : inact, (u64)act + inact);
}

#ifdef CONFIG_PSI
static u64 damos_psi_mem_some_total_ns(void)
{
	return READ_ONCE(psi_system.total[PSI_AVGS][PSI_MEM_SOME]);
}
#else
static u64 damos_psi_mem_some_total_ns(void)
{
	return 0;
}
#endif

/*
 * Measure the current value of goal @g.  node_eligible_mem_bp is measured
 * by the application passes instead (see damos_apply_pass()).
 */
static void damos_goal_measure(struct damos_quota_goal *g)
{
	bool used, active;
	u64 now;

	switch (g->metric) {
	case DAMOS_QUOTA_SOME_MEM_PSI_US:
		now = damos_psi_mem_some_total_ns();
		/* Zero: no baseline yet, e.g. a goal just added. */
		if (!g->last_psi_total || now < g->last_psi_total)
			g->current_value = 0;
		else
			g->current_value = div_u64(now - g->last_psi_total,
						   NSEC_PER_USEC);
		g->last_psi_total = max(now, 1ULL);
		break;
	case DAMOS_QUOTA_NODE_MEM_USED_BP:
	case DAMOS_QUOTA_NODE_MEM_FREE_BP:
		used = g->metric == DAMOS_QUOTA_NODE_MEM_USED_BP;
		g->current_value = damos_node_mem_bp(g->nid, used);
		break;
	case DAMOS_QUOTA_NODE_MEMCG_USED_BP:
	case DAMOS_QUOTA_NODE_MEMCG_FREE_BP:
		used = g->metric == DAMOS_QUOTA_NODE_MEMCG_USED_BP;
		g->current_value = damos_node_memcg_bp(g->nid, g->memcg_id,
						       used);
		break;
	case DAMOS_QUOTA_ACTIVE_MEM_BP:
	case DAMOS_QUOTA_INACTIVE_MEM_BP:
		active = g->metric == DAMOS_QUOTA_ACTIVE_MEM_BP;
		g->current_value = damos_active_mem_bp(active);
		break;
	default:
		break;
	}
}

/* Effective size quota of @q, given the current goal values. */
static unsigned long damos_quota_esz(struct damos_quota *q)
{
	unsigned long esz = ULONG_MAX, goal_esz;

	if (q->ms)
		esz = damos_time_quota_bytes(q->ms, q->total_charged_sz,
					     q->total_charged_ns);
	if (q->sz)
		esz = min(esz, q->sz);
	if (list_empty(&q->goals))
		return esz;

	if (q->goal_tuner == DAMOS_QUOTA_GOAL_TUNER_TEMPORAL) {
		goal_esz = damos_temporal_tune(damos_quota_score(q));
	} else {
		q->esz_bp = damos_consist_tune(q->esz_bp,
					       damos_quota_score(q));
		/* Growing beyond the other limits would only slow down. */
		if (esz != ULONG_MAX && q->esz_bp / DAMOS_BP > esz)
			q->esz_bp = esz * DAMOS_BP;
		goal_esz = q->esz_bp / DAMOS_BP;
	}
	return min(esz, goal_esz);
}

/*
 * Lowest score to admit so that the bytes of the regions of the highest
 * scores, @hist[score] bytes each, fill a quota of @esz bytes.
 */
static unsigned int damos_hist_min_score(const unsigned long *hist,
					 unsigned long esz)
{
	unsigned long sum = 0;
	int score;

	for (score = DAMOS_MAX_SCORE; score > 0; score--) {
		sum += hist[score];
		if (sum >= esz)
			return score;
	}
	return 0;
}

static unsigned int damos_region_score(struct damon_ctx *ctx,
				       struct damon_target *t,
				       struct damon_region *r, struct damos *s)
{
	int score = ctx->ops.get_scheme_score(ctx, t, r, s);

	return clamp(score, 0, DAMOS_MAX_SCORE);
}

/* Set quota->min_score for the window that starts. */
static void damos_update_min_score(struct damon_ctx *ctx, struct damos *s)
{
	struct damos_quota *q = &s->quota;
	struct damon_target *t;
	struct damon_region *r;
	unsigned long *hist, total = 0, sz;

	q->min_score = 0;
	if (!ctx->ops.get_scheme_score || q->esz == ULONG_MAX)
		return;
	hist = kcalloc(DAMOS_MAX_SCORE + 1, sizeof(*hist), GFP_KERNEL);
	if (!hist)
		return;
	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t) {
			if (!damos_region_match(ctx, r, s))
				continue;
			sz = damos_region_bytes(ctx, r);
			hist[damos_region_score(ctx, t, r, s)] += sz;
			total += sz;
		}
	}
	if (total > q->esz)
		q->min_score = damos_hist_min_score(hist, q->esz);
	kfree(hist);
}

/* Start a new quota window if the current one is over. */
static void damos_quota_step(struct damon_ctx *ctx, struct damos *s,
			     unsigned int sidx)
{
	struct damos_quota *q = &s->quota;
	struct damos_quota_goal *g;

	if (!damos_quota_limited(q)) {
		q->esz = ULONG_MAX;
		q->min_score = 0;
		q->charge_target_from = NULL;
		return;
	}
	if (q->charged_from &&
	    time_before(jiffies, q->charged_from +
			msecs_to_jiffies(q->reset_interval)))
		return;

	q->charged_from = jiffies ? jiffies : 1;
	q->charged_sz = 0;
	if (q->total_charged_ns > DAMOS_THROUGHPUT_DECAY_NS) {
		q->total_charged_sz /= 2;
		q->total_charged_ns /= 2;
	}
	damos_for_each_quota_goal(g, q)
		damos_goal_measure(g);
	q->esz = damos_quota_esz(q);
	trace_damos_esz(0, sidx, q->esz);
	damos_update_min_score(ctx, s);
}

/* Whether less than a region granule of the quota of @s is left. */
static bool damos_quota_exhausted(struct damon_ctx *ctx, struct damos *s)
{
	struct damos_quota *q = &s->quota;
	unsigned long unit_bytes;

	if (q->esz == ULONG_MAX)
		return false;
	if (check_mul_overflow(max(ctx->min_sz_region, 1UL),
			       max(ctx->addr_unit, 1UL), &unit_bytes))
		return true;
	return q->charged_sz >= q->esz || q->esz - q->charged_sz < unit_bytes;
}

/*
 * Watermarks
 */

static void damos_walk_cancel_or_complete(struct damon_ctx *ctx, bool cancel);

static unsigned long damos_wmark_metric_value(enum damos_wmark_metric metric)
{
	switch (metric) {
	case DAMOS_WMARK_FREE_MEM_RATE:
		return damos_bp_of(global_zone_page_state(NR_FREE_PAGES),
				   totalram_pages()) / 10;
	default:
		return 0;
	}
}

/*
 * Whether a scheme of watermarks @w should be active when the metric is
 * @value: not above high nor below low, and, to be switched on, not above
 * mid.  Between mid and high the scheme keeps its state.
 */
static bool damos_wmarks_active(struct damos_watermarks *w,
				unsigned long value)
{
	if (w->metric == DAMOS_WMARK_NONE)
		return true;
	if (value > w->high || value < w->low)
		return false;
	if (value <= w->mid)
		return true;
	return w->activated;
}

static unsigned long damos_us_to_sis(struct damon_ctx *ctx, unsigned long us)
{
	return max(us / max(ctx->attrs.sample_interval, 1UL), 1UL);
}

/**
 * damos_wmarks_wait_us() - Time to idle because every scheme is inactive.
 * @ctx:	The context.
 *
 * Checks the watermarks of the schemes whose check interval came and
 * updates their activation.  If every scheme was inactive already, all of
 * them are checked, since the kdamond idled instead of sampling.
 *
 * Return: microseconds to idle, or 0 when monitoring should go on.
 */
unsigned long damos_wmarks_wait_us(struct damon_ctx *ctx)
{
	unsigned long sis = ctx->passed_sample_intervals;
	unsigned long wait = ULONG_MAX, value;
	bool idle = true, check_all = true;
	struct damos *s;

	if (list_empty(&ctx->schemes))
		return 0;
	damon_for_each_scheme(s, ctx) {
		if (s->wmarks.metric == DAMOS_WMARK_NONE || s->wmarks.activated)
			check_all = false;
	}
	damon_for_each_scheme(s, ctx) {
		struct damos_watermarks *w = &s->wmarks;

		if (w->metric == DAMOS_WMARK_NONE) {
			w->activated = true;
			idle = false;
			continue;
		}
		if (check_all || sis >= w->next_check_sis) {
			value = damos_wmark_metric_value(w->metric);
			w->activated = damos_wmarks_active(w, value);
			w->next_check_sis = sis +
				damos_us_to_sis(ctx, w->interval);
		}
		if (w->activated)
			idle = false;
		wait = min(wait, w->interval);
	}
	if (!idle)
		return 0;
	/* No scheme will be applied while idling: nothing to walk. */
	damos_walk_cancel_or_complete(ctx, false);
	return max(wait, 1UL);
}

/*
 * Walks
 */

/* End the pending walk of @ctx, if any, as failed if @cancel. */
static void damos_walk_cancel_or_complete(struct damon_ctx *ctx, bool cancel)
{
	struct damos_walk_control *wc;

	mutex_lock(&ctx->walk_control_lock);
	wc = ctx->walk_control;
	if (wc) {
		ctx->walk_control = NULL;
		wc->canceled = cancel;
		complete(&wc->completion);
	}
	mutex_unlock(&ctx->walk_control_lock);
}

/*
 * Complete @wc if every scheme of @ctx did its pass of the walk.  The
 * caller holds walk_control_lock.
 */
static void damos_walk_try_complete(struct damon_ctx *ctx,
				    struct damos_walk_control *wc)
{
	unsigned int nr = 0;
	struct damos *s;

	damon_for_each_scheme(s, ctx) {
		if (nr >= BITS_PER_LONG)
			break;
		if (!(wc->walked & BIT(nr)))
			return;
		nr++;
	}
	if (ctx->walk_control == wc) {
		ctx->walk_control = NULL;
		complete(&wc->completion);
	}
}

/**
 * damos_walk_withdraw() - Withdraw a pending damos_walk() request.
 * @ctx:	The context.
 * @wc:		The request.
 *
 * The kdamond uses a request only under walk_control_lock, so once this
 * returns true, it will not touch @wc again.
 *
 * Return: true if @wc was still pending, false if it was completed or
 * canceled already.
 */
bool damos_walk_withdraw(struct damon_ctx *ctx, struct damos_walk_control *wc)
{
	bool pending;

	mutex_lock(&ctx->walk_control_lock);
	pending = ctx->walk_control == wc;
	if (pending)
		ctx->walk_control = NULL;
	mutex_unlock(&ctx->walk_control_lock);
	return pending;
}

/**
 * damos_walk_cancel() - Fail a pending damos_walk() request.
 * @ctx:	The context.
 */
void damos_walk_cancel(struct damon_ctx *ctx)
{
	damos_walk_cancel_or_complete(ctx, true);
}

/**
 * damos_walk_complete() - Complete a pending damos_walk() request now.
 * @ctx:	The context.
 *
 * For when no scheme will be applied for a while (e.g. while paused).
 */
void damos_walk_complete(struct damon_ctx *ctx)
{
	damos_walk_cancel_or_complete(ctx, false);
}

/*
 * Application
 */

/* State of one application pass of a scheme. */
struct damos_pass {
	struct damon_ctx *ctx;
	struct damos *s;
	unsigned int sidx;
	struct damos_walk_control *wc;
	/* Skipping regions up to where the quota ran out last time. */
	bool skipping;
	bool eligible_goals;
	unsigned long eligible_sz;
};

static bool damos_target_in_ctx(struct damon_ctx *ctx, struct damon_target *t)
{
	struct damon_target *iter;

	damon_for_each_target(iter, ctx) {
		if (iter == t)
			return true;
	}
	return false;
}

static void damos_account_eligible(struct damos_pass *p,
				   struct damon_region *r, unsigned long sz)
{
	struct damos_quota_goal *g;
	int nid;

	if (!p->eligible_goals)
		return;
	p->eligible_sz += sz;
	nid = p->ctx->ops.region_nid ?
		p->ctx->ops.region_nid(p->ctx, r) : NUMA_NO_NODE;
	damos_for_each_quota_goal(g, &p->s->quota) {
		if (g->metric == DAMOS_QUOTA_NODE_ELIGIBLE_MEM_BP &&
		    g->nid == nid)
			g->node_eligible_sz += sz;
	}
}

/*
 * While @p is skipping, whether @r comes before the position the quota ran
 * out at in the previous window.  Ends the skipping at that position.
 */
static bool damos_skip_charged(struct damos_pass *p, struct damon_target *t,
			       struct damon_region *r)
{
	struct damos_quota *q = &p->s->quota;
	unsigned long unit = max(p->ctx->min_sz_region, 1UL);
	unsigned long from;

	if (!p->skipping)
		return false;
	if (t != q->charge_target_from)
		return true;
	from = ALIGN_DOWN(q->charge_addr_from, unit);
	if (r->ar.end <= from)
		return true;
	if (r->ar.start < from) {
		damon_split_region_at(t, r, from - r->ar.start);
		return true;
	}
	p->skipping = false;
	q->charge_target_from = NULL;
	return false;
}

/*
 * Trim @r to what the quota of @p's scheme still allows.  Returns false if
 * nothing of @r can be applied, after remembering where the quota ran out.
 */
static bool damos_quota_trim(struct damos_pass *p, struct damon_target *t,
			     struct damon_region *r)
{
	struct damos_quota *q = &p->s->quota;
	unsigned long unit = max(p->ctx->min_sz_region, 1UL);
	unsigned long addr_unit = max(p->ctx->addr_unit, 1UL);
	unsigned long left, units;

	if (q->esz == ULONG_MAX)
		return true;
	if (damos_quota_exhausted(p->ctx, p->s))
		goto out;
	left = q->esz - q->charged_sz;
	if (damos_region_bytes(p->ctx, r) <= left)
		return true;
	units = ALIGN_DOWN(left / addr_unit, unit);
	if (units) {
		damon_split_region_at(t, r, units);
		if (damos_region_bytes(p->ctx, r) <= left)
			return true;
	}
out:
	if (!q->charge_target_from) {
		q->charge_target_from = t;
		q->charge_addr_from = r->ar.start;
	}
	return false;
}

/*
 * Size, in address units, of the pieces damos_apply_action() hands to the
 * ops set: DAMOS_APPLY_CHUNK_SZ bytes, but at least one minimum-size
 * region, as an address unit may be bigger than DAMOS_APPLY_CHUNK_SZ.
 */
static unsigned long damos_apply_chunk(struct damon_ctx *ctx)
{
	unsigned long unit = max(ctx->min_sz_region, 1UL);

	return max(ALIGN(DAMOS_APPLY_CHUNK_SZ / max(ctx->addr_unit, 1UL),
			 unit), unit);
}

/*
 * Apply the action of @s to @r, in pieces of at most DAMOS_APPLY_CHUNK_SZ
 * bytes given to the ops set as copies of @r, stopping early if the kdamond
 * is asked to stop.  Returns the bytes applied; stores the bytes the ops
 * filters passed in @passed.
 */
static unsigned long damos_apply_action(struct damon_ctx *ctx,
					struct damon_target *t,
					struct damon_region *r,
					struct damos *s, unsigned long *passed)
{
	unsigned long chunk, start, applied = 0, piece_passed;
	struct damon_region piece;

	*passed = 0;
	if (!ctx->ops.apply_scheme)
		return 0;
	chunk = damos_apply_chunk(ctx);
	/*
	 * A region over a huge range (mostly without memory, e.g. a paddr
	 * range given in bytes with a page-sized address unit) would take
	 * millions of calls: hand it over in at most DAMOS_APPLY_MAX_PIECES
	 * pieces.  The ops sets reschedule and check for stops within them.
	 */
	chunk = max(chunk, ALIGN(damon_sz_region(r) / DAMOS_APPLY_MAX_PIECES,
				 max(ctx->min_sz_region, 1UL)));
	if (damon_sz_region(r) <= chunk)
		return ctx->ops.apply_scheme(ctx, t, r, s, passed);

	piece = *r;
	INIT_LIST_HEAD(&piece.list);
	for (start = r->ar.start; start < r->ar.end; start = piece.ar.end) {
		if (start != r->ar.start) {
			if (damon_stop_requested())
				break;
			cond_resched();
		}
		piece.ar.start = start;
		piece.ar.end = r->ar.end - start > chunk ? start + chunk :
			r->ar.end;
		piece.sampling_addr = piece.ar.start;
		piece_passed = 0;
		applied += ctx->ops.apply_scheme(ctx, t, &piece, s,
						 &piece_passed);
		*passed += piece_passed;
	}
	return applied;
}

/* Try the scheme of @p on region @r of target @t, the @tidx-th one. */
static void damos_try_region(struct damos_pass *p, struct damon_target *t,
			     unsigned int tidx, struct damon_region *r)
{
	struct damon_ctx *ctx = p->ctx;
	struct damos *s = p->s;
	struct damos_quota *q = &s->quota;
	unsigned long sz, applied, passed, charge;
	bool was_exhausted;
	u64 begin;

	if (!damos_region_match(ctx, r, s))
		return;
	if (!damos_core_filters_allow(ctx, t, tidx, r, s))
		return;
	damos_account_eligible(p, r, damos_region_bytes(ctx, r));
	if (damos_skip_charged(p, t, r))
		return;
	if (q->min_score && ctx->ops.get_scheme_score &&
	    damos_region_score(ctx, t, r, s) < q->min_score)
		return;
	if (!damos_quota_trim(p, t, r))
		return;

	sz = damos_region_bytes(ctx, r);
	s->stat.nr_tried++;
	/* A region of more than ULONG_MAX bytes counts as ULONG_MAX. */
	s->stat.sz_tried = size_add(s->stat.sz_tried, sz);
	trace_damos_before_apply(0, p->sidx, tidx, r, damon_nr_regions(t),
				 true);
	begin = ktime_get_ns();
	applied = damos_apply_action(ctx, t, r, s, &passed);
	q->total_charged_ns += ktime_get_ns() - begin;
	if (p->wc)
		p->wc->walk_fn(p->wc->data, ctx, t, r, s, passed);
	s->last_applied = r;

	s->stat.sz_ops_filter_passed += passed;
	if (applied) {
		s->stat.nr_applied++;
		s->stat.sz_applied += applied;
		if (s->action != DAMOS_STAT)
			r->age = 0;
	}

	charge = damos_quota_charge(sz, applied, q->fail_charge_num,
				    q->fail_charge_denom);
	q->total_charged_sz += charge;
	if (q->esz == ULONG_MAX)
		return;
	was_exhausted = damos_quota_exhausted(ctx, s);
	q->charged_sz += charge;
	if (!was_exhausted && damos_quota_exhausted(ctx, s)) {
		s->stat.qt_exceeds++;
		q->charge_target_from = t;
		q->charge_addr_from = r->ar.end;
	}
}

/* Apply scheme @s, the @sidx-th one of @ctx, to every region once. */
static void damos_apply_pass(struct damon_ctx *ctx, struct damos *s,
			     unsigned int sidx, struct damos_walk_control *wc)
{
	struct damos_pass p = {
		.ctx = ctx,
		.s = s,
		.sidx = sidx,
		.wc = wc,
	};
	struct damos_quota *q = &s->quota;
	struct damos_quota_goal *g;
	struct damon_target *t;
	struct damon_region *r;
	unsigned int tidx = 0;

	damos_set_filters_default_reject(s);
	damos_quota_step(ctx, s, sidx);
	if (q->charge_target_from &&
	    (q->esz == ULONG_MAX ||
	     !damos_target_in_ctx(ctx, q->charge_target_from)))
		q->charge_target_from = NULL;
	p.skipping = !!q->charge_target_from;

	damos_for_each_quota_goal(g, q) {
		if (g->metric == DAMOS_QUOTA_NODE_ELIGIBLE_MEM_BP) {
			p.eligible_goals = true;
			g->node_eligible_sz = 0;
		}
	}

	damon_for_each_target(t, ctx) {
		if (!ctx->ops.target_valid || ctx->ops.target_valid(t)) {
			/*
			 * Splits insert the rest of a region right after it,
			 * so the rest is visited next.
			 */
			damon_for_each_region(r, t) {
				if (damon_stop_requested())
					break;
				damos_try_region(&p, t, tidx, r);
			}
		}
		tidx++;
	}
	/* The previous position was not found; start from the beginning. */
	if (p.skipping)
		q->charge_target_from = NULL;

	if (p.eligible_goals) {
		damos_for_each_quota_goal(g, q) {
			if (g->metric != DAMOS_QUOTA_NODE_ELIGIBLE_MEM_BP)
				continue;
			g->current_value = damos_bp_of(g->node_eligible_sz,
						       p.eligible_sz);
		}
	}

	s->stat.nr_snapshots++;
	trace_damos_stat_after_apply_interval(0, sidx, &s->stat);
}

static unsigned long damos_apply_interval_sis(struct damon_ctx *ctx,
					      struct damos *s)
{
	if (!s->apply_interval_us)
		return max(ctx->attrs.aggr_samples, 1UL);
	return damos_us_to_sis(ctx, s->apply_interval_us);
}

/* Whether the apply interval of @s came; schedules the next one if so. */
static bool damos_apply_due(struct damon_ctx *ctx, struct damos *s)
{
	unsigned long sis = ctx->passed_sample_intervals;

	/* Every aggregation: follow the core's own schedule. */
	if (!s->apply_interval_us)
		return sis >= ctx->next_aggregation_sis;
	if (sis < s->next_apply_sis)
		return false;
	s->next_apply_sis = sis + damos_apply_interval_sis(ctx, s);
	return true;
}

/**
 * damos_apply_schemes() - Apply the schemes whose apply interval came.
 * @ctx:	The context.
 *
 * Called by the kdamond after every sample.  Also serves the pending
 * damos_walk() request, if any: every scheme visits the regions it is tried
 * on in its next pass, then the request completes.
 */
void damos_apply_schemes(struct damon_ctx *ctx)
{
	struct damos_walk_control *wc;
	unsigned int sidx = 0;
	struct damos *s;

	/*
	 * Keep a walk request locked while using it, so that its waiter can
	 * withdraw it (damos_walk_withdraw()) and return at any other time.
	 */
	mutex_lock(&ctx->walk_control_lock);
	wc = ctx->walk_control;
	if (!wc)
		mutex_unlock(&ctx->walk_control_lock);

	damon_for_each_scheme(s, ctx) {
		struct damos_walk_control *swc = NULL;
		unsigned long bit = sidx < BITS_PER_LONG ? BIT(sidx) : 0;

		if (wc && bit && !(wc->walked & bit))
			swc = wc;
		if (!damos_apply_due(ctx, s)) {
			sidx++;
			continue;
		}
		if (s->wmarks.activated &&
		    (!s->max_nr_snapshots ||
		     s->stat.nr_snapshots < s->max_nr_snapshots)) {
			if (swc)
				swc->started |= bit;
			damos_apply_pass(ctx, s, sidx, swc);
		}
		if (swc)
			swc->walked |= bit;
		sidx++;
	}
	if (wc) {
		damos_walk_try_complete(ctx, wc);
		mutex_unlock(&ctx->walk_control_lock);
	}
}

/**
 * damos_kdamond_init() - Prepare the schemes of a context for a new kdamond.
 * @ctx:	The context.
 *
 * Restarts the schedules, quota windows and measurements of the schemes.
 * Statistics are kept.
 */
void damos_kdamond_init(struct damon_ctx *ctx)
{
	unsigned long sis = ctx->passed_sample_intervals;
	struct damos_quota_goal *g;
	struct damos *s;

	damon_for_each_scheme(s, ctx) {
		s->next_apply_sis = sis + damos_apply_interval_sis(ctx, s);
		s->wmarks.next_check_sis = sis;
		s->quota.charged_from = 0;
		s->quota.charged_sz = 0;
		s->quota.charge_target_from = NULL;
		s->last_applied = NULL;
		damos_set_filters_default_reject(s);
		damos_for_each_quota_goal(g, &s->quota) {
			if (g->metric == DAMOS_QUOTA_SOME_MEM_PSI_US)
				g->last_psi_total = 0;
		}
	}
}

/* @sis sampling intervals of @old_us each, in intervals of @new_us. */
static unsigned long damos_rescale_sis(unsigned long sis, unsigned long old_us,
				       unsigned long new_us)
{
	return mul_u64_u64_div_u64(sis, max(old_us, 1UL), max(new_us, 1UL));
}

/**
 * damos_attrs_changed() - Reschedule the schemes after an attrs change.
 * @ctx:	The context, with its new attrs set.
 * @old:	The previous attrs.
 *
 * Schedules are counted in sampling intervals, whose length may have
 * changed: keep the time left until the next application and watermarks
 * check, in the new unit.  An apply interval shorter than what is left is
 * honored from now.
 */
void damos_attrs_changed(struct damon_ctx *ctx, struct damon_attrs *old)
{
	unsigned long sis = ctx->passed_sample_intervals, left;
	struct damos *s;

	damon_for_each_scheme(s, ctx) {
		left = s->next_apply_sis > sis ? s->next_apply_sis - sis : 0;
		left = damos_rescale_sis(left, old->sample_interval,
					 ctx->attrs.sample_interval);
		s->next_apply_sis = sis + min(left,
					      damos_apply_interval_sis(ctx, s));
		left = s->wmarks.next_check_sis > sis ?
			s->wmarks.next_check_sis - sis : 0;
		left = damos_rescale_sis(left, old->sample_interval,
					 ctx->attrs.sample_interval);
		s->wmarks.next_check_sis = sis +
			min(left, damos_us_to_sis(ctx, s->wmarks.interval));
	}
}

/**
 * damos_forget_region() - Drop references to a region that goes away.
 * @ctx:	The context.
 * @r:		The region.
 */
void damos_forget_region(struct damon_ctx *ctx, struct damon_region *r)
{
	struct damos *s;

	damon_for_each_scheme(s, ctx) {
		if (s->last_applied == r)
			s->last_applied = NULL;
	}
}

/*
 * Validation and online commit
 */

static int damos_validate_filters(struct damos *s)
{
	struct damos_filter *f;

	damos_for_each_core_filter(f, s) {
		if (f->type >= NR_DAMOS_FILTER_TYPES ||
		    damos_filter_for_ops(f->type))
			return -EINVAL;
		if (f->type == DAMOS_FILTER_TYPE_ADDR &&
		    f->addr_range.start >= f->addr_range.end)
			return -EINVAL;
		if (f->type == DAMOS_FILTER_TYPE_TARGET && f->target_idx < 0)
			return -EINVAL;
	}
	damos_for_each_ops_filter(f, s) {
		if (f->type >= NR_DAMOS_FILTER_TYPES ||
		    !damos_filter_for_ops(f->type))
			return -EINVAL;
		if (f->type == DAMOS_FILTER_TYPE_MEMCG &&
		    !IS_ENABLED(CONFIG_MEMCG))
			return -EINVAL;
		if (f->type == DAMOS_FILTER_TYPE_HUGEPAGE_SIZE &&
		    f->sz_range.min > f->sz_range.max)
			return -EINVAL;
	}
	return 0;
}

static int damos_validate_quota(struct damos_quota *q)
{
	struct damos_quota_goal *g;

	if (q->goal_tuner >= NR_DAMOS_QUOTA_GOAL_TUNERS)
		return -EINVAL;
	if (q->fail_charge_denom && q->fail_charge_num > q->fail_charge_denom)
		return -EINVAL;
	damos_for_each_quota_goal(g, q) {
		switch (g->metric) {
		case DAMOS_QUOTA_SOME_MEM_PSI_US:
			/* No pressure stall accounting to measure. */
			if (!IS_ENABLED(CONFIG_PSI))
				return -EINVAL;
			break;
		case DAMOS_QUOTA_USER_INPUT:
		case DAMOS_QUOTA_ACTIVE_MEM_BP:
		case DAMOS_QUOTA_INACTIVE_MEM_BP:
			break;
		case DAMOS_QUOTA_NODE_MEMCG_USED_BP:
		case DAMOS_QUOTA_NODE_MEMCG_FREE_BP:
			if (!IS_ENABLED(CONFIG_MEMCG))
				return -EINVAL;
			fallthrough;
		case DAMOS_QUOTA_NODE_MEM_USED_BP:
		case DAMOS_QUOTA_NODE_MEM_FREE_BP:
		case DAMOS_QUOTA_NODE_ELIGIBLE_MEM_BP:
			if (!damos_goal_nid_valid(g->nid))
				return -EINVAL;
			break;
		default:
			return -EINVAL;
		}
	}
	return 0;
}

static bool damos_nid_valid(int nid)
{
	return nid >= 0 && nid < MAX_NUMNODES && node_state(nid, N_MEMORY);
}

/* The actions an operations set supports are a mask of BIT(action). */
static_assert(NR_DAMOS_ACTIONS <= BITS_PER_LONG);

static int damos_validate_scheme(struct damos *s,
				 const struct damon_operations *ops)
{
	struct damos_access_pattern *p = &s->pattern;
	struct damos_watermarks *w = &s->wmarks;
	size_t i;
	int err;

	if (s->action >= NR_DAMOS_ACTIONS ||
	    !(ops->actions & BIT(s->action)))
		return -EINVAL;
	if (p->min_sz_region > p->max_sz_region ||
	    p->min_nr_accesses > p->max_nr_accesses ||
	    p->min_age_region > p->max_age_region)
		return -EINVAL;
	err = damos_validate_quota(&s->quota);
	if (err)
		return err;
	if (w->metric >= NR_DAMOS_WMARK_METRICS)
		return -EINVAL;
	if (w->metric != DAMOS_WMARK_NONE &&
	    (w->high < w->mid || w->mid < w->low))
		return -EINVAL;
	err = damos_validate_filters(s);
	if (err)
		return err;
	/* Rather than accepting filters that would be silently ignored. */
	if (!list_empty(&s->ops_filters) &&
	    !(ops->ops_filter_actions & BIT(s->action)))
		return -EINVAL;
	if (s->action != DAMOS_MIGRATE_HOT && s->action != DAMOS_MIGRATE_COLD)
		return 0;
	if (!s->migrate_dests.nr_dests)
		return damos_nid_valid(s->target_nid) ? 0 : -EINVAL;
	for (i = 0; i < s->migrate_dests.nr_dests; i++) {
		if (!damos_nid_valid(s->migrate_dests.node_id_arr[i]))
			return -EINVAL;
	}
	return 0;
}

/**
 * damos_validate_schemes() - Check the schemes of a context are valid.
 * @ctx:	The context.
 *
 * Checks the actions, and their ops filters, are supported by the
 * operations set of @ctx (&damon_operations->actions and ->ops_filter_actions),
 * the ranges of the access patterns, watermarks and filters are not inverted,
 * and the quota goals, tuners, filter types and migration destinations exist.
 *
 * Return: 0 if valid, -EINVAL otherwise.
 */
int damos_validate_schemes(struct damon_ctx *ctx)
{
	struct damos *s;
	int err;

	damon_for_each_scheme(s, ctx) {
		err = damos_validate_scheme(s, &ctx->ops);
		if (err)
			return err;
	}
	return 0;
}

/* Copy the filters of @src into @dst, replacing those of @dst. */
static int damos_commit_filters(struct damos *dst, struct damos *src)
{
	struct damos_filter *f, *nf, *next;
	LIST_HEAD(core);
	LIST_HEAD(ops);

	damos_for_each_core_filter(f, src) {
		nf = kmemdup(f, sizeof(*f), GFP_KERNEL);
		if (!nf)
			goto nomem;
		list_add_tail(&nf->list, &core);
	}
	damos_for_each_ops_filter(f, src) {
		nf = kmemdup(f, sizeof(*f), GFP_KERNEL);
		if (!nf)
			goto nomem;
		list_add_tail(&nf->list, &ops);
	}
	damos_for_each_core_filter_safe(f, next, dst)
		damos_destroy_filter(f);
	damos_for_each_ops_filter_safe(f, next, dst)
		damos_destroy_filter(f);
	list_splice_tail(&core, &dst->core_filters);
	list_splice_tail(&ops, &dst->ops_filters);
	damos_set_filters_default_reject(dst);
	return 0;

nomem:
	list_for_each_entry_safe(f, next, &core, list)
		damos_destroy_filter(f);
	list_for_each_entry_safe(f, next, &ops, list)
		damos_destroy_filter(f);
	return -ENOMEM;
}

/* Make @dst, a scheme of @ctx, like @src, keeping its runtime state. */
static int damos_commit_scheme(struct damon_ctx *ctx, struct damos *dst,
			       struct damos *src)
{
	struct damos_quota *dq = &dst->quota, *sq = &src->quota;
	int err;

	err = damos_commit_quota_goals(dq, sq);
	if (err)
		return err;
	err = damos_commit_filters(dst, src);
	if (err)
		return err;
	err = damos_set_migrate_dests(&dst->migrate_dests,
				      src->migrate_dests.node_id_arr,
				      src->migrate_dests.weight_arr,
				      src->migrate_dests.nr_dests);
	if (err)
		return err;

	dst->pattern = src->pattern;
	dst->action = src->action;
	if (dst->apply_interval_us != src->apply_interval_us) {
		dst->apply_interval_us = src->apply_interval_us;
		dst->next_apply_sis = ctx->passed_sample_intervals +
			damos_apply_interval_sis(ctx, dst);
	}

	/* A changed limit takes effect with a new window, right away. */
	if (dq->reset_interval != sq->reset_interval || dq->ms != sq->ms ||
	    dq->sz != sq->sz || dq->goal_tuner != sq->goal_tuner)
		dq->charged_from = 0;
	dq->reset_interval = sq->reset_interval;
	dq->ms = sq->ms;
	dq->sz = sq->sz;
	dq->goal_tuner = sq->goal_tuner;
	dq->weight_sz = sq->weight_sz;
	dq->weight_nr_accesses = sq->weight_nr_accesses;
	dq->weight_age = sq->weight_age;
	dq->fail_charge_num = sq->fail_charge_num;
	dq->fail_charge_denom = sq->fail_charge_denom;

	if (dst->wmarks.metric != src->wmarks.metric ||
	    dst->wmarks.interval != src->wmarks.interval)
		dst->wmarks.next_check_sis = ctx->passed_sample_intervals;
	dst->wmarks.metric = src->wmarks.metric;
	dst->wmarks.interval = src->wmarks.interval;
	dst->wmarks.high = src->wmarks.high;
	dst->wmarks.mid = src->wmarks.mid;
	dst->wmarks.low = src->wmarks.low;
	if (dst->wmarks.metric == DAMOS_WMARK_NONE)
		dst->wmarks.activated = true;

	dst->target_nid = src->target_nid;
	dst->max_nr_snapshots = src->max_nr_snapshots;
	return 0;
}

/* A new scheme for @ctx with the parameters of @src. */
static struct damos *damos_clone_scheme(struct damon_ctx *ctx,
					struct damos *src)
{
	struct damos *s;

	s = damon_new_scheme(&src->pattern, src->action,
			     src->apply_interval_us, &src->quota, &src->wmarks,
			     src->target_nid);
	if (!s)
		return NULL;
	if (damos_commit_scheme(ctx, s, src)) {
		damon_destroy_scheme(s);
		return NULL;
	}
	s->next_apply_sis = ctx->passed_sample_intervals +
		damos_apply_interval_sis(ctx, s);
	s->wmarks.next_check_sis = ctx->passed_sample_intervals;
	return s;
}

/**
 * damos_commit_schemes() - Make the schemes of a context those of another.
 * @dst:	The context to update.
 * @src:	The context to copy the schemes of.
 *
 * Schemes are matched by index.  A scheme that exists in both keeps its
 * runtime state (statistics, quota charges and effective quota, watermarks
 * activation, schedule) and gets the parameters, filters, goals and
 * destinations of @src.  Extra schemes of @dst are destroyed, extra schemes
 * of @src are copied.  @src should have been validated.
 *
 * Return: 0 on success, -ENOMEM, leaving @dst consistent but possibly
 * partially updated, on failure.
 */
int damos_commit_schemes(struct damon_ctx *dst, struct damon_ctx *src)
{
	struct damos *ds, *ss, *next, *ns;
	unsigned int nr_src = 0, i = 0;
	int err;

	damon_for_each_scheme(ss, src)
		nr_src++;
	ss = list_first_entry(&src->schemes, struct damos, list);
	damon_for_each_scheme_safe(ds, next, dst) {
		if (i++ >= nr_src) {
			damon_destroy_scheme(ds);
			continue;
		}
		err = damos_commit_scheme(dst, ds, ss);
		if (err)
			return err;
		ss = list_next_entry(ss, list);
	}
	/* @ss is the first source scheme without a destination, if any. */
	list_for_each_entry_from(ss, &src->schemes, list) {
		ns = damos_clone_scheme(dst, ss);
		if (!ns)
			return -ENOMEM;
		damon_add_scheme(dst, ns);
	}
	return 0;
}

#ifdef CONFIG_DAMON_KUNIT_TEST
#include "tests/schemes-kunit.h"
#endif
