// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON monitoring core: contexts, targets and regions, the kdamond loop,
 * the adaptive regions adjustment and the monitoring intervals auto-tuning.
 *
 * The core knows nothing of page tables; everything address-space specific
 * goes through the operations set of the context (struct damon_operations).
 */

#define pr_fmt(fmt) "damon: " fmt

#include <linux/damon.h>
#include <linux/delay.h>
#include <linux/export.h>
#include <linux/ioport.h>
#include <linux/kthread.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>

#define CREATE_TRACE_POINTS
#include <trace/events/damon.h>

#include "probes.h"
#include "report.h"
#include "schemes.h"

/* Protects the operations set registry and the running-context counters. */
static DEFINE_MUTEX(damon_lock);
static int nr_running_ctxs;
static bool running_exclusive_ctxs;
static struct damon_operations damon_registered_ops[NR_DAMON_OPS];
static struct kmem_cache *damon_region_cache __ro_after_init;

/* Sleeps longer than this are done in a way a stop request can cut short. */
#define DAMON_SHORT_SLEEP_US	(20 * USEC_PER_MSEC)

/**
 * damon_rand() - Pick a pseudo-random number with the context's generator.
 * @ctx:	The context.
 * @l:		Lowest value.
 * @r:		One past the highest value.
 *
 * Return: a value in [@l, @r), or @l if the range is empty.
 */
unsigned long damon_rand(struct damon_ctx *ctx, unsigned long l,
			 unsigned long r)
{
	if (r <= l)
		return l;
	return l + mul_u64_u32_shr(r - l, prandom_u32_state(&ctx->rnd), 32);
}

/*
 * Regions
 */

/**
 * damon_new_region() - Allocate a region.
 * @start:	Start address.
 * @end:	End address.
 *
 * Return: the region with cleared counters, or NULL on allocation failure.
 */
struct damon_region *damon_new_region(unsigned long start, unsigned long end)
{
	struct damon_region *r;

	r = kmem_cache_alloc(damon_region_cache, GFP_KERNEL);
	if (!r)
		return NULL;
	r->ar.start = start;
	r->ar.end = end;
	r->sampling_addr = start;
	r->nr_accesses = 0;
	r->nr_accesses_bp = 0;
	r->age = 0;
	r->last_nr_accesses = 0;
	r->reported = false;
	memset(r->probe_hits, 0, sizeof(r->probe_hits));
	memset(r->last_probe_hits, 0, sizeof(r->last_probe_hits));
	INIT_LIST_HEAD(&r->list);
	return r;
}

/**
 * damon_add_region() - Append a region to a target.
 * @r:	The region; must lie after every region of @t.
 * @t:	The target.
 */
void damon_add_region(struct damon_region *r, struct damon_target *t)
{
	list_add_tail(&r->list, &t->regions_list);
	t->nr_regions++;
}

/**
 * damon_insert_region() - Insert a region between two adjacent ones.
 * @r:		The region.
 * @prev:	The region that will precede @r.
 * @next:	The region that will follow @r (the one after @prev).
 * @t:		The target of all three.
 */
void damon_insert_region(struct damon_region *r, struct damon_region *prev,
			 struct damon_region *next, struct damon_target *t)
{
	__list_add(&r->list, &prev->list, &next->list);
	t->nr_regions++;
}

static void damon_unlink_region(struct damon_region *r, struct damon_target *t)
{
	list_del(&r->list);
	t->nr_regions--;
}

static void damon_free_region(struct damon_region *r)
{
	kmem_cache_free(damon_region_cache, r);
}

/**
 * damon_destroy_region() - Remove a region from its target and free it.
 * @r:	The region.
 * @t:	Its target.
 */
void damon_destroy_region(struct damon_region *r, struct damon_target *t)
{
	damon_unlink_region(r, t);
	damon_free_region(r);
}

static struct damon_region *damon_clone_region(struct damon_region *src,
					       unsigned long start,
					       unsigned long end)
{
	struct damon_region *r = damon_new_region(start, end);

	if (!r)
		return NULL;
	r->nr_accesses = src->nr_accesses;
	r->nr_accesses_bp = src->nr_accesses_bp;
	r->age = src->age;
	r->last_nr_accesses = src->last_nr_accesses;
	r->reported = false;
	damon_probes_copy_hits(r, src);
	r->sampling_addr = clamp(src->sampling_addr, start, end - 1);
	return r;
}

/*
 * Append the pieces of [@start, @end) to @list: parts covered by regions of
 * @t (from *@cursor on) keep their counters, uncovered parts get new ones.
 * *@cursor is left at the first region that may still reach past @end.
 */
static int damon_cover_range(struct damon_target *t,
			     struct damon_region **cursor, unsigned long start,
			     unsigned long end, struct list_head *list)
{
	struct damon_region *r = *cursor, *piece;
	unsigned long pos = start;

	list_for_each_entry_from(r, &t->regions_list, list) {
		if (r->ar.end <= start)
			continue;
		if (r->ar.start >= end)
			break;
		if (pos < r->ar.start) {
			piece = damon_new_region(pos, r->ar.start);
			if (!piece)
				return -ENOMEM;
			list_add_tail(&piece->list, list);
		}
		piece = damon_clone_region(r, max(r->ar.start, start),
					   min(r->ar.end, end));
		if (!piece)
			return -ENOMEM;
		list_add_tail(&piece->list, list);
		pos = piece->ar.end;
		if (r->ar.end > end)
			break;
	}
	*cursor = r;
	if (pos < end) {
		piece = damon_new_region(pos, end);
		if (!piece)
			return -ENOMEM;
		list_add_tail(&piece->list, list);
	}
	return 0;
}

/**
 * damon_set_regions() - Make a target's regions cover exactly given ranges.
 * @t:			The target.
 * @ranges:		Address-sorted, non-overlapping ranges.
 * @nr_ranges:		Number of @ranges.
 * @min_sz_region:	Granularity the range boundaries are aligned to.
 *
 * Parts of the ranges already covered by regions of @t keep those regions'
 * monitoring results; the rest gets fresh regions; regions outside every
 * range are dropped.  The target is left unchanged on failure.
 *
 * Return: 0 on success, -EINVAL for unsorted or overlapping ranges, -ENOMEM.
 */
int damon_set_regions(struct damon_target *t, struct damon_addr_range *ranges,
		      unsigned int nr_ranges, unsigned long min_sz_region)
{
	struct damon_region *r, *next, *cursor;
	unsigned long start, end, prev_end = 0;
	LIST_HEAD(new_regions);
	unsigned int i, nr = 0;
	int err = 0;

	if (!min_sz_region)
		min_sz_region = 1;
	for (i = 0; i < nr_ranges; i++) {
		if (ranges[i].start > ranges[i].end)
			return -EINVAL;
		if (i && ranges[i].start < ranges[i - 1].end)
			return -EINVAL;
	}

	cursor = list_first_entry(&t->regions_list, struct damon_region, list);
	for (i = 0; i < nr_ranges; i++) {
		start = max(ALIGN_DOWN(ranges[i].start, min_sz_region),
			    prev_end);
		end = ALIGN(ranges[i].end, min_sz_region);
		if (end < ranges[i].end)	/* overflow of the alignment */
			end = ALIGN_DOWN(ranges[i].end, min_sz_region);
		if (start >= end)
			continue;
		err = damon_cover_range(t, &cursor, start, end, &new_regions);
		if (err)
			break;
		prev_end = end;
	}
	if (err) {
		list_for_each_entry_safe(r, next, &new_regions, list)
			damon_free_region(r);
		return err;
	}

	damon_for_each_region_safe(r, next, t)
		damon_destroy_region(r, t);
	list_for_each_entry(r, &new_regions, list)
		nr++;
	list_splice_tail(&new_regions, &t->regions_list);
	t->nr_regions = nr;
	return 0;
}
EXPORT_SYMBOL_GPL(damon_set_regions);

