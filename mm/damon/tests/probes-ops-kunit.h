/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests of the folio matching of data attribute probes by the DAMON
 * operations sets (damon_probes_folio_hits()).  Included at the end of
 * ops-common.c.
 */

#ifndef _DAMON_PROBES_OPS_KUNIT_H
#define _DAMON_PROBES_OPS_KUNIT_H

#include <kunit/test.h>

#include "kunit-common.h"

static void dkt_add_filter(struct kunit *test, struct damon_probe *p, int type,
			   bool matching, bool allow)
{
	struct damos_filter *f = damos_new_filter(type, matching, allow);

	KUNIT_ASSERT_NOT_NULL(test, f);
	damon_probe_add_filter(p, f);
}

static struct damon_probe *dkt_new_probe(struct kunit *test,
					 struct damon_ctx *ctx)
{
	struct damon_probe *p = damon_new_probe(0);

	KUNIT_ASSERT_NOT_NULL(test, p);
	damon_add_probe(ctx, p);
	return p;
}

/*
 * Filter chains on a folio that is neither anonymous nor charged to a
 * cgroup (a plain kernel allocation).
 */
static void damon_probes_ops_test_chains(struct kunit *test)
{
	unsigned long start = 0, end = PAGE_SIZE;
	struct damon_ctx *ctx = dkt_new_ctx(test);
	struct damon_target *t = dkt_add_target(test, ctx, &start, &end, 1);
	struct damon_region *r = dkt_nth(t, 0);
	struct folio *folio = dkt_folio_alloc(test, GFP_KERNEL);
	struct damon_probe *p;
	int i;

	/* 0: allow anon; nothing applies, so the default rejects. */
	p = dkt_new_probe(test, ctx);
	dkt_add_filter(test, p, DAMOS_FILTER_TYPE_ANON, true, true);
	/* 1: allow non-anon. */
	p = dkt_new_probe(test, ctx);
	dkt_add_filter(test, p, DAMOS_FILTER_TYPE_ANON, false, true);
	/* 2: no filter, every page. */
	dkt_new_probe(test, ctx);
	/* 3: reject cgroup 1 (not matching), then allow non-anon. */
	p = dkt_new_probe(test, ctx);
	dkt_add_filter(test, p, DAMOS_FILTER_TYPE_MEMCG, true, false);
	list_last_entry(&p->filters, struct damos_filter, list)->memcg_id = 1;
	dkt_add_filter(test, p, DAMOS_FILTER_TYPE_ANON, false, true);

	for (i = 0; i < 3; i++)
		damon_probes_folio_hits(ctx, r, folio);
	KUNIT_EXPECT_EQ(test, r->probe_hits[0], 0);
	KUNIT_EXPECT_EQ(test, r->probe_hits[1], 3);
	KUNIT_EXPECT_EQ(test, r->probe_hits[2], 3);
	KUNIT_EXPECT_EQ(test, r->probe_hits[3], 3);

	/* 0 again: reject anon only; nothing applies, so the default allows. */
	p = list_first_entry(&ctx->probes, struct damon_probe, list);
	list_first_entry(&p->filters, struct damos_filter, list)->allow = false;
	damon_probes_folio_hits(ctx, r, folio);
	KUNIT_EXPECT_EQ(test, r->probe_hits[0], 1);

	/* Counters saturate. */
	r->probe_hits[2] = U16_MAX;
	damon_probes_folio_hits(ctx, r, folio);
	KUNIT_EXPECT_EQ(test, r->probe_hits[2], U16_MAX);
}

static struct kunit_case damon_probes_ops_test_cases[] = {
	KUNIT_CASE(damon_probes_ops_test_chains),
	{},
};

static struct kunit_suite damon_probes_ops_test_suite = {
	.name = "damon-probes-ops",
	.test_cases = damon_probes_ops_test_cases,
};

kunit_test_suite(damon_probes_ops_test_suite);

#endif /* _DAMON_PROBES_OPS_KUNIT_H */
