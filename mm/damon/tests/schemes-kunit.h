/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests of the DAMOS engine.  Included at the end of schemes.c, so
 * the static functions are reachable.
 */

#ifndef _DAMON_SCHEMES_KUNIT_H
#define _DAMON_SCHEMES_KUNIT_H

#include <kunit/test.h>

#include "kunit-common.h"

/* A new scheme of @ctx, matching every region, with no quota. */
static struct damos *dkt_new_scheme(struct kunit *test, struct damon_ctx *ctx,
				    enum damos_action action)
{
	struct damos_access_pattern pattern = {
		.max_sz_region = ULONG_MAX,
		.max_nr_accesses = UINT_MAX,
		.max_age_region = UINT_MAX,
	};
	struct damos_quota quota = {};
	struct damos_watermarks wmarks = {};
	struct damos *s;

	s = damon_new_scheme(&pattern, action, 0, &quota, &wmarks,
			     NUMA_NO_NODE);
	KUNIT_ASSERT_NOT_NULL(test, s);
	damon_add_scheme(ctx, s);
	return s;
}

/* damos_validate_schemes() of @ctx once given the registered ops set @id. */
static int dkt_validate(struct kunit *test, struct damon_ctx *ctx,
			enum damon_ops_id id)
{
	KUNIT_ASSERT_EQ(test, damon_select_ops(ctx, id), 0);
	return damos_validate_schemes(ctx);
}

/* A context with one target of one region, [0, @nr_pages pages). */
static struct damon_ctx *dkt_one_region_ctx(struct kunit *test,
					    unsigned long nr_pages)
{
	unsigned long start = 0, end = DKT_PG(nr_pages);
	struct damon_ctx *ctx = dkt_new_ctx(test);

	dkt_add_target(test, ctx, &start, &end, 1);
	return ctx;
}

static void damos_test_time_quota_bytes(struct kunit *test)
{
	/* Nothing measured yet: the default throughput. */
	KUNIT_EXPECT_EQ(test, damos_time_quota_bytes(10, 0, 0),
			10 * DAMOS_DEFAULT_BYTES_PER_MS);
	/* 1 MiB per 2 ms is 512 KiB per ms. */
	KUNIT_EXPECT_EQ(test,
			damos_time_quota_bytes(3, 1 << 20, 2 * NSEC_PER_MSEC),
			3UL * (512 << 10));
	/* Overflow saturates. */
	KUNIT_EXPECT_EQ(test, damos_time_quota_bytes(ULONG_MAX, 1 << 20, 1),
			ULONG_MAX);
}

static void damos_test_quota_esz(struct kunit *test)
{
	struct damos_quota q = {};

	INIT_LIST_HEAD(&q.goals);
	KUNIT_EXPECT_EQ(test, damos_quota_esz(&q), ULONG_MAX);
	q.sz = 4096;
	KUNIT_EXPECT_EQ(test, damos_quota_esz(&q), 4096UL);
	/* 1 ms at 1 KiB per ms is smaller than the size quota. */
	q.ms = 1;
	q.total_charged_sz = 1024;
	q.total_charged_ns = NSEC_PER_MSEC;
	KUNIT_EXPECT_EQ(test, damos_quota_esz(&q), 1024UL);
	q.ms = 100;
	KUNIT_EXPECT_EQ(test, damos_quota_esz(&q), 4096UL);
	q.sz = 0;
	KUNIT_EXPECT_EQ(test, damos_quota_esz(&q), 100UL * 1024);
}

static void damos_test_hist_min_score(struct kunit *test)
{
	unsigned long hist[DAMOS_MAX_SCORE + 1] = {};

	hist[DAMOS_MAX_SCORE] = 100;
	hist[50] = 200;
	hist[10] = 400;
	KUNIT_EXPECT_EQ(test, damos_hist_min_score(hist, 50), DAMOS_MAX_SCORE);
	KUNIT_EXPECT_EQ(test, damos_hist_min_score(hist, 100), DAMOS_MAX_SCORE);
	KUNIT_EXPECT_EQ(test, damos_hist_min_score(hist, 101), 50U);
	KUNIT_EXPECT_EQ(test, damos_hist_min_score(hist, 300), 50U);
	KUNIT_EXPECT_EQ(test, damos_hist_min_score(hist, 301), 10U);
	/* More than everything: admit all. */
	KUNIT_EXPECT_EQ(test, damos_hist_min_score(hist, 10000), 0U);
}

static void damos_test_goal_score(struct kunit *test)
{
	struct damos_quota_goal g = { .target_value = 200 };
	struct damos_quota q;

	g.current_value = 100;
	KUNIT_EXPECT_EQ(test, damos_goal_score(&g), 5000UL);
	g.current_value = 400;
	KUNIT_EXPECT_EQ(test, damos_goal_score(&g), 20000UL);
	g.target_value = 0;
	KUNIT_EXPECT_EQ(test, damos_goal_score(&g), 2 * DAMOS_BP);
	g.current_value = 0;
	KUNIT_EXPECT_EQ(test, damos_goal_score(&g), DAMOS_BP);

	/* The most achieved goal rules. */
	INIT_LIST_HEAD(&q.goals);
	g.target_value = 100;
	g.current_value = 50;
	damos_add_quota_goal(&q, &g);
	KUNIT_EXPECT_EQ(test, damos_quota_score(&q), 5000UL);
	list_del(&g.list);
}