/**
 * damon_update_region_access_rate() - Account one access check of a region.
 * @r:		The region.
 * @accessed:	Whether the check found an access.
 * @attrs:	Monitoring attributes of the region's context.
 *
 * Called by the operations set once per region and sampling interval.
 * Besides counting positive samples in @r->nr_accesses, keeps
 * @r->nr_accesses_bp a pseudo moving sum over one aggregation window: every
 * sample takes one window's average share of the previous window's count
 * out of the sum and adds the new sample in.
 */
void damon_update_region_access_rate(struct damon_region *r, bool accessed,
				     struct damon_attrs *attrs)
{
	unsigned long len = max(attrs->aggr_samples, 1UL);
	unsigned int leaving = r->last_nr_accesses * 10000 / len;
	unsigned int bp = r->nr_accesses_bp;

	bp = bp > leaving ? bp - leaving : 0;
	/* An access report of this sampling interval fell in the region. */
	if (r->reported) {
		accessed = true;
		r->reported = false;
	}
	if (accessed) {
		bp += 10000;
		r->nr_accesses++;
	}
	r->nr_accesses_bp = min_t(unsigned long, bp, len * 10000);
}

/*
 * Targets
 */

/**
 * damon_new_target() - Allocate a target without regions.
 *
 * Return: the target, or NULL on allocation failure.
 */
struct damon_target *damon_new_target(void)
{
	struct damon_target *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	INIT_LIST_HEAD(&t->regions_list);
	INIT_LIST_HEAD(&t->list);
	return t;
}
EXPORT_SYMBOL_GPL(damon_new_target);

/**
 * damon_add_target() - Append a target to a context.
 * @ctx:	The context.
 * @t:		The target.
 */
void damon_add_target(struct damon_ctx *ctx, struct damon_target *t)
{
	list_add_tail(&t->list, &ctx->adaptive_targets);
}
EXPORT_SYMBOL_GPL(damon_add_target);

/**
 * damon_targets_empty() - Whether a context has no target.
 * @ctx:	The context.
 *
 * Return: true if @ctx has no target.
 */
bool damon_targets_empty(struct damon_ctx *ctx)
{
	return list_empty(&ctx->adaptive_targets);
}

/**
 * damon_free_target() - Free a target that is on no context's list.
 * @t:	The target.
 *
 * Frees its regions and drops its pid reference.
 */
void damon_free_target(struct damon_target *t)
{
	struct damon_region *r, *next;

	damon_for_each_region_safe(r, next, t)
		damon_free_region(r);
	put_pid(t->pid);
	kfree(t);
}

/**
 * damon_destroy_target() - Remove a target from its context and free it.
 * @t:		The target.
 * @ctx:	Its context, or NULL if it is on no list.  The operations set
 *		of @ctx is told to release what it attached to @t.
 */
void damon_destroy_target(struct damon_target *t, struct damon_ctx *ctx)
{
	if (ctx && ctx->ops.cleanup_target)
		ctx->ops.cleanup_target(t);
	list_del(&t->list);
	damon_free_target(t);
}

/**
 * damon_nr_regions() - Number of regions of a target.
 * @t:	The target.
 *
 * Return: the number of regions.
 */
unsigned int damon_nr_regions(struct damon_target *t)
{
	return t->nr_regions;
}

/*
 * Contexts and attributes
 */

/**
 * damon_new_ctx() - Allocate a context with the default attributes.
 *
 * Sampling every 5 ms, aggregating every 100 ms, updating the operations
 * every second, 10 to 1000 regions, no operations set selected.
 *
 * Return: the context, or NULL on allocation failure.
 */
struct damon_ctx *damon_new_ctx(void)
{
	struct damon_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return NULL;
	ctx->attrs.sample_interval = 5 * USEC_PER_MSEC;
	ctx->attrs.aggr_interval = 100 * USEC_PER_MSEC;
	ctx->attrs.ops_update_interval = USEC_PER_SEC;
	ctx->attrs.min_nr_regions = 10;
	ctx->attrs.max_nr_regions = 1000;
	ctx->attrs.aggr_samples = 20;
	ctx->addr_unit = 1;
	ctx->min_sz_region = DAMON_MIN_REGION;
	INIT_LIST_HEAD(&ctx->adaptive_targets);
	INIT_LIST_HEAD(&ctx->schemes);
	INIT_LIST_HEAD(&ctx->probes);
	damon_sample_init(ctx);
	mutex_init(&ctx->kdamond_lock);
	init_completion(&ctx->kdamond_started);
	init_completion(&ctx->kdamond_exited);
	complete_all(&ctx->kdamond_exited);
	/* Whatever regions it gets, check them at the first sample. */
	ctx->split_to_min_due = true;
	INIT_LIST_HEAD(&ctx->call_controls);
	mutex_init(&ctx->call_controls_lock);
	INIT_LIST_HEAD(&ctx->repeat_controls);
	mutex_init(&ctx->walk_control_lock);
	prandom_seed_state(&ctx->rnd, get_random_u64());
	return ctx;
}
EXPORT_SYMBOL_GPL(damon_new_ctx);

/**
 * damon_destroy_ctx() - Free a context that is not running.
 * @ctx:	The context.
 *
 * Frees its targets (with their regions) and schemes.  If its kdamond
 * stopped by itself, waits for the thread to be done with the context.
 */
void damon_destroy_ctx(struct damon_ctx *ctx)
{
	struct damon_target *t, *next_t;
	struct damos *s, *next_s;

	/* See the end of kdamond_fn(). */
	wait_for_completion(&ctx->kdamond_exited);
	damon_for_each_target_safe(t, next_t, ctx)
		damon_destroy_target(t, ctx);
	damon_for_each_scheme_safe(s, next_s, ctx)
		damon_destroy_scheme(s);
	damon_probes_destroy_all(ctx);
	damon_sample_destroy(ctx);
	mutex_destroy(&ctx->kdamond_lock);
	mutex_destroy(&ctx->call_controls_lock);
	mutex_destroy(&ctx->walk_control_lock);
	kfree(ctx);
}
EXPORT_SYMBOL_GPL(damon_destroy_ctx);

static int damon_validate_attrs(struct damon_attrs *attrs)
{
	struct damon_intervals_goal *goal = &attrs->intervals_goal;

	if (attrs->min_nr_regions < 3)
		return -EINVAL;
	if (attrs->min_nr_regions > attrs->max_nr_regions)
		return -EINVAL;
	if (attrs->max_nr_regions > DAMON_MAX_NR_REGIONS)
		return -EINVAL;
	if (attrs->sample_interval > attrs->aggr_interval)
		return -EINVAL;
	if (attrs->aggr_interval / max(attrs->sample_interval, 1UL) >
	    DAMON_MAX_AGGR_SAMPLES)
		return -EINVAL;
	if (goal->aggrs) {
		if (!goal->access_bp || goal->access_bp > 10000)
			return -EINVAL;
		if (!goal->min_sample_us ||
		    goal->min_sample_us > goal->max_sample_us)
			return -EINVAL;
	}
	return 0;
}

static unsigned long damon_samples_in(unsigned long us,
				      struct damon_attrs *attrs)
{
	return max(us / max(attrs->sample_interval, 1UL), 1UL);
}

/* Convert a count of @old_max scale to the @new_max scale. */
static unsigned int damon_rescale(unsigned int v, unsigned int old_max,
				  unsigned int new_max)
{
	return div_u64((u64)v * new_max + old_max / 2, max(old_max, 1U));
}

/*
 * Keep region ages, counted in aggregation intervals, the same in time.
 * Rounded to the nearest: truncating would lose up to a whole interval at
 * each step while the intervals grow, and a region idle for long would
 * then look much younger than it is (DAMON_STAT's idle times lagged 12 s).
 */
static void damon_rescale_ages(struct damon_ctx *ctx, unsigned long old_aggr,
			       unsigned long new_aggr)
{
	struct damon_target *t;
	struct damon_region *r;

	new_aggr = max(new_aggr, 1UL);
	damon_for_each_target(t, ctx)
		damon_for_each_region(r, t)
			r->age = div64_ul((u64)r->age * old_aggr + new_aggr / 2,
					  new_aggr);
}

