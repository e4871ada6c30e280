// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON data attribute probes.
 *
 * A probe is a chain of page filters (anonymous, memory cgroup) that the
 * operations set evaluates every sampling interval on the page at the
 * sampling address of every region.  Each region counts, per probe, the
 * samples of an aggregation window that matched: besides how often a
 * region is accessed, users see what kind of memory it is.  This file
 * keeps the probes of a context and the hit counters of its regions; the
 * operations sets only look at pages, through damon_probes_folio_hits().
 */

#include <linux/damon.h>
#include <linux/math64.h>
#include <linux/slab.h>

#include <trace/events/damon.h>

#include "probes.h"

/**
 * damon_new_probe() - Allocate a probe without filters.
 * @weight:	Weight of its hits in the "attrs-only" regions adjustment.
 *
 * Return: the probe, or NULL on allocation failure.
 */
struct damon_probe *damon_new_probe(unsigned int weight)
{
	struct damon_probe *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return NULL;
	p->weight = weight;
	INIT_LIST_HEAD(&p->filters);
	INIT_LIST_HEAD(&p->list);
	return p;
}

/**
 * damon_add_probe() - Append a probe to a context.
 * @ctx:	The context; not running, or the caller is its kdamond.
 * @p:		The probe; @ctx takes it over.
 *
 * The probe gets the next index.  damon_start() and damon_commit_ctx()
 * refuse contexts with more than %DAMON_MAX_PROBES probes.
 */
void damon_add_probe(struct damon_ctx *ctx, struct damon_probe *p)
{
	list_add_tail(&p->list, &ctx->probes);
}

/**
 * damon_destroy_probe() - Unlink a probe and free it with its filters.
 * @p:		The probe.
 */
void damon_destroy_probe(struct damon_probe *p)
{
	struct damos_filter *f, *next;

	list_for_each_entry_safe(f, next, &p->filters, list)
		damos_destroy_filter(f);
	list_del(&p->list);
	kfree(p);
}

/**
 * damon_probe_add_filter() - Append a filter to the chain of a probe.
 * @p:		The probe.
 * @f:		The filter, from damos_new_filter(); @p takes it over.
 *
 * Only %DAMOS_FILTER_TYPE_ANON and %DAMOS_FILTER_TYPE_MEMCG filters (the
 * latter with its memcg_id set) are valid in probes.
 */
void damon_probe_add_filter(struct damon_probe *p, struct damos_filter *f)
{
	list_add_tail(&f->list, &p->filters);
}

/**
 * damon_nr_probes() - Number of probes of a context.
 * @ctx:	The context.
 *
 * Return: the number of probes.
 */
unsigned int damon_nr_probes(struct damon_ctx *ctx)
{
	struct damon_probe *p;
	unsigned int nr = 0;

	damon_for_each_probe(p, ctx)
		nr++;
	return nr;
}

/**
 * damon_probe_hits_mvsum() - Hits of a probe over the last window of samples.
 * @ctx:	The context of the region.
 * @r:		The region.
 * @idx:	Index of the probe.
 *
 * A pseudo moving sum over one aggregation window, like
 * &damon_region->nr_accesses_bp: the hits of the ongoing window, plus the
 * share of the previous window's hits that the samples not taken yet in
 * the ongoing window stand for.  At the end of a window, this is the hit
 * count of the window.
 *
 * Return: matching samples per aggregation window.
 */
unsigned int damon_probe_hits_mvsum(struct damon_ctx *ctx,
				    struct damon_region *r, unsigned int idx)
{
	unsigned long len = max(ctx->attrs.aggr_samples, 1UL);
	unsigned long left = 0;

	if (idx >= DAMON_MAX_PROBES)
		return 0;
	if (ctx->next_aggregation_sis > ctx->passed_sample_intervals)
		left = min(ctx->next_aggregation_sis -
			   ctx->passed_sample_intervals, len);
	return r->probe_hits[idx] + div64_ul((u64)r->last_probe_hits[idx] *
					     left, len);
}

/*
 * Core-facing helpers (probes.h)
 */

