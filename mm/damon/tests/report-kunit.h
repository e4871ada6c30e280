/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests of the DAMON access reports: rings, matching, filters and the
 * sampling primitives.
 */

#ifndef _DAMON_REPORT_KUNIT_H
#define _DAMON_REPORT_KUNIT_H

#include <kunit/test.h>
#include <linux/math64.h>

#include "kunit-common.h"

#define DKT_RING_SIZE	DAMON_REPORT_RING_SIZE

static void dkt_kvfree(void *p)
{
	kvfree(p);
}

/* A ring, freed when the case ends. */
static struct damon_report_ring *dkt_new_ring(struct kunit *test)
{
	struct damon_report_ring *ring = kvzalloc(sizeof(*ring), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ring);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, dkt_kvfree, ring),
			0);
	return ring;
}

static struct damon_access_report dkt_report(unsigned long addr)
{
	return (struct damon_access_report){
		.paddr = addr, .vaddr = addr, .size = 1, .cpu = 0, .tid = 1,
	};
}

static void damon_report_test_push_pop(struct kunit *test)
{
	struct damon_report_ring *ring = dkt_new_ring(test);
	struct damon_access_report r;
	struct damon_report_entry e;
	int i;

	for (i = 0; i < 3; i++) {
		r = dkt_report(100 + i);
		KUNIT_EXPECT_TRUE(test, damon_report_ring_push(ring, &r, 10 + i));
	}
	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_TRUE(test, damon_report_ring_pop(ring, &e));
		KUNIT_EXPECT_EQ(test, e.r.vaddr, 100UL + i);
		KUNIT_EXPECT_EQ(test, e.time_ns, (u64)(10 + i));
	}
	KUNIT_EXPECT_FALSE(test, damon_report_ring_pop(ring, &e));
	KUNIT_EXPECT_EQ(test, local_read(&ring->pushed), 3L);
	KUNIT_EXPECT_EQ(test, ring->busy, 0U);
}

static void damon_report_test_wrap_around(struct kunit *test)
{
	struct damon_report_ring *ring = dkt_new_ring(test);
	struct damon_access_report r;
	struct damon_report_entry e;
	unsigned long next_in = 0, next_out = 0;
	int round, i;

	/* Start close to the index wrap too. */
	ring->head = UINT_MAX - DKT_RING_SIZE / 2;
	ring->tail = ring->head;
	for (round = 0; round < 7; round++) {
		for (i = 0; i < DKT_RING_SIZE / 2 + 3; i++) {
			r = dkt_report(next_in++);
			KUNIT_ASSERT_TRUE(test,
					  damon_report_ring_push(ring, &r, 0));
		}
		while (damon_report_ring_pop(ring, &e))
			KUNIT_ASSERT_EQ(test, e.r.vaddr, next_out++);
	}
	KUNIT_EXPECT_EQ(test, next_in, next_out);
	KUNIT_EXPECT_EQ(test, local_read(&ring->dropped_full), 0L);
	KUNIT_EXPECT_LT(test, ring->head, (unsigned int)DKT_RING_SIZE * 4);
}

static void damon_report_test_full_drops(struct kunit *test)
{
	struct damon_report_ring *ring = dkt_new_ring(test);
	struct damon_access_report r;
	struct damon_report_entry e;
	int i, nr = 0;

	for (i = 0; i < DKT_RING_SIZE + 7; i++) {
		r = dkt_report(i);
		damon_report_ring_push(ring, &r, 0);
	}
	KUNIT_EXPECT_EQ(test, local_read(&ring->pushed), (long)DKT_RING_SIZE);
	KUNIT_EXPECT_EQ(test, local_read(&ring->dropped_full), 7L);
	/* The newest reports were dropped, the oldest kept. */
	KUNIT_ASSERT_TRUE(test, damon_report_ring_pop(ring, &e));
	KUNIT_EXPECT_EQ(test, e.r.vaddr, 0UL);
	/* One slot is free again. */
	r = dkt_report(12345);
	KUNIT_EXPECT_TRUE(test, damon_report_ring_push(ring, &r, 0));
	KUNIT_EXPECT_FALSE(test, damon_report_ring_push(ring, &r, 0));
	KUNIT_EXPECT_EQ(test, local_read(&ring->dropped_full), 8L);
	while (damon_report_ring_pop(ring, &e))
		nr++;
	KUNIT_EXPECT_EQ(test, nr, DKT_RING_SIZE);
	KUNIT_EXPECT_EQ(test, e.r.vaddr, 12345UL);
}

static void damon_report_test_nested_drops(struct kunit *test)
{
	struct damon_report_ring *ring = dkt_new_ring(test);
	struct damon_access_report r = dkt_report(1);
	struct damon_report_entry e;
	int i;

	/* A push interrupted by 5 others: those are dropped, it completes. */
	WRITE_ONCE(ring->busy, 1);
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_FALSE(test, damon_report_ring_push(ring, &r, 0));
	KUNIT_EXPECT_EQ(test, ring->head, 0U);
	KUNIT_EXPECT_FALSE(test, damon_report_ring_pop(ring, &e));
	WRITE_ONCE(ring->busy, 0);
	KUNIT_EXPECT_TRUE(test, damon_report_ring_push(ring, &r, 0));
	KUNIT_EXPECT_EQ(test, local_read(&ring->dropped_nested), 5L);
	KUNIT_EXPECT_EQ(test, local_read(&ring->pushed), 1L);
	KUNIT_EXPECT_EQ(test, local_read(&ring->dropped_full), 0L);
}

