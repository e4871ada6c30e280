/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests of the data attribute probes in the monitoring core: hit
 * counters across splits, merges and aggregation resets, online commits
 * and the "attrs-only" regions adjustment.  Included at the end of core.c,
 * so the static functions of core.c are reachable.
 */

#ifndef _DAMON_PROBES_KUNIT_H
#define _DAMON_PROBES_KUNIT_H

#include <kunit/test.h>

#include "kunit-common.h"

/* A context with one target of @nr adjacent regions of @sz bytes each. */
static struct damon_ctx *dkt_probes_ctx(struct kunit *test, int nr, unsigned long sz)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);
	struct damon_target *t = dkt_add_target(test, ctx, NULL, NULL, 0);
	int i;

	for (i = 0; i < nr; i++) {
		struct damon_region *r = damon_new_region(i * sz, (i + 1) * sz);

		KUNIT_ASSERT_NOT_NULL(test, r);
		damon_add_region(r, t);
	}
	return ctx;
}

/* The @n-th region of the first target of @ctx. */
static struct damon_region *dkt_ctx_nth(struct damon_ctx *ctx, int n)
{
	return dkt_nth(dkt_first_target(ctx), n);
}

/* Adds a probe of @weight with one filter of @type, if @type is valid. */
static struct damon_probe *dkt_add_probe(struct kunit *test,
					 struct damon_ctx *ctx,
					 unsigned int weight, int type,
					 bool matching, bool allow)
{
	struct damon_probe *p = damon_new_probe(weight);
	struct damos_filter *f;

	KUNIT_ASSERT_NOT_NULL(test, p);
	damon_add_probe(ctx, p);
	if (type < 0)
		return p;
	f = damos_new_filter(type, matching, allow);
	KUNIT_ASSERT_NOT_NULL(test, f);
	damon_probe_add_filter(p, f);
	return p;
}

static void damon_probes_test_split_copies(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_probes_ctx(test, 1, DKT_PG(10));
	struct damon_target *t = dkt_first_target(ctx);
	struct damon_region *r = dkt_ctx_nth(ctx, 0), *tail;

	r->probe_hits[0] = 7;
	r->probe_hits[3] = 2;
	r->last_probe_hits[1] = 5;
	KUNIT_ASSERT_TRUE(test, damon_split_region_at(t, r, DKT_PG(4)));
	tail = dkt_ctx_nth(ctx, 1);
	KUNIT_EXPECT_EQ(test, tail->probe_hits[0], 7);
	KUNIT_EXPECT_EQ(test, tail->probe_hits[3], 2);
	KUNIT_EXPECT_EQ(test, tail->last_probe_hits[1], 5);
	KUNIT_EXPECT_EQ(test, r->probe_hits[0], 7);
}

static void damon_probes_test_merge_weighted(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_probes_ctx(test, 2, DKT_PG(1));
	struct damon_target *t = dkt_first_target(ctx);
	struct damon_region *l = dkt_ctx_nth(ctx, 0), *r = dkt_ctx_nth(ctx, 1);

	/* 1 page with 20 hits and 3 pages with 0: 5 hits on average */
	r->ar.end = DKT_PG(4);
	l->probe_hits[0] = 20;
	l->last_probe_hits[2] = 8;
	r->last_probe_hits[2] = 8;
	damon_merge_two(t, l, r, ctx);
	KUNIT_EXPECT_EQ(test, t->nr_regions, 1U);
	KUNIT_EXPECT_EQ(test, l->probe_hits[0], 5);
	KUNIT_EXPECT_EQ(test, l->last_probe_hits[2], 8);
}

