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

/* Distinct address spaces a deferred TLB flush batch remembers. */
#define DAMON_TLB_BATCH_MMS	8
/* Targeted TLB flushes per sampling pass before falling back to full ones. */
#define DAMON_TLB_MAX_RANGE_FLUSHES	32

/**
 * struct damon_tlb_batch - TLB flushes of one sampling pass.
 * @nr_range_flushes:	Targeted flushes done in this pass so far.
 * @mms:		Address spaces to flush entirely at the end of the pass,
 *			each with an mm_count reference (mmgrab()).
 * @nr:			Number of valid entries of @mms.
 *
 * Clearing an Accessed bit does not evict the translation cached by the
 * TLB, and as long as the translation stays cached the CPU does not set the
 * bit again, so the next access would be missed.  The access checks
 * therefore flush the translation of every page whose bit they cleared.
 * Flushing only that page keeps the rest of the workload's TLB warm, but
 * each such flush may cost an IPI per CPU running the address space, so
 * after %DAMON_TLB_MAX_RANGE_FLUSHES of them in a pass the remaining
 * address spaces are remembered and flushed once, entirely, at its end.
 */
struct damon_tlb_batch {
	unsigned int nr_range_flushes;
	struct mm_struct *mms[DAMON_TLB_BATCH_MMS];
	int nr;
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
unsigned long damon_migrate_folio_list(struct list_head *folios,
				       struct damos *s);

#endif /* _MM_DAMON_OPS_COMMON_H */
