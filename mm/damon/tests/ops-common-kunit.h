/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests of the scheme score math and the TLB flush batching of the
 * DAMON operations sets.
 */

#ifndef _DAMON_OPS_COMMON_KUNIT_H
#define _DAMON_OPS_COMMON_KUNIT_H

#include <kunit/test.h>

#include "kunit-common.h"

struct dkt_ops_env {
	struct damon_ctx *ctx;
	struct damon_region *r;
	struct damos *s;
};

static int dkt_ops_init(struct kunit *test)
{
	struct dkt_ops_env *env;

	env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	if (!env)
		return -ENOMEM;
	env->ctx = kunit_kzalloc(test, sizeof(*env->ctx), GFP_KERNEL);
	env->r = kunit_kzalloc(test, sizeof(*env->r), GFP_KERNEL);
	env->s = kunit_kzalloc(test, sizeof(*env->s), GFP_KERNEL);
	if (!env->ctx || !env->r || !env->s)
		return -ENOMEM;
	/* 5 ms sampling, 100 ms aggregation: 20 samples per window. */
	env->ctx->attrs.sample_interval = 5000;
	env->ctx->attrs.aggr_interval = 100000;
	env->ctx->addr_unit = 1;
	env->r->ar.start = 0;
	env->r->ar.end = PAGE_SIZE;
	test->priv = env;
	return 0;
}

static void dkt_ops_set(struct dkt_ops_env *env, unsigned int nr_accesses,
			unsigned int age, unsigned int w_freq,
			unsigned int w_age, unsigned int w_sz)
{
	env->r->nr_accesses = nr_accesses;
	env->r->nr_accesses_bp = nr_accesses * 10000;
	env->r->age = age;
	env->s->quota.weight_nr_accesses = w_freq;
	env->s->quota.weight_age = w_age;
	env->s->quota.weight_sz = w_sz;
}

/* Frequency only: the score follows nr_accesses, cold is its inverse. */
static void damon_ops_test_score_freq(struct kunit *test)
{
	struct dkt_ops_env *env = test->priv;

	dkt_ops_set(env, 20, 0, 1000, 0, 0);
	KUNIT_EXPECT_EQ(test, damon_hot_score(env->ctx, env->r, env->s),
			DAMOS_MAX_SCORE);
	KUNIT_EXPECT_EQ(test, damon_cold_score(env->ctx, env->r, env->s), 0);

	dkt_ops_set(env, 0, 0, 1000, 0, 0);
	KUNIT_EXPECT_EQ(test, damon_hot_score(env->ctx, env->r, env->s), 0);
	KUNIT_EXPECT_EQ(test, damon_cold_score(env->ctx, env->r, env->s),
			DAMOS_MAX_SCORE);

	dkt_ops_set(env, 10, 0, 1000, 0, 0);
	KUNIT_EXPECT_EQ(test, damon_hot_score(env->ctx, env->r, env->s),
			DAMOS_MAX_SCORE / 2);

	/* More than the maximum (intervals just changed) saturates. */
	dkt_ops_set(env, 40, 0, 1000, 0, 0);
	KUNIT_EXPECT_EQ(test, damon_hot_score(env->ctx, env->r, env->s),
			DAMOS_MAX_SCORE);
}

/* Age only: long idle is coldest, long accessed is hottest. */
static void damon_ops_test_score_age(struct kunit *test)
{
	struct dkt_ops_env *env = test->priv;
	int idle_young, idle_old, hot_young, hot_old;

	/* age 10 = 1 s, 10000 = 1000 s */
	dkt_ops_set(env, 0, 10, 0, 1000, 0);
	idle_young = damon_hot_score(env->ctx, env->r, env->s);
	dkt_ops_set(env, 0, 10000, 0, 1000, 0);
	idle_old = damon_hot_score(env->ctx, env->r, env->s);
	dkt_ops_set(env, 5, 10, 0, 1000, 0);
	hot_young = damon_hot_score(env->ctx, env->r, env->s);
	dkt_ops_set(env, 5, 10000, 0, 1000, 0);
	hot_old = damon_hot_score(env->ctx, env->r, env->s);

	KUNIT_EXPECT_LT(test, idle_old, idle_young);
	KUNIT_EXPECT_LE(test, idle_young, hot_young);
	KUNIT_EXPECT_LT(test, hot_young, hot_old);
	KUNIT_EXPECT_GE(test, idle_old, 0);
	KUNIT_EXPECT_LE(test, hot_old, DAMOS_MAX_SCORE);

	/* Very old regions saturate instead of overflowing. */
	dkt_ops_set(env, 0, UINT_MAX, 0, 1000, 0);
	KUNIT_EXPECT_EQ(test, damon_cold_score(env->ctx, env->r, env->s),
			DAMOS_MAX_SCORE);
}

