// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON-based Operation Schemes (DAMOS) engine.
 *
 * Skeleton: object management is complete, the engine entry points are
 * placeholders that are filled in by the following patches.
 */

#define pr_fmt(fmt) "damon-schemes: " fmt

#include <linux/damon.h>
#include <linux/list.h>
#include <linux/slab.h>

#include "schemes.h"

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
		enum damos_action action, unsigned long apply_interval_us,
		struct damos_quota *quota, struct damos_watermarks *wmarks,
		int target_nid)
{
	struct damos *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	s->pattern = *pattern;
	s->action = action;
	s->apply_interval_us = apply_interval_us;
	s->quota = *quota;
	INIT_LIST_HEAD(&s->quota.goals);
	s->wmarks = *wmarks;
	s->wmarks.activated = true;
	s->target_nid = target_nid;
	INIT_LIST_HEAD(&s->core_filters);
	INIT_LIST_HEAD(&s->ops_filters);
	INIT_LIST_HEAD(&s->list);
	return s;
}

/**
 * damon_add_scheme() - Append a scheme to a context.
 * @ctx:	The context.
 * @s:		The scheme.
 */
void damon_add_scheme(struct damon_ctx *ctx, struct damos *s)
{
	list_add_tail(&s->list, &ctx->schemes);
}

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
struct damos_quota_goal *damos_new_quota_goal(
		enum damos_quota_goal_metric metric,
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
		const unsigned int *node_ids, const unsigned int *weights,
		size_t nr_dests)
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
 * damos_commit_quota_goals() - Make the goals of a quota those of another.
 * @dst:	The quota to update.
 * @src:	The quota to copy the goals of.
 *
 * Return: 0 on success, -ENOMEM (and @dst unchanged) on failure.
 */
int damos_commit_quota_goals(struct damos_quota *dst, struct damos_quota *src)
{
	return 0;
}

/**
 * damos_kdamond_init() - Prepare the schemes of a context for a new kdamond.
 * @ctx:	The context.
 */
void damos_kdamond_init(struct damon_ctx *ctx)
{
}

/**
 * damos_apply_schemes() - Apply the schemes whose apply interval came.
 * @ctx:	The context.
 */
void damos_apply_schemes(struct damon_ctx *ctx)
{
}

/**
 * damos_wmarks_wait_us() - Time to idle because every scheme is inactive.
 * @ctx:	The context.
 *
 * Return: microseconds to idle, or 0 when monitoring should go on.
 */
unsigned long damos_wmarks_wait_us(struct damon_ctx *ctx)
{
	return 0;
}

/**
 * damos_walk_cancel() - Fail a pending damos_walk() request.
 * @ctx:	The context.
 */
void damos_walk_cancel(struct damon_ctx *ctx)
{
}

/**
 * damos_validate_schemes() - Check the schemes of a context are valid.
 * @ctx:	The context.
 * @ops_id:	Operations set the schemes will run on.
 *
 * Return: 0 if valid, -EINVAL otherwise.
 */
int damos_validate_schemes(struct damon_ctx *ctx, enum damon_ops_id ops_id)
{
	return 0;
}

/**
 * damos_commit_schemes() - Make the schemes of a context those of another.
 * @dst:	The context to update.
 * @src:	The context to copy the schemes of.
 *
 * Return: 0 on success, negative error code otherwise.
 */
int damos_commit_schemes(struct damon_ctx *dst, struct damon_ctx *src)
{
	return 0;
}

/**
 * damos_attrs_changed() - Rescale scheme timings after an attrs change.
 * @ctx:	The context, with its new attrs set.
 * @old:	The previous attrs.
 */
void damos_attrs_changed(struct damon_ctx *ctx, struct damon_attrs *old)
{
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