/* Regions [10, 20), [20, 30), [40, 50) with a gap at [30, 40). */
static struct damon_region dkt_regions[3];
static struct damon_report_snap_region dkt_snap[3];

static void dkt_setup_snap(void)
{
	static const unsigned long bounds[][2] = {
		{10, 20}, {20, 30}, {40, 50},
	};
	int i;

	for (i = 0; i < 3; i++) {
		dkt_regions[i].ar.start = bounds[i][0];
		dkt_regions[i].ar.end = bounds[i][1];
		dkt_regions[i].reported = false;
		dkt_snap[i].start = bounds[i][0];
		dkt_snap[i].end = bounds[i][1];
		dkt_snap[i].r = &dkt_regions[i];
	}
}

static void damon_report_test_bsearch_empty(struct kunit *test)
{
	dkt_setup_snap();
	KUNIT_EXPECT_EQ(test, damon_report_bsearch(dkt_snap, 0, 15), 0UL);
	KUNIT_EXPECT_EQ(test, damon_report_mark(dkt_snap, 0, 15, 1), 0UL);
	KUNIT_EXPECT_FALSE(test, dkt_regions[0].reported);
}

static void damon_report_test_bsearch_start(struct kunit *test)
{
	dkt_setup_snap();
	KUNIT_EXPECT_EQ(test, damon_report_bsearch(dkt_snap, 3, 10), 0UL);
	KUNIT_EXPECT_EQ(test, damon_report_bsearch(dkt_snap, 3, 20), 1UL);
	KUNIT_EXPECT_EQ(test, damon_report_bsearch(dkt_snap, 3, 40), 2UL);
	KUNIT_EXPECT_EQ(test, damon_report_mark(dkt_snap, 3, 20, 1), 1UL);
	KUNIT_EXPECT_FALSE(test, dkt_regions[0].reported);
	KUNIT_EXPECT_TRUE(test, dkt_regions[1].reported);
}

static void damon_report_test_bsearch_end_minus_one(struct kunit *test)
{
	dkt_setup_snap();
	KUNIT_EXPECT_EQ(test, damon_report_bsearch(dkt_snap, 3, 19), 0UL);
	KUNIT_EXPECT_EQ(test, damon_report_bsearch(dkt_snap, 3, 29), 1UL);
	KUNIT_EXPECT_EQ(test, damon_report_bsearch(dkt_snap, 3, 49), 2UL);
	KUNIT_EXPECT_EQ(test, damon_report_mark(dkt_snap, 3, 49, 1), 1UL);
	KUNIT_EXPECT_TRUE(test, dkt_regions[2].reported);
	KUNIT_EXPECT_FALSE(test, dkt_regions[1].reported);
}

static void damon_report_test_outside(struct kunit *test)
{
	dkt_setup_snap();
	/* Before the first region, in the gap, at and after the end. */
	KUNIT_EXPECT_EQ(test, damon_report_mark(dkt_snap, 3, 0, 10), 0UL);
	KUNIT_EXPECT_EQ(test, damon_report_mark(dkt_snap, 3, 9, 1), 0UL);
	KUNIT_EXPECT_EQ(test, damon_report_mark(dkt_snap, 3, 30, 10), 0UL);
	KUNIT_EXPECT_EQ(test, damon_report_mark(dkt_snap, 3, 50, 1), 0UL);
	KUNIT_EXPECT_EQ(test, damon_report_mark(dkt_snap, 3, ULONG_MAX, 1), 0UL);
	KUNIT_EXPECT_EQ(test, damon_report_bsearch(dkt_snap, 3, 50), 3UL);
	KUNIT_EXPECT_FALSE(test, dkt_regions[0].reported);
	KUNIT_EXPECT_FALSE(test, dkt_regions[1].reported);
	KUNIT_EXPECT_FALSE(test, dkt_regions[2].reported);
}

static void damon_report_test_spanning(struct kunit *test)
{
	dkt_setup_snap();
	/* [19, 21) covers the boundary of the first two regions. */
	KUNIT_EXPECT_EQ(test, damon_report_mark(dkt_snap, 3, 19, 2), 2UL);
	KUNIT_EXPECT_TRUE(test, dkt_regions[0].reported);
	KUNIT_EXPECT_TRUE(test, dkt_regions[1].reported);
	KUNIT_EXPECT_FALSE(test, dkt_regions[2].reported);
	dkt_setup_snap();
	/* From the gap over the last region, and from before all of them. */
	KUNIT_EXPECT_EQ(test, damon_report_mark(dkt_snap, 3, 35, 100), 1UL);
	KUNIT_EXPECT_TRUE(test, dkt_regions[2].reported);
	dkt_setup_snap();
	KUNIT_EXPECT_EQ(test, damon_report_mark(dkt_snap, 3, 0, 1000), 3UL);
}