static void damos_test_consist_tune(struct kunit *test)
{
	unsigned long esz_bp;

	/* Met exactly: unchanged. */
	KUNIT_EXPECT_EQ(test, damos_consist_tune(12345, DAMOS_BP), 12345UL);
	/* Can leave zero. */
	esz_bp = damos_consist_tune(0, 0);
	KUNIT_EXPECT_EQ(test, (u64)esz_bp, DAMOS_CONSIST_MIN_STEP_BP);
	/* Far from the goal: about doubles. */
	KUNIT_EXPECT_EQ(test, damos_consist_tune(1000000, 0),
			2000000UL + (unsigned long)DAMOS_CONSIST_MIN_STEP_BP);
	/* Half way: grows by half. */
	KUNIT_EXPECT_EQ(test, damos_consist_tune(1000000, 5000),
			1500000UL +
			(unsigned long)DAMOS_CONSIST_MIN_STEP_BP / 2);
	/* Overshoot by two: halves. */
	KUNIT_EXPECT_EQ(test, damos_consist_tune(1000000, 20000), 500000UL);
	/* Never overflows. */
	KUNIT_EXPECT_EQ(test, damos_consist_tune(ULONG_MAX, 0), ULONG_MAX);
}

static void damos_test_temporal_tune(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, damos_temporal_tune(0), ULONG_MAX);
	KUNIT_EXPECT_EQ(test, damos_temporal_tune(DAMOS_BP - 1), ULONG_MAX);
	KUNIT_EXPECT_EQ(test, damos_temporal_tune(DAMOS_BP), 0UL);
	KUNIT_EXPECT_EQ(test, damos_temporal_tune(3 * DAMOS_BP), 0UL);
}

/* A user_input goal moves the effective quota the right way. */
static void damos_test_quota_esz_goal(struct kunit *test)
{
	struct damos_quota_goal *g;
	struct damos_quota q = {};
	unsigned long esz, prev;
	int i;

	INIT_LIST_HEAD(&q.goals);
	g = damos_new_quota_goal(DAMOS_QUOTA_USER_INPUT, 100);
	KUNIT_ASSERT_NOT_NULL(test, g);
	damos_add_quota_goal(&q, g);

	g->current_value = 10;
	prev = damos_quota_esz(&q);
	KUNIT_EXPECT_GT(test, prev, 0UL);
	for (i = 0; i < 5; i++) {
		esz = damos_quota_esz(&q);
		KUNIT_EXPECT_GT(test, esz, prev);
		prev = esz;
	}
	g->current_value = 400;
	esz = damos_quota_esz(&q);
	KUNIT_EXPECT_LT(test, esz, prev);

	/* Bounded by the size quota. */
	q.sz = PAGE_SIZE;
	g->current_value = 0;
	for (i = 0; i < 30; i++)
		esz = damos_quota_esz(&q);
	KUNIT_EXPECT_EQ(test, esz, PAGE_SIZE);

	/* Temporal: no limit but the size quota until met, then zero. */
	q.goal_tuner = DAMOS_QUOTA_GOAL_TUNER_TEMPORAL;
	q.sz = 0;
	KUNIT_EXPECT_EQ(test, damos_quota_esz(&q), ULONG_MAX);
	g->current_value = 100;
	KUNIT_EXPECT_EQ(test, damos_quota_esz(&q), 0UL);
	damos_destroy_quota_goal(g);
}

static void damos_test_fail_charge(struct kunit *test)
{
	/* Zero denominator: everything tried is charged. */
	KUNIT_EXPECT_EQ(test, damos_quota_charge(1000, 100, 0, 0), 1000UL);
	KUNIT_EXPECT_EQ(test, damos_quota_charge(1000, 100, 5, 0), 1000UL);
	/* Failed bytes charged by 1/10. */
	KUNIT_EXPECT_EQ(test, damos_quota_charge(1000, 100, 1, 10), 190UL);
	/* Failed bytes free. */
	KUNIT_EXPECT_EQ(test, damos_quota_charge(1000, 100, 0, 10), 100UL);
	/* More applied than tried counts as all applied. */
	KUNIT_EXPECT_EQ(test, damos_quota_charge(1000, 4000, 1, 10), 1000UL);
}

static void damos_test_pattern_inclusive(struct kunit *test)
{
	struct damos_access_pattern p = {
		.min_sz_region = 10, .max_sz_region = 20,
		.min_nr_accesses = 2, .max_nr_accesses = 5,
		.min_age_region = 3, .max_age_region = 3,
	};

	KUNIT_EXPECT_TRUE(test, damos_pattern_match(10, 2, 3, &p));
	KUNIT_EXPECT_TRUE(test, damos_pattern_match(20, 5, 3, &p));
	KUNIT_EXPECT_FALSE(test, damos_pattern_match(9, 2, 3, &p));
	KUNIT_EXPECT_FALSE(test, damos_pattern_match(21, 2, 3, &p));
	KUNIT_EXPECT_FALSE(test, damos_pattern_match(10, 1, 3, &p));
	KUNIT_EXPECT_FALSE(test, damos_pattern_match(10, 6, 3, &p));
	KUNIT_EXPECT_FALSE(test, damos_pattern_match(10, 2, 2, &p));
	KUNIT_EXPECT_FALSE(test, damos_pattern_match(10, 2, 4, &p));
}

