/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests of the pure parts of the physical address operations set:
 * turning System RAM resources into monitoring ranges, matching reports and
 * stepping over page frames.  Included at the end of paddr.c, so the static
 * functions are reachable.
 */

#ifndef _DAMON_PADDR_KUNIT_H
#define _DAMON_PADDR_KUNIT_H

#include <kunit/test.h>

#include "kunit-common.h"

#define DKT_MAX_RANGES	4

/* Checks that @rr holds the @nr ranges of @want. */
static void dkt_expect_ranges(struct kunit *test,
			      struct damon_pa_ram_ranges *rr,
			      const struct damon_addr_range *want,
			      unsigned int nr)
{
	unsigned int i;

	KUNIT_ASSERT_EQ(test, rr->nr, nr);
	for (i = 0; i < nr; i++) {
		KUNIT_EXPECT_EQ(test, rr->ranges[i].start, want[i].start);
		KUNIT_EXPECT_EQ(test, rr->ranges[i].end, want[i].end);
	}
}

/* A PC's layout: each resource is a range, the holes stay out. */
static void damon_pa_test_ram_ranges_holes(struct kunit *test)
{
	struct damon_addr_range buf[DKT_MAX_RANGES];
	struct damon_pa_ram_ranges rr = {
		.ranges = buf, .capacity = DKT_MAX_RANGES, .unit = 1,
	};
	const struct damon_addr_range want[] = {
		{ 0x1000, 0x9fc00 },
		{ 0x100000, 0xbffe0000 },
		{ 0x100000000, 0x140000000 },
	};

	if (sizeof(unsigned long) < 8)
		kunit_skip(test, "needs 64-bit addresses");
	damon_pa_ram_ranges_add(&rr, 0x1000, 0x9fc00);
	damon_pa_ram_ranges_add(&rr, 0x100000, 0xbffe0000);
	damon_pa_ram_ranges_add(&rr, 0x100000000ULL, 0x140000000ULL);
	dkt_expect_ranges(test, &rr, want, ARRAY_SIZE(want));
	/* Nothing in a hole is monitored. */
	KUNIT_EXPECT_LT(test, rr.ranges[0].end, 0xa0000UL);
	KUNIT_EXPECT_GE(test, rr.ranges[1].start, 0x100000UL);
	KUNIT_EXPECT_LE(test, rr.ranges[1].end, 0xc0000000UL);
}

/* Partial units count as whole; ranges that then meet are joined. */
static void damon_pa_test_ram_ranges_unit(struct kunit *test)
{
	struct damon_addr_range buf[DKT_MAX_RANGES];
	struct damon_pa_ram_ranges rr = {
		.ranges = buf, .capacity = DKT_MAX_RANGES, .unit = 0x1000,
	};
	const struct damon_addr_range want[] = {
		{ 1, 0xa0 },
		{ 0x100, 0x103 },
	};

	damon_pa_ram_ranges_add(&rr, 0x1000, 0x9fc00);
	damon_pa_ram_ranges_add(&rr, 0x100000, 0x101800);
	/* Shares unit 0x101 with the previous range: joined. */
	damon_pa_ram_ranges_add(&rr, 0x101900, 0x103000);
	/* Empty ranges are ignored. */
	damon_pa_ram_ranges_add(&rr, 0x200000, 0x200000);
	dkt_expect_ranges(test, &rr, want, ARRAY_SIZE(want));
}

/* Beyond the capacity, the ranges with the smallest hole between merge. */
static void damon_pa_test_ram_ranges_full(struct kunit *test)
{
	struct damon_addr_range buf[2];
	struct damon_pa_ram_ranges rr = {
		.ranges = buf, .capacity = 2, .unit = 1,
	};
	const struct damon_addr_range want1[] = { { 0, 10 }, { 100, 120 } };
	const struct damon_addr_range want2[] = { { 0, 120 }, { 1000, 1010 } };
	const struct damon_addr_range want3[] = { { 0, 120 }, { 1000, 1040 } };

	damon_pa_ram_ranges_add(&rr, 0, 10);
	damon_pa_ram_ranges_add(&rr, 100, 110);
	/* The new hole (5) is the smallest. */
	damon_pa_ram_ranges_add(&rr, 115, 120);
	dkt_expect_ranges(test, &rr, want1, ARRAY_SIZE(want1));
	/* An old hole (90) is smaller than the new one (880). */
	damon_pa_ram_ranges_add(&rr, 1000, 1010);
	dkt_expect_ranges(test, &rr, want2, ARRAY_SIZE(want2));
	/* The new hole (20) is the smallest again: the last range grows. */
	damon_pa_ram_ranges_add(&rr, 1030, 1040);
	dkt_expect_ranges(test, &rr, want3, ARRAY_SIZE(want3));

	/* No capacity, no ranges. */
	rr.nr = 0;
	rr.capacity = 0;
	damon_pa_ram_ranges_add(&rr, 0, 10);
	KUNIT_EXPECT_EQ(test, rr.nr, 0U);
}