static void damon_report_test_size_edges(struct kunit *test)
{
	dkt_setup_snap();
	/* A zero size counts as one byte; a huge one doesn't wrap. */
	KUNIT_EXPECT_EQ(test, damon_report_mark(dkt_snap, 3, 29, 0), 1UL);
	KUNIT_EXPECT_TRUE(test, dkt_regions[1].reported);
	dkt_setup_snap();
	KUNIT_EXPECT_EQ(test, damon_report_mark(dkt_snap, 3, 25, ULONG_MAX), 2UL);
	KUNIT_EXPECT_FALSE(test, dkt_regions[0].reported);
}

static void damon_report_test_bsearch_many(struct kunit *test)
{
	struct damon_report_snap_region *snap;
	unsigned long i, nr = 1000;

	snap = kunit_kcalloc(test, nr, sizeof(*snap), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, snap);
	for (i = 0; i < nr; i++) {
		snap[i].start = i * 100;
		snap[i].end = i * 100 + 50;
	}
	for (i = 0; i < nr; i++) {
		KUNIT_EXPECT_EQ(test, damon_report_bsearch(snap, nr, i * 100), i);
		KUNIT_EXPECT_EQ(test,
				damon_report_bsearch(snap, nr, i * 100 + 49),
				i);
		/* In the gap after region i: the next region. */
		KUNIT_EXPECT_EQ(test,
				damon_report_bsearch(snap, nr, i * 100 + 50),
				i + 1);
	}
}

static struct damon_sample_filter *
dkt_filter(struct kunit *test, struct damon_sample_control *ctrl,
	   enum damon_sample_filter_type type, bool matching, bool allow)
{
	struct damon_sample_filter *f;

	f = damon_new_sample_filter(type, matching, allow);
	KUNIT_ASSERT_NOT_NULL(test, f);
	damon_add_sample_filter(ctrl, f);
	return f;
}

static void dkt_destroy_filters(struct damon_sample_control *ctrl)
{
	struct damon_sample_filter *f, *next;

	list_for_each_entry_safe(f, next, &ctrl->filters, list)
		damon_destroy_sample_filter(f);
}

static void dkt_release_ctrl(void *ctrl)
{
	dkt_destroy_filters(ctrl);
}

/* A sample control whose filters are destroyed when the case ends. */
static struct damon_sample_control *dkt_sample_ctrl(struct kunit *test)
{
	struct damon_sample_control *ctrl;

	ctrl = kunit_kzalloc(test, sizeof(*ctrl), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctrl);
	INIT_LIST_HEAD(&ctrl->filters);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, dkt_release_ctrl,
							ctrl), 0);
	return ctrl;
}

static void damon_report_test_filter_none(struct kunit *test)
{
	struct damon_sample_control *ctrl = dkt_sample_ctrl(test);
	struct damon_access_report r = dkt_report(1);

	KUNIT_EXPECT_TRUE(test, damon_sample_filters_allow(ctrl, &r));
	r.is_write = true;
	KUNIT_EXPECT_TRUE(test, damon_sample_filters_allow(ctrl, &r));
}

static void damon_report_test_filter_write(struct kunit *test)
{
	struct damon_sample_control *ctrl = dkt_sample_ctrl(test);
	struct damon_access_report r = dkt_report(1);

	dkt_filter(test, ctrl, DAMON_SAMPLE_FILTER_TYPE_WRITE, true, true);
	/* Allowing writes rejects the rest: reads. */
	KUNIT_EXPECT_FALSE(test, damon_sample_filters_allow(ctrl, &r));
	r.is_write = true;
	KUNIT_EXPECT_TRUE(test, damon_sample_filters_allow(ctrl, &r));
	dkt_destroy_filters(ctrl);

	/* Rejecting writes lets reads through. */
	dkt_filter(test, ctrl, DAMON_SAMPLE_FILTER_TYPE_WRITE, true, false);
	KUNIT_EXPECT_FALSE(test, damon_sample_filters_allow(ctrl, &r));
	r.is_write = false;
	KUNIT_EXPECT_TRUE(test, damon_sample_filters_allow(ctrl, &r));
	dkt_destroy_filters(ctrl);
}

static void damon_report_test_filter_not_matching(struct kunit *test)
{
	struct damon_sample_control *ctrl = dkt_sample_ctrl(test);
	struct damon_access_report r = dkt_report(1);

	/* Reject what is not a write. */
	dkt_filter(test, ctrl, DAMON_SAMPLE_FILTER_TYPE_WRITE, false, false);
	KUNIT_EXPECT_FALSE(test, damon_sample_filters_allow(ctrl, &r));
	r.is_write = true;
	KUNIT_EXPECT_TRUE(test, damon_sample_filters_allow(ctrl, &r));
	dkt_destroy_filters(ctrl);
}