static void damos_test_wmarks_rules(struct kunit *test)
{
	struct damos_watermarks w = {
		.metric = DAMOS_WMARK_FREE_MEM_RATE,
		.high = 500, .mid = 400, .low = 200,
	};

	w.activated = true;
	KUNIT_EXPECT_FALSE(test, damos_wmarks_active(&w, 501));
	KUNIT_EXPECT_FALSE(test, damos_wmarks_active(&w, 199));
	KUNIT_EXPECT_TRUE(test, damos_wmarks_active(&w, 450));
	KUNIT_EXPECT_TRUE(test, damos_wmarks_active(&w, 500));
	KUNIT_EXPECT_TRUE(test, damos_wmarks_active(&w, 200));
	w.activated = false;
	/* Between mid and high, an inactive scheme stays inactive. */
	KUNIT_EXPECT_FALSE(test, damos_wmarks_active(&w, 450));
	KUNIT_EXPECT_TRUE(test, damos_wmarks_active(&w, 400));
	KUNIT_EXPECT_TRUE(test, damos_wmarks_active(&w, 300));
	KUNIT_EXPECT_FALSE(test, damos_wmarks_active(&w, 100));
	w.metric = DAMOS_WMARK_NONE;
	KUNIT_EXPECT_TRUE(test, damos_wmarks_active(&w, 0));
}

static void damos_test_filters_default(struct kunit *test)
{
	struct damos *s = dkt_new_scheme(test, dkt_new_ctx(test), DAMOS_PAGEOUT);
	struct damos_filter *f;

	KUNIT_EXPECT_FALSE(test, s->core_filters_default_reject);
	KUNIT_EXPECT_FALSE(test, s->ops_filters_default_reject);

	/* Last (and only) filter allows: what it does not match is rejected. */
	f = damos_new_filter(DAMOS_FILTER_TYPE_ADDR, true, true);
	KUNIT_ASSERT_NOT_NULL(test, f);
	damos_add_filter(s, f);
	KUNIT_EXPECT_TRUE(test, s->core_filters_default_reject);

	/* An ops filter after it takes over the default. */
	f = damos_new_filter(DAMOS_FILTER_TYPE_ANON, true, false);
	KUNIT_ASSERT_NOT_NULL(test, f);
	damos_add_filter(s, f);
	KUNIT_EXPECT_PTR_EQ(test, f->list.prev, &s->ops_filters);
	KUNIT_EXPECT_FALSE(test, s->core_filters_default_reject);
	KUNIT_EXPECT_FALSE(test, s->ops_filters_default_reject);

	f = damos_new_filter(DAMOS_FILTER_TYPE_YOUNG, true, true);
	KUNIT_ASSERT_NOT_NULL(test, f);
	damos_add_filter(s, f);
	KUNIT_EXPECT_TRUE(test, s->ops_filters_default_reject);

	KUNIT_EXPECT_FALSE(test, damos_filter_for_ops(DAMOS_FILTER_TYPE_ADDR));
	KUNIT_EXPECT_FALSE(test,
			   damos_filter_for_ops(DAMOS_FILTER_TYPE_TARGET));
	KUNIT_EXPECT_TRUE(test, damos_filter_for_ops(DAMOS_FILTER_TYPE_ANON));
	KUNIT_EXPECT_TRUE(test,
			  damos_filter_for_ops(DAMOS_FILTER_TYPE_UNMAPPED));
}

/* First applying filter decides; address filters split regions. */
static void damos_test_core_filters_order(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_one_region_ctx(test, 10);
	struct damos *s = dkt_new_scheme(test, ctx, DAMOS_STAT);
	struct damon_target *t;
	struct damon_region *r;
	struct damos_filter *f;

	t = list_first_entry(&ctx->adaptive_targets, struct damon_target,
			     list);
	r = list_first_entry(&t->regions_list, struct damon_region, list);

	/* Reject pages [2, 4), then allow target 0. */
	f = damos_new_filter(DAMOS_FILTER_TYPE_ADDR, true, false);
	KUNIT_ASSERT_NOT_NULL(test, f);
	f->addr_range = (struct damon_addr_range){ DKT_PG(2), DKT_PG(4) };
	damos_add_filter(s, f);
	f = damos_new_filter(DAMOS_FILTER_TYPE_TARGET, true, true);
	KUNIT_ASSERT_NOT_NULL(test, f);
	f->target_idx = 0;
	damos_add_filter(s, f);

	/* [0, 10) is split at 2 pages: the first part goes to the target. */
	KUNIT_EXPECT_TRUE(test, damos_core_filters_allow(ctx, t, 0, r, s));
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 2U);
	KUNIT_EXPECT_EQ(test, r->ar.end, DKT_PG(2));
	/* [2, 10) is split at 4 pages and rejected by the address filter. */
	r = list_next_entry(r, list);
	KUNIT_EXPECT_FALSE(test, damos_core_filters_allow(ctx, t, 0, r, s));
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 3U);
	KUNIT_EXPECT_EQ(test, r->ar.end, DKT_PG(4));
	/* [4, 10): no filter applies for target 1: the default rejects. */
	r = list_next_entry(r, list);
	KUNIT_EXPECT_TRUE(test, damos_core_filters_allow(ctx, t, 0, r, s));
	KUNIT_EXPECT_FALSE(test, damos_core_filters_allow(ctx, t, 1, r, s));

	/* Non-matching filter: target 1 allowed, target 0 by default. */
	f->matching = false;
	KUNIT_EXPECT_TRUE(test, damos_core_filters_allow(ctx, t, 1, r, s));
	KUNIT_EXPECT_FALSE(test, damos_core_filters_allow(ctx, t, 0, r, s));
}

