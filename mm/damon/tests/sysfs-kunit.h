/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests of the pure helpers of the DAMON sysfs interface.
 */

#ifndef _DAMON_SYSFS_KUNIT_H
#define _DAMON_SYSFS_KUNIT_H

#include <kunit/test.h>

#include "kunit-common.h"

static void damon_sysfs_test_ranges_valid(struct kunit *test)
{
	struct damon_addr_range ok[] = { {0, 10}, {10, 20}, {30, 40} };
	struct damon_addr_range overlap[] = { {0, 10}, {5, 20} };
	struct damon_addr_range unsorted[] = { {30, 40}, {0, 10} };
	struct damon_addr_range empty[] = { {0, 10}, {10, 10} };
	struct damon_addr_range inverted[] = { {20, 10} };
	struct damon_target *t = dkt_add_target(test, dkt_new_ctx(test), NULL,
						NULL, 0);

	KUNIT_EXPECT_TRUE(test, damon_sysfs_ranges_nonempty(ok, 3));
	KUNIT_EXPECT_TRUE(test, damon_sysfs_ranges_nonempty(ok, 0));
	KUNIT_EXPECT_FALSE(test, damon_sysfs_ranges_nonempty(empty, 2));
	KUNIT_EXPECT_FALSE(test, damon_sysfs_ranges_nonempty(inverted, 1));
	/* The order is the core's to check, and sysfs returns its errno. */
	KUNIT_EXPECT_EQ(test, damon_set_regions(t, ok, 3, 1), 0);
	KUNIT_EXPECT_EQ(test, damon_set_regions(t, overlap, 2, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, damon_set_regions(t, unsorted, 2, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, damon_set_regions(t, inverted, 1, 1), -EINVAL);
}

struct dkt_sysfs_data {
	unsigned long ul;
	long i;
	unsigned long b, e;
	char *s;
};

static const char * const dkt_sysfs_names[] = { "one", "two", NULL };

static const struct damon_sysfs_file dkt_sysfs_files[] = {
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dkt_sysfs_data, ul, 7),
	DAMON_SYSFS_RW(DAMON_SYSFS_INT, struct dkt_sysfs_data, i, -1),
	DAMON_SYSFS_RW(DAMON_SYSFS_BOOL, struct dkt_sysfs_data, b, 0),
	DAMON_SYSFS_ENUM_RW(struct dkt_sysfs_data, e,
			    dkt_sysfs_names, 1),
	DAMON_SYSFS_RW(DAMON_SYSFS_STRING, struct dkt_sysfs_data, s, 0),
};

/* Store @in to file @idx of @node, then return what it shows. */
static const char *dkt_sysfs_io(struct kunit *test,
				struct damon_sysfs_node *node, int idx,
				const char *in, int expect_err)
{
	struct kobj_attribute *ka =
		(struct kobj_attribute *)&dkt_sysfs_files[idx].ka;
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	ssize_t ret;

	ret = damon_sysfs_store(&node->kobj, ka, in, strlen(in));
	KUNIT_EXPECT_EQ(test, ret, expect_err ? expect_err : (ssize_t)strlen(in));
	KUNIT_ASSERT_GT(test, damon_sysfs_show(&node->kobj, ka, buf), 0);
	return buf;
}

static void damon_sysfs_test_generic_files(struct kunit *test)
{
	struct dkt_sysfs_data *d;
	struct damon_sysfs_node *node;

	node = kunit_kzalloc(test, sizeof(*node) + sizeof(*d), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, node);
	d = (void *)(node + 1);
	node->data = d;

	KUNIT_EXPECT_STREQ(test, dkt_sysfs_io(test, node, 0, "42\n", 0),
			   "42\n");
	KUNIT_EXPECT_STREQ(test, dkt_sysfs_io(test, node, 0, "0x10", 0),
			   "16\n");
	KUNIT_EXPECT_STREQ(test, dkt_sysfs_io(test, node, 0,
					      "18446744073709551615", 0),
			   "18446744073709551615\n");
	KUNIT_EXPECT_STREQ(test, dkt_sysfs_io(test, node, 0,
					      "18446744073709551616",
					      -ERANGE),
			   "18446744073709551615\n");
	KUNIT_EXPECT_STREQ(test, dkt_sysfs_io(test, node, 0, "-1",
					      -EINVAL),
			   "18446744073709551615\n");
	KUNIT_EXPECT_STREQ(test, dkt_sysfs_io(test, node, 1, "-1", 0),
			   "-1\n");
	KUNIT_EXPECT_STREQ(test, dkt_sysfs_io(test, node, 2, "1", 0),
			   "Y\n");
	KUNIT_EXPECT_STREQ(test, dkt_sysfs_io(test, node, 2, "N\n", 0),
			   "N\n");
	KUNIT_EXPECT_STREQ(test, dkt_sysfs_io(test, node, 2, "x",
					      -EINVAL), "N\n");
	KUNIT_EXPECT_STREQ(test, dkt_sysfs_io(test, node, 3, "one\n", 0),
			   "one\n");
	KUNIT_EXPECT_STREQ(test, dkt_sysfs_io(test, node, 3, "One",
					      -EINVAL), "one\n");
	KUNIT_EXPECT_STREQ(test, dkt_sysfs_io(test, node, 4, "/a/b\n", 0),
			   "/a/b\n");
	kfree(d->s);
}

/*
 * A directory life cycle: top/ with a fixed dir/, whose numbered children
 * have one file, v, of default 3.
 */
struct dkt_sysfs_kid {
	unsigned long v;
};

static const struct damon_sysfs_file dkt_sysfs_kid_files[] = {
	DAMON_SYSFS_RW(DAMON_SYSFS_ULONG, struct dkt_sysfs_kid, v, 3),
};

static const struct damon_sysfs_type dkt_sysfs_kid_type = {
	.files = dkt_sysfs_kid_files,
	.nr_files = ARRAY_SIZE(dkt_sysfs_kid_files),
	.data_size = sizeof(struct dkt_sysfs_kid),
};

static const struct damon_sysfs_file dkt_sysfs_dir_files[] = {
	DAMON_SYSFS_NR_FILE(nr_kids),
};

static const struct damon_sysfs_type dkt_sysfs_dir_type = {
	.files = dkt_sysfs_dir_files,
	.nr_files = ARRAY_SIZE(dkt_sysfs_dir_files),
	.kid_type = &dkt_sysfs_kid_type,
	.nr_max = 4,
};

enum { DKT_SYSFS_DIR };

static const struct damon_sysfs_subdir dkt_sysfs_top_subdirs[] = {
	[DKT_SYSFS_DIR] = { "dir", &dkt_sysfs_dir_type },
};

static const struct damon_sysfs_type dkt_sysfs_top_type = {
	.subdirs = dkt_sysfs_top_subdirs,
	.nr_subdirs = ARRAY_SIZE(dkt_sysfs_top_subdirs),
};

/* Writes @in to nr_kids of @dir; returns the store's return value. */
static ssize_t dkt_sysfs_set_nr(struct damon_sysfs_node *dir,
				const char *in)
{
	struct kobj_attribute *ka =
		(struct kobj_attribute *)&dkt_sysfs_dir_files[0].ka;

	return damon_sysfs_store(&dir->kobj, ka, in, strlen(in));
}

static unsigned long dkt_sysfs_kid_v(struct damon_sysfs_node *dir,
				     unsigned long i)
{
	return ((struct dkt_sysfs_kid *)dir->kids[i]->data)->v;
}

static void damon_sysfs_test_dir_life(struct kunit *test)
{
	struct damon_sysfs_node *top, *dir;
	unsigned long i;

	/* Create: the fixed subdirectory exists, without children. */
	top = damon_sysfs_node_create(&dkt_sysfs_top_type, NULL,
				      kernel_kobj, "damon_sysfs_kunit");
	KUNIT_ASSERT_NOT_NULL(test, top);
	dir = top->subs[DKT_SYSFS_DIR];
	KUNIT_ASSERT_NOT_NULL(test, dir);
	KUNIT_EXPECT_PTR_EQ(test, dir->parent, top);
	KUNIT_EXPECT_PTR_EQ(test, dir->type, &dkt_sysfs_dir_type);
	KUNIT_EXPECT_STREQ(test, kobject_name(&dir->kobj), "dir");
	KUNIT_EXPECT_EQ(test, dir->nr, 0UL);

	/* Grow: children "0".."2" with default values. */
	KUNIT_EXPECT_EQ(test, dkt_sysfs_set_nr(dir, "3\n"), 2);
	KUNIT_ASSERT_EQ(test, dir->nr, 3UL);
	for (i = 0; i < dir->nr; i++) {
		KUNIT_EXPECT_PTR_EQ(test, dir->kids[i]->parent, dir);
		KUNIT_EXPECT_EQ(test, dkt_sysfs_kid_v(dir, i), 3UL);
	}
	KUNIT_EXPECT_STREQ(test, kobject_name(&dir->kids[2]->kobj), "2");

	/* Shrink: the remaining children are fresh ones. */
	((struct dkt_sysfs_kid *)dir->kids[0]->data)->v = 9;
	KUNIT_EXPECT_EQ(test, dkt_sysfs_set_nr(dir, "1"), 1);
	KUNIT_ASSERT_EQ(test, dir->nr, 1UL);
	KUNIT_EXPECT_EQ(test, dkt_sysfs_kid_v(dir, 0), 3UL);

	/* Beyond nr_max, or not a number: refused, nothing changes. */
	KUNIT_EXPECT_EQ(test, dkt_sysfs_set_nr(dir, "5"), -EINVAL);
	KUNIT_EXPECT_EQ(test, dkt_sysfs_set_nr(dir, "x"), -EINVAL);
	KUNIT_EXPECT_EQ(test, dir->nr, 1UL);

	/* Down to zero and back up to the most allowed. */
	KUNIT_EXPECT_EQ(test, dkt_sysfs_set_nr(dir, "0"), 1);
	KUNIT_EXPECT_EQ(test, dir->nr, 0UL);
	KUNIT_EXPECT_NULL(test, dir->kids);
	KUNIT_EXPECT_EQ(test, dkt_sysfs_set_nr(dir, "4"), 1);
	KUNIT_EXPECT_EQ(test, dir->nr, 4UL);

	/* Remove: children and fixed subdirectories go with the top. */
	kobject_get(&top->kobj);
	kobject_get(&dir->kobj);
	damon_sysfs_node_remove(top);
	KUNIT_EXPECT_NULL(test, top->subs[DKT_SYSFS_DIR]);
	KUNIT_EXPECT_EQ(test, dir->nr, 0UL);
	KUNIT_EXPECT_NULL(test, dir->kids);
	kobject_put(&dir->kobj);
	kobject_put(&top->kobj);
}

static struct kunit_case damon_sysfs_test_cases[] = {
	KUNIT_CASE(damon_sysfs_test_ranges_valid),
	KUNIT_CASE(damon_sysfs_test_generic_files),
	KUNIT_CASE(damon_sysfs_test_dir_life),
	{},
};

static struct kunit_suite damon_sysfs_test_suite = {
	.name = "damon-sysfs",
	.test_cases = damon_sysfs_test_cases,
};

kunit_test_suite(damon_sysfs_test_suite);

#endif /* _DAMON_SYSFS_KUNIT_H */