static void damon_probes_test_reset_and_mvsum(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_probes_ctx(test, 1, DKT_PG(1));
	struct damon_region *r = dkt_ctx_nth(ctx, 0);

	ctx->attrs.aggr_samples = 20;
	r->probe_hits[1] = 12;
	kdamond_reset_aggregated(ctx);
	KUNIT_EXPECT_EQ(test, r->probe_hits[1], 0);
	KUNIT_EXPECT_EQ(test, r->last_probe_hits[1], 12);

	/* 5 of 20 samples into the new window, 2 hits: 2 + 12 * 15 / 20 */
	ctx->passed_sample_intervals = 5;
	ctx->next_aggregation_sis = 20;
	r->probe_hits[1] = 2;
	KUNIT_EXPECT_EQ(test, damon_probe_hits_mvsum(ctx, r, 1), 11U);
	/* At the end of the window, the window's own count. */
	ctx->passed_sample_intervals = 20;
	KUNIT_EXPECT_EQ(test, damon_probe_hits_mvsum(ctx, r, 1), 2U);
	KUNIT_EXPECT_EQ(test, damon_probe_hits_mvsum(ctx, r, 9), 0U);
}

static void damon_probes_test_validate(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_probes_ctx(test, 1, DKT_PG(1));
	struct damon_probe *p;
	struct damos_filter *f;
	int i;

	p = dkt_add_probe(test, ctx, 0, DAMOS_FILTER_TYPE_ANON, true, true);
	KUNIT_EXPECT_EQ(test, damon_probes_validate(ctx), 0);
	/* Only anon and memcg filters. */
	dkt_add_probe(test, ctx, 0, DAMOS_FILTER_TYPE_YOUNG, true, true);
	KUNIT_EXPECT_EQ(test, damon_probes_validate(ctx), -EINVAL);
	damon_destroy_probe(list_last_entry(&ctx->probes, struct damon_probe,
					    list));
	/* memcg filters only where the kernel has memory cgroups. */
	f = damos_new_filter(DAMOS_FILTER_TYPE_MEMCG, true, false);
	KUNIT_ASSERT_NOT_NULL(test, f);
	damon_probe_add_filter(p, f);
	KUNIT_EXPECT_EQ(test, damon_probes_validate(ctx),
			IS_ENABLED(CONFIG_MEMCG) ? 0 : -EINVAL);
	damos_destroy_filter(f);
	for (i = 1; i < DAMON_PROBE_MAX_FILTERS; i++)
		damon_probe_add_filter(p, damos_new_filter(DAMOS_FILTER_TYPE_ANON,
							   true, false));
	KUNIT_EXPECT_EQ(test, damon_probes_validate(ctx), 0);
	damon_probe_add_filter(p, damos_new_filter(DAMOS_FILTER_TYPE_ANON,
						   true, true));
	KUNIT_EXPECT_EQ(test, damon_probes_validate(ctx), -EINVAL);
	damon_destroy_probe(p);
	for (i = 0; i < DAMON_MAX_PROBES; i++)
		dkt_add_probe(test, ctx, 0, -1, false, false);
	KUNIT_EXPECT_EQ(test, damon_probes_validate(ctx), 0);
	dkt_add_probe(test, ctx, 0, -1, false, false);
	KUNIT_EXPECT_EQ(test, damon_probes_validate(ctx), -EINVAL);
}

