/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests of the pure parts of the virtual address operations set:
 * finding the three monitoring ranges of a mapping layout, splitting a
 * range evenly, and refreshing regions when the layout changes.
 */

#ifndef _DAMON_VADDR_KUNIT_H
#define _DAMON_VADDR_KUNIT_H

#include <kunit/test.h>

#include "kunit-common.h"

#define DKT_KIB(x)	((unsigned long)(x) << 10)

/* The three monitoring ranges of a layout given as sorted mapped ranges. */
static int dkt_three_regions(const struct damon_addr_range *maps,
			     unsigned int nr_maps, unsigned long align,
			     struct damon_addr_range regions[3])
{
	struct damon_va_gaps g = {};
	unsigned int i;

	for (i = 0; i < nr_maps; i++)
		damon_va_gaps_add(&g, maps[i].start, maps[i].end);
	return damon_va_gaps_to_regions(&g, align, regions);
}

static void dkt_check_ranges(struct kunit *test,
			     const struct damon_addr_range *got,
			     const struct damon_addr_range *want, int nr)
{
	int i;

	for (i = 0; i < nr; i++) {
		KUNIT_EXPECT_EQ(test, got[i].start, want[i].start);
		KUNIT_EXPECT_EQ(test, got[i].end, want[i].end);
	}
}

/* A heap, a few libraries with small holes, and a stack. */
static void damon_va_test_three_regions(struct kunit *test)
{
	struct damon_addr_range maps[] = {
		{ .start = 0x10000, .end = 0x20000 },	/* text */
		{ .start = 0x20000, .end = 0x40000 },	/* heap */
		{ .start = 0x7f0000000000, .end = 0x7f0000010000 },
		{ .start = 0x7f0000011000, .end = 0x7f0000020000 },
		{ .start = 0x7f0000030000, .end = 0x7f0000040000 },
		{ .start = 0x7ffff0000000, .end = 0x7ffff0021000 },	/* stack */
	};
	struct damon_addr_range want[] = {
		{ .start = 0x10000, .end = 0x40000 },
		{ .start = 0x7f0000000000, .end = 0x7f0000040000 },
		{ .start = 0x7ffff0000000, .end = 0x7ffff0021000 },
	};
	struct damon_addr_range got[3];

	KUNIT_ASSERT_EQ(test, dkt_three_regions(maps, ARRAY_SIZE(maps), PAGE_SIZE, got), 0);
	dkt_check_ranges(test, got, want, 3);
}

/* The biggest gap coming after the second biggest in address order. */
static void damon_va_test_three_regions_gap_order(struct kunit *test)
{
	struct damon_addr_range maps[] = {
		{ .start = DKT_KIB(4), .end = DKT_KIB(8) },
		{ .start = DKT_KIB(100), .end = DKT_KIB(104) },	/* 92K */
		{ .start = DKT_KIB(400), .end = DKT_KIB(404) },	/* 296K */
		{ .start = DKT_KIB(412), .end = DKT_KIB(416) },	/* 8K */
	};
	struct damon_addr_range want[] = {
		{ .start = DKT_KIB(4), .end = DKT_KIB(8) },
		{ .start = DKT_KIB(100), .end = DKT_KIB(104) },
		{ .start = DKT_KIB(400), .end = DKT_KIB(416) },
	};
	struct damon_addr_range got[3];

	KUNIT_ASSERT_EQ(test, dkt_three_regions(maps, ARRAY_SIZE(maps), DKT_KIB(4), got), 0);
	dkt_check_ranges(test, got, want, 3);
}