static unsigned int dkt_nr_apply_calls;

static unsigned long dkt_apply_half(struct damon_ctx *ctx,
				    struct damon_target *t,
				    struct damon_region *r, struct damos *s,
				    unsigned long *sz_filter_passed)
{
	dkt_nr_apply_calls++;
	*sz_filter_passed = damon_sz_region(r);
	return damon_sz_region(r) / 2;
}

/* A pass charges, splits at the quota and accounts the statistics. */
static void damos_test_apply_pass_quota(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_one_region_ctx(test, 10);
	struct damos *s = dkt_new_scheme(test, ctx, DAMOS_PAGEOUT);
	struct damon_target *t;
	struct damon_region *r;

	ctx->ops.apply_scheme = dkt_apply_half;
	t = list_first_entry(&ctx->adaptive_targets, struct damon_target,
			     list);
	s->quota.sz = DKT_PG(4);
	s->quota.reset_interval = 1000000;
	damon_for_each_region(r, t)
		r->age = 7;

	damos_apply_pass(ctx, s, 0, NULL);
	KUNIT_EXPECT_EQ(test, s->quota.esz, DKT_PG(4));
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 2U);
	KUNIT_EXPECT_EQ(test, s->stat.nr_tried, 1UL);
	KUNIT_EXPECT_EQ(test, s->stat.sz_tried, DKT_PG(4));
	KUNIT_EXPECT_EQ(test, s->stat.nr_applied, 1UL);
	KUNIT_EXPECT_EQ(test, s->stat.sz_applied, DKT_PG(2));
	KUNIT_EXPECT_EQ(test, s->stat.sz_ops_filter_passed, DKT_PG(4));
	KUNIT_EXPECT_EQ(test, s->stat.qt_exceeds, 1UL);
	KUNIT_EXPECT_EQ(test, s->stat.nr_snapshots, 1UL);
	KUNIT_EXPECT_EQ(test, s->quota.charged_sz, DKT_PG(4));
	KUNIT_EXPECT_PTR_EQ(test, s->quota.charge_target_from, t);
	KUNIT_EXPECT_EQ(test, s->quota.charge_addr_from, DKT_PG(4));
	/* Age reset where applied only. */
	r = list_first_entry(&t->regions_list, struct damon_region, list);
	KUNIT_EXPECT_EQ(test, r->age, 0U);
	KUNIT_EXPECT_EQ(test, list_next_entry(r, list)->age, 7U);

	/* Same window: nothing more. */
	damos_apply_pass(ctx, s, 0, NULL);
	KUNIT_EXPECT_EQ(test, s->stat.nr_tried, 1UL);

	/* New window: continue where the quota ran out. */
	s->quota.charged_from = 0;
	damos_apply_pass(ctx, s, 0, NULL);
	KUNIT_EXPECT_EQ(test, s->stat.nr_tried, 2UL);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 3U);
	r = list_next_entry(r, list);
	KUNIT_EXPECT_EQ(test, r->ar.start, DKT_PG(4));
	KUNIT_EXPECT_EQ(test, r->age, 0U);
	KUNIT_EXPECT_EQ(test, s->quota.charge_addr_from, DKT_PG(8));
}

/* Big regions are handed to the ops set in pieces. */
static void damos_test_apply_chunks(struct kunit *test)
{
	unsigned long pages = 2 * DAMOS_APPLY_CHUNK_SZ / PAGE_SIZE + 3;
	struct damon_ctx *ctx = dkt_one_region_ctx(test, pages);
	struct damos *s = dkt_new_scheme(test, ctx, DAMOS_PAGEOUT);
	unsigned long passed, applied;
	struct damon_target *t;
	struct damon_region *r;

	ctx->ops.apply_scheme = dkt_apply_half;
	t = list_first_entry(&ctx->adaptive_targets, struct damon_target,
			     list);
	r = list_first_entry(&t->regions_list, struct damon_region, list);
	dkt_nr_apply_calls = 0;
	applied = damos_apply_action(ctx, t, r, s, &passed);
	KUNIT_EXPECT_EQ(test, dkt_nr_apply_calls, 3U);
	KUNIT_EXPECT_EQ(test, passed, DKT_PG(pages));
	KUNIT_EXPECT_EQ(test, applied, DAMOS_APPLY_CHUNK_SZ + DKT_PG(3) / 2);
	/* The region itself is untouched. */
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 1U);
	KUNIT_EXPECT_EQ(test, r->ar.end, DKT_PG(pages));

	/* Small regions go in one call. */
	r->ar.end = DKT_PG(4);
	dkt_nr_apply_calls = 0;
	applied = damos_apply_action(ctx, t, r, s, &passed);
	KUNIT_EXPECT_EQ(test, dkt_nr_apply_calls, 1U);
	KUNIT_EXPECT_EQ(test, applied, DKT_PG(2));
}

