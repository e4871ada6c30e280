/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests of the DAMON monitoring core.  Included at the end of core.c,
 * so the static functions are reachable.  The conventions of the KUnit
 * files are at the top of kunit-common.h.
 */

#ifndef _DAMON_CORE_KUNIT_H
#define _DAMON_CORE_KUNIT_H

#include <kunit/test.h>
#include <linux/sort.h>

#include "kunit-common.h"

/* Check the structural invariants of every target of @ctx. */
static void dkt_check_invariants(struct kunit *test, struct damon_ctx *ctx,
				 unsigned long total_sz)
{
	struct damon_target *t;
	struct damon_region *r, *prev;
	unsigned int nr;

	damon_for_each_target(t, ctx) {
		prev = NULL;
		nr = 0;
		damon_for_each_region(r, t) {
			KUNIT_EXPECT_LT(test, r->ar.start, r->ar.end);
			KUNIT_EXPECT_EQ(test, r->ar.start % ctx->min_sz_region,
					0ul);
			KUNIT_EXPECT_EQ(test, r->ar.end % ctx->min_sz_region,
					0ul);
			if (prev)
				KUNIT_EXPECT_LE(test, prev->ar.end,
						r->ar.start);
			prev = r;
			nr++;
		}
		KUNIT_EXPECT_EQ(test, nr, t->nr_regions);
	}
	KUNIT_EXPECT_EQ(test, damon_total_sz(ctx), total_sz);
}

static void damon_test_new_region(struct kunit *test)
{
	struct damon_region *r = damon_new_region(DKT_PG(1), DKT_PG(3));

	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, r->ar.start, DKT_PG(1));
	KUNIT_EXPECT_EQ(test, r->ar.end, DKT_PG(3));
	KUNIT_EXPECT_EQ(test, damon_sz_region(r), DKT_PG(2));
	KUNIT_EXPECT_EQ(test, r->nr_accesses, 0u);
	KUNIT_EXPECT_EQ(test, r->nr_accesses_bp, 0u);
	KUNIT_EXPECT_EQ(test, r->age, 0u);
	damon_free_region(r);
}

static void damon_test_add_destroy_region(struct kunit *test)
{
	unsigned long s[] = {0, DKT_PG(2), DKT_PG(5)}, e[] = {DKT_PG(1), DKT_PG(4), DKT_PG(6)};
	struct damon_target *t = dkt_add_target(test, dkt_new_ctx(test), s, e, 3);

	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 3u);
	damon_destroy_region(dkt_nth(t, 1), t);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 2u);
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 1)->ar.start, DKT_PG(5));
}

static void damon_test_insert_region(struct kunit *test)
{
	unsigned long s[] = {0, DKT_PG(5)}, e[] = {DKT_PG(1), DKT_PG(6)};
	struct damon_target *t = dkt_add_target(test, dkt_new_ctx(test), s, e, 2);
	struct damon_region *r = damon_new_region(DKT_PG(2), DKT_PG(3));

	KUNIT_ASSERT_NOT_NULL(test, r);
	damon_insert_region(r, dkt_nth(t, 0), dkt_nth(t, 1), t);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 3u);
	KUNIT_EXPECT_PTR_EQ(test, dkt_nth(t, 1), r);
}

static void damon_test_targets(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);
	struct damon_target *t;

	KUNIT_EXPECT_TRUE(test, damon_targets_empty(ctx));
	t = damon_new_target();
	KUNIT_ASSERT_NOT_NULL(test, t);
	damon_add_target(ctx, t);
	KUNIT_EXPECT_FALSE(test, damon_targets_empty(ctx));
	damon_destroy_target(t, ctx);
	KUNIT_EXPECT_TRUE(test, damon_targets_empty(ctx));
}

static void damon_test_set_regions_empty(struct kunit *test)
{
	struct damon_target *t = dkt_add_target(test, dkt_new_ctx(test), NULL, NULL, 0);
	struct damon_addr_range ranges[] = {
		{DKT_PG(1), DKT_PG(3)}, {DKT_PG(5), DKT_PG(9)},
	};

	KUNIT_EXPECT_EQ(test, damon_set_regions(t, ranges, 2, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 2u);
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 0)->ar.start, DKT_PG(1));
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 1)->ar.end, DKT_PG(9));
}

static void damon_test_set_regions_keeps_results(struct kunit *test)
{
	unsigned long s[] = {DKT_PG(0), DKT_PG(4)}, e[] = {DKT_PG(4), DKT_PG(8)};
	struct damon_target *t = dkt_add_target(test, dkt_new_ctx(test), s, e, 2);
	struct damon_addr_range range = {DKT_PG(2), DKT_PG(10)};

	dkt_nth(t, 0)->last_nr_accesses = 7;
	dkt_nth(t, 0)->age = 3;
	dkt_nth(t, 1)->last_nr_accesses = 2;
	KUNIT_EXPECT_EQ(test, damon_set_regions(t, &range, 1, PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, damon_nr_regions(t), 3u);
	/* [2, 4) keeps the first region's results, [4, 8) the second's. */
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 0)->ar.start, DKT_PG(2));
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 0)->last_nr_accesses, 7u);
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 0)->age, 3u);
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 1)->last_nr_accesses, 2u);
	/* [8, 10) is new. */
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 2)->ar.start, DKT_PG(8));
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 2)->last_nr_accesses, 0u);
}

static void damon_test_set_regions_fills_and_drops(struct kunit *test)
{
	unsigned long s[] = {DKT_PG(0), DKT_PG(10), DKT_PG(30)};
	unsigned long e[] = {DKT_PG(2), DKT_PG(12), DKT_PG(32)};
	struct damon_target *t = dkt_add_target(test, dkt_new_ctx(test), s, e, 3);
	struct damon_addr_range range = {DKT_PG(0), DKT_PG(20)};

	KUNIT_EXPECT_EQ(test, damon_set_regions(t, &range, 1, PAGE_SIZE), 0);
	/* [0,2) [2,10) [10,12) [12,20); [30,32) is gone. */
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 4u);
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 1)->ar.start, DKT_PG(2));
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 1)->ar.end, DKT_PG(10));
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 3)->ar.end, DKT_PG(20));
}

static void damon_test_set_regions_invalid(struct kunit *test)
{
	unsigned long s[] = {DKT_PG(0)}, e[] = {DKT_PG(4)};
	struct damon_target *t = dkt_add_target(test, dkt_new_ctx(test), s, e, 1);
	struct damon_addr_range overlap[] = {{DKT_PG(0), DKT_PG(5)}, {DKT_PG(4), DKT_PG(8)}};
	struct damon_addr_range reversed[] = {{DKT_PG(5), DKT_PG(1)}};

	KUNIT_EXPECT_EQ(test, damon_set_regions(t, overlap, 2, PAGE_SIZE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, damon_set_regions(t, reversed, 1, PAGE_SIZE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 1u);
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 0)->ar.end, DKT_PG(4));
}

static void damon_test_set_regions_aligns(struct kunit *test)
{
	struct damon_target *t = dkt_add_target(test, dkt_new_ctx(test), NULL, NULL, 0);
	struct damon_addr_range ranges[] = {
		{DKT_PG(1) + 10, DKT_PG(3) - 10}, {DKT_PG(3) + 1, DKT_PG(4) + 1},
	};

	KUNIT_EXPECT_EQ(test, damon_set_regions(t, ranges, 2, PAGE_SIZE), 0);
	/* The second range's aligned start is clipped to the first's end. */
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 2u);
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 0)->ar.start, DKT_PG(1));
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 0)->ar.end, DKT_PG(3));
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 1)->ar.start, DKT_PG(3));
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 1)->ar.end, DKT_PG(5));
}

static void damon_test_access_rate(struct kunit *test)
{
	struct damon_attrs attrs = { .aggr_samples = 20 };
	struct damon_region *r = damon_new_region(0, DKT_PG(1));
	int i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	for (i = 0; i < 20; i++)
		damon_update_region_access_rate(r, i % 4 == 0, &attrs);
	KUNIT_EXPECT_EQ(test, r->nr_accesses, 5u);
	KUNIT_EXPECT_EQ(test, r->nr_accesses_bp, 50000u);
	damon_free_region(r);
}

