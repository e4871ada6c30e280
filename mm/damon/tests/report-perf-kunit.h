/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests of the perf_events sampling primitive: what a sample is worth
 * as an access report, and the configuration of the events.
 */

#ifndef _DAMON_REPORT_PERF_KUNIT_H
#define _DAMON_REPORT_PERF_KUNIT_H

#include <kunit/test.h>

#include "kunit-common.h"

/* First non-user address of the tests. */
#define DKT_USER_END	0x800000000000UL

static struct damon_perf_sample dkt_sample(u64 flags, u64 addr, u64 phys)
{
	return (struct damon_perf_sample){
		.sample_flags = flags, .addr = addr, .phys_addr = phys,
		.cpu = 1, .tid = 42,
	};
}

static void damon_perf_test_vaddr_flagged(struct kunit *test)
{
	struct damon_perf_sample s = dkt_sample(PERF_SAMPLE_ADDR, 0x1000, 0);
	struct damon_access_report r;

	KUNIT_ASSERT_TRUE(test, damon_perf_sample_report(&s, false, true,
							 DKT_USER_END, &r));
	KUNIT_EXPECT_EQ(test, r.vaddr, 0x1000UL);
	KUNIT_EXPECT_EQ(test, r.paddr, 0UL);
	KUNIT_EXPECT_EQ(test, r.size, 1UL);
	KUNIT_EXPECT_EQ(test, r.cpu, 1);
	KUNIT_EXPECT_EQ(test, r.tid, 42);
	KUNIT_EXPECT_FALSE(test, r.is_write);
}

static void damon_perf_test_vaddr_unflagged(struct kunit *test)
{
	/* The address field holds a value, but the PMU didn't flag it. */
	struct damon_perf_sample s = dkt_sample(PERF_SAMPLE_PERIOD, 0x1000, 0);
	struct damon_access_report r;

	KUNIT_EXPECT_FALSE(test, damon_perf_sample_report(&s, false, true,
							  DKT_USER_END, &r));
	/* Flagged but zero: no address either. */
	s = dkt_sample(PERF_SAMPLE_ADDR, 0, 0);
	KUNIT_EXPECT_FALSE(test, damon_perf_sample_report(&s, false, true,
							  DKT_USER_END, &r));
}

static void damon_perf_test_kernel_addr(struct kunit *test)
{
	struct damon_perf_sample s = dkt_sample(PERF_SAMPLE_ADDR,
						DKT_USER_END, 0);
	struct damon_access_report r;

	KUNIT_EXPECT_FALSE(test, damon_perf_sample_report(&s, false, true,
							  DKT_USER_END, &r));
	s.addr = ULONG_MAX;
	KUNIT_EXPECT_FALSE(test, damon_perf_sample_report(&s, false, true,
							  DKT_USER_END, &r));
	s.addr = DKT_USER_END - 1;
	KUNIT_EXPECT_TRUE(test, damon_perf_sample_report(&s, false, true,
							 DKT_USER_END, &r));
}

static void damon_perf_test_phys(struct kunit *test)
{
	struct damon_perf_sample s;
	struct damon_access_report r;

	/* The physical address space needs a flagged physical address. */
	s = dkt_sample(PERF_SAMPLE_ADDR | PERF_SAMPLE_PHYS_ADDR, 0x1000,
		       0x2345000);
	KUNIT_ASSERT_TRUE(test, damon_perf_sample_report(&s, true, false,
							 DKT_USER_END, &r));
	KUNIT_EXPECT_EQ(test, r.paddr, 0x2345000UL);
	KUNIT_EXPECT_EQ(test, r.vaddr, 0x1000UL);
	/* Kernel virtual addresses don't matter there. */
	s.addr = ULONG_MAX - 4095;
	KUNIT_EXPECT_TRUE(test, damon_perf_sample_report(&s, true, false,
							 DKT_USER_END, &r));
	s = dkt_sample(PERF_SAMPLE_ADDR, 0x1000, 0x2345000);
	KUNIT_EXPECT_FALSE(test, damon_perf_sample_report(&s, true, false,
							  DKT_USER_END, &r));
	s = dkt_sample(PERF_SAMPLE_PHYS_ADDR, 0, 0);
	KUNIT_EXPECT_FALSE(test, damon_perf_sample_report(&s, true, false,
							  DKT_USER_END, &r));
	/* Not asked for: ignored even if flagged. */
	s = dkt_sample(PERF_SAMPLE_PHYS_ADDR, 0, 0x2345000);
	KUNIT_EXPECT_FALSE(test, damon_perf_sample_report(&s, false, false,
							  DKT_USER_END, &r));
	/* User targets get the physical address along, if there is one. */
	s = dkt_sample(PERF_SAMPLE_ADDR | PERF_SAMPLE_PHYS_ADDR, 0x1000,
		       0x2345000);
	KUNIT_ASSERT_TRUE(test, damon_perf_sample_report(&s, true, true,
							 DKT_USER_END, &r));
	KUNIT_EXPECT_EQ(test, r.paddr, 0x2345000UL);
	s = dkt_sample(PERF_SAMPLE_PHYS_ADDR, 0, 0x2345000);
	KUNIT_EXPECT_FALSE(test, damon_perf_sample_report(&s, true, true,
							  DKT_USER_END, &r));
}