static void damon_rescale_regions(struct damon_ctx *ctx,
				  struct damon_attrs *old,
				  struct damon_attrs *new)
{
	unsigned int old_max = damon_max_nr_accesses(old);
	unsigned int new_max = damon_max_nr_accesses(new);
	struct damon_target *t;
	struct damon_region *r;

	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t) {
			r->nr_accesses = damon_rescale(r->nr_accesses,
						       old_max, new_max);
			r->last_nr_accesses = damon_rescale(r->last_nr_accesses,
							    old_max, new_max);
			r->nr_accesses_bp = damon_rescale(r->nr_accesses_bp,
							  old_max, new_max);
			damon_probes_rescale(r, old_max, new_max);
		}
	}
	damon_rescale_ages(ctx, old->aggr_interval, new->aggr_interval);
}

/* Apply already validated attributes. */
static void damon_apply_attrs(struct damon_ctx *ctx, struct damon_attrs *attrs)
{
	struct damon_attrs old = ctx->attrs;
	unsigned long sis = ctx->passed_sample_intervals;

	attrs->aggr_samples = damon_samples_in(attrs->aggr_interval, attrs);
	if (damon_max_nr_accesses(&old) != damon_max_nr_accesses(attrs) ||
	    old.aggr_interval != attrs->aggr_interval)
		damon_rescale_regions(ctx, &old, attrs);
	ctx->attrs = *attrs;
	ctx->split_to_min_due = true;
	ctx->next_aggregation_sis = sis + attrs->aggr_samples;
	ctx->next_ops_update_sis = sis +
		damon_samples_in(attrs->ops_update_interval, attrs);
	ctx->next_intervals_tune_sis = sis +
		attrs->aggr_samples * attrs->intervals_goal.aggrs;
	ctx->tune_observed = 0;
	ctx->tune_observable = 0;
	damos_attrs_changed(ctx, &old);
}

/**
 * damon_set_attrs() - Set the monitoring attributes of a context.
 * @ctx:	The context; stopped, or the caller is its kdamond.
 * @attrs:	The attributes.
 *
 * Monitoring results already gathered are rescaled to the new intervals.
 *
 * Return: 0 on success, -EINVAL for invalid attributes (nothing changed).
 */
int damon_set_attrs(struct damon_ctx *ctx, struct damon_attrs *attrs)
{
	int err = damon_validate_attrs(attrs);

	if (err)
		return err;
	damon_apply_attrs(ctx, attrs);
	return 0;
}

/**
 * damon_set_schemes() - Replace the schemes of a context.
 * @ctx:	The context; not running.
 * @schemes:	The new schemes; @ctx takes them over.
 * @nr_schemes:	Number of @schemes.
 */
void damon_set_schemes(struct damon_ctx *ctx, struct damos **schemes,
		       ssize_t nr_schemes)
{
	struct damos *s, *next;
	ssize_t i;

	damon_for_each_scheme_safe(s, next, ctx)
		damon_destroy_scheme(s);
	for (i = 0; i < nr_schemes; i++)
		damon_add_scheme(ctx, schemes[i]);
}

/*
 * Operations sets
 */

static bool __damon_is_registered_ops(enum damon_ops_id id)
{
	return id < NR_DAMON_OPS && damon_registered_ops[id].check_accesses;
}

/**
 * damon_register_ops() - Register an operations set.
 * @ops:	The set; its id must be valid and not registered yet.
 *
 * Return: 0 on success, -EINVAL for a bad id, -EBUSY if already registered.
 */
int damon_register_ops(struct damon_operations *ops)
{
	int err = 0;

	if (ops->id >= NR_DAMON_OPS)
		return -EINVAL;
	mutex_lock(&damon_lock);
	if (__damon_is_registered_ops(ops->id))
		err = -EBUSY;
	else
		damon_registered_ops[ops->id] = *ops;
	mutex_unlock(&damon_lock);
	return err;
}

/**
 * damon_is_registered_ops() - Whether an operations set is registered.
 * @id:	Id of the set.
 *
 * Return: true if registered.
 */
bool damon_is_registered_ops(enum damon_ops_id id)
{
	bool registered;

	mutex_lock(&damon_lock);
	registered = __damon_is_registered_ops(id);
	mutex_unlock(&damon_lock);
	return registered;
}

/**
 * damon_select_ops() - Give a context a registered operations set.
 * @ctx:	The context; not running.
 * @id:		Id of the set.
 *
 * Return: 0 on success, -EINVAL if no such set is registered.
 */
int damon_select_ops(struct damon_ctx *ctx, enum damon_ops_id id)
{
	int err = 0;

	mutex_lock(&damon_lock);
	if (__damon_is_registered_ops(id))
		ctx->ops = damon_registered_ops[id];
	else
		err = -EINVAL;
	mutex_unlock(&damon_lock);
	return err;
}
EXPORT_SYMBOL_GPL(damon_select_ops);

/*
 * Validation and online commit
 */

static int damon_validate_target_regions(struct damon_target *t)
{
	struct damon_region *r, *prev = NULL;

	damon_for_each_region(r, t) {
		if (r->ar.start >= r->ar.end)
			return -EINVAL;
		if (prev && prev->ar.end > r->ar.start)
			return -EINVAL;
		prev = r;
	}
	return 0;
}

static int damon_validate_ctx(struct damon_ctx *ctx)
{
	struct damon_target *t;
	int err;

	err = damon_validate_attrs(&ctx->attrs);
	if (err)
		return err;
	if (!ctx->addr_unit || !ctx->min_sz_region)
		return -EINVAL;
	if (ctx->ops.id >= NR_DAMON_OPS)
		return -EINVAL;
	/* Only physical addresses may be counted in units of more than a byte. */
	if (ctx->addr_unit != 1 && !ctx->ops.scaled_addr)
		return -EINVAL;
	damon_for_each_target(t, ctx) {
		err = damon_validate_target_regions(t);
		if (err)
			return err;
	}
	err = damon_sample_validate(ctx);
	if (err)
		return err;
	err = damon_probes_validate(ctx);
	if (err)
		return err;
	return damos_validate_schemes(ctx);
}

static int damon_copy_regions(struct damon_target *dst,
			      struct damon_target *src,
			      unsigned long min_sz_region)
{
	struct damon_addr_range *ranges;
	struct damon_region *r;
	unsigned int i = 0;
	int err;

	ranges = kmalloc_array(max(src->nr_regions, 1U), sizeof(*ranges),
			       GFP_KERNEL);
	if (!ranges)
		return -ENOMEM;
	damon_for_each_region(r, src)
		ranges[i++] = r->ar;
	err = damon_set_regions(dst, ranges, i, min_sz_region);
	kfree(ranges);
	return err;
}

static int damon_commit_target(struct damon_target *dst,
			       struct damon_target *src, bool same_ops,
			       unsigned long min_sz_region)
{
	struct damon_region *r, *next;

	if (!same_ops || dst->pid != src->pid) {
		damon_for_each_region_safe(r, next, dst)
			damon_destroy_region(r, dst);
		put_pid(dst->pid);
		dst->pid = get_pid(src->pid);
	}
	if (!src->nr_regions)
		return 0;
	return damon_copy_regions(dst, src, min_sz_region);
}

static int damon_commit_targets(struct damon_ctx *dst, struct damon_ctx *src)
{
	bool same_ops = dst->ops.id == src->ops.id;
	struct damon_target *dt, *st, *nt, *next;
	int err;

	dt = list_first_entry(&dst->adaptive_targets, struct damon_target,
			      list);
	damon_for_each_target(st, src) {
		if (!list_entry_is_head(dt, &dst->adaptive_targets, list)) {
			next = list_next_entry(dt, list);
			if (st->obsolete) {
				damon_destroy_target(dt, dst);
			} else {
				err = damon_commit_target(dt, st, same_ops,
							  src->min_sz_region);
				if (err)
					return err;
			}
			dt = next;
			continue;
		}
		if (st->obsolete)
			continue;
		nt = damon_new_target();
		if (!nt)
			return -ENOMEM;
		nt->pid = get_pid(st->pid);
		err = damon_copy_regions(nt, st, src->min_sz_region);
		if (err) {
			damon_free_target(nt);
			return err;
		}
		/* dt stays at the list head: no dst target is left to match */
		damon_add_target(dst, nt);
	}
	/* Targets src does not have any more. */
	while (!list_entry_is_head(dt, &dst->adaptive_targets, list)) {
		next = list_next_entry(dt, list);
		damon_destroy_target(dt, dst);
		dt = next;
	}
	return 0;
}

