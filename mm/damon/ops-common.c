// SPDX-License-Identifier: GPL-2.0
/*
 * Code shared by the DAMON operations sets: safe folio lookup by frame
 * number, Accessed bit test and clear through page tables and the reverse
 * map, DAMOS filters of the operations layer, scheme scores and migration.
 */

#include <linux/mm.h>
#include <linux/damon.h>
#include <linux/log2.h>
#include <linux/memcontrol.h>
#include <linux/memory_hotplug.h>
#include <linux/migrate.h>
#include <linux/mmu_notifier.h>
#include <linux/page_idle.h>
#include <linux/pagemap.h>
#include <linux/rmap.h>
#include <linux/sched/mm.h>
#include <linux/swap.h>

#include <asm/tlbflush.h>

#include "../internal.h"
#include "ops-common.h"
#include "schemes.h"

#ifdef CONFIG_ARCH_WANT_BATCHED_UNMAP_TLB_FLUSH

/*
 * The architecture keeps track of the CPUs that may cache translations of
 * each address space, and flushes such a set of CPUs at once: the batch is
 * the union of those sets, flushed once at the end of the pass.
 */
static void damon_tlb_batch_add_range(struct damon_tlb_batch *batch,
				      struct mm_struct *mm, unsigned long start,
				      unsigned long end)
{
	/* Some architectures (arm64) evict the entry mapping @start now. */
	arch_tlbbatch_add_pending(&batch->arch, mm, start);
	batch->pending = true;
}

/**
 * damon_tlb_batch_flush() - End the TLB flushes of a sampling pass.
 * @batch:	The batch; ready for a new pass afterwards.
 *
 * Flushes the TLBs of the CPUs that may cache a translation whose Accessed
 * bit was cleared in the pass, each CPU once, and no other CPU.
 */
void damon_tlb_batch_flush(struct damon_tlb_batch *batch)
{
	if (!batch->pending)
		return;
	arch_tlbbatch_flush(&batch->arch);
	batch->pending = false;
}

#else /* CONFIG_ARCH_WANT_BATCHED_UNMAP_TLB_FLUSH */

/* Whether @batch flushes the translations of @mm at the end of the pass. */
static bool damon_tlb_batch_has(struct damon_tlb_batch *batch,
				struct mm_struct *mm)
{
	int i;

	for (i = 0; i < batch->nr; i++) {
		if (batch->mms[i] == mm)
			return true;
	}
	return false;
}

/* Flushes the address spaces of @batch, each once, and empties it. */
static void damon_tlb_batch_flush_mms(struct damon_tlb_batch *batch)
{
	int i;

	for (i = 0; i < batch->nr; i++) {
		flush_tlb_mm(batch->mms[i]);
		mmdrop(batch->mms[i]);
	}
	batch->nr = 0;
}

/*
 * Adds @mm to the address spaces @batch flushes at the end of the pass.  A
 * full batch is flushed first: the CPUs that run none of its address
 * spaces are never interrupted.
 */
static void damon_tlb_batch_add(struct damon_tlb_batch *batch,
				struct mm_struct *mm)
{
	if (damon_tlb_batch_has(batch, mm))
		return;
	if (batch->nr == DAMON_TLB_BATCH_MMS)
		damon_tlb_batch_flush_mms(batch);
	mmgrab(mm);
	batch->mms[batch->nr++] = mm;
}

static void damon_tlb_batch_add_range(struct damon_tlb_batch *batch,
				      struct mm_struct *mm, unsigned long start,
				      unsigned long end)
{
	damon_tlb_batch_add(batch, mm);
}

/**
 * damon_tlb_batch_flush() - End the TLB flushes of a sampling pass.
 * @batch:	The batch; ready for a new pass afterwards.
 *
 * Flushes the address spaces that had translations to evict in the pass,
 * each once and entirely.
 */
void damon_tlb_batch_flush(struct damon_tlb_batch *batch)
{
	damon_tlb_batch_flush_mms(batch);
}

#endif /* CONFIG_ARCH_WANT_BATCHED_UNMAP_TLB_FLUSH */