void damon_probes_destroy_all(struct damon_ctx *ctx)
{
	struct damon_probe *p, *next;

	damon_for_each_probe_safe(p, next, ctx)
		damon_destroy_probe(p);
}

static bool damon_probe_filter_valid(struct damos_filter *f)
{
	return f->type == DAMOS_FILTER_TYPE_ANON ||
		(f->type == DAMOS_FILTER_TYPE_MEMCG && IS_ENABLED(CONFIG_MEMCG));
}

int damon_probes_validate(struct damon_ctx *ctx)
{
	struct damon_probe *p;
	struct damos_filter *f;
	unsigned int nr_filters;

	if (damon_nr_probes(ctx) > DAMON_MAX_PROBES)
		return -EINVAL;
	damon_for_each_probe(p, ctx) {
		nr_filters = 0;
		damon_probe_for_each_filter(f, p) {
			if (!damon_probe_filter_valid(f))
				return -EINVAL;
			nr_filters++;
		}
		if (nr_filters > DAMON_PROBE_MAX_FILTERS)
			return -EINVAL;
	}
	return 0;
}

static void damon_probe_free_filters(struct list_head *filters)
{
	struct damos_filter *f, *next;

	list_for_each_entry_safe(f, next, filters, list)
		damos_destroy_filter(f);
}

/* Copies the filters of @src onto the empty list @dst. */
static int damon_probe_copy_filters(struct list_head *dst,
				    struct damon_probe *src)
{
	struct damos_filter *sf, *f;

	damon_probe_for_each_filter(sf, src) {
		f = damos_new_filter(sf->type, sf->matching, sf->allow);
		if (!f) {
			damon_probe_free_filters(dst);
			return -ENOMEM;
		}
		f->memcg_id = sf->memcg_id;
		list_add_tail(&f->list, dst);
	}
	return 0;
}

/* Clears the hit counters of probe indices @from and above in @ctx. */
static void damon_probes_clear_hits_from(struct damon_ctx *ctx,
					 unsigned int from)
{
	struct damon_target *t;
	struct damon_region *r;
	unsigned int i;

	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t) {
			for (i = from; i < DAMON_MAX_PROBES; i++) {
				r->probe_hits[i] = 0;
				r->last_probe_hits[i] = 0;
			}
		}
	}
}

int damon_probes_commit(struct damon_ctx *dst, struct damon_ctx *src)
{
	struct list_head filters[DAMON_MAX_PROBES];
	struct damon_probe *added[DAMON_MAX_PROBES] = {};
	unsigned int nd = damon_nr_probes(dst);
	unsigned int ns = damon_nr_probes(src);
	struct damon_probe *p, *dp, *next;
	unsigned int i = 0, j;

	/* Validated by the caller; checked again as arrays are indexed. */
	if (ns > DAMON_MAX_PROBES || nd > DAMON_MAX_PROBES)
		return -EINVAL;
	/* Allocate everything first, so that a failure changes nothing. */
	damon_for_each_probe(p, src) {
		INIT_LIST_HEAD(&filters[i]);
		if (damon_probe_copy_filters(&filters[i], p))
			goto nomem;
		if (i >= nd) {
			added[i] = damon_new_probe(p->weight);
			if (!added[i]) {
				damon_probe_free_filters(&filters[i]);
				goto nomem;
			}
		}
		i++;
	}

	i = 0;
	p = list_first_entry(&src->probes, struct damon_probe, list);
	damon_for_each_probe_safe(dp, next, dst) {
		if (i >= ns) {
			damon_destroy_probe(dp);
			continue;
		}
		dp->weight = p->weight;
		damon_probe_free_filters(&dp->filters);
		list_splice_init(&filters[i], &dp->filters);
		p = list_next_entry(p, list);
		i++;
	}
	for (; i < ns; i++) {
		list_splice_init(&filters[i], &added[i]->filters);
		damon_add_probe(dst, added[i]);
	}
	/* The regions must not keep hits of probes that are gone. */
	if (ns < nd)
		damon_probes_clear_hits_from(dst, ns);
	return 0;

nomem:
	for (j = 0; j < i; j++) {
		damon_probe_free_filters(&filters[j]);
		kfree(added[j]);
	}
	return -ENOMEM;
}