/**
 * damon_commit_ctx() - Make a context take the parameters of another.
 * @dst:	The context to update; stopped, or the caller is its kdamond.
 * @src:	The context holding the new parameters.
 *
 * Attributes, operations set, address unit, pause, targets and schemes of
 * @src become those of @dst, keeping what @dst gathered where it still
 * applies: regions of targets that stay the same, statistics and quota
 * state of schemes at the same index.  Targets of @src marked obsolete
 * remove the @dst target at their index.  @src is validated as a whole
 * first, so invalid parameters leave @dst unchanged.
 *
 * Return: 0 on success, -EINVAL for invalid parameters, -EBUSY if @src
 * asks for perf events another context owns, the error of the perf counter
 * creation, -ENOMEM.
 */
int damon_commit_ctx(struct damon_ctx *dst, struct damon_ctx *src)
{
	int err;

	err = damon_validate_ctx(src);
	if (err)
		return err;
	/* First: it fails for a busy perf event owner, and @dst is kept. */
	err = damon_perf_commit(dst, src);
	if (err)
		return err;
	err = damos_commit_schemes(dst, src);
	if (err)
		return err;
	err = damon_commit_targets(dst, src);
	if (err)
		return err;
	err = damon_sample_commit(dst, src);
	if (err)
		return err;
	err = damon_probes_commit(dst, src);
	if (err)
		return err;
	if (memcmp(&dst->attrs, &src->attrs, offsetof(struct damon_attrs,
						      aggr_samples)))
		damon_apply_attrs(dst, &src->attrs);
	dst->ops = src->ops;
	dst->addr_unit = src->addr_unit;
	dst->min_sz_region = src->min_sz_region;
	dst->pause = src->pause;
	/* Targets and regions may have changed. */
	dst->split_to_min_due = true;
	return 0;
}

/*
 * Adaptive regions adjustment
 */

static unsigned long damon_total_sz(struct damon_ctx *ctx)
{
	struct damon_target *t;
	struct damon_region *r;
	unsigned long sz = 0;

	damon_for_each_target(t, ctx)
		damon_for_each_region(r, t)
			sz += damon_sz_region(r);
	return sz;
}

static unsigned int damon_total_nr_regions(struct damon_ctx *ctx)
{
	struct damon_target *t;
	unsigned int nr = 0;

	damon_for_each_target(t, ctx)
		nr += t->nr_regions;
	return nr;
}

/* Weighted average of @a (weight @wa) and @b (weight @wb), rounded down. */
static unsigned int damon_wavg(unsigned int a, unsigned long wa,
			       unsigned int b, unsigned long wb)
{
	if (!wa && !wb)
		return a;
	if (a <= b)
		return a + mul_u64_u64_div_u64(b - a, wb, wa + wb);
	return b + mul_u64_u64_div_u64(a - b, wa, wa + wb);
}

/* Merge @r, the region right after @l, into @l. */
static void damon_merge_two(struct damon_target *t, struct damon_region *l,
			    struct damon_region *r, struct damon_ctx *ctx)
{
	unsigned long sl = damon_sz_region(l), sr = damon_sz_region(r);

	l->nr_accesses = damon_wavg(l->nr_accesses, sl, r->nr_accesses, sr);
	l->nr_accesses_bp = damon_wavg(l->nr_accesses_bp, sl,
				       r->nr_accesses_bp, sr);
	l->last_nr_accesses = damon_wavg(l->last_nr_accesses, sl,
					 r->last_nr_accesses, sr);
	l->age = damon_wavg(l->age, sl, r->age, sr);
	damon_probes_merge_hits(l, sl, r, sr);
	l->ar.end = r->ar.end;
	damos_forget_region(ctx, r);
	damon_destroy_region(r, t);
}

/*
 * What the regions adjustment compares regions by: the access count of the
 * current window (or of the previous one, if @last), or the weighted probe
 * hits instead while some probe of @ctx has a weight (the "attrs-only"
 * rule, see damon_probes_key()).
 */
static unsigned int damon_adjust_key(struct damon_ctx *ctx,
				     struct damon_region *r, bool last)
{
	if (damon_probes_attrs_only(ctx))
		return damon_probes_key(ctx, r, last);
	return last ? r->last_nr_accesses : r->nr_accesses;
}

/*
 * Merge adjacent regions of @t whose access counts differ by at most
 * @thres, as long as the result stays within @sz_limit, and at most
 * *@nr_merges times (decremented for each merge).
 */
static void damon_merge_regions_of(struct damon_ctx *ctx,
				   struct damon_target *t, unsigned int thres,
				   unsigned long sz_limit,
				   unsigned long *nr_merges)
{
	struct damon_region *r, *next, *prev = NULL;

	damon_for_each_region_safe(r, next, t) {
		if (!*nr_merges)
			break;
		if (prev && prev->ar.end == r->ar.start &&
		    abs((int)damon_adjust_key(ctx, prev, false) -
			(int)damon_adjust_key(ctx, r, false)) <= thres &&
		    damon_sz_region(prev) + damon_sz_region(r) <= sz_limit) {
			damon_merge_two(t, prev, r, ctx);
			(*nr_merges)--;
			continue;
		}
		prev = r;
	}
}

static void damon_update_ages(struct damon_ctx *ctx, unsigned int thres)
{
	struct damon_target *t;
	struct damon_region *r;

	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t) {
			if (abs((int)damon_adjust_key(ctx, r, false) -
				(int)damon_adjust_key(ctx, r, true)) > thres)
				r->age = 0;
			else if (r->age < UINT_MAX)
				r->age++;
		}
	}
}

/* Largest size a region may grow to by merging, keeping min_nr_regions. */
static unsigned long damon_merge_sz_limit(struct damon_ctx *ctx)
{
	unsigned long limit;

	limit = damon_total_sz(ctx) / max(ctx->attrs.min_nr_regions, 1UL);
	limit = ALIGN_DOWN(limit, ctx->min_sz_region);
	return max(limit, ctx->min_sz_region);
}

/*
 * Merge similar adjacent regions, starting with a threshold of a tenth of
 * the highest access count and raising it until at most max_nr_regions
 * remain.  No merged region grows beyond the total size divided by
 * min_nr_regions, and merges stop once min_nr_regions are left: uneven
 * region sizes could otherwise go below the minimum within the size limit
 * (one region of half the total and many small ones merging into few).
 */
static void kdamond_merge_regions(struct damon_ctx *ctx,
				  unsigned int max_nr_accesses)
{
	unsigned int limit = damon_max_nr_accesses(&ctx->attrs);
	unsigned long sz_limit = damon_merge_sz_limit(ctx);
	unsigned long nr, nr_merges;
	struct damon_target *t;
	unsigned int thres;

	if (damon_probes_attrs_only(ctx))
		max_nr_accesses = damon_probes_max_key(ctx);
	thres = max_nr_accesses / 10;
	damon_update_ages(ctx, thres);
	for (;;) {
		nr = damon_total_nr_regions(ctx);
		nr_merges = nr > ctx->attrs.min_nr_regions ?
			nr - ctx->attrs.min_nr_regions : 0;
		damon_for_each_target(t, ctx)
			damon_merge_regions_of(ctx, t, thres, sz_limit,
					       &nr_merges);
		/*
		 * Every count is at most limit: once thres reaches it, all
		 * merges the size limit allows were done.
		 */
		if (damon_total_nr_regions(ctx) <= ctx->attrs.max_nr_regions ||
		    thres >= limit)
			break;
		/* Doubling, saturated: thres * 2 could wrap. */
		thres = thres >= limit / 2 ? limit : max(thres * 2, thres + 1);
		cond_resched();
	}
}

