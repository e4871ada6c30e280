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

/**
 * struct damon_tlb_batch - TLB flushes of one sampling pass.
 * @mms:	Address spaces that other CPUs may cache and that had
 *		translations to evict in this pass, each with an mm_count
 *		reference.
 * @nr:		Number of valid entries of @mms.
 * @flush_all:	More address spaces than @mms holds had translations to
 *		evict; all TLBs are flushed at the end of the pass.
 *
 * Clearing an Accessed bit does not evict the translation cached by the
 * TLB, and as long as the translation stays cached the CPU does not set the
 * bit again, so the next access would be missed.  The access checks
 * therefore evict the translations of the pages whose set bit they cleared.
 *
 * Evicting a translation that other CPUs may cache costs each of them an
 * interrupt, which costs far more than refilling the translations a whole
 * address space flush evicts (measured on an AMD EPYC virtual machine: 1800
 * single page flushes per second slowed a workload on another CPU by 2.3%,
 * 200 whole address space flushes per second by 0.3-0.4%).  The batch thus
 * defers the evictions of a pass and flushes each address space that needed
 * some once, entirely, at the end of the pass; should more than
 * DAMON_TLB_BATCH_MMS address spaces need it (a physical address pass can
 * meet a shared page in many), every TLB is flushed once instead.  A pass
 * so interrupts a CPU at most DAMON_TLB_BATCH_MMS times, however many
 * regions and address spaces there are, and a CPU running one monitored
 * process once.
 */
struct damon_tlb_batch {
	struct mm_struct *mms[DAMON_TLB_BATCH_MMS];
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
		pmd_t *pmd, struct damon_tlb_batch *batch);

int damon_hot_score(struct damon_ctx *ctx, struct damon_region *r,
		    struct damos *s);
int damon_cold_score(struct damon_ctx *ctx, struct damon_region *r,
		     struct damos *s);

bool damos_folio_isolate(struct folio *folio, struct list_head *list);
bool damos_folio_to_migrate(struct damos *s, struct folio *folio);
unsigned long damon_migrate_folio_list(struct list_head *folios,
				       struct damos *s);

int damon_pa_set_system_ram_regions(struct damon_target *t,
				    unsigned long *start, unsigned long *end,
		unsigned long addr_unit, unsigned long min_sz_region,
		unsigned long max_nr_ranges);

#endif /* _MM_DAMON_OPS_COMMON_H */