/*
 * A region over a huge range, e.g. terabytes of physical addresses with no
 * memory, goes in a bounded number of pieces, not one per 4 MiB.
 */
static void damos_test_apply_huge_region(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_one_region_ctx(test, 1);
	struct damos *s = dkt_new_scheme(test, ctx, DAMOS_PAGEOUT);
	unsigned long passed, sz = 1UL << 45;	/* 32 TiB */
	struct damon_target *t;
	struct damon_region *r;

	ctx->ops.apply_scheme = dkt_apply_half;
	t = list_first_entry(&ctx->adaptive_targets, struct damon_target,
			     list);
	r = list_first_entry(&t->regions_list, struct damon_region, list);
	r->ar.end = r->ar.start + sz;
	dkt_nr_apply_calls = 0;
	damos_apply_action(ctx, t, r, s, &passed);
	/* 8 M pieces of 4 MiB before. */
	KUNIT_EXPECT_LE(test, dkt_nr_apply_calls, DAMOS_APPLY_MAX_PIECES + 1);
	KUNIT_EXPECT_EQ(test, passed, sz);
}

/*
 * An address unit bigger than DAMOS_APPLY_CHUNK_SZ still gives pieces of at
 * least one minimum-size region: a zero chunk never advanced the loop.
 */
static void damos_test_apply_chunk_big_unit(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_one_region_ctx(test, 1);
	struct damos *s = dkt_new_scheme(test, ctx, DAMOS_PAGEOUT);
	unsigned long passed, applied;
	struct damon_target *t;
	struct damon_region *r;

	ctx->addr_unit = 2 * DAMOS_APPLY_CHUNK_SZ;
	ctx->min_sz_region = 1;
	/* A zero chunk would loop forever below. */
	KUNIT_ASSERT_EQ(test, damos_apply_chunk(ctx), 1UL);
	ctx->min_sz_region = 4;
	KUNIT_EXPECT_EQ(test, damos_apply_chunk(ctx), 4UL);
	ctx->addr_unit = DAMOS_APPLY_CHUNK_SZ / 4;
	KUNIT_EXPECT_EQ(test, damos_apply_chunk(ctx), 4UL);
	ctx->min_sz_region = 1;
	ctx->addr_unit = 1;
	KUNIT_EXPECT_EQ(test, damos_apply_chunk(ctx), DAMOS_APPLY_CHUNK_SZ);

	/* Three units of 8 MiB (with 4 MiB chunks): one call per unit. */
	ctx->addr_unit = 2 * DAMOS_APPLY_CHUNK_SZ;
	ctx->ops.apply_scheme = dkt_apply_half;
	t = list_first_entry(&ctx->adaptive_targets, struct damon_target,
			     list);
	r = list_first_entry(&t->regions_list, struct damon_region, list);
	r->ar.start = 0;
	r->ar.end = 3;
	dkt_nr_apply_calls = 0;
	applied = damos_apply_action(ctx, t, r, s, &passed);
	KUNIT_EXPECT_EQ(test, dkt_nr_apply_calls, 3U);
	KUNIT_EXPECT_EQ(test, passed, 3UL);
	KUNIT_EXPECT_EQ(test, applied, 0UL);
}

static void dkt_walk_fn(void *data, struct damon_ctx *ctx,
			struct damon_target *t, struct damon_region *r,
			struct damos *s, unsigned long sz_filter_passed)
{
	unsigned long *sum = data;

	*sum += damon_sz_region(r);
}

/* A walk visits every region of the next pass of each scheme. */
static void damos_test_walk(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_one_region_ctx(test, 10);
	struct damos *s = dkt_new_scheme(test, ctx, DAMOS_STAT);
	unsigned long sum = 0;
	struct damos_walk_control wc = {
		.walk_fn = dkt_walk_fn,
		.data = &sum,
	};

	s->apply_interval_us = ctx->attrs.sample_interval;
	init_completion(&wc.completion);
	ctx->walk_control = &wc;
	ctx->passed_sample_intervals = 1;
	ctx->next_aggregation_sis = 20;
	damos_apply_schemes(ctx);
	KUNIT_EXPECT_EQ(test, sum, DKT_PG(10));
	KUNIT_EXPECT_NULL(test, ctx->walk_control);
	KUNIT_EXPECT_TRUE(test, completion_done(&wc.completion));
	KUNIT_EXPECT_FALSE(test, wc.canceled);

	/* Cancel. */
	init_completion(&wc.completion);
	ctx->walk_control = &wc;
	damos_walk_cancel(ctx);
	KUNIT_EXPECT_TRUE(test, wc.canceled);
	KUNIT_EXPECT_TRUE(test, completion_done(&wc.completion));
}