static void damon_report_test_filter_cpumask(struct kunit *test)
{
	struct damon_sample_control *ctrl = dkt_sample_ctrl(test);
	struct damon_access_report r = dkt_report(1);
	struct damon_sample_filter *f;

	f = dkt_filter(test, ctrl, DAMON_SAMPLE_FILTER_TYPE_CPUMASK, true, true);
	KUNIT_EXPECT_FALSE(test, damon_sample_filters_allow(ctrl, &r));
	cpumask_set_cpu(0, f->cpumask);
	KUNIT_EXPECT_TRUE(test, damon_sample_filters_allow(ctrl, &r));
	/* CPU numbers out of range never match. */
	r.cpu = -1;
	KUNIT_EXPECT_FALSE(test, damon_sample_filters_allow(ctrl, &r));
	r.cpu = nr_cpu_ids;
	KUNIT_EXPECT_FALSE(test, damon_sample_filters_allow(ctrl, &r));
	dkt_destroy_filters(ctrl);
}

static void damon_report_test_filter_threads(struct kunit *test)
{
	struct damon_sample_control *ctrl = dkt_sample_ctrl(test);
	static const pid_t tids[] = { 5, 7, 11 };
	pid_t many[DAMON_SAMPLE_FILTER_MAX_TIDS + 1] = {};
	struct damon_access_report r = dkt_report(1);
	struct damon_sample_filter *f;
	int err;

	f = dkt_filter(test, ctrl, DAMON_SAMPLE_FILTER_TYPE_THREADS, true, true);
	KUNIT_EXPECT_EQ(test, damon_sample_filter_set_tids(f, tids, 3), 0);
	r.tid = 7;
	KUNIT_EXPECT_TRUE(test, damon_sample_filters_allow(ctrl, &r));
	r.tid = 6;
	KUNIT_EXPECT_FALSE(test, damon_sample_filters_allow(ctrl, &r));
	/* Too many threads: refused, the old list stays. */
	err = damon_sample_filter_set_tids(f, many, ARRAY_SIZE(many));
	KUNIT_EXPECT_EQ(test, err, -EINVAL);
	KUNIT_EXPECT_EQ(test, f->nr_tids, 3U);
	r.tid = 11;
	KUNIT_EXPECT_TRUE(test, damon_sample_filters_allow(ctrl, &r));
	dkt_destroy_filters(ctrl);
}

static void damon_report_test_filter_order(struct kunit *test)
{
	struct damon_sample_control *ctrl = dkt_sample_ctrl(test);
	static const pid_t tid = 42;
	struct damon_access_report r = dkt_report(1);
	struct damon_sample_filter *f;

	/* Reject thread 42, then allow writes: the first that applies wins. */
	f = dkt_filter(test, ctrl, DAMON_SAMPLE_FILTER_TYPE_THREADS, true, false);
	KUNIT_ASSERT_EQ(test, damon_sample_filter_set_tids(f, &tid, 1), 0);
	dkt_filter(test, ctrl, DAMON_SAMPLE_FILTER_TYPE_WRITE, true, true);
	r.tid = 42;
	r.is_write = true;
	KUNIT_EXPECT_FALSE(test, damon_sample_filters_allow(ctrl, &r));
	r.tid = 43;
	KUNIT_EXPECT_TRUE(test, damon_sample_filters_allow(ctrl, &r));
	/* No filter applies: the opposite of the last one's allow. */
	r.is_write = false;
	KUNIT_EXPECT_FALSE(test, damon_sample_filters_allow(ctrl, &r));
	dkt_destroy_filters(ctrl);

	/* The same two filters the other way round. */
	dkt_filter(test, ctrl, DAMON_SAMPLE_FILTER_TYPE_WRITE, true, true);
	f = dkt_filter(test, ctrl, DAMON_SAMPLE_FILTER_TYPE_THREADS, true, false);
	KUNIT_ASSERT_EQ(test, damon_sample_filter_set_tids(f, &tid, 1), 0);
	r.tid = 42;
	r.is_write = true;
	KUNIT_EXPECT_TRUE(test, damon_sample_filters_allow(ctrl, &r));
	r.is_write = false;
	KUNIT_EXPECT_FALSE(test, damon_sample_filters_allow(ctrl, &r));
	r.tid = 43;
	KUNIT_EXPECT_TRUE(test, damon_sample_filters_allow(ctrl, &r));
	dkt_destroy_filters(ctrl);
}

static void damon_report_test_primitives_validate(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	/* The default is the page table primitive alone. */
	KUNIT_EXPECT_TRUE(test, ctx->sample.primitives.page_table);
	KUNIT_EXPECT_FALSE(test, ctx->sample.primitives.page_fault);
	KUNIT_EXPECT_EQ(test, damon_sample_validate(ctx), 0);
	ctx->sample.primitives.page_table = false;
	KUNIT_EXPECT_EQ(test, damon_sample_validate(ctx), -EINVAL);
	/* Without an operations set that arms pages, no fault primitive. */
	ctx->sample.primitives.page_fault = true;
	KUNIT_EXPECT_EQ(test, damon_sample_validate(ctx), -EINVAL);
	ctx->sample.primitives.page_table = true;
	KUNIT_EXPECT_EQ(test, damon_sample_validate(ctx), -EINVAL);
}

static void dkt_fault_sample(struct damon_ctx *ctx, bool arm)
{
}

