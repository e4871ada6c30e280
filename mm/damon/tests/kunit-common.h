/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the DAMON KUnit suites, and the conventions of the
 * KUnit files of this directory:
 *
 * - A test file, <file>-kunit.h, is included at the end of the .c file it
 *   tests, inside that file's "#ifdef CONFIG_DAMON_KUNIT_TEST", so that it
 *   reaches static functions.  The test file itself has only an include
 *   guard, named _DAMON_<FILE>_H after its file name (core-kunit.h:
 *   _DAMON_CORE_KUNIT_H).
 * - The test cases, their array and the suite are named
 *   damon_<area>_test_<what> (damon_test_<what> in core-kunit.h,
 *   damos_test_<what> in schemes-kunit.h): these names are in the results,
 *   so they stay.  Every other name a test file defines (helpers, their
 *   structs and static variables) starts with dkt_ ("DAMON KUnit test"),
 *   its macros with DKT_; helpers used by more than one file live here.
 * - Sizes of whole pages are DKT_PG(n), built on PAGE_SIZE; no file defines
 *   its own page unit.  (vaddr-kunit.h's DKT_KIB() is no page size: its
 *   layouts are written in KiB, as /proc/<pid>/maps shows them, and the
 *   alignment is an argument of the tested functions.)
 * - Comments are plain comments, not kernel-doc: the tests are no API.
 */

#ifndef _DAMON_KUNIT_COMMON_H
#define _DAMON_KUNIT_COMMON_H

#include <kunit/test.h>

/* @n pages, in bytes. */
#define DKT_PG(n)	((unsigned long)(n) * PAGE_SIZE)

static inline struct damon_target *dkt_first_target(struct damon_ctx *ctx)
{
	return list_first_entry(&ctx->adaptive_targets, struct damon_target,
				list);
}

/* The @n-th region of @t, or NULL if it has fewer. */
static inline struct damon_region *dkt_nth(struct damon_target *t, int n)
{
	struct damon_region *r;

	damon_for_each_region(r, t)
		if (!n--)
			return r;
	return NULL;
}

#endif /* _DAMON_KUNIT_COMMON_H */