/**
 * damon_tlb_flush_range() - Evict a translation whose Accessed bit was cleared.
 * @batch:	TLB flushes of the ongoing pass, or NULL.
 * @vma:	The mapping the cleared entry belongs to.
 * @start:	Start of the virtual range the entry maps.
 * @end:	End of that range: one page table entry (of any level) maps
 *		[@start, @end).
 *
 * The range is added to @batch, to be flushed by damon_tlb_batch_flush(),
 * or flushed at once if there is no @batch.
 */
void damon_tlb_flush_range(struct damon_tlb_batch *batch,
			   struct vm_area_struct *vma, unsigned long start,
			   unsigned long end)
{
	if (batch) {
		damon_tlb_batch_add_range(batch, vma->vm_mm, start, end);
		return;
	}
#ifdef CONFIG_TRANSPARENT_HUGEPAGE
	/* One huge page: flush it as such, not as 512 small ones. */
	if (end - start == HPAGE_PMD_SIZE && !is_vm_hugetlb_page(vma)) {
		flush_pmd_tlb_range(vma, start, end);
		return;
	}
#endif
	flush_tlb_range(vma, start, end);
}

/**
 * damon_get_folio() - Get a reference to the LRU folio of a page frame.
 * @pfn:	The page frame number.
 *
 * Memory that is offline, not a page frame, or not on an LRU list (slab,
 * page tables, free pages, hugetlb, driver memory) cannot be checked or
 * acted on safely and gives NULL.
 *
 * Return: the folio with a reference held, or NULL.
 */
struct folio *damon_get_folio(unsigned long pfn)
{
	struct page *page = pfn_to_online_page(pfn);
	struct folio *folio;

	if (!page)
		return NULL;
	folio = page_folio(page);
	if (!folio_test_lru(folio) || !folio_try_get(folio))
		return NULL;
	/* The folio may have been freed, split or reused before the get. */
	if (unlikely(page_folio(page) != folio || !folio_test_lru(folio))) {
		folio_put(folio);
		return NULL;
	}
	return folio;
}

/**
 * damon_folio_keep_access() - Record a cleared Accessed bit in folio flags.
 * @folio:	The folio whose mapping had its Accessed bit cleared by DAMON.
 *
 * An Accessed bit DAMON clears is an access that reclaim and idle page
 * tracking would otherwise have seen.  Hand it over to the folio flags they
 * check.
 */
void damon_folio_keep_access(struct folio *folio)
{
	folio_set_young(folio);
	folio_clear_idle(folio);
}

/*
 * Clears the Accessed bit of the page table entry @pte (its page table lock
 * held) that maps @addr in @vma, and those of secondary MMUs.  Returns
 * whether any of them was set, and sets *@flush if the entry's own bit was
 * (whose cached translation must then be evicted).
 */
static bool damon_ptep_test_and_mkold(pte_t *pte, struct vm_area_struct *vma,
				      unsigned long addr, bool *flush)
{
	pte_t entry = ptep_get(pte);
	struct folio *folio;

	*flush = false;
	if (!pte_present(entry))
		return false;
	if (!ptep_clear_young_notify(vma, addr, pte))
		return false;
	*flush = pte_young(entry);
	folio = vm_normal_folio(vma, addr, entry);
	if (folio)
		damon_folio_keep_access(folio);
	return true;
}

/* Like damon_ptep_test_and_mkold(), for a huge PMD entry. */
static bool damon_pmdp_test_and_mkold(pmd_t *pmd, struct vm_area_struct *vma,
				      unsigned long addr, bool *flush)
{
#ifdef CONFIG_TRANSPARENT_HUGEPAGE
	pmd_t entry = pmdp_get(pmd);

	*flush = false;
	if (!pmd_present(entry) || !pmd_trans_huge(entry))
		return false;
	addr &= HPAGE_PMD_MASK;
	if (!pmdp_clear_young_notify(vma, addr, pmd))
		return false;
	*flush = pmd_young(entry);
	if (!is_huge_zero_pmd(entry))
		damon_folio_keep_access(pmd_folio(entry));
	return true;
#else
	*flush = false;
	return false;
#endif
}