/* A withdrawn walk is neither used nor completed by the kdamond. */
static void damos_test_walk_withdraw(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_one_region_ctx(test, 10);
	struct damos *s = dkt_new_scheme(test, ctx, DAMOS_STAT);
	unsigned long sum = 0;
	struct damos_walk_control wc = {
		.walk_fn = dkt_walk_fn,
		.data = &sum,
	};

	s->apply_interval_us = ctx->attrs.sample_interval;
	init_completion(&wc.completion);
	ctx->walk_control = &wc;
	KUNIT_EXPECT_TRUE(test, damos_walk_withdraw(ctx, &wc));
	KUNIT_EXPECT_NULL(test, ctx->walk_control);
	KUNIT_EXPECT_FALSE(test, damos_walk_withdraw(ctx, &wc));
	ctx->passed_sample_intervals = 1;
	ctx->next_aggregation_sis = 20;
	damos_apply_schemes(ctx);
	KUNIT_EXPECT_EQ(test, sum, 0UL);
	KUNIT_EXPECT_FALSE(test, completion_done(&wc.completion));

	/* Completed at once when no scheme will be applied for a while. */
	ctx->walk_control = &wc;
	damos_walk_complete(ctx);
	KUNIT_EXPECT_TRUE(test, completion_done(&wc.completion));
	KUNIT_EXPECT_FALSE(test, wc.canceled);
	KUNIT_EXPECT_FALSE(test, damos_walk_withdraw(ctx, &wc));
}

/*
 * The virtual address operations sets apply madvise()-based actions to
 * whole ranges: ops-layer filters would be ignored, so they are refused.
 */
static void damos_test_validate_ops_filters(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);
	struct damos *s;
	struct damos_filter *f;

	s = dkt_new_scheme(test, ctx, DAMOS_PAGEOUT);
	f = damos_new_filter(DAMOS_FILTER_TYPE_ADDR, true, true);
	KUNIT_ASSERT_NOT_NULL(test, f);
	f->addr_range.end = 4096;
	damos_add_filter(s, f);
	/* Core filters work everywhere. */
	KUNIT_EXPECT_EQ(test, dkt_validate(test, ctx, DAMON_OPS_VADDR), 0);
	f = damos_new_filter(DAMOS_FILTER_TYPE_ANON, true, false);
	KUNIT_ASSERT_NOT_NULL(test, f);
	damos_add_filter(s, f);
	KUNIT_EXPECT_EQ(test, dkt_validate(test, ctx, DAMON_OPS_VADDR),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, dkt_validate(test, ctx, DAMON_OPS_FVADDR),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, dkt_validate(test, ctx, DAMON_OPS_PADDR), 0);
	s->action = DAMOS_COLD;
	KUNIT_EXPECT_EQ(test, dkt_validate(test, ctx, DAMON_OPS_VADDR),
			-EINVAL);
	s->action = DAMOS_STAT;
	KUNIT_EXPECT_EQ(test, dkt_validate(test, ctx, DAMON_OPS_VADDR), 0);
	KUNIT_ASSERT_EQ(test, damon_select_ops(ctx, DAMON_OPS_VADDR), 0);
	KUNIT_EXPECT_TRUE(test, ctx->ops.ops_filter_actions &
			  BIT(DAMOS_MIGRATE_COLD));
	KUNIT_ASSERT_EQ(test, damon_select_ops(ctx, DAMON_OPS_FVADDR), 0);
	KUNIT_EXPECT_FALSE(test, ctx->ops.ops_filter_actions &
			   BIT(DAMOS_COLLAPSE));
}

static void damos_test_commit_schemes(struct kunit *test)
{
	struct damon_ctx *dst = dkt_new_ctx(test), *src = dkt_new_ctx(test);
	struct damos *ds, *ss;
	struct damos_filter *f;
	unsigned int nr = 0;

	ds = dkt_new_scheme(test, dst, DAMOS_STAT);
	ds->stat.nr_tried = 42;
	ds->quota.charged_sz = 4096;
	f = damos_new_filter(DAMOS_FILTER_TYPE_ANON, true, false);
	KUNIT_ASSERT_NOT_NULL(test, f);
	damos_add_filter(ds, f);

	ss = dkt_new_scheme(test, src, DAMOS_PAGEOUT);
	ss->pattern.min_age_region = 5;
	ss->quota.sz = 8192;
	f = damos_new_filter(DAMOS_FILTER_TYPE_ADDR, true, true);
	KUNIT_ASSERT_NOT_NULL(test, f);
	f->addr_range = (struct damon_addr_range){ 0, 4096 };
	damos_add_filter(ss, f);
	dkt_new_scheme(test, src, DAMOS_COLD);

	KUNIT_EXPECT_EQ(test, damos_commit_schemes(dst, src), 0);
	damon_for_each_scheme(ds, dst)
		nr++;
	KUNIT_EXPECT_EQ(test, nr, 2U);
	ds = list_first_entry(&dst->schemes, struct damos, list);
	KUNIT_EXPECT_EQ(test, ds->action, DAMOS_PAGEOUT);
	KUNIT_EXPECT_EQ(test, ds->pattern.min_age_region, 5U);
	KUNIT_EXPECT_EQ(test, ds->quota.sz, 8192UL);
	KUNIT_EXPECT_EQ(test, ds->stat.nr_tried, 42UL);
	KUNIT_EXPECT_EQ(test, ds->quota.charged_sz, 4096UL);
	KUNIT_EXPECT_TRUE(test, list_empty(&ds->ops_filters));
	KUNIT_ASSERT_FALSE(test, list_empty(&ds->core_filters));
	f = list_first_entry(&ds->core_filters, struct damos_filter, list);
	KUNIT_EXPECT_EQ(test, f->addr_range.end, 4096UL);
	KUNIT_EXPECT_TRUE(test, ds->core_filters_default_reject);
	ds = list_next_entry(ds, list);
	KUNIT_EXPECT_EQ(test, ds->action, DAMOS_COLD);
	KUNIT_EXPECT_EQ(test, ds->stat.nr_tried, 0UL);

	/* Fewer schemes: the extra one goes. */
	damon_destroy_scheme(list_last_entry(&src->schemes, struct damos,
					     list));
	KUNIT_EXPECT_EQ(test, damos_commit_schemes(dst, src), 0);
	KUNIT_EXPECT_TRUE(test, list_is_singular(&dst->schemes));
}