/* Size only: bigger regions first for both kinds of scores. */
static void damon_ops_test_score_sz(struct kunit *test)
{
	struct dkt_ops_env *env = test->priv;
	int small, big;

	dkt_ops_set(env, 0, 0, 0, 0, 1000);
	small = damon_cold_score(env->ctx, env->r, env->s);
	KUNIT_EXPECT_EQ(test, small, 0);
	env->r->ar.end = 1UL << 30;
	big = damon_cold_score(env->ctx, env->r, env->s);
	KUNIT_EXPECT_GT(test, big, small);
	KUNIT_EXPECT_EQ(test, damon_hot_score(env->ctx, env->r, env->s), big);
	env->r->ar.end = PAGE_SIZE;
}

/* Without size weight, hot and cold scores are complementary. */
static void damon_ops_test_score_complement(struct kunit *test)
{
	struct dkt_ops_env *env = test->priv;
	unsigned int nr, age;
	int hot, cold;

	for (nr = 0; nr <= 20; nr += 3) {
		for (age = 0; age < 100000; age = age * 4 + 1) {
			dkt_ops_set(env, nr, age, 700, 300, 0);
			hot = damon_hot_score(env->ctx, env->r, env->s);
			cold = damon_cold_score(env->ctx, env->r, env->s);
			KUNIT_EXPECT_GE(test, hot, 0);
			KUNIT_EXPECT_LE(test, hot, DAMOS_MAX_SCORE);
			KUNIT_EXPECT_GE(test, hot + cold, DAMOS_MAX_SCORE - 1);
			KUNIT_EXPECT_LE(test, hot + cold, DAMOS_MAX_SCORE);
		}
	}
}

/* No weight at all: no preference. */
static void damon_ops_test_score_no_weights(struct kunit *test)
{
	struct dkt_ops_env *env = test->priv;

	dkt_ops_set(env, 20, 100, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, damon_hot_score(env->ctx, env->r, env->s), 0);
	KUNIT_EXPECT_EQ(test, damon_cold_score(env->ctx, env->r, env->s), 0);
}

#ifndef CONFIG_ARCH_WANT_BATCHED_UNMAP_TLB_FLUSH
/*
 * Without architecture batching, the flushes of a sampling pass stay
 * bounded: each address space once, whatever number of its pages need it,
 * and never a flush of every TLB.
 */