/**
 * damon_split_region_at() - Split a region in two.
 * @t:		The region's target.
 * @r:		The region.
 * @sz_r:	Size of the first part; the rest becomes a new region right
 *		after @r, with the same monitoring results.
 *
 * Does nothing if @sz_r leaves an empty part or the allocation fails.
 *
 * Return: true if @r was split, false otherwise.
 */
bool damon_split_region_at(struct damon_target *t, struct damon_region *r,
			   unsigned long sz_r)
{
	struct damon_region *tail;

	if (!sz_r || sz_r >= damon_sz_region(r))
		return false;
	tail = damon_clone_region(r, r->ar.start + sz_r, r->ar.end);
	if (!tail)
		return false;
	r->ar.end = tail->ar.start;
	if (r->sampling_addr >= r->ar.end)
		r->sampling_addr = r->ar.start;
	damon_insert_region(tail, r, list_next_entry(r, list), t);
	return true;
}

/* Split @r at a random point between 10% and 90% of its size. */
static bool damon_split_randomly(struct damon_ctx *ctx,
				 struct damon_target *t, struct damon_region *r)
{
	unsigned long unit = ctx->min_sz_region;
	unsigned long units = damon_sz_region(r) / unit;
	unsigned long at;

	if (units < 2)
		return false;
	at = damon_rand(ctx, units / 10, units - units / 10 + 1);
	at = clamp(at, 1UL, units - 1);
	return damon_split_region_at(t, r, at * unit);
}

/*
 * Split regions until min_nr_regions are reached, in one pass over the
 * regions: each region bigger than the size limit of merges (the total
 * size divided by min_nr_regions) is cut into even pieces, as many as that
 * limit asks for, but no more than the minimum still needs.  As every
 * region of at most the limit counts one and a bigger one gets
 * DIV_ROUND_UP(size, limit) pieces, the pass ends with min_nr_regions
 * unless the regions are too small to split, an allocation fails or the
 * kdamond is asked to stop.  O(regions + min_nr_regions).
 *
 * Return: false if an allocation failure or a stop request ended the pass
 * early, so that it is worth retrying; true otherwise.
 */
static bool damon_split_to_min(struct damon_ctx *ctx)
{
	unsigned long min_nr = ctx->attrs.min_nr_regions;
	unsigned long unit = max(ctx->min_sz_region, 1UL);
	unsigned long nr = damon_total_nr_regions(ctx);
	unsigned long limit, sz, pieces, piece;
	struct damon_region *r, *next;
	struct damon_target *t;

	if (nr >= min_nr)
		return true;
	limit = damon_merge_sz_limit(ctx);
	damon_for_each_target(t, ctx) {
		damon_for_each_region_safe(r, next, t) {
			sz = damon_sz_region(r);
			if (sz <= limit)
				continue;
			pieces = min3(DIV_ROUND_UP(sz, limit), min_nr - nr + 1,
				      sz / unit);
			for (; pieces > 1; pieces--) {
				if (damon_stop_requested())
					return false;
				cond_resched();
				sz = damon_sz_region(r);
				piece = ALIGN_DOWN(sz / pieces, unit);
				/* 0 < piece < sz: only allocations fail. */
				if (!damon_split_region_at(t, r, piece))
					return false;
				nr++;
				r = list_next_entry(r, list);
			}
			if (nr >= min_nr)
				return true;
		}
	}
	return true;
}

/*
 * damon_split_to_min() when the region count may have dropped below the
 * minimum since it last completed: O(1) per sample otherwise, also when
 * the regions are too small to ever reach the minimum.
 */
static void kdamond_split_to_min_if_due(struct damon_ctx *ctx)
{
	if (ctx->split_to_min_due)
		ctx->split_to_min_due = !damon_split_to_min(ctx);
}

/*
 * Size in minimum-size units of a piece to cut off @r at the edge it shares
 * with a neighbor of @nb_sz bytes and @nb_nr_accesses, or 0 for none.
 *
 * Random split points rarely fall where the access pattern changes, so the
 * hot memory next to a boundary often ends up as a sliver of a big cold
 * region, whose samples seldom land on it.  A piece cut right at the edge
 * of a differently accessed neighbor shows in the next aggregation which
 * side it belongs to, and merges move the boundary there.  The piece size
 * is log-uniform over four octaves below the smaller of the neighbor and
 * half of @r: the pattern rarely changes on a much smaller scale than the
 * neighbor's.
 */
static unsigned long damon_edge_units(struct damon_ctx *ctx,
				      struct damon_region *r,
				      unsigned long nb_sz,
				      unsigned int nb_nr_accesses)
{
	unsigned long scale, hi;

	if (nb_nr_accesses == damon_adjust_key(ctx, r, true))
		return 0;
	scale = min(nb_sz, damon_sz_region(r) / 2) / ctx->min_sz_region;
	if (!scale)
		return 0;
	hi = scale >> damon_rand(ctx, 0, min(ilog2(scale), 4) + 1);
	return damon_rand(ctx, hi / 2 + 1, hi + 1);
}

/* Cut @units minimum-size units off the left or right edge of @r. */
static bool damon_split_edge(struct damon_ctx *ctx, struct damon_target *t,
			     struct damon_region *r, unsigned long units,
			     bool left)
{
	unsigned long sz = damon_sz_region(r);
	unsigned long piece = units * ctx->min_sz_region;

	damon_split_region_at(t, r, left ? piece : sz - piece);
	return damon_sz_region(r) < sz;
}

/*
 * Split each region into two pieces, or three while the regions are few, as
 * long as the total stays within max_nr_regions.  A region next to one
 * accessed differently (in the window just reset) has its first cut at
 * that edge (one edge, chosen at random, if both qualify); the other cuts
 * are at random points of the rest.  Then, if fewer than min_nr_regions
 * remain (targets changed, or tiny regions merged), split regions until the
 * minimum is reached.
 */
static void kdamond_split_regions(struct damon_ctx *ctx)
{
	unsigned int nr = damon_total_nr_regions(ctx);
	unsigned long max_nr = ctx->attrs.max_nr_regions;
	unsigned int pieces = nr * 3 <= max_nr ? 3 : 2;
	struct damon_region *r, *next;
	struct damon_target *t;
	unsigned long lu, ru, prev_end, prev_sz;
	unsigned int i, cuts, prev_nr_accesses;

	damon_for_each_target(t, ctx) {
		prev_end = 0;
		prev_sz = 0;
		prev_nr_accesses = 0;
		damon_for_each_region_safe(r, next, t) {
			cond_resched();
			lu = 0;
			ru = 0;
			if (prev_sz && prev_end == r->ar.start)
				lu = damon_edge_units(ctx, r, prev_sz,
						      prev_nr_accesses);
			if (!list_entry_is_head(next, &t->regions_list, list) &&
			    next->ar.start == r->ar.end)
				ru = damon_edge_units(ctx, r,
						      damon_sz_region(next),
						      damon_adjust_key(ctx, next, true));
			if (lu && ru && damon_rand(ctx, 0, 2))
				lu = 0;
			else if (lu)
				ru = 0;
			prev_end = r->ar.end;
			prev_sz = damon_sz_region(r);
			prev_nr_accesses = damon_adjust_key(ctx, r, true);

			cuts = pieces - 1;
			if ((lu || ru) && nr < max_nr &&
			    damon_split_edge(ctx, t, r, lu ? lu : ru,
					     lu != 0)) {
				nr++;
				cuts--;
				/* Go on with the part away from the edge. */
				if (lu)
					r = list_next_entry(r, list);
			}
			for (i = 0; i < cuts && nr < max_nr; i++) {
				if (!damon_split_randomly(ctx, t, r))
					break;
				nr++;
				/* Split the tail part further. */
				r = list_next_entry(r, list);
			}
		}
	}

	/* Merges may have left fewer: split now, or at the next sample. */
	ctx->split_to_min_due = true;
	kdamond_split_to_min_if_due(ctx);
}

/*
 * Monitoring intervals auto-tuning
 */