/* Fewer than two gaps: no three regions. */
static void damon_va_test_three_regions_too_few_gaps(struct kunit *test)
{
	struct damon_addr_range one_gap[] = {
		{ .start = DKT_KIB(4), .end = DKT_KIB(8) },
		{ .start = DKT_KIB(8), .end = DKT_KIB(12) },
		{ .start = DKT_KIB(40), .end = DKT_KIB(44) },
	};
	struct damon_addr_range got[3];

	KUNIT_EXPECT_EQ(test, dkt_three_regions(one_gap, ARRAY_SIZE(one_gap), DKT_KIB(4), got),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, dkt_three_regions(one_gap, 1, DKT_KIB(4), got), -EINVAL);
	KUNIT_EXPECT_EQ(test, dkt_three_regions(one_gap, 0, DKT_KIB(4), got), -EINVAL);
}

/* Gaps too small for the region granularity to keep the ranges apart. */
static void damon_va_test_three_regions_align(struct kunit *test)
{
	struct damon_addr_range maps[] = {
		{ .start = DKT_KIB(0), .end = DKT_KIB(4) },
		{ .start = DKT_KIB(8), .end = DKT_KIB(12) },
		{ .start = DKT_KIB(16), .end = DKT_KIB(20) },
	};
	struct damon_addr_range got[3];

	KUNIT_EXPECT_EQ(test, dkt_three_regions(maps, ARRAY_SIZE(maps), DKT_KIB(4), got), 0);
	KUNIT_EXPECT_EQ(test, dkt_three_regions(maps, ARRAY_SIZE(maps), DKT_KIB(64), got),
			-EINVAL);
}

static void damon_va_test_piece_sz(struct kunit *test)
{
	struct damon_addr_range r = { .start = 0, .end = DKT_KIB(40) };
	unsigned int nr;

	nr = 4;
	KUNIT_EXPECT_EQ(test, damon_va_piece_sz(&r, &nr, DKT_KIB(4)),
			DKT_KIB(8));
	KUNIT_EXPECT_EQ(test, nr, 4U);

	/* Uneven: pieces aligned down, the last takes the rest. */
	nr = 3;
	KUNIT_EXPECT_EQ(test, damon_va_piece_sz(&r, &nr, DKT_KIB(4)),
			DKT_KIB(12));
	KUNIT_EXPECT_EQ(test, nr, 3U);

	/* More pieces than the granularity allows. */
	nr = 100;
	KUNIT_EXPECT_EQ(test, damon_va_piece_sz(&r, &nr, DKT_KIB(4)),
			DKT_KIB(4));
	KUNIT_EXPECT_EQ(test, nr, 10U);

	nr = 0;
	KUNIT_EXPECT_EQ(test, damon_va_piece_sz(&r, &nr, DKT_KIB(4)),
			DKT_KIB(40));
	KUNIT_EXPECT_EQ(test, nr, 1U);
}

/* Regions of a target must be sorted, disjoint and page aligned. */
static void dkt_check_target(struct kunit *test, struct damon_target *t,
			     const struct damon_addr_range *cover, int nr_cover)
{
	struct damon_region *r;
	unsigned long prev_end = 0;
	int i;

	damon_for_each_region(r, t) {
		KUNIT_EXPECT_LT(test, r->ar.start, r->ar.end);
		KUNIT_EXPECT_LE(test, prev_end, r->ar.start);
		KUNIT_EXPECT_EQ(test, r->ar.start % PAGE_SIZE, 0UL);
		KUNIT_EXPECT_EQ(test, r->ar.end % PAGE_SIZE, 0UL);
		for (i = 0; i < nr_cover; i++) {
			if (r->ar.start >= cover[i].start &&
			    r->ar.end <= cover[i].end)
				break;
		}
		KUNIT_EXPECT_LT(test, i, nr_cover);
		prev_end = r->ar.end;
	}
}

/*
 * The layout changes (a mapping grows into a gap, another goes away, the
 * stack grows): the refreshed regions cover exactly the new three ranges,
 * and counters of regions that stay are kept.
 */