/* The moving sum follows a change of the access rate within a window. */
static void damon_test_moving_sum(struct kunit *test)
{
	struct damon_attrs attrs = { .aggr_samples = 20 };
	struct damon_region *r = damon_new_region(0, DKT_PG(1));
	int i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	/* Previous window: 10 of 20 samples accessed. */
	r->last_nr_accesses = 10;
	r->nr_accesses_bp = 100000;
	/* Now nothing: the sum decays by one window's share per sample. */
	for (i = 0; i < 10; i++)
		damon_update_region_access_rate(r, false, &attrs);
	KUNIT_EXPECT_EQ(test, r->nr_accesses_bp, 50000u);
	for (i = 0; i < 10; i++)
		damon_update_region_access_rate(r, false, &attrs);
	KUNIT_EXPECT_EQ(test, r->nr_accesses_bp, 0u);
	/* Never below zero. */
	damon_update_region_access_rate(r, false, &attrs);
	KUNIT_EXPECT_EQ(test, r->nr_accesses_bp, 0u);
	damon_free_region(r);
}

static void damon_test_moving_sum_bounded(struct kunit *test)
{
	struct damon_attrs attrs = { .aggr_samples = 20 };
	struct damon_region *r = damon_new_region(0, DKT_PG(1));
	int i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	for (i = 0; i < 100; i++)
		damon_update_region_access_rate(r, true, &attrs);
	KUNIT_EXPECT_LE(test, r->nr_accesses_bp, 200000u);
	damon_free_region(r);
}

static void damon_test_wavg(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, damon_wavg(10, 1, 20, 1), 15u);
	KUNIT_EXPECT_EQ(test, damon_wavg(20, 3, 10, 1), 17u);
	KUNIT_EXPECT_EQ(test, damon_wavg(10, 1, 20, 3), 17u);
	KUNIT_EXPECT_EQ(test, damon_wavg(0, 1UL << 46, 200000, 1UL << 46),
			100000u);
	KUNIT_EXPECT_EQ(test, damon_wavg(7, 0, 9, 0), 7u);
}

static void damon_test_merge_two(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);
	unsigned long s[] = {0, DKT_PG(1)}, e[] = {DKT_PG(1), DKT_PG(4)};
	struct damon_target *t = dkt_add_target(test, ctx, s, e, 2);

	dkt_nth(t, 0)->nr_accesses = 4;
	dkt_nth(t, 0)->age = 8;
	dkt_nth(t, 1)->nr_accesses = 8;
	dkt_nth(t, 1)->age = 4;
	damon_merge_two(t, dkt_nth(t, 0), dkt_nth(t, 1), ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 1u);
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 0)->ar.end, DKT_PG(4));
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 0)->nr_accesses, 7u);
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 0)->age, 5u);
}

static void damon_test_merge_threshold(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);
	unsigned long s[] = {0, DKT_PG(1), DKT_PG(2), DKT_PG(3), DKT_PG(5)};
	unsigned long e[] = {DKT_PG(1), DKT_PG(2), DKT_PG(3), DKT_PG(4), DKT_PG(6)};
	unsigned int nr[] = {0, 1, 10, 10, 10};
	struct damon_target *t = dkt_add_target(test, ctx, s, e, 5);
	unsigned long nr_merges = ULONG_MAX;
	int i;

	for (i = 0; i < 5; i++)
		dkt_nth(t, i)->nr_accesses = nr[i];
	damon_merge_regions_of(ctx, t, 1, DKT_PG(100), &nr_merges);
	/* {0,1} merge, {10,10} merge, the last is apart from its neighbour. */
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 3u);
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 0)->ar.end, DKT_PG(2));
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 1)->ar.end, DKT_PG(4));
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 2)->ar.start, DKT_PG(5));
	KUNIT_EXPECT_EQ(test, nr_merges, ULONG_MAX - 2);
}

static void damon_test_merge_sz_limit(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);
	unsigned long s[] = {0, DKT_PG(1), DKT_PG(2), DKT_PG(3)};
	unsigned long e[] = {DKT_PG(1), DKT_PG(2), DKT_PG(3), DKT_PG(4)};
	struct damon_target *t = dkt_add_target(test, ctx, s, e, 4);
	unsigned long nr_merges = ULONG_MAX;

	damon_merge_regions_of(ctx, t, 0, DKT_PG(2), &nr_merges);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 2u);
	KUNIT_EXPECT_EQ(test, damon_sz_region(dkt_nth(t, 0)), DKT_PG(2));
	/* No more merges than allowed. */
	nr_merges = 0;
	damon_merge_regions_of(ctx, t, 0, DKT_PG(4), &nr_merges);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 2u);
}

static void damon_test_age(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);
	unsigned long s[] = {0, DKT_PG(1)}, e[] = {DKT_PG(1), DKT_PG(2)};
	struct damon_target *t = dkt_add_target(test, ctx, s, e, 2);

	dkt_nth(t, 0)->age = 5;
	dkt_nth(t, 0)->nr_accesses = 3;
	dkt_nth(t, 0)->last_nr_accesses = 4;
	dkt_nth(t, 1)->age = 5;
	dkt_nth(t, 1)->nr_accesses = 15;
	dkt_nth(t, 1)->last_nr_accesses = 4;
	damon_update_ages(ctx, 2);
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 0)->age, 6u);
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 1)->age, 0u);
}

/* The threshold is raised until the count fits max_nr_regions. */
static void damon_test_merge_to_max(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);
	struct damon_target *t = dkt_add_target(test, ctx, NULL, NULL, 0);
	struct damon_region *r;
	int i;

	ctx->attrs.min_nr_regions = 3;
	ctx->attrs.max_nr_regions = 10;
	for (i = 0; i < 100; i++) {
		r = damon_new_region(DKT_PG(i), DKT_PG(i + 1));
		KUNIT_ASSERT_NOT_NULL(test, r);
		r->nr_accesses = (i * 7) % 21;
		r->last_nr_accesses = r->nr_accesses;
		damon_add_region(r, t);
	}
	kdamond_merge_regions(ctx, 20);
	KUNIT_EXPECT_LE(test, damon_nr_regions(t), 10u);
	KUNIT_EXPECT_GE(test, damon_nr_regions(t), 3u);
	dkt_check_invariants(test, ctx, DKT_PG(100));
}

static void damon_test_split_at(struct kunit *test)
{
	unsigned long s[] = {0}, e[] = {DKT_PG(10)};
	struct damon_target *t = dkt_add_target(test, dkt_new_ctx(test), s, e, 1);

	dkt_nth(t, 0)->nr_accesses = 6;
	dkt_nth(t, 0)->age = 2;
	damon_split_region_at(t, dkt_nth(t, 0), DKT_PG(3));
	KUNIT_ASSERT_EQ(test, damon_nr_regions(t), 2u);
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 0)->ar.end, DKT_PG(3));
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 1)->ar.start, DKT_PG(3));
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 1)->ar.end, DKT_PG(10));
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 1)->nr_accesses, 6u);
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 1)->age, 2u);
	/* Empty parts are refused. */
	damon_split_region_at(t, dkt_nth(t, 0), 0);
	damon_split_region_at(t, dkt_nth(t, 0), DKT_PG(3));
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 2u);
}

static void damon_test_split_randomly(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);
	unsigned long s[] = {0}, e[] = {DKT_PG(100)};
	struct damon_target *t;
	unsigned long left;
	int i;

	for (i = 0; i < 100; i++) {
		t = dkt_add_target(test, ctx, s, e, 1);
		KUNIT_EXPECT_TRUE(test,
				  damon_split_randomly(ctx, t, dkt_nth(t, 0)));
		left = damon_sz_region(dkt_nth(t, 0));
		KUNIT_EXPECT_GE(test, left, DKT_PG(10));
		KUNIT_EXPECT_LE(test, left, DKT_PG(90));
		KUNIT_EXPECT_EQ(test, left % PAGE_SIZE, 0ul);
		damon_destroy_target(t, ctx);
	}
	/* A one-page region cannot be split. */
	e[0] = DKT_PG(1);
	t = dkt_add_target(test, ctx, s, e, 1);
	KUNIT_EXPECT_FALSE(test, damon_split_randomly(ctx, t, dkt_nth(t, 0)));
}

static void damon_test_split_max(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);
	unsigned long s[] = {0, DKT_PG(100)}, e[] = {DKT_PG(100), DKT_PG(200)};
	struct damon_target *t = dkt_add_target(test, ctx, s, e, 2);

	ctx->attrs.min_nr_regions = 3;
	ctx->attrs.max_nr_regions = 5;
	/* 2 * 3 > 5: halves only, then only as many as fit. */
	kdamond_split_regions(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 4u);
	kdamond_split_regions(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 5u);
	kdamond_split_regions(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 5u);
	dkt_check_invariants(test, ctx, DKT_PG(200));
}

