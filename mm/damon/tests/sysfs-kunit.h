/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests of the pure helpers of the DAMON sysfs interface.
 */

#ifndef _DAMON_SYSFS_KUNIT_TEST_H
#define _DAMON_SYSFS_KUNIT_TEST_H

#include <kunit/test.h>

static void damon_sysfs_test_ranges_valid(struct kunit *test)
{
	struct damon_addr_range ok[] = { {0, 10}, {10, 20}, {30, 40} };
	struct damon_addr_range overlap[] = { {0, 10}, {5, 20} };
	struct damon_addr_range unsorted[] = { {30, 40}, {0, 10} };
	struct damon_addr_range empty[] = { {0, 10}, {10, 10} };
	struct damon_addr_range inverted[] = { {20, 10} };

	KUNIT_EXPECT_TRUE(test, damon_sysfs_ranges_valid(ok, 3));
	KUNIT_EXPECT_TRUE(test, damon_sysfs_ranges_valid(ok, 0));
	KUNIT_EXPECT_FALSE(test, damon_sysfs_ranges_valid(overlap, 2));
	KUNIT_EXPECT_FALSE(test, damon_sysfs_ranges_valid(unsorted, 2));
	KUNIT_EXPECT_FALSE(test, damon_sysfs_ranges_valid(empty, 2));
	KUNIT_EXPECT_FALSE(test, damon_sysfs_ranges_valid(inverted, 1));
}

static struct kunit_case damon_sysfs_test_cases[] = {
	KUNIT_CASE(damon_sysfs_test_ranges_valid),
	{},
};

static struct kunit_suite damon_sysfs_test_suite = {
	.name = "damon-sysfs",
	.test_cases = damon_sysfs_test_cases,
};

kunit_test_suite(damon_sysfs_test_suite);

#endif /* _DAMON_SYSFS_KUNIT_TEST_H */