void damon_probes_copy_hits(struct damon_region *dst,
			    const struct damon_region *src)
{
	memcpy(dst->probe_hits, src->probe_hits, sizeof(dst->probe_hits));
	memcpy(dst->last_probe_hits, src->last_probe_hits,
	       sizeof(dst->last_probe_hits));
}

/* Size-weighted average of @a (weight @wa) and @b (weight @wb). */
static u16 damon_probes_wavg(u16 a, unsigned long wa, u16 b, unsigned long wb)
{
	if (!wa && !wb)
		return a;
	if (a <= b)
		return a + mul_u64_u64_div_u64(b - a, wb, (u64)wa + wb);
	return b + mul_u64_u64_div_u64(a - b, wa, (u64)wa + wb);
}

void damon_probes_merge_hits(struct damon_region *l, unsigned long sl,
			     const struct damon_region *r, unsigned long sr)
{
	unsigned int i;

	for (i = 0; i < DAMON_MAX_PROBES; i++) {
		l->probe_hits[i] = damon_probes_wavg(l->probe_hits[i], sl,
						     r->probe_hits[i], sr);
		l->last_probe_hits[i] =
			damon_probes_wavg(l->last_probe_hits[i], sl,
					  r->last_probe_hits[i], sr);
	}
}

void damon_probes_reset_aggregated(struct damon_region *r)
{
	memcpy(r->last_probe_hits, r->probe_hits, sizeof(r->probe_hits));
	memset(r->probe_hits, 0, sizeof(r->probe_hits));
}

static u16 damon_probes_rescale_one(u16 v, unsigned int old_max,
				    unsigned int new_max)
{
	u64 scaled = div_u64((u64)v * new_max + old_max / 2, max(old_max, 1U));

	return min_t(u64, scaled, U16_MAX);
}

void damon_probes_rescale(struct damon_region *r, unsigned int old_max,
			  unsigned int new_max)
{
	unsigned int i;

	for (i = 0; i < DAMON_MAX_PROBES; i++) {
		r->probe_hits[i] = damon_probes_rescale_one(r->probe_hits[i],
							    old_max, new_max);
		r->last_probe_hits[i] =
			damon_probes_rescale_one(r->last_probe_hits[i],
						 old_max, new_max);
	}
}

bool damon_probes_attrs_only(struct damon_ctx *ctx)
{
	struct damon_probe *p;

	damon_for_each_probe(p, ctx) {
		if (p->weight)
			return true;
	}
	return false;
}

unsigned int damon_probes_key(struct damon_ctx *ctx, struct damon_region *r,
			      bool last)
{
	const u16 *hits = last ? r->last_probe_hits : r->probe_hits;
	struct damon_probe *p;
	u64 sum = 0, wsum = 0;
	unsigned int i = 0;

	damon_for_each_probe(p, ctx) {
		if (i >= DAMON_MAX_PROBES)
			break;
		sum += (u64)p->weight * hits[i];
		wsum += p->weight;
		i++;
	}
	return wsum ? div64_u64(sum, wsum) : 0;
}

unsigned int damon_probes_max_key(struct damon_ctx *ctx)
{
	struct damon_target *t;
	struct damon_region *r;
	unsigned int max_key = 0;

	damon_for_each_target(t, ctx)
		damon_for_each_region(r, t)
			max_key = max(max_key, damon_probes_key(ctx, r, false));
	return max_key;
}

void damon_probes_trace_aggregated(struct damon_ctx *ctx)
{
	unsigned int nr_probes, tidx = 0;
	struct damon_target *t;
	struct damon_region *r;

	if (!trace_damon_region_aggregated_enabled())
		return;
	nr_probes = min(damon_nr_probes(ctx), DAMON_MAX_PROBES);
	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t)
			trace_damon_region_aggregated(tidx, r, t->nr_regions,
						      nr_probes);
		tidx++;
	}
}