static void damon_test_split_min(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);
	unsigned long s[] = {0}, e[] = {DKT_PG(64)};
	struct damon_target *t = dkt_add_target(test, ctx, s, e, 1);

	/* Only one split per region allowed by max, yet min must be met. */
	ctx->attrs.min_nr_regions = 16;
	ctx->attrs.max_nr_regions = 16;
	kdamond_split_regions(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 16u);
	dkt_check_invariants(test, ctx, DKT_PG(64));
}

/*
 * A boundary between differently accessed regions gets a small piece cut on
 * each side of it, no bigger than the smaller of the neighbor and half of
 * the region, so that the next aggregation can move the boundary.
 */
static void damon_test_split_edges(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);
	unsigned long s[] = {0, DKT_PG(100)}, e[] = {DKT_PG(100), DKT_PG(1000)};
	struct damon_region *r, *before = NULL, *after = NULL;
	struct damon_target *t;
	int i;

	ctx->attrs.min_nr_regions = 2;
	ctx->attrs.max_nr_regions = 100;
	for (i = 0; i < 100; i++) {
		t = dkt_add_target(test, ctx, s, e, 2);
		dkt_nth(t, 0)->last_nr_accesses = 10;
		kdamond_split_regions(ctx);
		KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 6u);
		damon_for_each_region(r, t) {
			if (r->ar.end == DKT_PG(100))
				before = r;
			if (r->ar.start == DKT_PG(100))
				after = r;
		}
		KUNIT_ASSERT_NOT_NULL(test, before);
		KUNIT_ASSERT_NOT_NULL(test, after);
		/* the hot side: half of its 100 pages at most */
		KUNIT_EXPECT_LE(test, damon_sz_region(before), DKT_PG(50));
		/* the cold side: the hot neighbor's 100 pages at most */
		KUNIT_EXPECT_LE(test, damon_sz_region(after), DKT_PG(100));
		KUNIT_EXPECT_GE(test, damon_sz_region(after), DKT_PG(4));
		dkt_check_invariants(test, ctx, DKT_PG(1000));
		damon_destroy_target(t, ctx);
		before = NULL;
		after = NULL;
	}
}

/* Randomized merge/split rounds keep every invariant. */
static void damon_test_adjust_randomized(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);
	unsigned long total = 0, start = 0, sz;
	struct damon_target *t;
	struct damon_region *r;
	unsigned int nr;
	int i, j, round;

	ctx->attrs.min_nr_regions = 10;
	ctx->attrs.max_nr_regions = 60;
	for (i = 0; i < 3; i++) {
		t = dkt_add_target(test, ctx, NULL, NULL, 0);
		for (j = 0; j < 3; j++) {
			sz = DKT_PG(damon_rand(ctx, 1, 300));
			r = damon_new_region(start, start + sz);
			KUNIT_ASSERT_NOT_NULL(test, r);
			damon_add_region(r, t);
			total += sz;
			/* Leave gaps between some regions. */
			start += sz + DKT_PG(damon_rand(ctx, 0, 2));
		}
	}
	for (round = 0; round < 200; round++) {
		damon_for_each_target(t, ctx) {
			damon_for_each_region(r, t)
				r->nr_accesses = damon_rand(ctx, 0, 21);
		}
		kdamond_merge_regions(ctx, 20);
		kdamond_reset_aggregated(ctx);
		kdamond_split_regions(ctx);
		nr = damon_total_nr_regions(ctx);
		KUNIT_EXPECT_GE(test, nr, 10u);
		KUNIT_EXPECT_LE(test, nr, 60u);
		dkt_check_invariants(test, ctx, total);
	}
}

static void damon_test_set_attrs(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);
	struct damon_attrs attrs;

	attrs = ctx->attrs;
	attrs.min_nr_regions = 2;
	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &attrs), -EINVAL);
	attrs = ctx->attrs;
	attrs.min_nr_regions = 100;
	attrs.max_nr_regions = 50;
	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &attrs), -EINVAL);
	attrs = ctx->attrs;
	attrs.sample_interval = attrs.aggr_interval + 1;
	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &attrs), -EINVAL);
	attrs = ctx->attrs;
	attrs.intervals_goal.aggrs = 3;
	attrs.intervals_goal.access_bp = 10001;
	attrs.intervals_goal.min_sample_us = 1;
	attrs.intervals_goal.max_sample_us = 2;
	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &attrs), -EINVAL);
	attrs.intervals_goal.access_bp = 400;
	attrs.intervals_goal.min_sample_us = 3;
	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &attrs), -EINVAL);
	/* Nothing changed so far. */
	KUNIT_EXPECT_EQ(test, ctx->attrs.min_nr_regions, 10ul);
	attrs = ctx->attrs;
	attrs.sample_interval = 1000;
	attrs.aggr_interval = 50000;
	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &attrs), 0);
	KUNIT_EXPECT_EQ(test, ctx->attrs.aggr_samples, 50ul);
	KUNIT_EXPECT_EQ(test, damon_max_nr_accesses(&ctx->attrs), 50u);
}

static void damon_test_set_attrs_rescale(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);
	unsigned long s[] = {0}, e[] = {DKT_PG(1)};
	struct damon_target *t = dkt_add_target(test, ctx, s, e, 1);
	struct damon_attrs attrs;

	dkt_nth(t, 0)->last_nr_accesses = 10;	/* half of 20 */
	dkt_nth(t, 0)->age = 10;		/* 1 s of 100 ms windows */
	attrs = ctx->attrs;
	attrs.aggr_interval = 200000;		/* 40 samples, 200 ms */
	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &attrs), 0);
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 0)->last_nr_accesses, 20u);
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 0)->age, 5u);
}

static void damon_test_tune_direction(struct kunit *test)
{
	struct damon_intervals_goal goal = {
		.access_bp = 400, .aggrs = 3,
		.min_sample_us = 5000, .max_sample_us = 10000000,
	};

	/* Too few accesses seen: sample less often. */
	KUNIT_EXPECT_GT(test, damon_tuned_sample_us(10000, 100, &goal),
			10000ul);
	KUNIT_EXPECT_GT(test, damon_tuned_sample_us(10000, 0, &goal),
			10000ul);
	/* Too many: sample more often. */
	KUNIT_EXPECT_LT(test, damon_tuned_sample_us(10000, 2000, &goal),
			10000ul);
	/* On goal: stay. */
	KUNIT_EXPECT_EQ(test, damon_tuned_sample_us(10000, 400, &goal),
			10000ul);
}

static void damon_test_tune_bounds(struct kunit *test)
{
	struct damon_intervals_goal goal = {
		.access_bp = 400, .aggrs = 3,
		.min_sample_us = 5000, .max_sample_us = 10000000,
	};

	KUNIT_EXPECT_EQ(test, damon_tuned_sample_us(5000, 10000, &goal),
			5000ul);
	KUNIT_EXPECT_EQ(test, damon_tuned_sample_us(10000000, 0, &goal),
			10000000ul);
	/* Steps are damped to at most 1.5x. */
	KUNIT_EXPECT_LE(test, damon_tuned_sample_us(100000, 0, &goal),
			150000ul);
}

/*
 * Synthetic feedback: the observed share grows linearly with the
 * interval, 400 bp at 123 ms.  The tuning must settle near 123 ms.
 */
static void damon_test_tune_converges(struct kunit *test)
{
	struct damon_intervals_goal goal = {
		.access_bp = 400, .aggrs = 3,
		.min_sample_us = 5000, .max_sample_us = 10000000,
	};
	unsigned long us = 5000, observed;
	int i;

	for (i = 0; i < 40; i++) {
		observed = min(10000ul, us * 400 / 123000);
		us = damon_tuned_sample_us(us, observed, &goal);
	}
	KUNIT_EXPECT_GE(test, us, 123000ul * 9 / 10);
	KUNIT_EXPECT_LE(test, us, 123000ul * 11 / 10);
}

