/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests of DAMON_STAT's result computation.  Included at the end of
 * stat.c, so the static functions are reachable.
 */

#ifndef _DAMON_STAT_KUNIT_H
#define _DAMON_STAT_KUNIT_H

#include <kunit/test.h>

static void damon_stat_test_idle_ms(struct kunit *test)
{
	struct damon_region r = {
		.ar = { .start = 0, .end = PAGE_SIZE },
		.age = 3,
	};

	/* Idle: age times the aggregation interval. */
	KUNIT_EXPECT_EQ(test, damon_stat_idle_ms(&r, 100000, 0), 300L);
	r.age = 0;
	KUNIT_EXPECT_EQ(test, damon_stat_idle_ms(&r, 100000, 0), 0L);

	/* Less than one sample's worth of accesses still counts as idle. */
	r.nr_accesses_bp = 9999;
	KUNIT_EXPECT_EQ(test, damon_stat_idle_ms(&r, 100000, 0), 0L);

	/* Accessed: negative, counting the ongoing window. */
	r.nr_accesses_bp = 20000;
	KUNIT_EXPECT_EQ(test, damon_stat_idle_ms(&r, 100000, 0), -100L);
	r.age = 3;
	KUNIT_EXPECT_EQ(test, damon_stat_idle_ms(&r, 5000000, 0), -20000L);

	/*
	 * The idle part of the ongoing window counts for regions that were
	 * not accessed in it; accessed ones ignore it.
	 */
	KUNIT_EXPECT_EQ(test, damon_stat_idle_ms(&r, 100000, 40000), -400L);
	r.nr_accesses_bp = 0;
	KUNIT_EXPECT_EQ(test, damon_stat_idle_ms(&r, 100000, 40000), 340L);
	r.nr_accesses = 1;
	KUNIT_EXPECT_EQ(test, damon_stat_idle_ms(&r, 100000, 40000), 300L);
	r.nr_accesses = 0;

	/* Huge ages saturate instead of wrapping. */
	r.nr_accesses_bp = 0;
	r.age = UINT_MAX;
	KUNIT_EXPECT_GT(test, damon_stat_idle_ms(&r, ULONG_MAX, 0), 0L);
}

static void damon_stat_test_percentiles(struct kunit *test)
{
	/* Deliberately unsorted; sizes add up to 100 bytes. */
	struct damon_stat_region regions[] = {
		{ .idle_ms = 500, .sz = 50 },
		{ .idle_ms = -100, .sz = 10 },
		{ .idle_ms = 0, .sz = 40 },
	};
	int p;

	damon_stat_set_percentiles(regions, ARRAY_SIZE(regions), 100);
	for (p = 0; p <= 10; p++)
		KUNIT_EXPECT_EQ(test, damon_stat_percentiles[p], -100L);
	for (; p <= 50; p++)
		KUNIT_EXPECT_EQ(test, damon_stat_percentiles[p], 0L);
	for (; p < DAMON_STAT_NR_PERCENTILES; p++)
		KUNIT_EXPECT_EQ(test, damon_stat_percentiles[p], 500L);
}

static void damon_stat_test_percentiles_ascending(struct kunit *test)
{
	struct damon_stat_region regions[64];
	unsigned long total = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(regions); i++) {
		regions[i].idle_ms = (long)(get_random_u32() % 20001) - 10000;
		regions[i].sz = (get_random_u32() % 1000 + 1) * PAGE_SIZE;
		total += regions[i].sz;
	}
	damon_stat_set_percentiles(regions, ARRAY_SIZE(regions), total);
	for (i = 1; i < DAMON_STAT_NR_PERCENTILES; i++)
		KUNIT_EXPECT_LE(test, damon_stat_percentiles[i - 1],
				damon_stat_percentiles[i]);

	/* The extremes are the smallest and the largest idle times. */
	KUNIT_EXPECT_EQ(test, damon_stat_percentiles[0], regions[0].idle_ms);
	KUNIT_EXPECT_EQ(test, damon_stat_percentiles[100],
			regions[ARRAY_SIZE(regions) - 1].idle_ms);
}

static void damon_stat_test_percentiles_empty(struct kunit *test)
{
	damon_stat_set_percentiles(NULL, 0, 0);
	KUNIT_EXPECT_EQ(test, damon_stat_percentiles[0], 0L);
	KUNIT_EXPECT_EQ(test, damon_stat_percentiles[100], 0L);
}

static void damon_stat_test_percentiles_format(struct kunit *test)
{
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	struct damon_stat_region r = { .idle_ms = -12, .sz = 1 };
	int len, commas = 0, i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	damon_stat_set_percentiles(&r, 1, 1);
	len = damon_stat_percentiles_get(buf, NULL);
	KUNIT_EXPECT_EQ(test, len, (int)strlen(buf));
	KUNIT_EXPECT_EQ(test, buf[len - 1], '\n');
	for (i = 0; i < len; i++)
		commas += buf[i] == ',';
	KUNIT_EXPECT_EQ(test, commas, DAMON_STAT_NR_PERCENTILES - 1);
	KUNIT_EXPECT_EQ(test, strncmp(buf, "-12,-12,", 8), 0);
}

static struct kunit_case damon_stat_test_cases[] = {
	KUNIT_CASE(damon_stat_test_idle_ms),
	KUNIT_CASE(damon_stat_test_percentiles),
	KUNIT_CASE(damon_stat_test_percentiles_ascending),
	KUNIT_CASE(damon_stat_test_percentiles_empty),
	KUNIT_CASE(damon_stat_test_percentiles_format),
	{},
};

static struct kunit_suite damon_stat_test_suite = {
	.name = "damon-stat",
	.test_cases = damon_stat_test_cases,
};

kunit_test_suite(damon_stat_test_suite);

#endif /* _DAMON_STAT_KUNIT_H */