/* Reports go to the first target, by physical address in address units. */
static void damon_pa_test_report_target(struct kunit *test)
{
	struct damon_access_report r = { .vaddr = 0x1000, .size = 1 };
	struct damon_ctx *ctx = dkt_new_ctx(test);
	struct damon_target *t;
	unsigned long addr = 0;

	/* No target, nothing to match. */
	r.paddr = 0x2000;
	KUNIT_EXPECT_NULL(test, damon_pa_report_target(ctx, &r, &addr));

	t = dkt_add_target(test, ctx, NULL, NULL, 0);
	ctx->addr_unit = 4;
	KUNIT_EXPECT_PTR_EQ(test, damon_pa_report_target(ctx, &r, &addr), t);
	KUNIT_EXPECT_EQ(test, addr, 0x2000UL / 4);

	/* A report with only a virtual address is not one of ours. */
	r.paddr = 0;
	addr = 7;
	KUNIT_EXPECT_NULL(test, damon_pa_report_target(ctx, &r, &addr));
	KUNIT_EXPECT_EQ(test, addr, 7UL);
}

/*
 * Address units scale to physical addresses, and those beyond the physical
 * address space stay beyond: a product past 2^64 must not wrap around to
 * low memory.
 */
static void damon_pa_test_phys(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);
	phys_addr_t max = damon_pa_max_addr();

	KUNIT_EXPECT_EQ(test, max & (PAGE_SIZE - 1), (phys_addr_t)0);
	/* Its frame number does not lose bits in an unsigned long. */
	KUNIT_EXPECT_EQ(test, PFN_PHYS((phys_addr_t)PHYS_PFN(max)), max);

	ctx->addr_unit = 1;
	KUNIT_EXPECT_EQ(test, damon_pa_phys(ctx, 0x3000), (phys_addr_t)0x3000);
	ctx->addr_unit = 4;
	KUNIT_EXPECT_EQ(test, damon_pa_phys(ctx, 0x3000), (phys_addr_t)0xc000);

	ctx->addr_unit = 1UL << (BITS_PER_LONG - 1);
	KUNIT_EXPECT_EQ(test, damon_pa_phys(ctx, 1),
			min_t(phys_addr_t, (phys_addr_t)ctx->addr_unit, max));
	/* 2^(2 * BITS_PER_LONG - 1) - 2^(BITS_PER_LONG - 1): beyond. */
	KUNIT_EXPECT_EQ(test, damon_pa_phys(ctx, ULONG_MAX), max);
	ctx->addr_unit = ULONG_MAX;
	KUNIT_EXPECT_EQ(test, damon_pa_phys(ctx, ULONG_MAX), max);
}

/*
 * A frame with no folio to act on is passed over a free buddy block at a
 * time, and a page at a time otherwise, never beyond the end.
 */
static void damon_pa_test_next_candidate(struct kunit *test)
{
	const unsigned long nr = 1UL << MAX_PAGE_ORDER;
	phys_addr_t base, end;
	struct page *page;

	/* A block of the highest order cannot merge once freed. */
	page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER);
	if (!page)
		kunit_skip(test, "no free block of order %d", MAX_PAGE_ORDER);
	base = PFN_PHYS(page_to_pfn(page));
	end = base + PFN_PHYS(2 * nr);

	/* In use: one page further. */
	KUNIT_EXPECT_EQ(test, damon_pa_next_candidate(base, end),
			base + PAGE_SIZE);
	__free_pages(page, MAX_PAGE_ORDER);
	if (!PageBuddy(page) || buddy_order_unsafe(page) != MAX_PAGE_ORDER)
		kunit_skip(test, "the freed block was taken again");

	/* Free: the whole block at once, also from inside it. */
	KUNIT_EXPECT_EQ(test, damon_pa_next_candidate(base, end),
			base + PFN_PHYS(nr));
	KUNIT_EXPECT_EQ(test, damon_pa_next_candidate(base + 100, end),
			base + PFN_PHYS(nr));
	/* A tail page is not the block's head: one page. */
	KUNIT_EXPECT_EQ(test, damon_pa_next_candidate(base + PFN_PHYS(5), end),
			base + PFN_PHYS(6));
	/* Never beyond @end. */
	KUNIT_EXPECT_EQ(test, damon_pa_next_candidate(base, base + PFN_PHYS(3)),
			base + PFN_PHYS(3));
}

static struct kunit_case damon_pa_test_cases[] = {
	KUNIT_CASE(damon_pa_test_ram_ranges_holes),
	KUNIT_CASE(damon_pa_test_ram_ranges_unit),
	KUNIT_CASE(damon_pa_test_ram_ranges_full),
	KUNIT_CASE(damon_pa_test_report_target),
	KUNIT_CASE(damon_pa_test_phys),
	KUNIT_CASE(damon_pa_test_next_candidate),
	{},
};

static struct kunit_suite damon_pa_test_suite = {
	.name = "damon-paddr",
	.test_cases = damon_pa_test_cases,
};

kunit_test_suite(damon_pa_test_suite);

#endif /* _DAMON_PADDR_KUNIT_H */