/* A tuning step keeps ages the same in time, and counts in samples. */
static void damon_test_tune_keeps_ages(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);
	unsigned long s[] = {0}, e[] = {DKT_PG(10)};
	struct damon_target *t = dkt_add_target(test, ctx, s, e, 1);
	struct damon_attrs attrs;

	attrs = ctx->attrs;
	attrs.intervals_goal = (struct damon_intervals_goal){
		.access_bp = 400, .aggrs = 1,
		.min_sample_us = 1000, .max_sample_us = 1000000,
	};
	KUNIT_ASSERT_EQ(test, damon_set_attrs(ctx, &attrs), 0);
	dkt_nth(t, 0)->age = 30;
	dkt_nth(t, 0)->nr_accesses = 0;
	ctx->passed_sample_intervals = ctx->next_intervals_tune_sis;
	/* Nothing seen: the intervals grow by half. */
	kdamond_tune_intervals(ctx);
	KUNIT_EXPECT_EQ(test, ctx->attrs.sample_interval, 7500ul);
	KUNIT_EXPECT_EQ(test, ctx->attrs.aggr_interval, 150000ul);
	KUNIT_EXPECT_EQ(test, ctx->attrs.aggr_samples, 20ul);
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 0)->age, 20u);
	/* Ages are rounded to the nearest, not truncated: 1 * 150 / 225. */
	dkt_nth(t, 0)->age = 1;
	ctx->passed_sample_intervals = ctx->next_intervals_tune_sis;
	kdamond_tune_intervals(ctx);
	KUNIT_EXPECT_EQ(test, ctx->attrs.aggr_interval, 225000ul);
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 0)->age, 1u);
}

static void damon_test_rand(struct kunit *test)
{
	struct damon_ctx *a = dkt_new_ctx(test), *b = dkt_new_ctx(test);
	unsigned long v;
	int i, same = 0;

	for (i = 0; i < 1000; i++) {
		v = damon_rand(a, 10, 20);
		KUNIT_EXPECT_GE(test, v, 10ul);
		KUNIT_EXPECT_LT(test, v, 20ul);
	}
	KUNIT_EXPECT_EQ(test, damon_rand(a, 5, 5), 5ul);
	v = damon_rand(a, 0, ULONG_MAX);
	KUNIT_EXPECT_LT(test, v, ULONG_MAX);
	/* Same seed, same sequence: the state is per context. */
	prandom_seed_state(&a->rnd, 42);
	prandom_seed_state(&b->rnd, 42);
	for (i = 0; i < 100; i++)
		same += damon_rand(a, 0, 1000) == damon_rand(b, 0, 1000);
	KUNIT_EXPECT_EQ(test, same, 100);
}

static struct damon_ctx *dkt_ctx_with(struct kunit *test,
				      const unsigned long *starts,
				      const unsigned long *ends, int nr)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);

	ctx->ops.id = DAMON_OPS_PADDR;
	dkt_add_target(test, ctx, starts, ends, nr);
	return ctx;
}

static void damon_test_commit_keeps_regions(struct kunit *test)
{
	unsigned long s[] = {0, DKT_PG(4)}, e[] = {DKT_PG(4), DKT_PG(8)};
	struct damon_ctx *dst = dkt_ctx_with(test, s, e, 2);
	struct damon_ctx *src = dkt_new_ctx(test);

	src->ops.id = DAMON_OPS_PADDR;
	/* The src target has no regions: keep those of dst. */
	dkt_add_target(test, src, NULL, NULL, 0);
	dkt_nth(dkt_first_target(dst), 1)->age = 9;
	src->attrs.aggr_interval = 200000;
	KUNIT_EXPECT_EQ(test, damon_commit_ctx(dst, src), 0);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(dkt_first_target(dst)), 2u);
	/* Kept, with its age rescaled to the longer window: 4.5, rounded. */
	KUNIT_EXPECT_EQ(test, dkt_nth(dkt_first_target(dst), 1)->age, 5u);
	KUNIT_EXPECT_EQ(test, dst->attrs.aggr_interval, 200000ul);
}

static void damon_test_commit_obsolete(struct kunit *test)
{
	unsigned long s[] = {0}, e[] = {DKT_PG(4)};
	struct damon_ctx *dst = dkt_ctx_with(test, s, e, 1);
	struct damon_ctx *src = dkt_new_ctx(test);
	struct damon_target *t;
	unsigned long s2[] = {DKT_PG(10)}, e2[] = {DKT_PG(12)};

	src->ops.id = DAMON_OPS_PADDR;
	dkt_add_target(test, dst, s2, e2, 1);
	t = dkt_add_target(test, src, NULL, NULL, 0);
	t->obsolete = true;
	dkt_add_target(test, src, NULL, NULL, 0);
	KUNIT_EXPECT_EQ(test, damon_commit_ctx(dst, src), 0);
	/* The first target is gone, the second stays with its regions. */
	t = dkt_first_target(dst);
	KUNIT_EXPECT_TRUE(test, list_is_singular(&dst->adaptive_targets));
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 0)->ar.start, DKT_PG(10));
}

static void damon_test_commit_adds_and_removes(struct kunit *test)
{
	unsigned long s[] = {0}, e[] = {DKT_PG(4)};
	unsigned long s2[] = {DKT_PG(20)}, e2[] = {DKT_PG(30)};
	struct damon_ctx *dst = dkt_ctx_with(test, s, e, 1);
	struct damon_ctx *src = dkt_ctx_with(test, s, e, 1);
	struct damon_target *t;
	int nr = 0;

	dkt_add_target(test, src, s2, e2, 1);
	KUNIT_EXPECT_EQ(test, damon_commit_ctx(dst, src), 0);
	damon_for_each_target(t, dst)
		nr++;
	KUNIT_EXPECT_EQ(test, nr, 2);
	t = list_last_entry(&dst->adaptive_targets, struct damon_target, list);
	KUNIT_EXPECT_EQ(test, dkt_nth(t, 0)->ar.start, DKT_PG(20));
	dkt_destroy_ctx(test, src);

	/* An empty src removes every target. */
	src = dkt_new_ctx(test);
	src->ops.id = DAMON_OPS_PADDR;
	KUNIT_EXPECT_EQ(test, damon_commit_ctx(dst, src), 0);
	KUNIT_EXPECT_TRUE(test, damon_targets_empty(dst));
}

static void damon_test_commit_invalid(struct kunit *test)
{
	unsigned long s[] = {0}, e[] = {DKT_PG(4)};
	unsigned long bs[] = {DKT_PG(4), 0}, be[] = {DKT_PG(8), DKT_PG(4)};
	struct damon_ctx *dst = dkt_ctx_with(test, s, e, 1);
	struct damon_ctx *src = dkt_ctx_with(test, bs, be, 2);

	/* Unsorted regions. */
	KUNIT_EXPECT_EQ(test, damon_commit_ctx(dst, src), -EINVAL);
	dkt_destroy_ctx(test, src);
	src = dkt_ctx_with(test, s, e, 1);
	src->attrs.min_nr_regions = 1;
	KUNIT_EXPECT_EQ(test, damon_commit_ctx(dst, src), -EINVAL);
	KUNIT_EXPECT_EQ(test, dst->attrs.min_nr_regions, 10ul);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(dkt_first_target(dst)), 1u);
}

static void damon_test_commit_new_pid(struct kunit *test)
{
	unsigned long s[] = {0}, e[] = {DKT_PG(4)};
	struct damon_ctx *dst = dkt_ctx_with(test, s, e, 1);
	struct damon_ctx *src = dkt_new_ctx(test);
	struct damon_target *t;

	src->ops.id = DAMON_OPS_PADDR;
	t = dkt_add_target(test, src, NULL, NULL, 0);
	t->pid = get_pid(task_pid(current));
	KUNIT_EXPECT_EQ(test, damon_commit_ctx(dst, src), 0);
	/* Another address space: old results are dropped. */
	t = dkt_first_target(dst);
	KUNIT_EXPECT_PTR_EQ(test, t->pid, task_pid(current));
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 0u);
}

/*
 * A fake operations set: pages [hot_start, hot_end) of a fake address
 * space are accessed in every sampling interval, others never.
 */
static unsigned long dkt_hot_start, dkt_hot_end;

static void dkt_ops_prepare(struct damon_ctx *ctx)
{
	struct damon_target *t;
	struct damon_region *r;

	damon_for_each_target(t, ctx)
		damon_for_each_region(r, t)
			r->sampling_addr = damon_rand(ctx, r->ar.start,
						      r->ar.end);
}

static unsigned int dkt_ops_check(struct damon_ctx *ctx)
{
	struct damon_target *t;
	struct damon_region *r;
	unsigned int max_nr = 0;
	bool hot;

	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t) {
			hot = r->sampling_addr >= dkt_hot_start &&
				r->sampling_addr < dkt_hot_end;
			damon_update_region_access_rate(r, hot, &ctx->attrs);
			max_nr = max(max_nr, r->nr_accesses);
		}
	}
	return max_nr;
}