/**
 * damon_ptep_mkold() - Clear the Accessed bit of a page table entry.
 * @pte:	The entry; its page table lock must be held.
 * @vma:	The mapping the entry belongs to.
 * @addr:	The virtual address the entry maps.
 *
 * Secondary MMUs are told through the mmu notifier.  The caller must flush
 * the TLB of the address space when this returns true.
 *
 * Return: whether a set Accessed bit was cleared.
 */
bool damon_ptep_mkold(pte_t *pte, struct vm_area_struct *vma,
		      unsigned long addr)
{
	bool flush;

	damon_ptep_test_and_mkold(pte, vma, addr, &flush);
	return flush;
}

/**
 * damon_pmdp_mkold() - Clear the Accessed bit of a huge PMD entry.
 * @pmd:	The entry; its page table lock must be held.
 * @vma:	The mapping the entry belongs to.
 * @addr:	A virtual address inside the huge page.
 *
 * Like damon_ptep_mkold(), for PMD-mapped transparent huge pages.
 *
 * Return: whether a set Accessed bit was cleared.
 */
bool damon_pmdp_mkold(pmd_t *pmd, struct vm_area_struct *vma,
		      unsigned long addr)
{
	bool flush;

	damon_pmdp_test_and_mkold(pmd, vma, addr, &flush);
	return flush;
}

/* State of a reverse map walk that tests or clears Accessed bits. */
struct damon_rmap_arg {
	bool young;
	struct damon_tlb_batch *batch;
};

static bool damon_folio_mkold_one(struct folio *folio,
				  struct vm_area_struct *vma,
				  unsigned long addr, void *arg)
{
	struct damon_rmap_arg *ra = arg;
	DEFINE_FOLIO_VMA_WALK(pvmw, folio, vma, addr, 0);
	unsigned long start;
	bool flush;

	while (page_vma_mapped_walk(&pvmw)) {
		start = pvmw.address;
		if (pvmw.pte) {
			ra->young |= damon_ptep_test_and_mkold(pvmw.pte, vma,
							       start, &flush);
			if (flush)
				damon_tlb_flush_range(ra->batch, vma, start,
						      start + PAGE_SIZE);
			continue;
		}
#ifdef CONFIG_TRANSPARENT_HUGEPAGE
		start &= HPAGE_PMD_MASK;
		ra->young |= damon_pmdp_test_and_mkold(pvmw.pmd, vma, start,
						       &flush);
		if (flush)
			damon_tlb_flush_range(ra->batch, vma, start,
					      start + HPAGE_PMD_SIZE);
#endif
	}
	return true;
}

static bool damon_folio_young_one(struct folio *folio,
				  struct vm_area_struct *vma,
				  unsigned long addr, void *arg)
{
	struct damon_rmap_arg *ra = arg;
	DEFINE_FOLIO_VMA_WALK(pvmw, folio, vma, addr, 0);
	unsigned long start;

	while (page_vma_mapped_walk(&pvmw)) {
		start = pvmw.address;
		if (pvmw.pte) {
			ra->young = pte_young(ptep_get(pvmw.pte)) ||
				mmu_notifier_test_young(vma->vm_mm, start);
		} else {
#ifdef CONFIG_TRANSPARENT_HUGEPAGE
			ra->young = pmd_young(pmdp_get(pvmw.pmd)) ||
				mmu_notifier_test_young(vma->vm_mm, start);
#endif
		}
		if (ra->young) {
			page_vma_mapped_walk_done(&pvmw);
			return false;
		}
	}
	return true;
}

/*
 * Walks the mappings of @folio with @rwc.  Folios whose walk would need the
 * folio lock are skipped when it is taken by someone else, and anon_vma
 * locks are only tried, so the walk never sleeps on a lock.  Returns false
 * if the walk was skipped.
 */
static bool damon_folio_rmap_walk(struct folio *folio,
				  struct rmap_walk_control *rwc)
{
	bool need_lock = !folio_test_anon(folio) || folio_test_ksm(folio);

	rwc->anon_lock = folio_lock_anon_vma_read;
	rwc->try_lock = true;
	if (need_lock && !folio_trylock(folio))
		return false;
	rmap_walk(folio, rwc);
	if (need_lock)
		folio_unlock(folio);
	return true;
}