/*
 * Next sampling interval given the observed share of accesses in bp.  More
 * time between samples lets more accesses be seen, so the interval grows
 * when too few are seen and shrinks when too many are.  The step is the
 * goal-to-observed ratio, halved in effect and bounded to [0.75, 1.5] to
 * damp oscillation.
 */
static unsigned long damon_tuned_sample_us(unsigned long sample_us,
					   unsigned long observed_bp,
					   struct damon_intervals_goal *goal)
{
	unsigned long factor_bp;
	u64 next;

	if (!observed_bp)
		factor_bp = 20000;
	else
		factor_bp = min(goal->access_bp * 10000 / observed_bp, 20000UL);
	factor_bp = (10000 + max(factor_bp, 5000UL)) / 2;
	next = div_u64((u64)sample_us * factor_bp, 10000);
	if (next == sample_us && factor_bp != 10000)
		next += factor_bp > 10000 ? 1 : -1;
	return clamp_t(u64, next, goal->min_sample_us, goal->max_sample_us);
}

/* Accumulate the accesses seen in the ending aggregation window. */
static void damon_account_tune_window(struct damon_ctx *ctx)
{
	unsigned long unit = max(ctx->min_sz_region, 1UL);
	unsigned int max_nr = damon_max_nr_accesses(&ctx->attrs);
	struct damon_target *t;
	struct damon_region *r;

	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t) {
			unsigned long units = damon_sz_region(r) / unit;

			ctx->tune_observed += units * r->nr_accesses;
			ctx->tune_observable += units * max_nr;
		}
	}
}

static void kdamond_tune_intervals(struct damon_ctx *ctx)
{
	struct damon_attrs *attrs = &ctx->attrs;
	struct damon_intervals_goal *goal = &attrs->intervals_goal;
	unsigned long observed_bp, sample_us;
	struct damon_attrs old;

	damon_account_tune_window(ctx);
	if (ctx->passed_sample_intervals < ctx->next_intervals_tune_sis)
		return;

	observed_bp = ctx->tune_observable ?
		mul_u64_u64_div_u64(ctx->tune_observed, 10000,
				    ctx->tune_observable) : 0;
	sample_us = damon_tuned_sample_us(attrs->sample_interval, observed_bp,
					  goal);
	ctx->tune_observed = 0;
	ctx->tune_observable = 0;
	ctx->next_intervals_tune_sis = ctx->passed_sample_intervals +
		attrs->aggr_samples * goal->aggrs;
	if (sample_us == attrs->sample_interval)
		return;
	/*
	 * Both intervals scale together: samples per window, and so the
	 * access counts, stay the same.  Ages are kept in time.
	 */
	damon_rescale_ages(ctx, attrs->aggr_interval,
			   sample_us * attrs->aggr_samples);
	old = *attrs;
	attrs->sample_interval = sample_us;
	attrs->aggr_interval = sample_us * attrs->aggr_samples;
	ctx->next_ops_update_sis = ctx->passed_sample_intervals +
		damon_samples_in(attrs->ops_update_interval, attrs);
	/* Pending applications and watermarks checks count samples too. */
	damos_attrs_changed(ctx, &old);
	trace_damon_monitor_intervals_tune(sample_us);
}

/*
 * The kdamond
 */

static void kdamond_report(struct damon_ctx *ctx)
{
	struct damon_target *t;
	struct damon_region *r;
	unsigned int tidx = 0;

	damon_probes_trace_aggregated(ctx);
	if (!trace_damon_aggregated_enabled())
		return;
	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t)
			trace_damon_aggregated(tidx, r, t->nr_regions);
		tidx++;
	}
}

static void kdamond_reset_aggregated(struct damon_ctx *ctx)
{
	struct damon_target *t;
	struct damon_region *r;

	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t) {
			r->last_nr_accesses = r->nr_accesses;
			r->nr_accesses_bp = r->nr_accesses * 10000;
			r->nr_accesses = 0;
			damon_probes_reset_aggregated(r);
		}
	}
}

/*
 * Whether damon_call() queued new work.  Lockless, as it is checked after
 * setting the task state for sleeping; damon_call() wakes the kdamond after
 * queueing, so a request seen late is not missed.
 */
static bool kdamond_calls_pending(struct damon_ctx *ctx)
{
	return !list_empty_careful(&ctx->call_controls);
}

/*
 * Run the pending damon_call() requests, or cancel them all if @cancel.
 * Repeated requests move to ->repeat_controls and run on every call.
 */
static void kdamond_call(struct damon_ctx *ctx, bool cancel)
{
	struct damon_call_control *control, *next;
	LIST_HEAD(todo);

	mutex_lock(&ctx->call_controls_lock);
	list_splice_tail_init(&ctx->call_controls, &todo);
	mutex_unlock(&ctx->call_controls_lock);
	list_splice_init(&ctx->repeat_controls, &todo);

	list_for_each_entry_safe(control, next, &todo, list) {
		list_del_init(&control->list);
		if (cancel) {
			control->canceled = true;
			complete(&control->completion);
			continue;
		}
		control->return_code = control->fn(control->data);
		if (control->repeat)
			list_add_tail(&control->list, &ctx->repeat_controls);
		else
			complete(&control->completion);
	}
}

static bool kdamond_need_stop(struct damon_ctx *ctx)
{
	struct damon_target *t;

	if (kthread_should_stop())
		return true;
	if (!ctx->ops.target_valid)
		return false;
	/* Once all its targets are gone, a kdamond has nothing to monitor. */
	damon_for_each_target(t, ctx) {
		if (ctx->ops.target_valid(t))
			return false;
	}
	return true;
}

/* Jiffies from @now until @deadline, or 0 if the deadline passed. */
static long damon_jiffies_left(unsigned long deadline, unsigned long now)
{
	return time_after(deadline, now) ? (long)(deadline - now) : 0;
}

/*
 * Sleep for @us.  Short sleeps are precise; long ones end early when the
 * kdamond is asked to stop or given work by damon_call().
 */
static void kdamond_sleep(struct damon_ctx *ctx, unsigned long us)
{
	unsigned long deadline;

	if (us <= DAMON_SHORT_SLEEP_US) {
		usleep_idle_range(us, us + 1);
		return;
	}
	deadline = jiffies + usecs_to_jiffies(us);
	while (time_before(jiffies, deadline)) {
		set_current_state(TASK_IDLE);
		if (kthread_should_stop() || kdamond_calls_pending(ctx)) {
			__set_current_state(TASK_RUNNING);
			return;
		}
		/* jiffies may have passed the deadline since the check. */
		schedule_timeout(damon_jiffies_left(deadline, jiffies));
		__set_current_state(TASK_RUNNING);
	}
}

static void kdamond_init_timing(struct damon_ctx *ctx)
{
	struct damon_attrs *attrs = &ctx->attrs;

	attrs->aggr_samples = damon_samples_in(attrs->aggr_interval, attrs);
	ctx->passed_sample_intervals = 0;
	ctx->next_aggregation_sis = attrs->aggr_samples;
	ctx->next_ops_update_sis =
		damon_samples_in(attrs->ops_update_interval, attrs);
	ctx->next_intervals_tune_sis =
		attrs->aggr_samples * attrs->intervals_goal.aggrs;
	ctx->tune_observed = 0;
	ctx->tune_observable = 0;
}

