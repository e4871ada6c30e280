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
	struct damon_target *t = damon_new_target();

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_TRUE(test, damon_sysfs_ranges_nonempty(ok, 3));
	KUNIT_EXPECT_TRUE(test, damon_sysfs_ranges_nonempty(ok, 0));
	KUNIT_EXPECT_FALSE(test, damon_sysfs_ranges_nonempty(empty, 2));
	KUNIT_EXPECT_FALSE(test, damon_sysfs_ranges_nonempty(inverted, 1));
	/* The order is the core's to check, and sysfs returns its errno. */
	KUNIT_EXPECT_EQ(test, damon_set_regions(t, ok, 3, 1), 0);
	KUNIT_EXPECT_EQ(test, damon_set_regions(t, overlap, 2, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, damon_set_regions(t, unsorted, 2, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, damon_set_regions(t, inverted, 1, 1), -EINVAL);
	damon_free_target(t);
}

struct damon_sysfs_test_data {
	unsigned long ul;
	long i;
	unsigned long b, e;
	char *s;
};

static const char * const damon_sysfs_test_names[] = { "one", "two", NULL };

static const struct damon_sysfs_file damon_sysfs_test_files[] = {
	DAMON_SYSFS_FILE_MODE(ul, 0600, DAMON_SYSFS_ULONG,
			      struct damon_sysfs_test_data, ul, 7),
	DAMON_SYSFS_FILE_MODE(i, 0600, DAMON_SYSFS_INT,
			      struct damon_sysfs_test_data, i, -1),
	DAMON_SYSFS_FILE_MODE(b, 0600, DAMON_SYSFS_BOOL,
			      struct damon_sysfs_test_data, b, 0),
	DAMON_SYSFS_ENUM_RW(struct damon_sysfs_test_data, e,
			    damon_sysfs_test_names, 1),
	DAMON_SYSFS_FILE_MODE(s, 0600, DAMON_SYSFS_STRING,
			      struct damon_sysfs_test_data, s, 0),
};

/* Store @in to file @idx of @node, then return what it shows. */
static const char *damon_sysfs_test_io(struct kunit *test,
				       struct damon_sysfs_node *node, int idx,
				       const char *in, int expect_err)
{
	struct kobj_attribute *ka =
		(struct kobj_attribute *)&damon_sysfs_test_files[idx].ka;
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	ssize_t ret;

	ret = damon_sysfs_store(&node->kobj, ka, in, strlen(in));
	KUNIT_EXPECT_EQ(test, ret, expect_err ? expect_err : (ssize_t)strlen(in));
	KUNIT_ASSERT_GT(test, damon_sysfs_show(&node->kobj, ka, buf), 0);
	return buf;
}

static void damon_sysfs_test_generic_files(struct kunit *test)
{
	struct damon_sysfs_test_data *d;
	struct damon_sysfs_node *node;

	node = kunit_kzalloc(test, sizeof(*node) + sizeof(*d), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, node);
	d = (void *)(node + 1);
	node->data = d;

	KUNIT_EXPECT_STREQ(test, damon_sysfs_test_io(test, node, 0, "42\n", 0),
			   "42\n");
	KUNIT_EXPECT_STREQ(test, damon_sysfs_test_io(test, node, 0, "0x10", 0),
			   "16\n");
	KUNIT_EXPECT_STREQ(test, damon_sysfs_test_io(test, node, 0,
						     "18446744073709551615", 0),
			   "18446744073709551615\n");
	KUNIT_EXPECT_STREQ(test, damon_sysfs_test_io(test, node, 0,
						     "18446744073709551616",
						     -ERANGE),
			   "18446744073709551615\n");
	KUNIT_EXPECT_STREQ(test, damon_sysfs_test_io(test, node, 0, "-1",
						     -EINVAL),
			   "18446744073709551615\n");
	KUNIT_EXPECT_STREQ(test, damon_sysfs_test_io(test, node, 1, "-1", 0),
			   "-1\n");
	KUNIT_EXPECT_STREQ(test, damon_sysfs_test_io(test, node, 2, "1", 0),
			   "Y\n");
	KUNIT_EXPECT_STREQ(test, damon_sysfs_test_io(test, node, 2, "N\n", 0),
			   "N\n");
	KUNIT_EXPECT_STREQ(test, damon_sysfs_test_io(test, node, 2, "x",
						     -EINVAL), "N\n");
	KUNIT_EXPECT_STREQ(test, damon_sysfs_test_io(test, node, 3, "one\n", 0),
			   "one\n");
	KUNIT_EXPECT_STREQ(test, damon_sysfs_test_io(test, node, 3, "One",
						     -EINVAL), "one\n");
	KUNIT_EXPECT_STREQ(test, damon_sysfs_test_io(test, node, 4, "/a/b\n", 0),
			   "/a/b\n");
	kfree(d->s);
}

static struct kunit_case damon_sysfs_test_cases[] = {
	KUNIT_CASE(damon_sysfs_test_ranges_valid),
	KUNIT_CASE(damon_sysfs_test_generic_files),
	{},
};

static struct kunit_suite damon_sysfs_test_suite = {
	.name = "damon-sysfs",
	.test_cases = damon_sysfs_test_cases,
};

kunit_test_suite(damon_sysfs_test_suite);

#endif /* _DAMON_SYSFS_KUNIT_TEST_H */