/**
 * damon_folio_young() - Whether a folio was accessed since the last clear.
 * @folio:	The folio, with a reference held.
 *
 * Mapped folios are checked through the Accessed bits of every mapping (and
 * secondary MMUs); unmapped ones through their idle flag, which
 * damon_folio_mkold() sets and any access clears.
 *
 * Return: true if the folio looks accessed.
 */
bool damon_folio_young(struct folio *folio)
{
	struct damon_rmap_arg ra = {};
	struct rmap_walk_control rwc = {
		.arg = &ra,
		.rmap_one = damon_folio_young_one,
	};

	if (!folio_mapped(folio) || !folio_raw_mapping(folio))
		return !folio_test_idle(folio);
	if (!damon_folio_rmap_walk(folio, &rwc))
		return false;
	return ra.young;
}

/*
 * Clears the Accessed state of @folio (with a reference held): the Accessed
 * bits of its mappings, recording the translations to evict in @batch (NULL
 * to evict them at once), or the idle flag of an unmapped folio.  Returns
 * whether the folio was accessed since the last clear.
 */
static bool damon_folio_test_and_mkold(struct folio *folio,
				       struct damon_tlb_batch *batch)
{
	struct damon_rmap_arg ra = { .batch = batch };
	struct rmap_walk_control rwc = {
		.arg = &ra,
		.rmap_one = damon_folio_mkold_one,
	};
	bool young;

	if (!folio_mapped(folio) || !folio_raw_mapping(folio)) {
		young = !folio_test_idle(folio);
		folio_set_idle(folio);
		return young;
	}
	damon_folio_rmap_walk(folio, &rwc);
	return ra.young;
}

/**
 * damon_folio_mkold() - Clear the Accessed state of a folio.
 * @folio:	The folio, with a reference held.
 * @batch:	Where to record address spaces that need a TLB flush, or NULL
 *		to flush them at once.
 */
void damon_folio_mkold(struct folio *folio, struct damon_tlb_batch *batch)
{
	damon_folio_test_and_mkold(folio, batch);
}

/*
 * The young filter: whether @folio was accessed since the filter or the
 * access sampling last looked, through the page table entry @pte or @pmd
 * (locked) if given, or else through every mapping of the folio.  Either
 * way the Accessed state is cleared, so that the next check sees only
 * later accesses; evictions of cached translations go to @batch.
 */
static bool damos_folio_young(struct folio *folio, struct vm_area_struct *vma,
			      unsigned long addr, pte_t *pte, pmd_t *pmd,
			      struct damon_tlb_batch *batch)
{
	bool young, flush;

	if (pte) {
		addr &= PAGE_MASK;
		young = damon_ptep_test_and_mkold(pte, vma, addr, &flush);
		if (flush)
			damon_tlb_flush_range(batch, vma, addr,
					      addr + PAGE_SIZE);
		return young;
	}
#ifdef CONFIG_TRANSPARENT_HUGEPAGE
	if (pmd) {
		addr &= HPAGE_PMD_MASK;
		young = damon_pmdp_test_and_mkold(pmd, vma, addr, &flush);
		if (flush)
			damon_tlb_flush_range(batch, vma, addr,
					      addr + HPAGE_PMD_SIZE);
		return young;
	}
#endif
	return damon_folio_test_and_mkold(folio, batch);
}

static bool damos_folio_filter_match(struct damos_filter *f,
				     struct folio *folio,
				     struct vm_area_struct *vma,
				     unsigned long addr, pte_t *pte, pmd_t *pmd,
				     struct damon_tlb_batch *batch)
{
	struct mem_cgroup *memcg;
	bool matched = false;

	switch (f->type) {
	case DAMOS_FILTER_TYPE_ANON:
		matched = folio_test_anon(folio);
		break;
	case DAMOS_FILTER_TYPE_ACTIVE:
		matched = folio_test_active(folio);
		break;
	case DAMOS_FILTER_TYPE_MEMCG:
		rcu_read_lock();
		memcg = folio_memcg_check(folio);
		matched = memcg && mem_cgroup_id(memcg) == f->memcg_id;
		rcu_read_unlock();
		break;
	case DAMOS_FILTER_TYPE_YOUNG:
		matched = damos_folio_young(folio, vma, addr, pte, pmd,
					    batch);
		break;
	case DAMOS_FILTER_TYPE_HUGEPAGE_SIZE:
		matched = folio_size(folio) >= f->sz_range.min &&
			folio_size(folio) <= f->sz_range.max;
		break;
	case DAMOS_FILTER_TYPE_UNMAPPED:
		matched = !folio_mapped(folio) || !folio_raw_mapping(folio);
		break;
	default:
		/* Core filters are evaluated before the operations set. */
		break;
	}
	return matched == f->matching;
}