static void damon_perf_test_write(struct kunit *test)
{
	struct damon_perf_sample s = dkt_sample(PERF_SAMPLE_ADDR, 0x1000, 0);
	struct damon_access_report r;

	s.mem_op = PERF_MEM_OP_STORE;
	KUNIT_ASSERT_TRUE(test, damon_perf_sample_report(&s, false, true,
							 DKT_USER_END, &r));
	/* No data source flag: unknown, so a read. */
	KUNIT_EXPECT_FALSE(test, r.is_write);
	s.sample_flags |= PERF_SAMPLE_DATA_SRC;
	KUNIT_ASSERT_TRUE(test, damon_perf_sample_report(&s, false, true,
							 DKT_USER_END, &r));
	KUNIT_EXPECT_TRUE(test, r.is_write);
	s.mem_op = PERF_MEM_OP_LOAD;
	KUNIT_ASSERT_TRUE(test, damon_perf_sample_report(&s, false, true,
							 DKT_USER_END, &r));
	KUNIT_EXPECT_FALSE(test, r.is_write);
}

static void damon_perf_test_set_events(struct kunit *test)
{
	struct damon_ctx *dst = dkt_new_ctx(test), *src = dkt_new_ctx(test);
	struct damon_perf_event ev[2] = {
		{ .type = 1, .config = 2, .sample_period = 1 },
		{ .type = 4, .config = 0x1cd, .freq = true, .sample_freq = 4000,
		  .precise_ip = 2 },
	};
	int err;

	/* Refused on the count alone, before @ev is read. */
	err = damon_sample_set_perf_events(&src->sample, ev,
					   DAMON_MAX_PERF_EVENTS + 1);
	KUNIT_EXPECT_EQ(test, err, -EINVAL);
	KUNIT_EXPECT_EQ(test, src->sample.nr_perf_events, 0U);
	KUNIT_ASSERT_EQ(test, damon_sample_set_perf_events(&src->sample, ev,
							   2), 0);
	/* A copy: changing the caller's array changes nothing. */
	ev[1].config = 0;
	KUNIT_EXPECT_EQ(test, src->sample.perf_events[1].config, 0x1cdULL);
	KUNIT_ASSERT_EQ(test, damon_sample_commit(dst, src), 0);
	KUNIT_ASSERT_EQ(test, dst->sample.nr_perf_events, 2U);
	KUNIT_EXPECT_EQ(test, dst->sample.perf_events[1].sample_freq, 4000ULL);
	KUNIT_EXPECT_NE(test, (unsigned long)dst->sample.perf_events,
			(unsigned long)src->sample.perf_events);
	/* Committing no event removes them. */
	KUNIT_ASSERT_EQ(test, damon_sample_set_perf_events(&src->sample, NULL,
							   0), 0);
	KUNIT_ASSERT_EQ(test, damon_sample_commit(dst, src), 0);
	KUNIT_EXPECT_EQ(test, dst->sample.nr_perf_events, 0U);
	KUNIT_EXPECT_NULL(test, dst->sample.perf_events);
}

static void damon_perf_test_validate(struct kunit *test)
{
	struct damon_ctx *ctx = dkt_new_ctx(test);
	struct damon_perf_event ev = { .type = 1, .config = 2,
				       .sample_period = 1 };

	/* Events without the primitive are just kept. */
	KUNIT_ASSERT_EQ(test, damon_sample_set_perf_events(&ctx->sample, &ev,
							   1), 0);
	KUNIT_EXPECT_EQ(test, damon_sample_validate(ctx), 0);
	ctx->sample.primitives.perf_events = true;
	if (!IS_ENABLED(CONFIG_DAMON_PERF_EVENTS)) {
		/* Built without it: the primitive can't run. */
		KUNIT_EXPECT_EQ(test, damon_sample_validate(ctx), -EINVAL);
		return;
	}
	KUNIT_ASSERT_EQ(test, damon_select_ops(ctx, DAMON_OPS_VADDR), 0);
	KUNIT_EXPECT_EQ(test, damon_sample_validate(ctx), 0);
	ctx->sample.perf_events[0].precise_ip = 4;
	KUNIT_EXPECT_EQ(test, damon_sample_validate(ctx), -EINVAL);
	ctx->sample.perf_events[0].precise_ip = 0;
	ctx->sample.perf_events[0].sample_period = 0;
	KUNIT_EXPECT_EQ(test, damon_sample_validate(ctx), -EINVAL);
	ctx->sample.perf_events[0].freq = true;
	KUNIT_EXPECT_EQ(test, damon_sample_validate(ctx), -EINVAL);
	ctx->sample.perf_events[0].sample_freq = 1000;
	KUNIT_EXPECT_EQ(test, damon_sample_validate(ctx), 0);
	/* paddr needs physical addresses. */
	KUNIT_ASSERT_EQ(test, damon_select_ops(ctx, DAMON_OPS_PADDR), 0);
	KUNIT_EXPECT_EQ(test, damon_sample_validate(ctx), -EINVAL);
	ctx->sample.perf_events[0].sample_phys_addr = true;
	KUNIT_EXPECT_EQ(test, damon_sample_validate(ctx), 0);
	/* No event at all. */
	KUNIT_ASSERT_EQ(test, damon_sample_set_perf_events(&ctx->sample, NULL,
							   0), 0);
	KUNIT_EXPECT_EQ(test, damon_sample_validate(ctx), -EINVAL);
}

static struct kunit_case damon_perf_test_cases[] = {
	KUNIT_CASE(damon_perf_test_vaddr_flagged),
	KUNIT_CASE(damon_perf_test_vaddr_unflagged),
	KUNIT_CASE(damon_perf_test_kernel_addr),
	KUNIT_CASE(damon_perf_test_phys),
	KUNIT_CASE(damon_perf_test_write),
	KUNIT_CASE(damon_perf_test_set_events),
	KUNIT_CASE(damon_perf_test_validate),
	{},
};

static struct kunit_suite damon_perf_test_suite = {
	.name = "damon-report-perf",
	.test_cases = damon_perf_test_cases,
};

kunit_test_suite(damon_perf_test_suite);

#endif /* _DAMON_REPORT_PERF_KUNIT_H */
