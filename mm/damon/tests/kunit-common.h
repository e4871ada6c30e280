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
 * - What a case allocates is released by KUnit when the case ends, also
 *   after a failed KUNIT_ASSERT_*(): contexts come from dkt_new_ctx(),
 *   which registers their release as a deferred action (stopping a
 *   kdamond a failed assertion left running), and what a context owns
 *   (targets, regions, schemes, probes) is hung on one, e.g. with
 *   dkt_add_target(), instead of being freed at the end of the case.
 *   Other objects get their own deferred action (dkt_folio_alloc()) or
 *   come from kunit_kzalloc().  Objects no assertion follows may stay
 *   as they are.
 * - Comments are plain comments, not kernel-doc: the tests are no API.
 */

#ifndef _DAMON_KUNIT_COMMON_H
#define _DAMON_KUNIT_COMMON_H

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/mm.h>

/* @n pages, in bytes. */
#define DKT_PG(n)	((unsigned long)(n) * PAGE_SIZE)

/* The deferred action of dkt_new_ctx(). */
static inline void dkt_release_ctx(void *data)
{
	struct damon_ctx *ctx = data;

	if (damon_is_running(ctx))
		damon_stop(&ctx, 1);
	damon_destroy_ctx(ctx);
}

/* A new context, destroyed with all it owns when the case ends. */
static inline struct damon_ctx *dkt_new_ctx(struct kunit *test)
{
	struct damon_ctx *ctx = damon_new_ctx();

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, dkt_release_ctx,
							ctx), 0);
	return ctx;
}

/* Destroys @ctx of dkt_new_ctx() now rather than when the case ends. */
static inline void dkt_destroy_ctx(struct kunit *test, struct damon_ctx *ctx)
{
	kunit_release_action(test, dkt_release_ctx, ctx);
}

/* A new target of @ctx, with one region per [@starts[i], @ends[i]). */
static inline struct damon_target *dkt_add_target(struct kunit *test,
						  struct damon_ctx *ctx,
						  const unsigned long *starts,
						  const unsigned long *ends,
						  int nr)
{
	struct damon_target *t = damon_new_target();
	struct damon_region *r;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	damon_add_target(ctx, t);
	for (i = 0; i < nr; i++) {
		r = damon_new_region(starts[i], ends[i]);
		KUNIT_ASSERT_NOT_NULL(test, r);
		damon_add_region(r, t);
	}
	return t;
}

/* The deferred action of dkt_folio_alloc(). */
static inline void dkt_folio_put(void *folio)
{
	folio_put(folio);
}

/* A new order-0 folio, put when the case ends. */
static inline struct folio *dkt_folio_alloc(struct kunit *test, gfp_t gfp)
{
	struct folio *folio = folio_alloc(gfp, 0);

	KUNIT_ASSERT_NOT_NULL(test, folio);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, dkt_folio_put,
							folio), 0);
	return folio;
}

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