/* One sampling interval of monitoring; the aggregation work when due. */
static void kdamond_sample(struct damon_ctx *ctx)
{
	bool page_table = ctx->sample.primitives.page_table;
	/* Armed pages are disarmed in this same call, whatever happens. */
	bool page_fault = ctx->sample.primitives.page_fault &&
		ctx->ops.fault_sample;
	unsigned int max_nr_accesses = 0;
	bool aggregate;

	/*
	 * Regions set by the ops set's init or update, or by a commit, come
	 * without the split to min_nr_regions of the aggregation: do it now,
	 * before they are sampled and handed to schemes.
	 */
	kdamond_split_to_min_if_due(ctx);
	damon_report_tick_start(ctx);
	if (page_table && ctx->ops.prepare_access_checks)
		ctx->ops.prepare_access_checks(ctx);
	if (page_fault)
		ctx->ops.fault_sample(ctx, true);
	kdamond_sleep(ctx, ctx->attrs.sample_interval);
	/* Before the drain, so that the faults of the interval are in. */
	if (page_fault)
		ctx->ops.fault_sample(ctx, false);
	damon_report_tick_end(ctx);
	if (!page_table)
		max_nr_accesses = damon_report_check_accesses(ctx);
	else if (ctx->ops.check_accesses)
		max_nr_accesses = ctx->ops.check_accesses(ctx);
	if (ctx->ops.apply_probes && !list_empty(&ctx->probes))
		ctx->ops.apply_probes(ctx);
	ctx->passed_sample_intervals++;

	aggregate = ctx->passed_sample_intervals >= ctx->next_aggregation_sis;
	if (aggregate)
		kdamond_merge_regions(ctx, max_nr_accesses);
	damos_apply_schemes(ctx);
	if (!aggregate)
		return;
	if (ctx->attrs.intervals_goal.aggrs)
		kdamond_tune_intervals(ctx);
	kdamond_report(ctx);
	kdamond_reset_aggregated(ctx);
	kdamond_split_regions(ctx);
	ctx->next_aggregation_sis = ctx->passed_sample_intervals +
		ctx->attrs.aggr_samples;
}

static int kdamond_fn(void *data)
{
	struct damon_ctx *ctx = data;
	unsigned long wait_us;

	kdamond_init_timing(ctx);
	if (ctx->ops.init)
		ctx->ops.init(ctx);
	ctx->split_to_min_due = true;
	damos_kdamond_init(ctx);
	damon_perf_arm(ctx);
	complete(&ctx->kdamond_started);

	while (!kdamond_need_stop(ctx)) {
		kdamond_call(ctx, false);
		if (ctx->pause) {
			/* No scheme is applied while paused: nothing to walk. */
			damos_walk_complete(ctx);
			kdamond_sleep(ctx, ctx->attrs.sample_interval);
			continue;
		}
		wait_us = damos_wmarks_wait_us(ctx);
		if (wait_us) {
			kdamond_sleep(ctx, wait_us);
			continue;
		}
		kdamond_sample(ctx);
		if (ctx->passed_sample_intervals >= ctx->next_ops_update_sis) {
			struct damon_attrs *attrs = &ctx->attrs;

			ctx->next_ops_update_sis = ctx->passed_sample_intervals +
				damon_samples_in(attrs->ops_update_interval, attrs);
			if (ctx->ops.update)
				ctx->ops.update(ctx);
			ctx->split_to_min_due = true;
		}
	}

	if (ctx->ops.cleanup)
		ctx->ops.cleanup(ctx);
	/* No sample may reach the rings once they are freed. */
	damon_perf_stop(ctx);
	damon_report_kdamond_exit(ctx);
	/*
	 * Requests are queued only while ->kdamond is set, under kdamond_lock;
	 * fail those still pending before a new kdamond of this context can
	 * be started, so that only requests meant for this one are failed.
	 */
	mutex_lock(&damon_lock);
	mutex_lock(&ctx->kdamond_lock);
	ctx->kdamond = NULL;
	kdamond_call(ctx, true);
	damos_walk_cancel(ctx);
	mutex_unlock(&ctx->kdamond_lock);
	if (!--nr_running_ctxs)
		running_exclusive_ctxs = false;
	mutex_unlock(&damon_lock);
	/*
	 * Once ->kdamond is NULL, others see the context stopped and may free
	 * it, but mutex_unlock() may still touch the mutex after handing it
	 * over.  So damon_destroy_ctx(), damon_stop() and a new start wait for
	 * this completion instead, and it is the last access to the context:
	 * complete_all() releases the completion's spinlock as its last
	 * access, and waiters return only after taking that lock.
	 */
	complete_all(&ctx->kdamond_exited);
	return 0;
}

/* Start the kdamond of @ctx; the caller holds damon_lock. */
static int __damon_start(struct damon_ctx *ctx)
{
	struct task_struct *kdamond;

	mutex_lock(&ctx->kdamond_lock);
	if (ctx->kdamond) {
		mutex_unlock(&ctx->kdamond_lock);
		return -EBUSY;
	}
	/*
	 * A previous kdamond that cleared ->kdamond under damon_lock, held
	 * here, needs no lock any more to finish.
	 */
	wait_for_completion(&ctx->kdamond_exited);
	reinit_completion(&ctx->kdamond_started);
	reinit_completion(&ctx->kdamond_exited);
	kdamond = kthread_run(kdamond_fn, ctx, "kdamond.%d", nr_running_ctxs);
	if (IS_ERR(kdamond)) {
		complete_all(&ctx->kdamond_exited);
		mutex_unlock(&ctx->kdamond_lock);
		return PTR_ERR(kdamond);
	}
	ctx->kdamond = kdamond;
	ctx->kdamond_stopping = false;
	nr_running_ctxs++;
	mutex_unlock(&ctx->kdamond_lock);
	wait_for_completion(&ctx->kdamond_started);
	return 0;
}

/**
 * damon_start() - Start monitoring with a group of contexts.
 * @ctxs:	The contexts.
 * @nr_ctxs:	Number of @ctxs.
 * @exclusive:	Refuse to run alongside any other context, and make later
 *		starts fail while this group runs.
 *
 * Starts one kdamond per context and returns once they all run.  If one
 * fails to start, those started before it are stopped again: either all
 * of them run, or none that this call started.
 *
 * Return: 0 on success, -EBUSY if exclusivity forbids the start, a
 * context already runs or another context owns the perf event counters,
 * -EINVAL for invalid parameters, or the error of the perf counter or
 * thread creation.
 */
int damon_start(struct damon_ctx **ctxs, int nr_ctxs, bool exclusive)
{
	int i, err = 0;

	for (i = 0; i < nr_ctxs; i++) {
		err = damon_validate_ctx(ctxs[i]);
		if (err)
			return err;
	}
	mutex_lock(&damon_lock);
	if ((exclusive && nr_running_ctxs) || running_exclusive_ctxs) {
		mutex_unlock(&damon_lock);
		return -EBUSY;
	}
	for (i = 0; i < nr_ctxs; i++) {
		/* Perf event counters, created disabled; the kdamond arms them. */
		err = damon_perf_start(ctxs[i]);
		if (err)
			break;
		err = __damon_start(ctxs[i]);
		if (err) {
			damon_perf_stop(ctxs[i]);
			break;
		}
	}
	if (exclusive && nr_running_ctxs && !err)
		running_exclusive_ctxs = true;
	mutex_unlock(&damon_lock);
	/* Stopping needs damon_lock: the kdamonds take it to exit. */
	if (err)
		damon_stop(ctxs, i);
	return err;
}
EXPORT_SYMBOL_GPL(damon_start);

static int __damon_stop(struct damon_ctx *ctx)
{
	struct task_struct *tsk = NULL;
	bool running;

	mutex_lock(&ctx->kdamond_lock);
	running = !!ctx->kdamond;
	/* A second kthread_stop() would wait for an exit signalled once. */
	if (running && !ctx->kdamond_stopping) {
		tsk = ctx->kdamond;
		get_task_struct(tsk);
		ctx->kdamond_stopping = true;
	}
	mutex_unlock(&ctx->kdamond_lock);
	if (tsk)
		kthread_stop_put(tsk);
	/* Also when it stopped by itself: see the end of kdamond_fn(). */
	wait_for_completion(&ctx->kdamond_exited);
	return running ? 0 : -EPERM;
}

/**
 * damon_stop() - Stop the kdamonds of a group of contexts.
 * @ctxs:	The contexts.
 * @nr_ctxs:	Number of @ctxs.
 *
 * Returns once every kdamond has exited.
 *
 * Return: 0 on success, -EPERM if a context was not running (the others
 * are still stopped).
 */