static void damon_probes_test_commit(struct kunit *test)
{
	struct damon_ctx *dst = dkt_probes_ctx(test, 1, DKT_PG(1));
	struct damon_ctx *src = dkt_new_ctx(test);
	struct damon_region *r = dkt_ctx_nth(dst, 0);
	struct damon_probe *p;
	struct damos_filter *f;

	/* Add: two probes to a context without any. */
	dkt_add_probe(test, src, 0, DAMOS_FILTER_TYPE_ANON, true, true);
	dkt_add_probe(test, src, 3, DAMOS_FILTER_TYPE_MEMCG, false, true);
	KUNIT_ASSERT_EQ(test, damon_probes_commit(dst, src), 0);
	KUNIT_EXPECT_EQ(test, damon_nr_probes(dst), 2U);
	p = list_last_entry(&dst->probes, struct damon_probe, list);
	KUNIT_EXPECT_EQ(test, p->weight, 3U);
	f = list_first_entry(&p->filters, struct damos_filter, list);
	KUNIT_EXPECT_EQ(test, f->type, DAMOS_FILTER_TYPE_MEMCG);
	KUNIT_EXPECT_FALSE(test, f->matching);

	/* Change: the kept probes keep their hits. */
	r->probe_hits[0] = 4;
	r->probe_hits[1] = 6;
	r->last_probe_hits[1] = 9;
	p = list_first_entry(&src->probes, struct damon_probe, list);
	p->weight = 5;
	f = list_first_entry(&p->filters, struct damos_filter, list);
	f->allow = false;
	KUNIT_ASSERT_EQ(test, damon_probes_commit(dst, src), 0);
	p = list_first_entry(&dst->probes, struct damon_probe, list);
	KUNIT_EXPECT_EQ(test, p->weight, 5U);
	f = list_first_entry(&p->filters, struct damos_filter, list);
	KUNIT_EXPECT_FALSE(test, f->allow);
	KUNIT_EXPECT_TRUE(test, list_is_singular(&p->filters));
	KUNIT_EXPECT_EQ(test, r->probe_hits[0], 4);
	KUNIT_EXPECT_EQ(test, r->probe_hits[1], 6);

	/* Remove the second: its hits go, the first's stay. */
	damon_destroy_probe(list_last_entry(&src->probes, struct damon_probe,
					    list));
	KUNIT_ASSERT_EQ(test, damon_probes_commit(dst, src), 0);
	KUNIT_EXPECT_EQ(test, damon_nr_probes(dst), 1U);
	KUNIT_EXPECT_EQ(test, r->probe_hits[0], 4);
	KUNIT_EXPECT_EQ(test, r->probe_hits[1], 0);
	KUNIT_EXPECT_EQ(test, r->last_probe_hits[1], 0);

	/* A full commit (same target, no regions given) keeps them too. */
	dkt_add_target(test, src, NULL, NULL, 0);
	KUNIT_ASSERT_EQ(test, damon_commit_ctx(dst, src), 0);
	KUNIT_EXPECT_EQ(test, damon_nr_probes(dst), 1U);
	KUNIT_EXPECT_EQ(test, r->probe_hits[0], 4);
}

static void damon_probes_test_commit_invalid(struct kunit *test)
{
	struct damon_ctx *dst = dkt_probes_ctx(test, 1, DKT_PG(1));
	struct damon_ctx *src = dkt_new_ctx(test);
	int i;

	dkt_add_probe(test, dst, 2, DAMOS_FILTER_TYPE_ANON, true, true);
	for (i = 0; i <= DAMON_MAX_PROBES; i++)
		dkt_add_probe(test, src, 0, -1, false, false);
	KUNIT_EXPECT_EQ(test, damon_commit_ctx(dst, src), -EINVAL);
	/* Nothing changed. */
	KUNIT_EXPECT_EQ(test, damon_nr_probes(dst), 1U);
	KUNIT_EXPECT_EQ(test, list_first_entry(&dst->probes, struct damon_probe,
					       list)->weight, 2U);
}

/*
 * The attrs-only rule: with a weighted probe, regions of equal access
 * counts but different hits stay apart, and regions of different access
 * counts but equal hits merge.
 */