/* The fault primitive runs wherever the operations set can arm pages. */
static void damon_report_test_fault_primitive_ops(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->ops.fault_sample = dkt_fault_sample;
	ctx->sample.primitives.page_fault = true;
	KUNIT_EXPECT_EQ(test, damon_sample_validate(ctx), 0);
	ctx->sample.primitives.page_table = false;
	KUNIT_EXPECT_EQ(test, damon_sample_validate(ctx), 0);
	ctx->sample.primitives.page_fault = false;
	KUNIT_EXPECT_EQ(test, damon_sample_validate(ctx), -EINVAL);
	ctx->ops.fault_sample = NULL;
	ctx->sample.primitives.page_fault = true;
	KUNIT_EXPECT_EQ(test, damon_sample_validate(ctx), -EINVAL);
}

static void damon_report_test_commit(struct kunit *test)
{
	struct damon_ctx *dst = dkt_new_ctx(test), *src = dkt_new_ctx(test);
	struct damon_sample_filter *f;
	static const pid_t tids[] = { 3, 4 };

	KUNIT_ASSERT_NOT_NULL(test, dst);
	KUNIT_ASSERT_NOT_NULL(test, src);
	dkt_filter(test, &dst->sample, DAMON_SAMPLE_FILTER_TYPE_WRITE, true, true);
	f = dkt_filter(test, &src->sample, DAMON_SAMPLE_FILTER_TYPE_THREADS,
		       false, true);
	KUNIT_ASSERT_EQ(test, damon_sample_filter_set_tids(f, tids, 2), 0);
	f = dkt_filter(test, &src->sample, DAMON_SAMPLE_FILTER_TYPE_CPUMASK,
		       true, false);
	cpumask_set_cpu(0, f->cpumask);
	src->sample.primitives.page_fault = true;
	KUNIT_ASSERT_EQ(test, damon_sample_commit(dst, src), 0);
	KUNIT_EXPECT_TRUE(test, dst->sample.primitives.page_fault);
	KUNIT_EXPECT_EQ(test, list_count_nodes(&dst->sample.filters), 2UL);
	f = list_first_entry(&dst->sample.filters, struct damon_sample_filter,
			     list);
	KUNIT_EXPECT_EQ(test, f->type, DAMON_SAMPLE_FILTER_TYPE_THREADS);
	KUNIT_EXPECT_FALSE(test, f->matching);
	KUNIT_EXPECT_EQ(test, f->nr_tids, 2U);
	KUNIT_EXPECT_EQ(test, f->tids[1], 4);
	f = list_last_entry(&dst->sample.filters, struct damon_sample_filter,
			    list);
	KUNIT_EXPECT_TRUE(test, cpumask_test_cpu(0, f->cpumask));
	KUNIT_EXPECT_FALSE(test, f->allow);
}

/* A context with one target of regions [10, 20), [20, 30), [40, 50). */
static struct damon_ctx *dkt_report_ctx(struct kunit *test)
{
	static const unsigned long bounds[][2] = {
		{10, 20}, {20, 30}, {40, 50},
	};
	struct damon_ctx *ctx = dkt_new_ctx(test);
	struct damon_target *t;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	t = damon_new_target();
	KUNIT_ASSERT_NOT_NULL(test, t);
	damon_add_target(ctx, t);
	for (i = 0; i < 3; i++) {
		struct damon_region *r = damon_new_region(bounds[i][0],
							  bounds[i][1]);

		KUNIT_ASSERT_NOT_NULL(test, r);
		damon_add_region(r, t);
	}
	return ctx;
}

static struct damon_region *dkt_region(struct damon_ctx *ctx, int idx)
{
	struct damon_target *t = list_first_entry(&ctx->adaptive_targets,
						  struct damon_target, list);
	struct damon_region *r;

	damon_for_each_region(r, t)
		if (!idx--)
			return r;
	return NULL;
}

static void damon_report_test_primitives_combine(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_report_ctx(test);
	struct damon_region *r0 = dkt_region(ctx, 0), *r1 = dkt_region(ctx, 1);

	/* Page tables off: a region is accessed iff a report fell in it. */
	r0->reported = true;
	KUNIT_EXPECT_EQ(test, damon_report_check_accesses(ctx), 1U);
	KUNIT_EXPECT_EQ(test, r0->nr_accesses, 1U);
	KUNIT_EXPECT_EQ(test, r1->nr_accesses, 0U);
	KUNIT_EXPECT_FALSE(test, r0->reported);
	/* Both on: either source makes an access, counted once per sample. */
	r0->reported = true;
	damon_update_region_access_rate(r0, true, &ctx->attrs);
	r1->reported = true;
	damon_update_region_access_rate(r1, false, &ctx->attrs);
	KUNIT_EXPECT_EQ(test, r0->nr_accesses, 2U);
	KUNIT_EXPECT_EQ(test, r1->nr_accesses, 1U);
	damon_update_region_access_rate(r1, false, &ctx->attrs);
	KUNIT_EXPECT_EQ(test, r1->nr_accesses, 1U);
}