static struct damon_ctx *dkt_running_ctx(struct kunit *test)
{
	unsigned long s[] = {0}, e[] = {DKT_PG(1000)};
	struct damon_ctx *ctx = dkt_ctx_with(test, s, e, 1);
	struct damon_attrs attrs = ctx->attrs;

	ctx->ops.prepare_access_checks = dkt_ops_prepare;
	ctx->ops.check_accesses = dkt_ops_check;
	attrs.sample_interval = 1000;
	attrs.aggr_interval = 20000;
	attrs.min_nr_regions = 10;
	attrs.max_nr_regions = 100;
	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &attrs), 0);
	return ctx;
}

struct dkt_snapshot {
	unsigned long hot_bytes_seen_hot;
	unsigned long cold_bytes_seen_hot;
	unsigned int nr_regions;
};

static struct damon_ctx *dkt_snapshot_ctx;

static int dkt_snapshot_fn(void *data)
{
	struct dkt_snapshot *snap = data;
	struct damon_target *t = dkt_first_target(dkt_snapshot_ctx);
	struct damon_region *r;
	unsigned long s, e, in;

	memset(snap, 0, sizeof(*snap));
	snap->nr_regions = t->nr_regions;
	damon_for_each_region(r, t) {
		if (r->last_nr_accesses < 10)
			continue;
		/* Bytes judged hot, inside and outside the real hot range. */
		s = max(r->ar.start, dkt_hot_start);
		e = min(r->ar.end, dkt_hot_end);
		in = s < e ? e - s : 0;
		snap->hot_bytes_seen_hot += in;
		snap->cold_bytes_seen_hot += damon_sz_region(r) - in;
	}
	return 0;
}

#define DKT_NR_SNAPSHOTS	7

static int dkt_cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

static unsigned long dkt_median(unsigned long *vals, int nr)
{
	sort(vals, nr, sizeof(*vals), dkt_cmp_ulong, NULL);
	return vals[nr / 2];
}

/*
 * End to end: the kdamond converges to the access pattern it is shown.
 * Regions straddling the edges of the hot range are judged by random
 * samples, so one snapshot can count a boundary region's cold pages as
 * hot (seen once in 60 runs); the median of several snapshots is judged.
 */
static void damon_test_kdamond_converges(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_running_ctx(test);
	unsigned long hot[DKT_NR_SNAPSHOTS], cold[DKT_NR_SNAPSHOTS];
	struct dkt_snapshot snap = {};
	struct damon_call_control control = {
		.fn = dkt_snapshot_fn, .data = &snap,
	};
	unsigned long hot_sz, hot_med, cold_med;
	int i;

	dkt_hot_start = DKT_PG(300);
	dkt_hot_end = DKT_PG(500);
	hot_sz = dkt_hot_end - dkt_hot_start;
	dkt_snapshot_ctx = ctx;
	KUNIT_ASSERT_EQ(test, damon_start(&ctx, 1, false), 0);
	msleep(1000);
	for (i = 0; i < DKT_NR_SNAPSHOTS; i++) {
		msleep(100);
		KUNIT_EXPECT_EQ(test, damon_call(ctx, &control), 0);
		KUNIT_EXPECT_GE(test, snap.nr_regions, 10u);
		KUNIT_EXPECT_LE(test, snap.nr_regions, 100u);
		hot[i] = snap.hot_bytes_seen_hot;
		cold[i] = snap.cold_bytes_seen_hot;
	}
	KUNIT_EXPECT_EQ(test, damon_stop(&ctx, 1), 0);
	hot_med = dkt_median(hot, DKT_NR_SNAPSHOTS);
	cold_med = dkt_median(cold, DKT_NR_SNAPSHOTS);
	kunit_info(test, "median bytes seen hot: %lu of %lu hot, %lu cold\n",
		   hot_med, hot_sz, cold_med);
	/* At least 90% of the hot bytes found, at most 10% false. */
	KUNIT_EXPECT_GE(test, hot_med, hot_sz * 9 / 10);
	KUNIT_EXPECT_LE(test, cold_med, hot_sz / 10);
}

static int dkt_return_fn(void *data)
{
	int *runs = data;

	(*runs)++;
	return 42;
}

static void damon_test_call(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_running_ctx(test);
	int runs = 0;
	struct damon_call_control control = {
		.fn = dkt_return_fn, .data = &runs,
	};

	KUNIT_EXPECT_EQ(test, damon_call(ctx, &control), -EINVAL);
	KUNIT_ASSERT_EQ(test, damon_start(&ctx, 1, false), 0);
	KUNIT_EXPECT_TRUE(test, damon_is_running(ctx));
	KUNIT_EXPECT_GT(test, damon_kdamond_pid(ctx), 0);
	KUNIT_EXPECT_EQ(test, damon_call(ctx, &control), 0);
	KUNIT_EXPECT_EQ(test, control.return_code, 42);
	KUNIT_EXPECT_EQ(test, runs, 1);
	KUNIT_EXPECT_EQ(test, damon_stop(&ctx, 1), 0);
	KUNIT_EXPECT_FALSE(test, damon_is_running(ctx));
	KUNIT_EXPECT_EQ(test, damon_kdamond_pid(ctx), -1);
	KUNIT_EXPECT_EQ(test, damon_stop(&ctx, 1), -EPERM);
}

static void damon_test_call_repeat(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_running_ctx(test);
	int runs = 0;
	struct damon_call_control control = {
		.fn = dkt_return_fn, .data = &runs, .repeat = true,
	};

	KUNIT_ASSERT_EQ(test, damon_start(&ctx, 1, false), 0);
	KUNIT_EXPECT_EQ(test, damon_call(ctx, &control), 0);
	msleep(100);
	KUNIT_EXPECT_EQ(test, damon_stop(&ctx, 1), 0);
	/* Ran once per sampling interval, and was canceled at the stop. */
	KUNIT_EXPECT_GT(test, runs, 5);
	KUNIT_EXPECT_TRUE(test, control.canceled);
}

/* A queued repeated call must not cut the sleeps of long intervals short. */
static void damon_test_call_repeat_long_interval(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_running_ctx(test);
	struct damon_attrs attrs = ctx->attrs;
	int runs = 0;
	struct damon_call_control control = {
		.fn = dkt_return_fn, .data = &runs, .repeat = true,
	};

	attrs.sample_interval = 50000;
	attrs.aggr_interval = 1000000;
	KUNIT_ASSERT_EQ(test, damon_set_attrs(ctx, &attrs), 0);
	KUNIT_ASSERT_EQ(test, damon_start(&ctx, 1, false), 0);
	KUNIT_EXPECT_EQ(test, damon_call(ctx, &control), 0);
	msleep(500);
	KUNIT_EXPECT_EQ(test, damon_stop(&ctx, 1), 0);
	/* About ten sampling intervals passed. */
	KUNIT_EXPECT_GE(test, runs, 3);
	KUNIT_EXPECT_LE(test, runs, 20);
}

static void damon_test_start_exclusive(struct kunit *test)
{
	struct damon_ctx *a = dkt_running_ctx(test);
	struct damon_ctx *b = dkt_running_ctx(test);

	KUNIT_ASSERT_EQ(test, damon_start(&a, 1, true), 0);
	KUNIT_EXPECT_EQ(test, damon_start(&b, 1, false), -EBUSY);
	KUNIT_EXPECT_EQ(test, damon_start(&a, 1, false), -EBUSY);
	KUNIT_EXPECT_EQ(test, damon_stop(&a, 1), 0);
	KUNIT_EXPECT_EQ(test, damon_start(&b, 1, false), 0);
	KUNIT_EXPECT_EQ(test, damon_start(&a, 1, true), -EBUSY);
	KUNIT_EXPECT_EQ(test, damon_nr_running_ctxs(), 1);
	KUNIT_EXPECT_EQ(test, damon_stop(&b, 1), 0);
}

static void damon_test_start_invalid(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_running_ctx(test);

	ctx->attrs.min_nr_regions = 1;
	KUNIT_EXPECT_EQ(test, damon_start(&ctx, 1, false), -EINVAL);
	KUNIT_EXPECT_FALSE(test, damon_is_running(ctx));
}