static void damos_test_commit_quota_goals(struct kunit *test)
{
	struct damos_quota dst = {}, src = {};
	struct damos_quota_goal *g;
	unsigned int nr = 0;

	INIT_LIST_HEAD(&dst.goals);
	INIT_LIST_HEAD(&src.goals);
	g = damos_new_quota_goal(DAMOS_QUOTA_SOME_MEM_PSI_US, 1000);
	KUNIT_ASSERT_NOT_NULL(test, g);
	g->last_psi_total = 77;
	damos_add_quota_goal(&dst, g);

	g = damos_new_quota_goal(DAMOS_QUOTA_SOME_MEM_PSI_US, 2000);
	KUNIT_ASSERT_NOT_NULL(test, g);
	damos_add_quota_goal(&src, g);
	g = damos_new_quota_goal(DAMOS_QUOTA_USER_INPUT, 3000);
	KUNIT_ASSERT_NOT_NULL(test, g);
	g->current_value = 5;
	damos_add_quota_goal(&src, g);

	KUNIT_EXPECT_EQ(test, damos_commit_quota_goals(&dst, &src), 0);
	damos_for_each_quota_goal(g, &dst)
		nr++;
	KUNIT_EXPECT_EQ(test, nr, 2U);
	g = list_first_entry(&dst.goals, struct damos_quota_goal, list);
	KUNIT_EXPECT_EQ(test, g->target_value, 2000UL);
	KUNIT_EXPECT_EQ(test, g->last_psi_total, 77ULL);
	g = list_next_entry(g, list);
	KUNIT_EXPECT_EQ(test, g->metric, DAMOS_QUOTA_USER_INPUT);
	KUNIT_EXPECT_EQ(test, g->current_value, 5UL);

	/* Drop all. */
	while (!list_empty(&src.goals)) {
		g = list_first_entry(&src.goals, struct damos_quota_goal, list);
		damos_destroy_quota_goal(g);
	}
	KUNIT_EXPECT_EQ(test, damos_commit_quota_goals(&dst, &src), 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&dst.goals));
}

static void damos_test_pick_dest(struct kunit *test)
{
	unsigned int ids[] = { 3, 5 }, weights[] = { 1, 3 };
	struct damos_migrate_dests d = {};
	unsigned int counts[2] = {};
	unsigned long key;

	KUNIT_EXPECT_EQ(test, damos_pick_dest(&d, 0), NUMA_NO_NODE);
	KUNIT_ASSERT_EQ(test, damos_set_migrate_dests(&d, ids, weights, 2), 0);
	for (key = 0; key < 400; key++)
		counts[damos_pick_dest(&d, key) == 3 ? 0 : 1]++;
	KUNIT_EXPECT_EQ(test, counts[0], 100U);
	KUNIT_EXPECT_EQ(test, counts[1], 300U);

	/* All weights zero: evenly. */
	weights[0] = 0;
	weights[1] = 0;
	KUNIT_ASSERT_EQ(test, damos_set_migrate_dests(&d, ids, weights, 2), 0);
	KUNIT_EXPECT_EQ(test, damos_pick_dest(&d, 0), 3);
	KUNIT_EXPECT_EQ(test, damos_pick_dest(&d, 1), 5);
	KUNIT_ASSERT_EQ(test, damos_set_migrate_dests(&d, NULL, NULL, 0), 0);
	KUNIT_EXPECT_NULL(test, d.node_id_arr);
	KUNIT_EXPECT_EQ(test, damos_pick_dest(&d, 0), NUMA_NO_NODE);
}

/* A sampling interval change keeps the time left, in the new unit. */
static void damos_test_attrs_changed(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);
	struct damon_attrs old;
	struct damos *s;

	s = dkt_new_scheme(test, ctx, DAMOS_STAT);
	s->apply_interval_us = USEC_PER_SEC;
	ctx->passed_sample_intervals = 100;
	s->next_apply_sis = 250;
	old = ctx->attrs;
	ctx->attrs.sample_interval = old.sample_interval * 2;
	damos_attrs_changed(ctx, &old);
	KUNIT_EXPECT_EQ(test, s->next_apply_sis, 175UL);

	/* Never later than a whole apply interval from now. */
	s->next_apply_sis = 100000;
	damos_attrs_changed(ctx, &ctx->attrs);
	KUNIT_EXPECT_EQ(test, s->next_apply_sis, 200UL);
}

