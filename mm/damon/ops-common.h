/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the DAMON operations sets (vaddr.c, paddr.c).  Not for
 * use outside mm/damon/.
 */

#ifndef _MM_DAMON_OPS_COMMON_H
#define _MM_DAMON_OPS_COMMON_H

#include <linux/damon.h>
#include <linux/mm_types.h>
#include <linux/pgtable.h>

/* Distinct address spaces a TLB flush batch keeps track of. */
#define DAMON_TLB_BATCH_MMS	8
/* Ranges of an address space flushed one by one per pass, at most */
#define DAMON_TLB_RANGE_FLUSHES	8

/**
 * struct damon_tlb_batch - TLB flushes of one sampling pass.
 * @mms:	Address spaces that other CPUs may cache and that had ranges
 *		flushed in this pass, each with an mm_count reference.
 * @nr_flushes:	Ranges flushed in this pass for each of @mms, or
 *		DAMON_TLB_FULL_FLUSH if the whole address space is to be
 *		flushed at the end of the pass.
 * @nr:		Number of valid entries of @mms and @nr_flushes.
 * @flush_all:	More address spaces than @mms holds had ranges to flush;
 *		all TLBs are flushed at the end of the pass.
 *
 * Clearing an Accessed bit does not evict the translation cached by the
 * TLB, and as long as the translation stays cached the CPU does not set the
 * bit again, so the next access would be missed.  The access checks
 * therefore flush the translations of the pages whose set bit they cleared.
 *
 * A flush of an address space that other CPUs may cache costs the workload
 * an interrupt on each of them, and DAMON a wait for those.  A flush of the
 * whole address space instead costs the workload the refill of all its
 * translations, far more than the interrupt.  The batch thus flushes the
 * first DAMON_TLB_RANGE_FLUSHES ranges of an address space in a pass one by
 * one, and if more come, flushes the address space once, entirely, at the
 * end of the pass.  Should more than DAMON_TLB_BATCH_MMS address spaces
 * need flushes in a pass (a physical address pass can meet a shared page in
 * many), the others are not flushed one by one: every TLB is flushed once
 * at the end of the pass instead.  A pass so interrupts a CPU at most
 * DAMON_TLB_BATCH_MMS * (DAMON_TLB_RANGE_FLUSHES + 1) times, however many
 * regions and address spaces there are.
 */
struct damon_tlb_batch {
	struct mm_struct *mms[DAMON_TLB_BATCH_MMS];
	unsigned int nr_flushes[DAMON_TLB_BATCH_MMS];
	int nr;
	bool flush_all;
};

void damon_tlb_flush_range(struct damon_tlb_batch *batch,
			   struct vm_area_struct *vma, unsigned long start,
			   unsigned long end);
void damon_tlb_batch_flush(struct damon_tlb_batch *batch);

struct folio *damon_get_folio(unsigned long pfn);
void damon_folio_keep_access(struct folio *folio);

bool damon_ptep_mkold(pte_t *pte, struct vm_area_struct *vma,
		      unsigned long addr);
bool damon_pmdp_mkold(pmd_t *pmd, struct vm_area_struct *vma,
		      unsigned long addr);

bool damon_folio_young(struct folio *folio);
void damon_folio_mkold(struct folio *folio, struct damon_tlb_batch *batch);

bool damos_folio_filter_out(struct damos *s, struct folio *folio,
			    struct vm_area_struct *vma, unsigned long addr, pte_t *pte,
		pmd_t *pmd);

int damon_hot_score(struct damon_ctx *ctx, struct damon_region *r,
		    struct damos *s);
int damon_cold_score(struct damon_ctx *ctx, struct damon_region *r,
		     struct damos *s);

bool damos_folio_isolate(struct folio *folio, struct list_head *list);
bool damos_folio_to_migrate(struct damos *s, struct folio *folio);
unsigned long damon_migrate_folio_list(struct list_head *folios,
				       struct damos *s);

#endif /* _MM_DAMON_OPS_COMMON_H */