static void damon_test_start_stop_many(struct kunit *test)
{
	struct damon_ctx *ctxs[8];
	int i, round;

	for (i = 0; i < 8; i++)
		ctxs[i] = dkt_running_ctx(test);
	for (round = 0; round < 5; round++) {
		KUNIT_ASSERT_EQ(test, damon_start(ctxs, 8, false), 0);
		KUNIT_EXPECT_EQ(test, damon_nr_running_ctxs(), 8);
		KUNIT_EXPECT_EQ(test, damon_stop(ctxs, 8), 0);
		KUNIT_EXPECT_EQ(test, damon_nr_running_ctxs(), 0);
	}
}

/*
 * Merges never leave fewer than min_nr_regions: one region of half the
 * total and nineteen small ones, all alike, used to merge into eleven
 * within the size limit (issue 12: a snapshot of 11 regions with min 20).
 */
static void damon_test_merge_keeps_min(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);
	struct damon_target *t = dkt_add_target(test, ctx, NULL, NULL, 0);
	struct damon_region *r;
	int i;

	ctx->attrs.min_nr_regions = 20;
	ctx->attrs.max_nr_regions = 100;
	r = damon_new_region(0, DKT_PG(190));
	KUNIT_ASSERT_NOT_NULL(test, r);
	damon_add_region(r, t);
	for (i = 0; i < 19; i++) {
		r = damon_new_region(DKT_PG(190 + i * 10), DKT_PG(200 + i * 10));
		KUNIT_ASSERT_NOT_NULL(test, r);
		damon_add_region(r, t);
	}
	kdamond_merge_regions(ctx, 20);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 20u);
	dkt_check_invariants(test, ctx, DKT_PG(380));
}

/*
 * An absurd aggregation to sampling ratio is refused; the merge loop ends
 * even if one got through (the threshold used to overflow before it ever
 * exceeded a limit of UINT_MAX).
 */
static void damon_test_merge_loop_ends(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);
	struct damon_target *t = dkt_add_target(test, ctx, NULL, NULL, 0);
	struct damon_region *r;
	int i;

	ctx->attrs.sample_interval = 1;
	ctx->attrs.aggr_interval = ULONG_MAX;
	ctx->attrs.min_nr_regions = 3;
	ctx->attrs.max_nr_regions = 5;
	KUNIT_ASSERT_EQ(test, damon_validate_attrs(&ctx->attrs), -EINVAL);
	KUNIT_ASSERT_EQ(test, damon_max_nr_accesses(&ctx->attrs), UINT_MAX);
	/* Ten regions apart from each other: no merge is possible. */
	for (i = 0; i < 10; i++) {
		r = damon_new_region(DKT_PG(i * 2), DKT_PG(i * 2 + 1));
		KUNIT_ASSERT_NOT_NULL(test, r);
		r->nr_accesses = i * 1000;
		damon_add_region(r, t);
	}
	kdamond_merge_regions(ctx, 9000);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 10u);
}

/* The documented bounds of the attributes. */
static void damon_test_attrs_bounds(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);
	struct damon_attrs attrs;

	attrs = ctx->attrs;
	attrs.max_nr_regions = DAMON_MAX_NR_REGIONS;
	attrs.min_nr_regions = DAMON_MAX_NR_REGIONS;
	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &attrs), 0);
	attrs.max_nr_regions = DAMON_MAX_NR_REGIONS + 1;
	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &attrs), -EINVAL);
	attrs.min_nr_regions = DAMON_MAX_NR_REGIONS + 1;
	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &attrs), -EINVAL);
	KUNIT_EXPECT_EQ(test, ctx->attrs.max_nr_regions, DAMON_MAX_NR_REGIONS);

	attrs = ctx->attrs;
	attrs.sample_interval = 10;
	attrs.aggr_interval = 10 * DAMON_MAX_AGGR_SAMPLES;
	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &attrs), 0);
	KUNIT_EXPECT_EQ(test, ctx->attrs.aggr_samples, DAMON_MAX_AGGR_SAMPLES);
	attrs.aggr_interval = 10 * DAMON_MAX_AGGR_SAMPLES + 10;
	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &attrs), -EINVAL);
	attrs.sample_interval = 0;
	attrs.aggr_interval = DAMON_MAX_AGGR_SAMPLES + 1;
	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &attrs), -EINVAL);
	attrs.sample_interval = 1;
	attrs.aggr_interval = (1UL << 32) - 1;
	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &attrs), -EINVAL);
	attrs.aggr_interval = ULONG_MAX;
	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &attrs), -EINVAL);
	/* Failed sets changed nothing. */
	KUNIT_EXPECT_EQ(test, ctx->attrs.sample_interval, 10UL);
	KUNIT_EXPECT_EQ(test, ctx->attrs.aggr_interval,
			10 * DAMON_MAX_AGGR_SAMPLES);
	/* The count of a whole window in basis points fits 32 bits. */
	KUNIT_EXPECT_LE(test, DAMON_MAX_AGGR_SAMPLES * 10000, (u64)UINT_MAX);
}

/*
 * The split to min_nr_regions before each sample runs only when the region
 * count may have dropped (new attributes, a commit, the ops set's init or
 * update, merges): regions too small to ever reach the minimum are not
 * walked again at every sample.  A failed split says so.
 */
static void damon_test_split_to_min_due(struct kunit *test)
{
	unsigned long s[] = {0}, e[] = {DKT_PG(4)};
	struct damon_ctx *ctx = dkt_ctx_with(test, s, e, 1);
	struct damon_target *t = dkt_first_target(ctx);
	struct damon_attrs attrs = ctx->attrs;
	struct damon_region *r;
	struct damon_ctx *src;

	attrs.min_nr_regions = 100;
	attrs.max_nr_regions = 200;
	KUNIT_ASSERT_EQ(test, damon_set_attrs(ctx, &attrs), 0);
	KUNIT_EXPECT_TRUE(test, ctx->split_to_min_due);
	kdamond_split_to_min_if_due(ctx);
	/* Four pages give four regions at most; nothing more to do. */
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 4u);
	KUNIT_EXPECT_FALSE(test, ctx->split_to_min_due);

	/* Not walked again: a region added behind its back stays whole. */
	r = damon_new_region(DKT_PG(10), DKT_PG(20));
	KUNIT_ASSERT_NOT_NULL(test, r);
	damon_add_region(r, t);
	kdamond_split_to_min_if_due(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 5u);

	/* A commit (keeping these regions) makes it due again. */
	src = dkt_new_ctx(test);
	src->ops.id = DAMON_OPS_PADDR;
	src->attrs = ctx->attrs;
	dkt_add_target(test, src, NULL, NULL, 0);
	KUNIT_EXPECT_EQ(test, damon_commit_ctx(ctx, src), 0);
	KUNIT_EXPECT_TRUE(test, ctx->split_to_min_due);
	kdamond_split_to_min_if_due(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 14u);
	KUNIT_EXPECT_FALSE(test, ctx->split_to_min_due);

	/* Splits that can't happen are reported, not guessed from sizes. */
	r = dkt_nth(t, 0);
	KUNIT_EXPECT_FALSE(test, damon_split_region_at(t, r, 0));
	KUNIT_EXPECT_FALSE(test, damon_split_region_at(t, r,
						       damon_sz_region(r)));
}

/*
 * Growing to min_nr_regions is linear: forty thousand regions out of one
 * used to take a search of the biggest region per split (8e8 steps,
 * seconds here, and minutes of soft lockup for 200000 regions on a real
 * machine).  The pieces come out even.
 */
static void damon_test_split_to_min_fast(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);
	unsigned long s[] = {0}, e[] = {DKT_PG(40000)};
	struct damon_target *t = dkt_add_target(test, ctx, s, e, 1);
	unsigned long min_sz = ULONG_MAX, max_sz = 0;
	struct damon_region *r;
	u64 begin, took_ms;

	ctx->attrs.min_nr_regions = 40000;
	ctx->attrs.max_nr_regions = 40000;
	begin = ktime_get_ns();
	kdamond_split_regions(ctx);
	took_ms = div_u64(ktime_get_ns() - begin, NSEC_PER_MSEC);
	kunit_info(test, "split to 40000 regions in %llu ms\n", took_ms);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 40000u);
	KUNIT_EXPECT_LT(test, took_ms, 1000ULL);
	damon_for_each_region(r, t) {
		min_sz = min(min_sz, damon_sz_region(r));
		max_sz = max(max_sz, damon_sz_region(r));
	}
	KUNIT_EXPECT_EQ(test, min_sz, DKT_PG(1));
	KUNIT_EXPECT_EQ(test, max_sz, DKT_PG(1));

	/* Short of the minimum by a few: only as many splits as needed. */
	ctx->attrs.min_nr_regions = 40003;
	ctx->attrs.max_nr_regions = 80000;
	damon_split_to_min(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 40000u);	/* all 1 page */
	dkt_destroy_ctx(test, ctx);

	ctx = dkt_new_ctx(test);
	{
		unsigned long s2[] = {0, DKT_PG(1000)}, e2[] = {DKT_PG(10), DKT_PG(1100)};

		t = dkt_add_target(test, ctx, s2, e2, 2);
	}
	ctx->attrs.min_nr_regions = 20;
	ctx->attrs.max_nr_regions = 20;
	damon_split_to_min(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 20u);
	/* The limit is 110 / 20 = 5 pages: the small region gets 2 pieces. */
	KUNIT_EXPECT_EQ(test, damon_sz_region(dkt_nth(t, 0)), DKT_PG(5));
	dkt_check_invariants(test, ctx, DKT_PG(110));
}