static void damon_ops_test_tlb_batch(struct kunit *test)
{
	struct damon_tlb_batch batch = {};
	struct mm_struct *mms[DAMON_TLB_BATCH_MMS];
	int i;

	for (i = 0; i < DAMON_TLB_BATCH_MMS; i++) {
		mms[i] = kunit_kzalloc(test, sizeof(*mms[i]), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, mms[i]);
		/* held by the test: the batch's references never free it */
		atomic_set(&mms[i]->mm_count, 1);
	}

	for (i = 0; i < 100; i++)
		damon_tlb_batch_add(&batch, mms[0]);
	KUNIT_EXPECT_EQ(test, batch.nr, 1);
	KUNIT_EXPECT_PTR_EQ(test, batch.mms[0], mms[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(&mms[0]->mm_count), 2);
	/* an address space in the batch needs no flush of its own */
	KUNIT_EXPECT_TRUE(test, damon_tlb_batch_has(&batch, mms[0]));
	KUNIT_EXPECT_FALSE(test, damon_tlb_batch_has(&batch, mms[1]));

	for (i = 1; i < DAMON_TLB_BATCH_MMS; i++) {
		damon_tlb_batch_add(&batch, mms[i]);
		damon_tlb_batch_add(&batch, mms[i]);
	}
	KUNIT_EXPECT_EQ(test, batch.nr, DAMON_TLB_BATCH_MMS);
	for (i = 0; i < DAMON_TLB_BATCH_MMS; i++)
		KUNIT_EXPECT_EQ(test, atomic_read(&mms[i]->mm_count), 2);
	/*
	 * A further address space would flush these (each once) first:
	 * not done here, as flushing needs real address spaces.
	 */
	damon_tlb_batch_add(&batch, mms[1]);
	KUNIT_EXPECT_EQ(test, batch.nr, DAMON_TLB_BATCH_MMS);

	for (i = 0; i < batch.nr; i++)
		mmdrop(batch.mms[i]);
}
#endif

/*
 * A folio is migrated only to a node it is not on already, and only to an
 * online node.
 */
static void damon_ops_test_folio_to_migrate(struct kunit *test)
{
	unsigned int ids[] = { 0, 1 }, weights[] = { 1, 0 };
	struct damos *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	struct folio *folio = dkt_folio_alloc(test, GFP_KERNEL);
	int nid;

	KUNIT_ASSERT_NOT_NULL(test, s);
	nid = folio_nid(folio);

	s->target_nid = nid;
	KUNIT_EXPECT_FALSE(test, damos_folio_to_migrate(s, folio));
	s->target_nid = NUMA_NO_NODE;
	KUNIT_EXPECT_FALSE(test, damos_folio_to_migrate(s, folio));
	s->target_nid = MAX_NUMNODES;
	KUNIT_EXPECT_FALSE(test, damos_folio_to_migrate(s, folio));
	/* a node that is online and not the folio's, if there is one */
	s->target_nid = next_online_node(nid);
	if (s->target_nid == MAX_NUMNODES)
		s->target_nid = first_online_node;
	KUNIT_EXPECT_EQ(test, damos_folio_to_migrate(s, folio),
			s->target_nid != nid);

	/* the destinations override target_nid; all weight on the folio's */
	ids[0] = nid;
	ids[1] = nid + 1;
	KUNIT_ASSERT_EQ(test, damos_set_migrate_dests(&s->migrate_dests, ids,
						      weights, 2), 0);
	KUNIT_EXPECT_FALSE(test, damos_folio_to_migrate(s, folio));
	KUNIT_ASSERT_EQ(test, damos_set_migrate_dests(&s->migrate_dests, NULL,
						      NULL, 0), 0);
}

/*
 * Migration to an unusable node puts the folios back with the NR_ISOLATED_*
 * accounting balanced: putback_movable_pages() subtracts what it puts back,
 * so the folios must have been added first.
 */
static void damon_ops_test_migrate_unusable_isolated(struct kunit *test)
{
	enum node_stat_item item;
	struct folio *folio;
	long before, after;
	LIST_HEAD(folios);

	if (!IS_ENABLED(CONFIG_MIGRATION) || IS_ENABLED(CONFIG_SMP))
		kunit_skip(test, "needs MIGRATION, exact counters (!SMP)");
	folio = folio_alloc(GFP_HIGHUSER_MOVABLE, 0);
	KUNIT_ASSERT_NOT_NULL(test, folio);
	folio_add_lru(folio);
	lru_add_drain();
	if (!damos_folio_isolate(folio, &folios)) {
		folio_put(folio);
		KUNIT_FAIL(test, "could not isolate a fresh LRU folio");
		return;
	}
	item = NR_ISOLATED_ANON + folio_is_file_lru(folio);
	before = atomic_long_read(&vm_node_stat[item]);
	KUNIT_EXPECT_EQ(test, damon_migrate_to_node(&folios, NUMA_NO_NODE),
			0UL);
	after = atomic_long_read(&vm_node_stat[item]);
	KUNIT_EXPECT_TRUE(test, list_empty(&folios));
	KUNIT_EXPECT_EQ(test, after, before);
	folio_put(folio);
	lru_add_drain();
}

static struct kunit_case damon_ops_common_test_cases[] = {
	KUNIT_CASE(damon_ops_test_score_freq),
	KUNIT_CASE(damon_ops_test_score_age),
	KUNIT_CASE(damon_ops_test_score_sz),
	KUNIT_CASE(damon_ops_test_score_complement),
	KUNIT_CASE(damon_ops_test_score_no_weights),
#ifndef CONFIG_ARCH_WANT_BATCHED_UNMAP_TLB_FLUSH
	KUNIT_CASE(damon_ops_test_tlb_batch),
#endif
	KUNIT_CASE(damon_ops_test_folio_to_migrate),
	KUNIT_CASE(damon_ops_test_migrate_unusable_isolated),
	{},
};

static struct kunit_suite damon_ops_common_test_suite = {
	.name = "damon-ops-common",
	.init = dkt_ops_init,
	.test_cases = damon_ops_common_test_cases,
};

kunit_test_suite(damon_ops_common_test_suite);

#endif /* _DAMON_OPS_COMMON_KUNIT_H */