/**
 * damos_folio_filter_out() - Whether the ops filters of a scheme reject a folio.
 * @s:		The scheme.
 * @folio:	The folio, with a reference held.
 * @vma:	The mapping the folio was found through, or NULL.
 * @addr:	Virtual address of the folio in @vma.
 * @pte:	Page table entry mapping @addr (locked), or NULL.
 * @pmd:	Huge PMD entry mapping @addr (locked), or NULL.
 * @batch:	Where the young filter records the translations it needs
 *		evicted (see damon_tlb_batch_flush()), or NULL to evict them
 *		at once.
 *
 * The filters are evaluated in order; the first one that applies to the
 * folio decides whether it is allowed.  When none applies, the scheme's
 * default decides.  The young filter clears the Accessed state it tests, so
 * that "young" means accessed since the last check; it uses the page table
 * pointers, when given, instead of a reverse map walk.
 *
 * Return: true if the action must not be applied to the folio.
 */
bool damos_folio_filter_out(struct damos *s, struct folio *folio,
			    struct vm_area_struct *vma, unsigned long addr,
			    pte_t *pte, pmd_t *pmd,
			    struct damon_tlb_batch *batch)
{
	struct damos_filter *f;

	damos_for_each_ops_filter(f, s) {
		if (damos_folio_filter_match(f, folio, vma, addr, pte, pmd,
					     batch))
			return !f->allow;
	}
	return s->ops_filters_default_reject;
}

/*
 * Whether the filter chain of probe @p lets @folio through: the first filter
 * that applies decides; when none does, the opposite of the last filter's
 * allow does; no filter lets every folio through.
 */
static bool damon_probe_folio_match(struct damon_probe *p, struct folio *folio)
{
	struct damos_filter *f;
	bool last_allow = false;

	if (list_empty(&p->filters))
		return true;
	damon_probe_for_each_filter(f, p) {
		/* Probe filters (anon, memcg) need no mapping information. */
		if (damos_folio_filter_match(f, folio, NULL, 0, NULL, NULL,
					     NULL))
			return f->allow;
		last_allow = f->allow;
	}
	return !last_allow;
}

/**
 * damon_probes_folio_hits() - Count the probe hits of a region's sampled page.
 * @ctx:	The context of the region.
 * @r:		The region.
 * @folio:	The folio at the sampling address of @r, with a reference
 *		held.
 *
 * Matches @folio against the filter chain of every probe of @ctx and counts
 * a hit, at the probe's index in @r->probe_hits, for each probe that lets it
 * through.  The counters saturate.
 */
void damon_probes_folio_hits(struct damon_ctx *ctx, struct damon_region *r,
			     struct folio *folio)
{
	struct damon_probe *p;
	unsigned int i = 0;

	damon_for_each_probe(p, ctx) {
		if (i >= DAMON_MAX_PROBES)
			break;
		if (damon_probe_folio_match(p, folio) &&
		    r->probe_hits[i] < U16_MAX)
			r->probe_hits[i]++;
		i++;
	}
}

/* Subscores are in permil. */
#define DAMON_SUBSCORE_MAX	1000U
/* Ages of 2^20 seconds (about 12 days) and more score the same. */
#define DAMON_SCORE_MAX_AGE_LOG	20U
/* Region sizes from 2^40 bytes on score the same. */
#define DAMON_SCORE_MAX_SZ_LOG	40U

static unsigned int damon_freq_subscore(struct damon_ctx *ctx,
					struct damon_region *r)
{
	unsigned int max = damon_max_nr_accesses(&ctx->attrs);
	unsigned int nr = r->nr_accesses_bp / 10000;