static unsigned int dkt_min_nr_applied;

static unsigned long dkt_apply_record(struct damon_ctx *ctx,
				      struct damon_target *t,
				      struct damon_region *r, struct damos *s,
				      unsigned long *sz_filter_passed)
{
	dkt_min_nr_applied = min(dkt_min_nr_applied, damon_nr_regions(t));
	*sz_filter_passed = 0;
	return 0;
}

/*
 * Regions set without the split to min_nr_regions (by the ops set's init,
 * or the user's target regions) are split before schemes see them: the
 * first aggregation used to hand schemes the ten initial regions when the
 * minimum was twenty.
 */
static void damon_test_first_pass_min(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);
	struct damos_access_pattern pattern = {
		.max_sz_region = ULONG_MAX,
		.max_nr_accesses = UINT_MAX,
		.max_age_region = UINT_MAX,
	};
	struct damos_quota quota = {};
	struct damos_watermarks wmarks = {};
	struct damon_target *t = dkt_add_target(test, ctx, NULL, NULL, 0);
	struct damon_region *r;
	struct damos *s;
	int i;

	for (i = 0; i < 10; i++) {
		r = damon_new_region(DKT_PG(i * 10), DKT_PG(i * 10 + 10));
		KUNIT_ASSERT_NOT_NULL(test, r);
		damon_add_region(r, t);
	}
	s = damon_new_scheme(&pattern, DAMOS_PAGEOUT, 0, &quota, &wmarks,
			     NUMA_NO_NODE);
	KUNIT_ASSERT_NOT_NULL(test, s);
	damon_add_scheme(ctx, s);
	ctx->attrs.min_nr_regions = 20;
	ctx->attrs.max_nr_regions = 100;
	ctx->attrs.sample_interval = 100;
	ctx->ops.apply_scheme = dkt_apply_record;
	kdamond_init_timing(ctx);
	damos_kdamond_init(ctx);
	s->wmarks.activated = true;
	/* Aggregate (merge, apply, split) at the first sample. */
	ctx->next_aggregation_sis = 1;
	dkt_min_nr_applied = UINT_MAX;
	kdamond_sample(ctx);
	KUNIT_EXPECT_EQ(test, s->stat.nr_snapshots, 1UL);
	KUNIT_EXPECT_GE(test, dkt_min_nr_applied, 20u);
	KUNIT_EXPECT_LE(test, dkt_min_nr_applied, 100u);
}

/*
 * A tuning step that changes the sampling interval keeps the time left
 * until the schemes' next application and watermarks check: they are
 * counted in samples, whose length changed.
 */
static void damon_test_tune_reschedules_schemes(struct kunit *test)
{
	struct damos_access_pattern pattern = {
		.max_sz_region = ULONG_MAX,
		.max_nr_accesses = UINT_MAX,
		.max_age_region = UINT_MAX,
	};
	struct damos_watermarks wmarks = {
		.metric = DAMOS_WMARK_FREE_MEM_RATE,
		.interval = 5 * USEC_PER_SEC,
		.high = 1000, .mid = 999, .low = 0,
	};
	struct damon_ctx *ctx = dkt_new_ctx(test);
	unsigned long s_[] = {0}, e[] = {DKT_PG(10)};
	struct damos_quota quota = {};
	struct damon_attrs attrs;
	unsigned long sis;
	struct damos *s;

	dkt_add_target(test, ctx, s_, e, 1);
	s = damon_new_scheme(&pattern, DAMOS_STAT, USEC_PER_SEC, &quota,
			     &wmarks, NUMA_NO_NODE);
	KUNIT_ASSERT_NOT_NULL(test, s);
	damon_add_scheme(ctx, s);
	attrs = ctx->attrs;
	attrs.intervals_goal = (struct damon_intervals_goal){
		.access_bp = 400, .aggrs = 1,
		.min_sample_us = 1000, .max_sample_us = 1000000,
	};
	KUNIT_ASSERT_EQ(test, damon_set_attrs(ctx, &attrs), 0);
	sis = ctx->next_intervals_tune_sis;
	ctx->passed_sample_intervals = sis;
	/* 1 s and 5 s from now, in 5 ms samples. */
	s->next_apply_sis = sis + 200;
	s->wmarks.next_check_sis = sis + 1000;
	/* Nothing seen: 5 ms becomes 7.5 ms. */
	kdamond_tune_intervals(ctx);
	KUNIT_ASSERT_EQ(test, ctx->attrs.sample_interval, 7500ul);
	KUNIT_EXPECT_EQ(test, s->next_apply_sis, sis + 133);
	KUNIT_EXPECT_EQ(test, s->wmarks.next_check_sis, sis + 666);
}

/* Sleeps never get a negative timeout, even past the deadline. */
static void damon_test_jiffies_left(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, damon_jiffies_left(1000, 900), 100L);
	KUNIT_EXPECT_EQ(test, damon_jiffies_left(1000, 1000), 0L);
	KUNIT_EXPECT_EQ(test, damon_jiffies_left(1000, 1001), 0L);
	KUNIT_EXPECT_EQ(test, damon_jiffies_left(5, ULONG_MAX - 4), 10L);
	KUNIT_EXPECT_EQ(test, damon_jiffies_left(ULONG_MAX - 4, 5), 0L);
}

/* What dkt_waiter_fn() runs, allocated so that a stuck waiter can't fault. */
struct dkt_waiter {
	struct damon_ctx *ctx;
	struct damon_call_control call;
	struct damos_walk_control walk;
	int call_err, walk_err, runs;
	struct completion done;
};

static void dkt_walk_fn(void *data, struct damon_ctx *ctx,
			struct damon_target *t, struct damon_region *r,
			struct damos *s, unsigned long sz_filter_passed)
{
}

static int dkt_waiter_fn(void *data)
{
	struct dkt_waiter *w = data;

	w->call_err = damon_call(w->ctx, &w->call);
	w->walk_err = damos_walk(w->ctx, &w->walk);
	complete(&w->done);
	return 0;
}

/*
 * damon_call() and damos_walk() return once their request is served: their
 * killable wait consumes the completion, so a second, uninterruptible wait
 * for it would never end.  They wait in another thread here so that such a
 * hang fails the test instead of blocking the suite (leaking the context).
 */
static void damon_test_call_walk_return(struct kunit *test)
{
	struct damos_access_pattern pattern = {
		.max_sz_region = ULONG_MAX, .max_nr_accesses = UINT_MAX,
		.max_age_region = UINT_MAX,
	};
	struct damos_watermarks wmarks = { .metric = DAMOS_WMARK_NONE };
	struct damon_ctx *ctx = dkt_running_ctx(test);
	struct damos_quota quota = {};
	struct task_struct *tsk;
	struct dkt_waiter *w;
	struct damos *s;
	int round;

	s = damon_new_scheme(&pattern, DAMOS_STAT, 0, &quota, &wmarks,
			     NUMA_NO_NODE);
	KUNIT_ASSERT_NOT_NULL(test, s);
	damon_add_scheme(ctx, s);
	/* The test ops set declares the one action its scheme uses. */
	ctx->ops.actions = BIT(DAMOS_STAT);
	KUNIT_ASSERT_EQ(test, damon_start(&ctx, 1, false), 0);
	for (round = 0; round < 3; round++) {
		w = kzalloc(sizeof(*w), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, w);
		w->ctx = ctx;
		w->call.fn = dkt_return_fn;
		w->call.data = &w->runs;
		w->walk.walk_fn = dkt_walk_fn;
		init_completion(&w->done);
		tsk = kthread_run(dkt_waiter_fn, w, "dkt_waiter");
		if (IS_ERR(tsk)) {
			kfree(w);
			KUNIT_FAIL(test, "no waiter thread");
			return;
		}
		if (!wait_for_completion_timeout(&w->done, 5 * HZ)) {
			/* The waiter may still use them: leave both. */
			kunit_remove_action(test, dkt_release_ctx, ctx);
			KUNIT_FAIL(test, "damon_call/damos_walk still waiting after 5 s");
			return;
		}
		KUNIT_EXPECT_EQ(test, w->call_err, 0);
		KUNIT_EXPECT_EQ(test, w->runs, 1);
		KUNIT_EXPECT_EQ(test, w->walk_err, 0);
		kfree(w);
	}
	KUNIT_EXPECT_EQ(test, damon_stop(&ctx, 1), 0);
}