static struct damon_target *
dkt_report_target(struct damon_ctx *ctx, const struct damon_access_report *r,
		  unsigned long *addr)
{
	*addr = r->vaddr;
	if (r->tid != 1)
		return NULL;
	return list_first_entry(&ctx->adaptive_targets, struct damon_target,
				list);
}

static void damon_report_test_tick(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_report_ctx(test);
	struct damon_access_report r = dkt_report(25);
	struct damon_report_stat stat;

	ctx->ops.report_target = dkt_report_target;
	ctx->sample.primitives.page_fault = true;
	damon_report_tick_start(ctx);
	KUNIT_ASSERT_NOT_NULL(test, ctx->report);
	KUNIT_ASSERT_NOT_NULL(test, ctx->report->consumer);
	KUNIT_EXPECT_TRUE(test, static_key_enabled(&damon_report_enabled));
	damon_report_access(&r);	/* [20, 30) */
	damon_report_access(&r);	/* again: still one access */
	r = dkt_report(19);
	r.size = 2;			/* [10, 20) and [20, 30) */
	damon_report_access(&r);
	r = dkt_report(35);		/* the gap */
	damon_report_access(&r);
	r = dkt_report(45);
	r.tid = 2;			/* no target */
	damon_report_access(&r);
	damon_report_tick_end(ctx);
	KUNIT_EXPECT_TRUE(test, dkt_region(ctx, 0)->reported);
	KUNIT_EXPECT_TRUE(test, dkt_region(ctx, 1)->reported);
	KUNIT_EXPECT_FALSE(test, dkt_region(ctx, 2)->reported);
	damon_report_read_stat(ctx, &stat);
	KUNIT_EXPECT_EQ(test, stat.pushed, 5UL);
	KUNIT_EXPECT_EQ(test, stat.matched, 3UL);
	KUNIT_EXPECT_EQ(test, stat.unmatched, 2UL);
	KUNIT_EXPECT_EQ(test, stat.stale, 0UL);
	/* Accounted once per sample. */
	ctx->sample.primitives.page_table = false;
	damon_report_check_accesses(ctx);
	KUNIT_EXPECT_EQ(test, dkt_region(ctx, 1)->nr_accesses, 1U);
	/* Counters survive the exit of the kdamond; reports stop. */
	damon_report_kdamond_exit(ctx);
	KUNIT_EXPECT_FALSE(test, static_key_enabled(&damon_report_enabled));
	damon_report_read_stat(ctx, &stat);
	KUNIT_EXPECT_EQ(test, stat.matched, 3UL);
}

static void damon_report_test_stale(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_report_ctx(test);
	struct damon_access_report r = dkt_report(15);
	u64 interval = (u64)ctx->attrs.sample_interval * NSEC_PER_USEC;
	struct damon_report_stat stat;
	struct damon_report_ring *ring;
	int cpu = raw_smp_processor_id();
	u64 before, after;

	ctx->ops.report_target = dkt_report_target;
	ctx->sample.primitives.page_fault = true;
	before = ktime_get_mono_fast_ns();
	damon_report_tick_start(ctx);
	after = ktime_get_mono_fast_ns();
	KUNIT_ASSERT_NOT_NULL(test, ctx->report->consumer);
	/* The bound is one sampling interval before the interval's start. */
	KUNIT_EXPECT_GE(test, ctx->report->stale_before_ns + interval, before);
	KUNIT_EXPECT_LE(test, ctx->report->stale_before_ns + interval, after);
	ring = ctx->report->consumer->rings[cpu];
	/*
	 * Made over a sampling interval before the interval started, then
	 * just within one (between the previous drain and this interval's
	 * start: it counts), then at the start.
	 */
	damon_report_ring_push(ring, &r, ctx->report->stale_before_ns - 1);
	r = dkt_report(25);
	damon_report_ring_push(ring, &r, ctx->report->stale_before_ns);
	r = dkt_report(45);
	damon_report_ring_push(ring, &r,
			       ctx->report->stale_before_ns + interval);
	damon_report_tick_end(ctx);
	KUNIT_EXPECT_FALSE(test, dkt_region(ctx, 0)->reported);
	KUNIT_EXPECT_TRUE(test, dkt_region(ctx, 1)->reported);
	KUNIT_EXPECT_TRUE(test, dkt_region(ctx, 2)->reported);
	damon_report_read_stat(ctx, &stat);
	KUNIT_EXPECT_EQ(test, stat.stale, 1UL);
	KUNIT_EXPECT_EQ(test, stat.matched, 2UL);
}

static void damon_report_test_filtered_tick(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_report_ctx(test);
	struct damon_access_report r = dkt_report(15);
	struct damon_report_stat stat;

	ctx->ops.report_target = dkt_report_target;
	ctx->sample.primitives.page_fault = true;
	dkt_filter(test, &ctx->sample, DAMON_SAMPLE_FILTER_TYPE_WRITE, true,
		   true);
	damon_report_tick_start(ctx);
	damon_report_access(&r);
	r = dkt_report(45);
	r.is_write = true;
	damon_report_access(&r);
	damon_report_tick_end(ctx);
	KUNIT_EXPECT_FALSE(test, dkt_region(ctx, 0)->reported);
	KUNIT_EXPECT_TRUE(test, dkt_region(ctx, 2)->reported);
	damon_report_read_stat(ctx, &stat);
	KUNIT_EXPECT_EQ(test, stat.filtered, 1UL);
	KUNIT_EXPECT_EQ(test, stat.matched, 1UL);
	/* The next interval starts from a clean snapshot. */
	damon_report_tick_start(ctx);
	KUNIT_EXPECT_FALSE(test, dkt_region(ctx, 2)->reported);
}