static void damon_va_test_refresh(struct kunit *test)
{
	struct damon_addr_range old_maps[] = {
		{ .start = DKT_PG(10), .end = DKT_PG(20) },
		{ .start = DKT_PG(1000), .end = DKT_PG(1100) },
		{ .start = DKT_PG(1200), .end = DKT_PG(1300) },
		{ .start = DKT_PG(9000), .end = DKT_PG(9010) },
	};
	struct damon_addr_range new_maps[] = {
		{ .start = DKT_PG(10), .end = DKT_PG(30) },
		{ .start = DKT_PG(1050), .end = DKT_PG(1100) },
		{ .start = DKT_PG(1200), .end = DKT_PG(1250) },
		{ .start = DKT_PG(8990), .end = DKT_PG(9010) },
	};
	struct damon_addr_range three[3], want[3] = {
		{ .start = DKT_PG(10), .end = DKT_PG(30) },
		{ .start = DKT_PG(1050), .end = DKT_PG(1250) },
		{ .start = DKT_PG(8990), .end = DKT_PG(9010) },
	};
	struct damon_target *t;
	struct damon_region *r;
	unsigned long sz = 0;
	int i;

	t = dkt_add_target(test, dkt_new_ctx(test), NULL, NULL, 0);
	KUNIT_ASSERT_EQ(test, dkt_three_regions(old_maps, ARRAY_SIZE(old_maps),
						PAGE_SIZE, three), 0);
	for (i = 0; i < 3; i++) {
		r = damon_new_region(three[i].start, three[i].end);
		KUNIT_ASSERT_NOT_NULL(test, r);
		r->nr_accesses = i + 1;
		damon_add_region(r, t);
	}

	KUNIT_ASSERT_EQ(test, dkt_three_regions(new_maps, ARRAY_SIZE(new_maps),
						PAGE_SIZE, three), 0);
	dkt_check_ranges(test, three, want, 3);
	KUNIT_EXPECT_EQ(test, damon_set_regions(t, three, 3, PAGE_SIZE), 0);

	dkt_check_target(test, t, want, 3);
	damon_for_each_region(r, t)
		sz += damon_sz_region(r);
	KUNIT_EXPECT_EQ(test, sz, DKT_PG(20 + 200 + 20));
	/* The middle region survived the shrink with its counter. */
	damon_for_each_region(r, t) {
		if (r->ar.start == DKT_PG(1050))
			KUNIT_EXPECT_EQ(test, r->nr_accesses, 2U);
	}
}

/* Initial regions: the middle range split evenly up to min_nr_regions. */
static void damon_va_test_even_split(struct kunit *test)
{
	struct damon_addr_range r = { .start = DKT_PG(100), .end = DKT_PG(203) };
	unsigned int nr = 8, i;
	unsigned long piece, start, end, prev_end = r.start;

	piece = damon_va_piece_sz(&r, &nr, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, nr, 8U);
	KUNIT_EXPECT_EQ(test, piece, DKT_PG(12));
	for (i = 0; i < nr; i++) {
		start = r.start + i * piece;
		end = i == nr - 1 ? r.end : start + piece;
		KUNIT_EXPECT_EQ(test, start, prev_end);
		KUNIT_EXPECT_GE(test, end - start, piece);
		KUNIT_EXPECT_LT(test, end - start, 2 * piece);
		prev_end = end;
	}
	KUNIT_EXPECT_EQ(test, prev_end, r.end);
}

static struct kunit_case damon_va_test_cases[] = {
	KUNIT_CASE(damon_va_test_three_regions),
	KUNIT_CASE(damon_va_test_three_regions_gap_order),
	KUNIT_CASE(damon_va_test_three_regions_too_few_gaps),
	KUNIT_CASE(damon_va_test_three_regions_align),
	KUNIT_CASE(damon_va_test_piece_sz),
	KUNIT_CASE(damon_va_test_refresh),
	KUNIT_CASE(damon_va_test_even_split),
	{},
};

static struct kunit_suite damon_va_test_suite = {
	.name = "damon-operations",
	.test_cases = damon_va_test_cases,
};

kunit_test_suite(damon_va_test_suite);

#endif /* _DAMON_VADDR_KUNIT_H */