	return min(DAMON_SUBSCORE_MAX, nr * DAMON_SUBSCORE_MAX / max);
}

/*
 * How long a region has kept its access frequency, on a logarithmic scale
 * of seconds.  A long-lasting frequency of zero makes the region colder and
 * a long-lasting positive one hotter, so zero frequencies map to the lower
 * half and positive ones to the upper half.
 */
static unsigned int damon_age_subscore(struct damon_ctx *ctx,
				       struct damon_region *r, bool accessed)
{
	u64 age_sec = div_u64((u64)r->age * ctx->attrs.aggr_interval,
			      USEC_PER_SEC);
	unsigned int age_log = age_sec ? ilog2(age_sec) + 1 : 0;
	unsigned int sub;

	age_log = min(age_log, DAMON_SCORE_MAX_AGE_LOG);
	sub = age_log * DAMON_SUBSCORE_MAX / DAMON_SCORE_MAX_AGE_LOG;
	if (accessed)
		return DAMON_SUBSCORE_MAX / 2 + sub / 2;
	return DAMON_SUBSCORE_MAX / 2 - sub / 2;
}

/* Bigger regions first: more memory per application, less overhead. */
static unsigned int damon_sz_subscore(struct damon_ctx *ctx,
				      struct damon_region *r)
{
	u64 bytes = (u64)damon_sz_region(r) * max(ctx->addr_unit, 1UL);
	unsigned int sz_log = bytes ? ilog2(bytes) : 0;

	if (sz_log <= PAGE_SHIFT)
		return 0;
	sz_log = min(sz_log, DAMON_SCORE_MAX_SZ_LOG);
	return (sz_log - PAGE_SHIFT) * DAMON_SUBSCORE_MAX /
		(DAMON_SCORE_MAX_SZ_LOG - PAGE_SHIFT);
}

static int damon_weighted_score(struct damos_quota *q, unsigned int freq,
				unsigned int age, unsigned int sz)
{
	u64 sum_w = (u64)q->weight_nr_accesses + q->weight_age + q->weight_sz;
	u64 sum;

	if (!sum_w)
		return 0;
	sum = (u64)q->weight_nr_accesses * freq + (u64)q->weight_age * age +
		(u64)q->weight_sz * sz;
	return div64_u64(sum * DAMOS_MAX_SCORE, sum_w * DAMON_SUBSCORE_MAX);
}

/**
 * damon_hot_score() - How hot a region is, for hot-first schemes.
 * @ctx:	The monitoring context.
 * @r:		The region.
 * @s:		The scheme; its quota weights the factors.
 *
 * Combines the access frequency (higher is hotter), how long the region
 * has kept being accessed or idle (long accessed is hotter, long idle is
 * colder) and its size (bigger first), weighted by the permil weights of
 * the scheme's quota.
 *
 * Return: a score between 0 and %DAMOS_MAX_SCORE.
 */
int damon_hot_score(struct damon_ctx *ctx, struct damon_region *r,
		    struct damos *s)
{
	unsigned int freq = damon_freq_subscore(ctx, r);

	return damon_weighted_score(&s->quota, freq,
				    damon_age_subscore(ctx, r, freq > 0),
				    damon_sz_subscore(ctx, r));
}

/**
 * damon_cold_score() - How cold a region is, for cold-first schemes.
 * @ctx:	The monitoring context.
 * @r:		The region.
 * @s:		The scheme; its quota weights the factors.
 *
 * The inverse of damon_hot_score() for the frequency and age factors; the
 * size factor still prefers bigger regions.
 *
 * Return: a score between 0 and %DAMOS_MAX_SCORE.
 */
int damon_cold_score(struct damon_ctx *ctx, struct damon_region *r,
		     struct damos *s)
{
	unsigned int freq = damon_freq_subscore(ctx, r);

	return damon_weighted_score(&s->quota, DAMON_SUBSCORE_MAX - freq,
				    DAMON_SUBSCORE_MAX -
				    damon_age_subscore(ctx, r, freq > 0),
				    damon_sz_subscore(ctx, r));
}