static void damon_report_test_disabled(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_report_ctx(test);
	struct damon_access_report r = dkt_report(15);

	/* Page tables only: no consumer, reports go nowhere. */
	damon_report_tick_start(ctx);
	KUNIT_EXPECT_NULL(test, ctx->report);
	KUNIT_EXPECT_FALSE(test, static_key_enabled(&damon_report_enabled));
	damon_report_access(&r);
	damon_report_tick_end(ctx);
	KUNIT_EXPECT_FALSE(test, dkt_region(ctx, 0)->reported);
}

static void damon_report_test_drain_rate(struct kunit *test)
{
	struct damon_report_ring *ring = dkt_new_ring(test);
	struct damon_access_report r = dkt_report(1);
	struct damon_report_entry e;
	unsigned long n = 0;
	u64 start, ns;
	int round, i;

	start = ktime_get_ns();
	for (round = 0; round < 200; round++) {
		for (i = 0; i < DKT_RING_SIZE; i++)
			damon_report_ring_push(ring, &r, 0);
		while (damon_report_ring_pop(ring, &e))
			n++;
	}
	ns = max_t(u64, ktime_get_ns() - start, 1);
	KUNIT_EXPECT_EQ(test, n, 200UL * DKT_RING_SIZE);
	KUNIT_EXPECT_EQ(test, local_read(&ring->dropped_full), 0L);
	kunit_info(test, "push+drain: %llu reports/s\n",
		   div64_u64((u64)n * NSEC_PER_SEC, ns));
}

/* Regions of the drain benchmark: contiguous, DKT_BENCH_REGION bytes each. */
#define DKT_BENCH_NR_REGIONS	1000
#define DKT_BENCH_REGION	(16UL * 4096)
#define DKT_BENCH_BASE	0x40000000UL

/* A context with one target of DKT_BENCH_NR_REGIONS regions; reports feed it. */
static struct damon_ctx *dkt_bench_ctx(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);
	struct damon_target *t;
	struct damon_region *r;
	unsigned long i;

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	t = damon_new_target();
	KUNIT_ASSERT_NOT_NULL(test, t);
	damon_add_target(ctx, t);
	for (i = 0; i < DKT_BENCH_NR_REGIONS; i++) {
		r = damon_new_region(DKT_BENCH_BASE + i * DKT_BENCH_REGION,
				     DKT_BENCH_BASE +
				     (i + 1) * DKT_BENCH_REGION);
		KUNIT_ASSERT_NOT_NULL(test, r);
		damon_add_region(r, t);
	}
	ctx->ops.report_target = dkt_report_target;
	ctx->sample.primitives.page_fault = true;
	return ctx;
}

/* The region the @i-th report of an interval falls in: all of them, shuffled. */
static unsigned long dkt_bench_region_of(unsigned long i)
{
	return (i * 7919) % DKT_BENCH_NR_REGIONS;
}

/* Reports @nr accesses, the @i-th in region dkt_bench_region_of(@i). */
static void dkt_bench_push(unsigned long nr)
{
	struct damon_access_report r;
	unsigned long i, idx;

	for (i = 0; i < nr; i++) {
		idx = dkt_bench_region_of(i);
		r = dkt_report(DKT_BENCH_BASE + idx * DKT_BENCH_REGION + i % DKT_BENCH_REGION);
		damon_report_access(&r);
	}
}

static unsigned long dkt_bench_nr_reported(struct damon_ctx *ctx)
{
	struct damon_target *t;
	struct damon_region *r;
	unsigned long nr = 0;

	damon_for_each_target(t, ctx)
		damon_for_each_region(r, t)
			nr += r->reported;
	return nr;
}

/*
 * The drain of a sampling interval, through the real path (the producer's
 * damon_report_access(), the kdamond's damon_report_tick_end() matching
 * against a snapshot of 1000 regions): every report is matched exactly
 * once, none is dropped while an interval brings at most a ring's worth
 * per CPU, and the surplus is dropped and counted exactly beyond that.
 * The drain throughput is logged; it is never checked (no timing test).
 */