int damon_stop(struct damon_ctx **ctxs, int nr_ctxs)
{
	int i, err = 0, ret;

	for (i = 0; i < nr_ctxs; i++) {
		ret = __damon_stop(ctxs[i]);
		if (ret && !err)
			err = ret;
	}
	return err;
}
EXPORT_SYMBOL_GPL(damon_stop);

/**
 * damon_is_running() - Whether a context's kdamond runs.
 * @ctx:	The context.
 *
 * Return: true if it runs.
 */
bool damon_is_running(struct damon_ctx *ctx)
{
	bool running;

	mutex_lock(&ctx->kdamond_lock);
	running = !!ctx->kdamond;
	mutex_unlock(&ctx->kdamond_lock);
	return running;
}

/**
 * damon_kdamond_pid() - Pid of a context's kdamond.
 * @ctx:	The context.
 *
 * Return: the pid, or -1 if the context does not run.
 */
int damon_kdamond_pid(struct damon_ctx *ctx)
{
	int pid = -1;

	mutex_lock(&ctx->kdamond_lock);
	if (ctx->kdamond)
		pid = ctx->kdamond->pid;
	mutex_unlock(&ctx->kdamond_lock);
	return pid;
}

/**
 * damon_nr_running_ctxs() - Number of running contexts.
 *
 * Return: the number of kdamonds running.
 */
int damon_nr_running_ctxs(void)
{
	int nr;

	mutex_lock(&damon_lock);
	nr = nr_running_ctxs;
	mutex_unlock(&damon_lock);
	return nr;
}

/**
 * damon_initialized() - Whether the DAMON core finished its initialization.
 *
 * Return: true once the core can be used.
 */
bool damon_initialized(void)
{
	return !!damon_region_cache;
}

/*
 * Remove @control from the requests the kdamond did not take yet.  Return
 * whether it was still there: if not, the kdamond runs or cancels it.
 */
static bool damon_call_withdraw(struct damon_ctx *ctx,
				struct damon_call_control *control)
{
	struct damon_call_control *iter;
	bool found = false;

	mutex_lock(&ctx->call_controls_lock);
	list_for_each_entry(iter, &ctx->call_controls, list) {
		if (iter == control) {
			list_del_init(&control->list);
			found = true;
			break;
		}
	}
	mutex_unlock(&ctx->call_controls_lock);
	return found;
}

/**
 * damon_call() - Run a function inside a context's kdamond.
 * @ctx:	The context.
 * @control:	The function and its argument; must stay valid until the
 *		call returns, or, for @control->repeat, until the context
 *		stops.
 *
 * The function runs at the next sampling interval, where it may read and
 * change the context safely (e.g. with damon_commit_ctx()).  Its return
 * value is stored in @control->return_code.  Unless @control->repeat is
 * set, damon_call() waits for it to have run.  A fatal signal ends the
 * wait unless the function already started.
 *
 * Return: 0 on success, -EINVAL if the context does not run, -ECANCELED
 * if it stopped before running the function, -EINTR if the caller was
 * killed before the function ran.
 */
int damon_call(struct damon_ctx *ctx, struct damon_call_control *control)
{
	init_completion(&control->completion);
	control->canceled = false;
	control->return_code = 0;
	INIT_LIST_HEAD(&control->list);

	mutex_lock(&ctx->kdamond_lock);
	if (!ctx->kdamond) {
		mutex_unlock(&ctx->kdamond_lock);
		return -EINVAL;
	}
	mutex_lock(&ctx->call_controls_lock);
	list_add_tail(&control->list, &ctx->call_controls);
	mutex_unlock(&ctx->call_controls_lock);
	wake_up_process(ctx->kdamond);
	mutex_unlock(&ctx->kdamond_lock);

	if (control->repeat)
		return 0;
	/*
	 * A completion counts its complete()s and each wait consumes one:
	 * wait again only if the killable wait returned without one.
	 */
	if (wait_for_completion_killable(&control->completion)) {
		if (damon_call_withdraw(ctx, control))
			return -EINTR;
		/* Taken by the kdamond: run (or canceled) soon. */
		wait_for_completion(&control->completion);
	}
	return control->canceled ? -ECANCELED : 0;
}
EXPORT_SYMBOL_GPL(damon_call);

/**
 * damos_walk() - Visit the regions each scheme of a context is tried on.
 * @ctx:	The context.
 * @control:	The visitor.
 *
 * At the next application of every scheme of @ctx, @control->walk_fn is
 * called for each region the scheme is tried on.  Returns once every
 * scheme was applied once, which takes as long as the longest apply
 * interval: a fatal signal ends the wait (after the application in
 * progress, if any, so that @control is not used after the return).
 * The caller keeps @ctx allocated until then, but need not hold anything
 * that damon_stop() needs: stopping the kdamond ends the walk.
 *
 * Return: 0 on success, -EINVAL if the context does not run, -EBUSY if
 * another walk is in progress, -ECANCELED if the context stopped first,
 * -EINTR if the caller was killed first.
 */
int damos_walk(struct damon_ctx *ctx, struct damos_walk_control *control)
{
	init_completion(&control->completion);
	control->canceled = false;
	control->walked = 0;
	control->started = 0;

	mutex_lock(&ctx->kdamond_lock);
	if (!ctx->kdamond) {
		mutex_unlock(&ctx->kdamond_lock);
		return -EINVAL;
	}
	mutex_lock(&ctx->walk_control_lock);
	if (ctx->walk_control) {
		mutex_unlock(&ctx->walk_control_lock);
		mutex_unlock(&ctx->kdamond_lock);
		return -EBUSY;
	}
	ctx->walk_control = control;
	mutex_unlock(&ctx->walk_control_lock);
	mutex_unlock(&ctx->kdamond_lock);

	/* As in damon_call(): a second wait only if the first got nothing. */
	if (wait_for_completion_killable(&control->completion)) {
		if (damos_walk_withdraw(ctx, control))
			return -EINTR;
		/* Completed or canceled meanwhile, or being used now. */
		wait_for_completion(&control->completion);
	}
	return control->canceled ? -ECANCELED : 0;
}

/*
 * Default physical address ranges
 */

struct damon_system_ram_span {
	u64 start;
	u64 end;
};

/* Keep the biggest System RAM resource in @arg. */
static int damon_system_ram_walk_fn(struct resource *res, void *arg)
{
	struct damon_system_ram_span *span = arg;
	u64 end = res->end + 1;

	if (end - res->start > span->end - span->start) {
		span->start = res->start;
		span->end = end;
	}
	return 0;
}

/**
 * damon_set_region_biggest_system_ram_default() - Monitor a physical range.
 * @t:			The target.
 * @start:		Start of the range, in address units; or 0 with
 *			*@end 0 for the biggest System RAM resource, in which
 *			case the chosen range is stored back.
 * @end:		End of the range.
 * @addr_unit:		Bytes per address unit.
 * @min_sz_region:	Region granularity.
 *
 * Return: 0 on success, -EINVAL for a bad range, -ENOMEM.
 */
int damon_set_region_biggest_system_ram_default(struct damon_target *t,
						unsigned long *start,
						unsigned long *end,
						unsigned long addr_unit,
						unsigned long min_sz_region)
{
	struct damon_system_ram_span span = {};
	struct damon_addr_range range;

	if (!addr_unit || *start > *end)
		return -EINVAL;
	if (!*start && !*end) {
		walk_system_ram_res(0, ULONG_MAX, &span,
				    damon_system_ram_walk_fn);
		if (span.start == span.end)
			return -EINVAL;
		*start = div64_ul(span.start, addr_unit);
		*end = div64_ul(span.end, addr_unit);
	}
	range.start = *start;
	range.end = *end;
	return damon_set_regions(t, &range, 1, min_sz_region);
}

static int __init damon_init(void)
{
	damon_region_cache = KMEM_CACHE(damon_region, 0);
	if (unlikely(!damon_region_cache)) {
		pr_err("creating the region cache failed\n");
		return -ENOMEM;
	}
	return 0;
}

subsys_initcall(damon_init);

#ifdef CONFIG_DAMON_KUNIT_TEST
#include "tests/core-kunit.h"
#include "tests/probes-kunit.h"
#endif