/**
 * damos_folio_isolate() - Take a folio off its LRU list onto a private list.
 * @folio:	The folio, with a reference held (still held afterwards).
 * @list:	Where to put the folio.
 *
 * Return: whether the folio was isolated.
 */
bool damos_folio_isolate(struct folio *folio, struct list_head *list)
{
	if (!folio_isolate_lru(folio))
		return false;
	list_add_tail(&folio->lru, list);
	return true;
}

/* Whether @nid names a node that migration can target. */
static bool damon_node_usable(int nid)
{
	return nid >= 0 && nid < MAX_NUMNODES && node_online(nid);
}

static unsigned long damon_migrate_to_node(struct list_head *folios, int nid)
{
	struct migration_target_control mtc = {
		.nid = nid,
		.gfp_mask = (GFP_HIGHUSER_MOVABLE & ~__GFP_RECLAIM) |
			__GFP_NOWARN | __GFP_NOMEMALLOC | GFP_NOWAIT |
			__GFP_THISNODE,
		.reason = MR_DAMON,
	};
	unsigned int nr_succeeded = 0;
	struct folio *folio;

	if (list_empty(folios))
		return 0;
	/* putback_movable_pages() takes them out of NR_ISOLATED_* again. */
	list_for_each_entry(folio, folios, lru)
		node_stat_mod_folio(folio,
				    NR_ISOLATED_ANON + folio_is_file_lru(folio),
				    folio_nr_pages(folio));
	if (!damon_node_usable(nid)) {
		putback_movable_pages(folios);
		return 0;
	}
	migrate_pages(folios, alloc_migration_target, NULL,
		      (unsigned long)&mtc, MIGRATE_ASYNC, MR_DAMON,
		      &nr_succeeded);
	putback_movable_pages(folios);
	return (unsigned long)nr_succeeded * PAGE_SIZE;
}

/*
 * The node migration scheme @s sends @folio to.  With destinations
 * (&struct damos->migrate_dests), it is picked by the folio's frame number
 * with damos_pick_dest(), so that the share of folios a node receives
 * follows its weight and a folio keeps its destination from one
 * application of the scheme to the next; otherwise it is
 * &struct damos->target_nid.
 */
static int damos_folio_migrate_dest(struct damos *s, struct folio *folio)
{
	if (!s->migrate_dests.nr_dests)
		return s->target_nid;
	return damos_pick_dest(&s->migrate_dests,
			       folio_pfn(folio) >> folio_order(folio));
}

/**
 * damos_folio_to_migrate() - Whether a migration scheme would move a folio.
 * @s:		A migrate_hot or migrate_cold scheme.
 * @folio:	The folio.
 *
 * A folio already on its destination node is left alone: migrating it
 * would only copy it, unmapping it for the time of the copy.
 *
 * Return: whether the folio has a destination other than its node.
 */
bool damos_folio_to_migrate(struct damos *s, struct folio *folio)
{
	int nid = damos_folio_migrate_dest(s, folio);

	return damon_node_usable(nid) && nid != folio_nid(folio);
}

/**
 * damon_migrate_folio_list() - Migrate isolated folios as a scheme says.
 * @folios:	Folios isolated with damos_folio_isolate(); empty afterwards.
 * @s:		A migrate_hot or migrate_cold scheme.
 *
 * Each folio goes to the node damos_folio_migrate_dest() gives.  Folios
 * that cannot be migrated go back to their LRU lists.
 *
 * Return: bytes migrated.
 */
unsigned long damon_migrate_folio_list(struct list_head *folios,
				       struct damos *s)
{
	struct folio *folio, *next;
	unsigned long applied = 0;
	LIST_HEAD(node_folios);
	int nid;

	while (!list_empty(folios)) {
		folio = list_first_entry(folios, struct folio, lru);
		nid = damos_folio_migrate_dest(s, folio);
		list_for_each_entry_safe(folio, next, folios, lru) {
			if (damos_folio_migrate_dest(s, folio) == nid)
				list_move_tail(&folio->lru, &node_folios);
		}
		applied += damon_migrate_to_node(&node_folios, nid);
	}
	return applied;
}

#ifdef CONFIG_DAMON_KUNIT_TEST
#include "tests/ops-common-kunit.h"
#include "tests/probes-ops-kunit.h"
#endif
