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

/*
 * Distinct address spaces a TLB flush batch keeps track of, where the
 * architecture cannot batch flushes itself.
 */
#define DAMON_TLB_BATCH_MMS	8

/**
 * struct damon_tlb_batch - TLB flushes of one sampling pass.
 * @arch:	CPUs (or translations) to flush, where the architecture
 *		batches flushes (%CONFIG_ARCH_WANT_BATCHED_UNMAP_TLB_FLUSH).
 * @pending:	Whether @arch has anything to flush.
 * @mms:	Otherwise, address spaces that had translations to evict in
 *		this pass, each with an mm_count reference.
 * @nr:		Number of valid entries of @mms.
 *
 * Clearing an Accessed bit does not evict the translation cached by the
 * TLB, and as long as the translation stays cached the CPU does not set the
 * bit again, so the next access would be missed.  The access checks
 * therefore evict the translations of the pages whose set bit they cleared.
 *
 * Evicting a translation that other CPUs may cache costs each of them an
 * interrupt, which costs far more than refilling the translations a whole
 * TLB flush evicts (figures in bench/README.md, "TLB flush cost on real
 * CPUs").  The batch thus defers the evictions of a pass to its end.  Where the architecture
 * batches flushes (as reclaim does when it unmaps pages), the batch is the
 * union of the CPUs that may cache a translation of any address space met
 * in the pass (mm_cpumask()), each flushed once: a pass interrupts a CPU at
 * most once, and never a CPU (idle, nohz_full or running other tasks) that
 * cannot hold any of the translations, however many address spaces a
 * physical address pass meets.  Elsewhere, each address space that needed
 * some eviction is flushed once, entirely, at the end of the pass or when
 * the batch of DAMON_TLB_BATCH_MMS address spaces is full.
 */
struct damon_tlb_batch {
#ifdef CONFIG_ARCH_WANT_BATCHED_UNMAP_TLB_FLUSH
	struct arch_tlbflush_unmap_batch arch;
	bool pending;
#else
	struct mm_struct *mms[DAMON_TLB_BATCH_MMS];
	int nr;
#endif
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
			    struct vm_area_struct *vma, unsigned long addr,
			    pte_t *pte, pmd_t *pmd,
			    struct damon_tlb_batch *batch);

void damon_probes_folio_hits(struct damon_ctx *ctx, struct damon_region *r,
			     struct folio *folio);

int damon_hot_score(struct damon_ctx *ctx, struct damon_region *r,
		    struct damos *s);
int damon_cold_score(struct damon_ctx *ctx, struct damon_region *r,
		     struct damos *s);

bool damos_folio_isolate(struct folio *folio, struct list_head *list);
/* The migration actions, where the kernel can migrate pages. */
#define DAMON_OPS_MIGRATE_ACTIONS	(IS_ENABLED(CONFIG_MIGRATION) ? \
					 BIT(DAMOS_MIGRATE_HOT) | \
					 BIT(DAMOS_MIGRATE_COLD) : 0)

bool damos_folio_to_migrate(struct damos *s, struct folio *folio);
unsigned long damon_migrate_folio_list(struct list_head *folios,
				       struct damos *s);

int damon_pa_set_system_ram_regions(struct damon_target *t,
				    unsigned long *start, unsigned long *end,
				    unsigned long addr_unit,
				    unsigned long min_sz_region,
				    unsigned long max_nr_ranges);

#endif /* _MM_DAMON_OPS_COMMON_H */