/* A start that fails part way leaves none of the contexts running. */
static void damon_test_start_rollback(struct kunit *test)
{
	struct damon_ctx *a = dkt_running_ctx(test);
	struct damon_ctx *b = dkt_running_ctx(test);
	struct damon_ctx *ctxs[] = {a, b, a};

	/* The second start of a fails after a and b started. */
	KUNIT_EXPECT_EQ(test, damon_start(ctxs, 3, true), -EBUSY);
	KUNIT_EXPECT_FALSE(test, damon_is_running(a));
	KUNIT_EXPECT_FALSE(test, damon_is_running(b));
	KUNIT_EXPECT_EQ(test, damon_nr_running_ctxs(), 0);
	/* Nor does a failed exclusive start forbid other starts. */
	KUNIT_EXPECT_EQ(test, damon_start(&b, 1, false), 0);
	KUNIT_EXPECT_EQ(test, damon_stop(&b, 1), 0);
	damon_stop(ctxs, 2);
}

static bool dkt_targets_valid;

static bool dkt_target_valid(struct damon_target *t)
{
	return READ_ONCE(dkt_targets_valid);
}

/*
 * Once damon_stop() returns, also for a kdamond that stopped by itself,
 * the thread is exiting: it won't touch the context, which may be freed.
 */
static void damon_test_stop_waits_exit(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_running_ctx(test);
	struct task_struct *tsk;
	int round;

	ctx->ops.target_valid = dkt_target_valid;
	for (round = 0; round < 10; round++) {
		WRITE_ONCE(dkt_targets_valid, true);
		KUNIT_ASSERT_EQ(test, damon_start(&ctx, 1, false), 0);
		mutex_lock(&ctx->kdamond_lock);
		tsk = ctx->kdamond;
		get_task_struct(tsk);
		mutex_unlock(&ctx->kdamond_lock);
		if (round % 2) {
			KUNIT_EXPECT_EQ(test, damon_stop(&ctx, 1), 0);
		} else {
			WRITE_ONCE(dkt_targets_valid, false);
			while (damon_is_running(ctx))
				cond_resched();
			KUNIT_EXPECT_EQ(test, damon_stop(&ctx, 1), -EPERM);
		}
		KUNIT_EXPECT_TRUE(test, tsk->flags & PF_EXITING);
		KUNIT_EXPECT_TRUE(test, completion_done(&ctx->kdamond_exited));
		put_task_struct(tsk);
	}
}

/* Only physical addresses may be counted in units of more than a byte. */
static void damon_test_validate_addr_unit(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);

	KUNIT_ASSERT_EQ(test, damon_select_ops(ctx, DAMON_OPS_VADDR), 0);
	KUNIT_EXPECT_EQ(test, damon_validate_ctx(ctx), 0);
	ctx->addr_unit = 4096;
	KUNIT_EXPECT_EQ(test, damon_validate_ctx(ctx), -EINVAL);
	KUNIT_ASSERT_EQ(test, damon_select_ops(ctx, DAMON_OPS_FVADDR), 0);
	KUNIT_EXPECT_EQ(test, damon_validate_ctx(ctx), -EINVAL);
	KUNIT_ASSERT_EQ(test, damon_select_ops(ctx, DAMON_OPS_PADDR), 0);
	KUNIT_EXPECT_EQ(test, damon_validate_ctx(ctx), 0);
}

static void damon_test_max_nr_accesses(struct kunit *test)
{
	struct damon_attrs attrs = {
		.sample_interval = 5000, .aggr_interval = 100000,
	};

	KUNIT_EXPECT_EQ(test, damon_max_nr_accesses(&attrs), 20u);
	attrs.sample_interval = 0;
	KUNIT_EXPECT_EQ(test, damon_max_nr_accesses(&attrs), 100000u);
	attrs.aggr_interval = 0;
	KUNIT_EXPECT_EQ(test, damon_max_nr_accesses(&attrs), 1u);
}

static struct kunit_case damon_core_test_cases[] = {
	KUNIT_CASE(damon_test_new_region),
	KUNIT_CASE(damon_test_add_destroy_region),
	KUNIT_CASE(damon_test_insert_region),
	KUNIT_CASE(damon_test_targets),
	KUNIT_CASE(damon_test_set_regions_empty),
	KUNIT_CASE(damon_test_set_regions_keeps_results),
	KUNIT_CASE(damon_test_set_regions_fills_and_drops),
	KUNIT_CASE(damon_test_set_regions_invalid),
	KUNIT_CASE(damon_test_set_regions_aligns),
	KUNIT_CASE(damon_test_access_rate),
	KUNIT_CASE(damon_test_moving_sum),
	KUNIT_CASE(damon_test_moving_sum_bounded),
	KUNIT_CASE(damon_test_wavg),
	KUNIT_CASE(damon_test_merge_two),
	KUNIT_CASE(damon_test_merge_threshold),
	KUNIT_CASE(damon_test_merge_sz_limit),
	KUNIT_CASE(damon_test_age),
	KUNIT_CASE(damon_test_merge_to_max),
	KUNIT_CASE(damon_test_split_at),
	KUNIT_CASE(damon_test_split_randomly),
	KUNIT_CASE(damon_test_split_max),
	KUNIT_CASE(damon_test_split_min),
	KUNIT_CASE(damon_test_split_edges),
	KUNIT_CASE(damon_test_adjust_randomized),
	KUNIT_CASE(damon_test_set_attrs),
	KUNIT_CASE(damon_test_set_attrs_rescale),
	KUNIT_CASE(damon_test_tune_direction),
	KUNIT_CASE(damon_test_tune_bounds),
	KUNIT_CASE(damon_test_tune_converges),
	KUNIT_CASE(damon_test_tune_keeps_ages),
	KUNIT_CASE(damon_test_rand),
	KUNIT_CASE(damon_test_commit_keeps_regions),
	KUNIT_CASE(damon_test_commit_obsolete),
	KUNIT_CASE(damon_test_commit_adds_and_removes),
	KUNIT_CASE(damon_test_commit_invalid),
	KUNIT_CASE(damon_test_commit_new_pid),
	KUNIT_CASE(damon_test_max_nr_accesses),
	KUNIT_CASE(damon_test_merge_keeps_min),
	KUNIT_CASE(damon_test_merge_loop_ends),
	KUNIT_CASE(damon_test_attrs_bounds),
	KUNIT_CASE(damon_test_split_to_min_fast),
	KUNIT_CASE(damon_test_split_to_min_due),
	KUNIT_CASE(damon_test_first_pass_min),
	KUNIT_CASE(damon_test_tune_reschedules_schemes),
	KUNIT_CASE(damon_test_jiffies_left),
	KUNIT_CASE_SLOW(damon_test_kdamond_converges),
	KUNIT_CASE(damon_test_call),
	KUNIT_CASE(damon_test_call_repeat),
	KUNIT_CASE(damon_test_call_repeat_long_interval),
	KUNIT_CASE(damon_test_start_exclusive),
	KUNIT_CASE(damon_test_start_invalid),
	KUNIT_CASE(damon_test_start_stop_many),
	KUNIT_CASE(damon_test_call_walk_return),
	KUNIT_CASE(damon_test_start_rollback),
	KUNIT_CASE(damon_test_stop_waits_exit),
	KUNIT_CASE(damon_test_validate_addr_unit),
	{},
};

static struct kunit_suite damon_core_test_suite = {
	.name = "damon-core",
	.test_cases = damon_core_test_cases,
};

kunit_test_suite(damon_core_test_suite);

#endif /* _DAMON_CORE_KUNIT_H */