static void damon_probes_test_attrs_only_merge(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_probes_ctx(test, 4, DKT_PG(1));
	struct damon_target *t = dkt_first_target(ctx);
	int i;

	ctx->attrs.min_nr_regions = 1;
	ctx->attrs.max_nr_regions = 4;
	dkt_add_probe(test, ctx, 0, DAMOS_FILTER_TYPE_ANON, true, true);
	for (i = 0; i < 4; i++) {
		dkt_ctx_nth(ctx, i)->nr_accesses = i < 2 ? 0 : 20;
		dkt_ctx_nth(ctx, i)->probe_hits[0] = i % 2 ? 20 : 0;
	}
	/* No weight: by access counts, [0 0] [20 20]. */
	KUNIT_EXPECT_FALSE(test, damon_probes_attrs_only(ctx));
	kdamond_merge_regions(ctx, 20);
	KUNIT_EXPECT_EQ(test, t->nr_regions, 2U);
	dkt_destroy_ctx(test, ctx);

	ctx = dkt_probes_ctx(test, 4, DKT_PG(1));
	t = dkt_first_target(ctx);
	ctx->attrs.min_nr_regions = 1;
	ctx->attrs.max_nr_regions = 4;
	dkt_add_probe(test, ctx, 1, DAMOS_FILTER_TYPE_ANON, true, true);
	for (i = 0; i < 4; i++) {
		dkt_ctx_nth(ctx, i)->nr_accesses = i < 2 ? 0 : 20;
		dkt_ctx_nth(ctx, i)->probe_hits[0] = i == 0 ? 0 : 20;
	}
	KUNIT_EXPECT_TRUE(test, damon_probes_attrs_only(ctx));
	KUNIT_EXPECT_EQ(test, damon_probes_key(ctx, dkt_ctx_nth(ctx, 1), false),
			20U);
	/* By hits: [0] [20 20 20]. */
	kdamond_merge_regions(ctx, 20);
	KUNIT_EXPECT_EQ(test, t->nr_regions, 2U);
	KUNIT_EXPECT_EQ(test, damon_sz_region(dkt_ctx_nth(ctx, 1)), DKT_PG(3));
}

static void damon_probes_test_key_weights(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_probes_ctx(test, 1, DKT_PG(1));
	struct damon_region *r = dkt_ctx_nth(ctx, 0);

	dkt_add_probe(test, ctx, 3, -1, false, false);
	dkt_add_probe(test, ctx, 0, -1, false, false);
	dkt_add_probe(test, ctx, 1, -1, false, false);
	r->probe_hits[0] = 20;
	r->probe_hits[1] = 7;
	r->probe_hits[2] = 0;
	r->last_probe_hits[2] = 8;
	/* (3 * 20 + 1 * 0) / 4 and (3 * 0 + 1 * 8) / 4 */
	KUNIT_EXPECT_EQ(test, damon_probes_key(ctx, r, false), 15U);
	KUNIT_EXPECT_EQ(test, damon_probes_key(ctx, r, true), 2U);
	KUNIT_EXPECT_EQ(test, damon_adjust_key(ctx, r, false), 15U);
}

static void damon_probes_test_rescale(struct kunit *test)
{
	struct damon_region r = {};

	r.probe_hits[0] = 10;
	r.last_probe_hits[0] = 20;
	damon_probes_rescale(&r, 20, 40);
	KUNIT_EXPECT_EQ(test, r.probe_hits[0], 20);
	KUNIT_EXPECT_EQ(test, r.last_probe_hits[0], 40);
	r.probe_hits[0] = 60000;
	damon_probes_rescale(&r, 1, 2);
	KUNIT_EXPECT_EQ(test, r.probe_hits[0], U16_MAX);
}

static struct kunit_case damon_probes_test_cases[] = {
	KUNIT_CASE(damon_probes_test_split_copies),
	KUNIT_CASE(damon_probes_test_merge_weighted),
	KUNIT_CASE(damon_probes_test_reset_and_mvsum),
	KUNIT_CASE(damon_probes_test_validate),
	KUNIT_CASE(damon_probes_test_commit),
	KUNIT_CASE(damon_probes_test_commit_invalid),
	KUNIT_CASE(damon_probes_test_attrs_only_merge),
	KUNIT_CASE(damon_probes_test_key_weights),
	KUNIT_CASE(damon_probes_test_rescale),
	{},
};

static struct kunit_suite damon_probes_test_suite = {
	.name = "damon-probes",
	.test_cases = damon_probes_test_cases,
};

kunit_test_suite(damon_probes_test_suite);

#endif /* _DAMON_PROBES_KUNIT_H */