static void damos_test_validate(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);
	struct damos *s;
	struct damos_filter *f;
	struct damos_quota_goal *g;

	s = dkt_new_scheme(test, ctx, DAMOS_LRU_PRIO);
	KUNIT_EXPECT_EQ(test, dkt_validate(test, ctx, DAMON_OPS_PADDR), 0);
	KUNIT_EXPECT_EQ(test, dkt_validate(test, ctx, DAMON_OPS_VADDR),
			-EINVAL);
	s->action = DAMOS_HUGEPAGE;
	KUNIT_EXPECT_EQ(test, dkt_validate(test, ctx, DAMON_OPS_PADDR),
			-EINVAL);
	/* The huge page actions only where the kernel has THP. */
	KUNIT_EXPECT_EQ(test, dkt_validate(test, ctx, DAMON_OPS_FVADDR),
			IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) ? 0 : -EINVAL);
	s->action = DAMOS_STAT;
	s->pattern.min_nr_accesses = 3;
	s->pattern.max_nr_accesses = 2;
	KUNIT_EXPECT_EQ(test, dkt_validate(test, ctx, DAMON_OPS_PADDR),
			-EINVAL);
	s->pattern.max_nr_accesses = 3;
	s->wmarks.metric = DAMOS_WMARK_FREE_MEM_RATE;
	s->wmarks.high = 100;
	s->wmarks.mid = 200;
	KUNIT_EXPECT_EQ(test, dkt_validate(test, ctx, DAMON_OPS_PADDR),
			-EINVAL);
	s->wmarks.mid = 50;
	KUNIT_EXPECT_EQ(test, dkt_validate(test, ctx, DAMON_OPS_PADDR), 0);
	f = damos_new_filter(DAMOS_FILTER_TYPE_ADDR, true, true);
	KUNIT_ASSERT_NOT_NULL(test, f);
	damos_add_filter(s, f);
	KUNIT_EXPECT_EQ(test, dkt_validate(test, ctx, DAMON_OPS_PADDR),
			-EINVAL);
	f->addr_range.end = 1;
	KUNIT_EXPECT_EQ(test, dkt_validate(test, ctx, DAMON_OPS_PADDR), 0);
	s->quota.fail_charge_num = 2;
	s->quota.fail_charge_denom = 1;
	KUNIT_EXPECT_EQ(test, dkt_validate(test, ctx, DAMON_OPS_PADDR),
			-EINVAL);
	s->quota.fail_charge_num = 0;

	/* What needs a kernel option the kernel lacks is refused. */
	g = damos_new_quota_goal(DAMOS_QUOTA_SOME_MEM_PSI_US, 1000);
	KUNIT_ASSERT_NOT_NULL(test, g);
	damos_add_quota_goal(&s->quota, g);
	KUNIT_EXPECT_EQ(test, dkt_validate(test, ctx, DAMON_OPS_PADDR),
			IS_ENABLED(CONFIG_PSI) ? 0 : -EINVAL);
	g->metric = DAMOS_QUOTA_NODE_MEMCG_USED_BP;
	g->nid = first_online_node;
	KUNIT_EXPECT_EQ(test, dkt_validate(test, ctx, DAMON_OPS_PADDR),
			IS_ENABLED(CONFIG_MEMCG) ? 0 : -EINVAL);
	damos_destroy_quota_goal(g);
	f = damos_new_filter(DAMOS_FILTER_TYPE_MEMCG, true, false);
	KUNIT_ASSERT_NOT_NULL(test, f);
	damos_add_filter(s, f);
	KUNIT_EXPECT_EQ(test, dkt_validate(test, ctx, DAMON_OPS_PADDR),
			IS_ENABLED(CONFIG_MEMCG) ? 0 : -EINVAL);
	s->action = DAMOS_MIGRATE_COLD;
	s->target_nid = first_online_node;
	damos_destroy_filter(f);
	KUNIT_EXPECT_EQ(test, dkt_validate(test, ctx, DAMON_OPS_PADDR),
			IS_ENABLED(CONFIG_MIGRATION) ? 0 : -EINVAL);
}

static struct kunit_case damos_test_cases[] = {
	KUNIT_CASE(damos_test_time_quota_bytes),
	KUNIT_CASE(damos_test_quota_esz),
	KUNIT_CASE(damos_test_hist_min_score),
	KUNIT_CASE(damos_test_goal_score),
	KUNIT_CASE(damos_test_consist_tune),
	KUNIT_CASE(damos_test_temporal_tune),
	KUNIT_CASE(damos_test_quota_esz_goal),
	KUNIT_CASE(damos_test_fail_charge),
	KUNIT_CASE(damos_test_pattern_inclusive),
	KUNIT_CASE(damos_test_wmarks_rules),
	KUNIT_CASE(damos_test_filters_default),
	KUNIT_CASE(damos_test_core_filters_order),
	KUNIT_CASE(damos_test_apply_pass_quota),
	KUNIT_CASE(damos_test_apply_chunks),
	KUNIT_CASE(damos_test_apply_chunk_big_unit),
	KUNIT_CASE(damos_test_apply_huge_region),
	KUNIT_CASE(damos_test_walk),
	KUNIT_CASE(damos_test_walk_withdraw),
	KUNIT_CASE(damos_test_validate_ops_filters),
	KUNIT_CASE(damos_test_commit_schemes),
	KUNIT_CASE(damos_test_commit_quota_goals),
	KUNIT_CASE(damos_test_pick_dest),
	KUNIT_CASE(damos_test_attrs_changed),
	KUNIT_CASE(damos_test_validate),
	{},
};

static struct kunit_suite damos_test_suite = {
	.name = "damon-schemes",
	.test_cases = damos_test_cases,
};

kunit_test_suite(damos_test_suite);

#endif /* _DAMON_SCHEMES_KUNIT_H */