static void damon_report_test_drain_matching(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_bench_ctx(test);
	unsigned long i, nr_ticks = 200, odd = 0;
	struct damon_report_stat stat;
	struct damon_region *r;
	struct damon_target *t;
	u64 start, ns = 0;

	/* Every other region only: exactly those are reported. */
	damon_report_tick_start(ctx);
	KUNIT_ASSERT_NOT_NULL(test, ctx->report->consumer);
	for (i = 0; i < DKT_BENCH_NR_REGIONS; i += 2) {
		struct damon_access_report rep =
			dkt_report(DKT_BENCH_BASE + i * DKT_BENCH_REGION +
				   DKT_BENCH_REGION - 1);

		damon_report_access(&rep);
	}
	damon_report_tick_end(ctx);
	t = list_first_entry(&ctx->adaptive_targets, struct damon_target, list);
	i = 0;
	damon_for_each_region(r, t) {
		KUNIT_EXPECT_EQ(test, r->reported, !(i % 2));
		odd += (i++ % 2) && r->reported;
	}
	KUNIT_EXPECT_EQ(test, odd, 0UL);
	damon_report_read_stat(ctx, &stat);
	KUNIT_ASSERT_EQ(test, stat.pushed, DKT_BENCH_NR_REGIONS / 2UL);
	KUNIT_ASSERT_EQ(test, stat.matched, DKT_BENCH_NR_REGIONS / 2UL);

	/* A full ring per interval: nothing dropped, everything matched. */
	for (i = 0; i < nr_ticks; i++) {
		damon_report_tick_start(ctx);
		dkt_bench_push(DKT_RING_SIZE);
		start = ktime_get_ns();
		damon_report_tick_end(ctx);
		ns += ktime_get_ns() - start;
		KUNIT_ASSERT_EQ(test, dkt_bench_nr_reported(ctx),
				(unsigned long)DKT_BENCH_NR_REGIONS);
	}
	damon_report_read_stat(ctx, &stat);
	KUNIT_EXPECT_EQ(test, stat.dropped_full, 0UL);
	KUNIT_EXPECT_EQ(test, stat.dropped_nested, 0UL);
	KUNIT_EXPECT_EQ(test, stat.stale, 0UL);
	KUNIT_EXPECT_EQ(test, stat.unmatched, 0UL);
	KUNIT_EXPECT_EQ(test, stat.pushed, DKT_BENCH_NR_REGIONS / 2 + nr_ticks * DKT_RING_SIZE);
	KUNIT_EXPECT_EQ(test, stat.matched, stat.pushed);
	kunit_info(test, "drain: %llu reports/s (%lu reports, %d regions, %llu ns)\n",
		   div64_u64((u64)nr_ticks * DKT_RING_SIZE * NSEC_PER_SEC,
			     max_t(u64, ns, 1)),
		   nr_ticks * DKT_RING_SIZE, DKT_BENCH_NR_REGIONS, ns);

	/* More than a ring's worth: the surplus is dropped, and counted. */
	damon_report_tick_start(ctx);
	dkt_bench_push(DKT_RING_SIZE + 123);
	damon_report_tick_end(ctx);
	damon_report_read_stat(ctx, &stat);
	KUNIT_EXPECT_EQ(test, stat.dropped_full, 123UL);
	KUNIT_EXPECT_EQ(test, stat.pushed,
			DKT_BENCH_NR_REGIONS / 2 +
			(nr_ticks + 1) * DKT_RING_SIZE);
	KUNIT_EXPECT_EQ(test, stat.matched, stat.pushed);
	KUNIT_EXPECT_EQ(test, dkt_bench_nr_reported(ctx), (unsigned long)DKT_BENCH_NR_REGIONS);
}

static struct kunit_case damon_report_test_cases[] = {
	KUNIT_CASE(damon_report_test_push_pop),
	KUNIT_CASE(damon_report_test_wrap_around),
	KUNIT_CASE(damon_report_test_full_drops),
	KUNIT_CASE(damon_report_test_nested_drops),
	KUNIT_CASE(damon_report_test_bsearch_empty),
	KUNIT_CASE(damon_report_test_bsearch_start),
	KUNIT_CASE(damon_report_test_bsearch_end_minus_one),
	KUNIT_CASE(damon_report_test_outside),
	KUNIT_CASE(damon_report_test_spanning),
	KUNIT_CASE(damon_report_test_size_edges),
	KUNIT_CASE(damon_report_test_bsearch_many),
	KUNIT_CASE(damon_report_test_filter_none),
	KUNIT_CASE(damon_report_test_filter_write),
	KUNIT_CASE(damon_report_test_filter_not_matching),
	KUNIT_CASE(damon_report_test_filter_cpumask),
	KUNIT_CASE(damon_report_test_filter_threads),
	KUNIT_CASE(damon_report_test_filter_order),
	KUNIT_CASE(damon_report_test_primitives_validate),
	KUNIT_CASE(damon_report_test_commit),
	KUNIT_CASE(damon_report_test_primitives_combine),
	KUNIT_CASE(damon_report_test_tick),
	KUNIT_CASE(damon_report_test_fault_primitive_ops),
	KUNIT_CASE(damon_report_test_stale),
	KUNIT_CASE(damon_report_test_filtered_tick),
	KUNIT_CASE(damon_report_test_disabled),
	KUNIT_CASE(damon_report_test_drain_rate),
	KUNIT_CASE(damon_report_test_drain_matching),
	{},
};

static struct kunit_suite damon_report_test_suite = {
	.name = "damon-report",
	.test_cases = damon_report_test_cases,
};

kunit_test_suite(damon_report_test_suite);

#endif /* _DAMON_REPORT_KUNIT_H */
