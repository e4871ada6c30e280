// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON operations sets for virtual address spaces.
 *
 * "vaddr" monitors a process's address space as three big ranges: the two
 * largest unmapped gaps (typically between the heap and the mmap area, and
 * between the mmap area and the stack) are left out, and the ranges follow
 * the mappings as they change.  "fvaddr" monitors fixed, user-given ranges.
 * Both sample the Accessed bits of the page tables of the process, or the
 * faults of pages armed for NUMA hinting faults, or both.
 */

#define pr_fmt(fmt) "damon-va: " fmt

#include <linux/mm.h>
#include <linux/damon.h>
#include <linux/highmem.h>
#include <linux/hugetlb.h>
#include <linux/init.h>
#include <linux/mman.h>
#include <linux/mmu_notifier.h>
#include <linux/page_idle.h>
#include <linux/pagewalk.h>
#include <linux/pid_namespace.h>
#include <linux/sched/mm.h>

#include <asm/tlbflush.h>

#include <trace/events/damon.h>

#include "../internal.h"
#include "ops-common.h"

/**
 * struct damon_va_gaps - Tracks the two biggest gaps of sorted mappings.
 * @start:	Start of the first mapping seen.
 * @end:	End of the last mapping seen.
 * @big:	The biggest gap (@big[0]) and the second biggest (@big[1]).
 * @nr_maps:	Number of mappings seen.
 *
 * Fed the mappings in address order by damon_va_gaps_add(), so that finding
 * the gaps needs no allocation and is a pure function of the layout.
 */
struct damon_va_gaps {
	unsigned long start;
	unsigned long end;
	struct damon_addr_range big[2];
	unsigned long nr_maps;
};

static unsigned long damon_va_range_sz(const struct damon_addr_range *r)
{
	return r->end - r->start;
}

static void damon_va_gaps_add(struct damon_va_gaps *g, unsigned long start,
			      unsigned long end)
{
	struct damon_addr_range gap;

	if (!g->nr_maps++) {
		g->start = start;
		g->end = end;
		return;
	}
	if (start > g->end) {
		gap.start = g->end;
		gap.end = start;
		if (damon_va_range_sz(&gap) > damon_va_range_sz(&g->big[0])) {
			g->big[1] = g->big[0];
			g->big[0] = gap;
		} else if (damon_va_range_sz(&gap) >
			   damon_va_range_sz(&g->big[1])) {
			g->big[1] = gap;
		}
	}
	g->end = max(g->end, end);
}

/*
 * Turns the tracked gaps into the three ranges around the two biggest gaps,
 * aligned outwards to @align.  Fails if there are fewer than two gaps, or
 * if the gaps are too small for @align to keep the ranges apart.
 */
static int damon_va_gaps_to_regions(const struct damon_va_gaps *g,
				    unsigned long align,
				    struct damon_addr_range regions[3])
{
	const struct damon_addr_range *lo = &g->big[0], *hi = &g->big[1];
	int i;

	if (!g->nr_maps || !damon_va_range_sz(&g->big[1]))
		return -EINVAL;
	if (lo->start > hi->start)
		swap(lo, hi);

	regions[0].start = ALIGN_DOWN(g->start, align);
	regions[0].end = ALIGN(lo->start, align);
	regions[1].start = ALIGN_DOWN(lo->end, align);
	regions[1].end = ALIGN(hi->start, align);
	regions[2].start = ALIGN_DOWN(hi->end, align);
	regions[2].end = ALIGN(g->end, align);

	for (i = 0; i < 3; i++) {
		if (regions[i].start >= regions[i].end)
			return -EINVAL;
		if (i && regions[i].start < regions[i - 1].end)
			return -EINVAL;
	}
	return 0;
}

/*
 * Size of the pieces that split @r evenly into at most *@nr_pieces pieces
 * aligned to @align.  *@nr_pieces is lowered to what fits; the last piece
 * takes what the others leave.  @r must be non-empty and aligned.
 */
static unsigned long damon_va_piece_sz(const struct damon_addr_range *r,
				       unsigned int *nr_pieces,
				       unsigned long align)
{
	unsigned long sz = damon_va_range_sz(r);
	unsigned long max_pieces = max(sz / align, 1UL);

	*nr_pieces = clamp_t(unsigned long, *nr_pieces, 1, max_pieces);
	return max(ALIGN_DOWN(sz / *nr_pieces, align), align);
}

/* Reference to the address space of @t, or NULL if the target is gone. */
static struct mm_struct *damon_va_get_mm(struct damon_target *t)
{
	struct task_struct *task;
	struct mm_struct *mm;

	task = get_pid_task(t->pid, PIDTYPE_PID);
	if (!task)
		return NULL;
	mm = get_task_mm(task);
	put_task_struct(task);
	return mm;
}

static int damon_va_three_regions(struct damon_target *t, unsigned long align,
				  struct damon_addr_range regions[3])
{
	struct damon_va_gaps g = {};
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	int err;

	mm = damon_va_get_mm(t);
	if (!mm)
		return -ESRCH;
	mmap_read_lock(mm);
	{
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma)
			damon_va_gaps_add(&g, vma->vm_start, vma->vm_end);
	}
	mmap_read_unlock(mm);
	mmput(mm);

	err = damon_va_gaps_to_regions(&g, align, regions);
	return err;
}

/*
 * Initial regions of a target: the three ranges, the middle one split
 * evenly so that the target gets about min_nr_regions regions.
 */
static void damon_va_init_target(struct damon_ctx *ctx, struct damon_target *t)
{
	unsigned long align = max(ctx->min_sz_region, 1UL);
	struct damon_addr_range three[3];
	struct damon_region *r;
	unsigned long piece, start, end;
	unsigned int nr_pieces, i, j;

	if (damon_va_three_regions(t, align, three))
		return;

	for (i = 0; i < 3; i++) {
		nr_pieces = 1;
		if (i == 1 && ctx->attrs.min_nr_regions > 2)
			nr_pieces = ctx->attrs.min_nr_regions - 2;
		piece = damon_va_piece_sz(&three[i], &nr_pieces, align);
		for (j = 0; j < nr_pieces; j++) {
			start = three[i].start + j * piece;
			end = j == nr_pieces - 1 ? three[i].end : start + piece;
			r = damon_new_region(start, end);
			if (!r)
				return;
			damon_add_region(r, t);
		}
	}
}

static void damon_va_init(struct damon_ctx *ctx)
{
	struct damon_target *t;

	damon_for_each_target(t, ctx) {
		if (!damon_nr_regions(t))
			damon_va_init_target(ctx, t);
	}
}

static void damon_va_update(struct damon_ctx *ctx)
{
	unsigned long align = max(ctx->min_sz_region, 1UL);
	struct damon_addr_range three[3];
	struct damon_target *t;

	damon_for_each_target(t, ctx) {
		/* Targets added online arrive without regions. */
		if (!damon_nr_regions(t)) {
			damon_va_init_target(ctx, t);
			continue;
		}
		if (damon_va_three_regions(t, align, three))
			continue;
		damon_set_regions(t, three, 3, align);
	}
}

/*
 * Accessed bit clearing.  Each sample clears the bit of one page per region,
 * and evicts the translation of the page when a set bit was cleared (see
 * struct damon_tlb_batch).
 */

static int damon_va_mkold_pmd(pmd_t *pmd, unsigned long addr,
			      unsigned long next, struct mm_walk *walk)
{
	struct damon_tlb_batch *batch = walk->private;
	spinlock_t *ptl;	/* page table lock */
	bool cleared;
	pte_t *pte;

#ifdef CONFIG_TRANSPARENT_HUGEPAGE
	ptl = pmd_trans_huge_lock(pmd, walk->vma);
	if (ptl) {
		cleared = damon_pmdp_mkold(pmd, walk->vma, addr);
		spin_unlock(ptl);
		if (cleared)
			damon_tlb_flush_range(batch, walk->vma,
					      addr & HPAGE_PMD_MASK,
					      (addr & HPAGE_PMD_MASK) +
					      HPAGE_PMD_SIZE);
		return 0;
	}
#endif
	pte = pte_offset_map_lock(walk->mm, pmd, addr, &ptl);
	/* The page table went away under us; skip this sample. */
	if (!pte)
		return 0;
	cleared = damon_ptep_mkold(pte, walk->vma, addr);
	pte_unmap_unlock(pte, ptl);
	if (cleared)
		damon_tlb_flush_range(batch, walk->vma, addr & PAGE_MASK,
				      (addr & PAGE_MASK) + PAGE_SIZE);
	return 0;
}

#ifdef CONFIG_HUGETLB_PAGE
static int damon_va_mkold_hugetlb(pte_t *pte, unsigned long hmask,
				  unsigned long addr, unsigned long end,
				  struct mm_walk *walk)
{
	struct hstate *h = hstate_vma(walk->vma);
	struct damon_tlb_batch *batch = walk->private;
	unsigned long haddr = addr & hmask;
	spinlock_t *ptl;	/* page table lock */
	bool cleared = false;
	pte_t entry;

	ptl = huge_pte_lock(h, walk->mm, pte);
	entry = huge_ptep_get(walk->mm, haddr, pte);
	if (pte_present(entry) && pte_young(entry)) {
		set_huge_pte_at(walk->mm, haddr, pte, pte_mkold(entry),
				huge_page_size(h));
		damon_folio_keep_access(pfn_folio(pte_pfn(entry)));
		cleared = true;
	}
	if (mmu_notifier_clear_young(walk->mm, haddr,
				     haddr + huge_page_size(h)) &&
	    pte_present(entry))
		damon_folio_keep_access(pfn_folio(pte_pfn(entry)));
	spin_unlock(ptl);
	if (cleared)
		damon_tlb_flush_range(batch, walk->vma, haddr,
				      haddr + huge_page_size(h));
	return 0;
}
#else
#define damon_va_mkold_hugetlb NULL
#endif

static const struct mm_walk_ops damon_va_mkold_ops = {
	.pmd_entry = damon_va_mkold_pmd,
	.hugetlb_entry = damon_va_mkold_hugetlb,
	.walk_lock = PGWALK_RDLOCK,
};

/* Result of a young check: whether accessed, and the size of the mapping. */
struct damon_va_young_arg {
	bool young;
	unsigned long sz;
};

static int damon_va_young_pmd(pmd_t *pmd, unsigned long addr,
			      unsigned long next, struct mm_walk *walk)
{
	struct damon_va_young_arg *arg = walk->private;
	spinlock_t *ptl;	/* page table lock */
	pte_t *pte;
	pte_t entry;

#ifdef CONFIG_TRANSPARENT_HUGEPAGE
	ptl = pmd_trans_huge_lock(pmd, walk->vma);
	if (ptl) {
		pmd_t pmde = pmdp_get(pmd);

		if (pmd_present(pmde) && pmd_trans_huge(pmde)) {
			arg->young = pmd_young(pmde) ||
				mmu_notifier_test_young(walk->mm, addr);
			arg->sz = HPAGE_PMD_SIZE;
		}
		spin_unlock(ptl);
		return 0;
	}
#endif
	pte = pte_offset_map_lock(walk->mm, pmd, addr, &ptl);
	if (!pte)
		return 0;
	entry = ptep_get(pte);
	if (pte_present(entry)) {
		arg->young = pte_young(entry) ||
			mmu_notifier_test_young(walk->mm, addr);
		arg->sz = PAGE_SIZE;
	}
	pte_unmap_unlock(pte, ptl);
	return 0;
}

#ifdef CONFIG_HUGETLB_PAGE
static int damon_va_young_hugetlb(pte_t *pte, unsigned long hmask,
				  unsigned long addr, unsigned long end,
				  struct mm_walk *walk)
{
	struct damon_va_young_arg *arg = walk->private;
	struct hstate *h = hstate_vma(walk->vma);
	spinlock_t *ptl;	/* page table lock */
	pte_t entry;

	ptl = huge_pte_lock(h, walk->mm, pte);
	entry = huge_ptep_get(walk->mm, addr & hmask, pte);
	if (pte_present(entry)) {
		arg->young = pte_young(entry) ||
			mmu_notifier_test_young(walk->mm, addr);
		arg->sz = huge_page_size(h);
	}
	spin_unlock(ptl);
	return 0;
}
#else
#define damon_va_young_hugetlb NULL
#endif

static const struct mm_walk_ops damon_va_young_ops = {
	.pmd_entry = damon_va_young_pmd,
	.hugetlb_entry = damon_va_young_hugetlb,
	.walk_lock = PGWALK_RDLOCK,
};

/*
 * Walks the page table entry that maps @addr in @mm (its mmap lock held)
 * with @ops.  *@vma is the mapping of the previous walk under the same lock
 * (NULL for the first): it is looked up again only when @addr is outside of
 * it, as the regions are sorted and most samples in a row fall in one
 * mapping.  Like walk_page_range(), skips an address that nothing maps or
 * that a mapping without struct pages (VM_PFNMAP) maps.
 */
static void damon_va_walk_one(struct mm_struct *mm,
			      struct vm_area_struct **vma, unsigned long addr,
			      const struct mm_walk_ops *ops, void *private)
{
	if (!*vma || addr < (*vma)->vm_start || addr >= (*vma)->vm_end)
		*vma = vma_lookup(mm, addr);
	if (!*vma || (*vma)->vm_flags & VM_PFNMAP)
		return;
	walk_page_range_vma(*vma, addr, addr + 1, ops, private);
}

/*
 * Walk the page table entries of the sampled addresses of every region with
 * @ops, picking new sampled addresses first if @pick, and call @visit (if
 * any) on each region after its walk, still under the mmap lock.
 */
static void damon_va_walk_samples(struct damon_ctx *ctx, bool pick,
				  const struct mm_walk_ops *ops, void *private,
				  void (*visit)(struct damon_ctx *ctx,
						struct damon_region *r,
						void *private))
{
	struct vm_area_struct *vma;
	struct damon_target *t;
	struct damon_region *r;
	struct mm_struct *mm;

	damon_for_each_target(t, ctx) {
		mm = damon_va_get_mm(t);
		/* No address space, no page to look at any more. */
		if (!mm)
			continue;
		mmap_read_lock(mm);
		vma = NULL;
		damon_for_each_region(r, t) {
			if (pick)
				r->sampling_addr = damon_rand(ctx, r->ar.start,
							      r->ar.end);
			damon_va_walk_one(mm, &vma, r->sampling_addr, ops,
					  private);
			if (visit)
				visit(ctx, r, private);
		}
		mmap_read_unlock(mm);
		mmput(mm);
	}
}

static void damon_va_prepare_access_checks(struct damon_ctx *ctx)
{
	struct damon_tlb_batch batch = {};

	damon_va_walk_samples(ctx, true, &damon_va_mkold_ops, &batch, NULL);
	damon_tlb_batch_flush(&batch);
}

/*
 * Whether the page at @addr was accessed since its bit was cleared.  The
 * size of the mapping is stored in *@sz (0 if nothing is mapped there).
 * *@vma is the walk's mapping cursor (see damon_va_walk_one()).
 */
static bool damon_va_young(struct mm_struct *mm, struct vm_area_struct **vma,
			   unsigned long addr, unsigned long *sz)
{
	struct damon_va_young_arg arg = {};

	damon_va_walk_one(mm, vma, addr, &damon_va_young_ops, &arg);
	*sz = arg.sz;
	return arg.young;
}

static unsigned int damon_va_check_accesses(struct damon_ctx *ctx)
{
	unsigned long last_start, last_end, sz;
	unsigned int max_nr_accesses = 0;
	struct vm_area_struct *vma;
	struct damon_target *t;
	struct damon_region *r;
	struct mm_struct *mm;
	bool last_young = false;
	bool young;

	damon_for_each_target(t, ctx) {
		mm = damon_va_get_mm(t);
		if (!mm)
			continue;
		last_start = 1;
		last_end = 0;
		mmap_read_lock(mm);
		vma = NULL;
		damon_for_each_region(r, t) {
			/* Regions sampling the same huge page share a result. */
			if (r->sampling_addr >= last_start &&
			    r->sampling_addr < last_end) {
				young = last_young;
			} else {
				young = damon_va_young(mm, &vma,
						       r->sampling_addr, &sz);
				if (sz > PAGE_SIZE) {
					last_start = ALIGN_DOWN(r->sampling_addr, sz);
					last_end = last_start + sz;
					last_young = young;
				}
			}
			damon_update_region_access_rate(r, young, &ctx->attrs);
			max_nr_accesses = max(r->nr_accesses, max_nr_accesses);
		}
		mmap_read_unlock(mm);
		mmput(mm);
	}
	return max_nr_accesses;
}

#ifdef CONFIG_NUMA_BALANCING
/*
 * Page fault sampling.
 *
 * At the start of a sampling interval, the sampled page of every region is
 * armed: its mapping is made PROT_NONE the way NUMA balancing marks pages
 * for hinting faults, so that the next access to it takes a NUMA hinting
 * fault.  The fault handler makes the page accessible again, as for any
 * hinting fault, and reports the access (damon_report_page_fault()).  At
 * the end of the interval, the pages that were not accessed are disarmed
 * by a second walk over the same addresses: no armed page outlives the
 * interval it was armed in.
 *
 * Only the protection bits change; the page stays mapped and its other
 * state (dirty, soft-dirty, uffd-wp) is kept.  A disarmed page gets its
 * write permission back where the hinting fault handler would give it
 * (an exclusive anonymous page of a writable private mapping, a dirty page
 * of a write-notified shared one), so that disarming costs no write fault
 * the arming did not cause.  A disarmed huge page comes back without it
 * where the mapping grants it on a write fault.  Hugetlb mappings, the
 * huge zero page, the zero page and device memory are not armed.
 */

/* The pages a fault sampling walk changed, and whether it arms them. */
struct damon_va_fault_arg {
	struct damon_tlb_batch *batch;
	bool arm;
};

/* Arms or disarms the page table entry at @addr; true if it was changed. */
static bool damon_va_fault_pte(pte_t *pte, struct vm_area_struct *vma,
			       unsigned long addr, bool arm)
{
	struct folio *folio;
	pte_t old = ptep_get(pte), new;

	if (!pte_present(old) || pte_protnone(old) == arm)
		return false;
	if (arm) {
		folio = vm_normal_folio(vma, addr, old);
		if (!folio || folio_is_zone_device(folio))
			return false;
	}
	old = ptep_modify_prot_start(vma, addr, pte);
	new = pte_modify(old, arm ? PAGE_NONE : vma->vm_page_prot);
	/* As do_numa_page() would, had the page been accessed. */
	if (!arm && !pte_write(new) &&
	    vma_wants_manual_pte_write_upgrade(vma) &&
	    can_change_pte_writable(vma, addr, new))
		new = pte_mkwrite(new, vma);
	ptep_modify_prot_commit(vma, addr, pte, old, new);
	return true;
}

#ifdef CONFIG_TRANSPARENT_HUGEPAGE
/* Arms or disarms the PMD-mapped THP of @pmd, with its lock held. */
static void damon_va_fault_huge_pmd(pmd_t *pmd, struct vm_area_struct *vma,
				    unsigned long addr, bool arm)
{
	unsigned long haddr = addr & HPAGE_PMD_MASK;
	pmd_t old = pmdp_get(pmd);

	if (!pmd_present(old) || !pmd_trans_huge(old) ||
	    is_huge_zero_pmd(old) || pmd_protnone(old) == arm)
		return;
	if (arm) {
		/* Flushes the TLB of the range. */
		old = pmdp_invalidate_ad(vma, haddr, pmd);
		set_pmd_at(vma->vm_mm, haddr, pmd, pmd_modify(old, PAGE_NONE));
	} else {
		set_pmd_at(vma->vm_mm, haddr, pmd,
			   pmd_modify(old, vma->vm_page_prot));
	}
}
#endif

static int damon_va_fault_pmd(pmd_t *pmd, unsigned long addr,
			      unsigned long next, struct mm_walk *walk)
{
	struct damon_va_fault_arg *arg = walk->private;
	struct vm_area_struct *vma = walk->vma;
	spinlock_t *ptl;	/* page table lock */
	bool changed;
	pte_t *pte;

	/* Really PROT_NONE mappings are none of our business. */
	if (!vma_is_accessible(vma))
		return 0;
#ifdef CONFIG_TRANSPARENT_HUGEPAGE
	ptl = pmd_trans_huge_lock(pmd, vma);
	if (ptl) {
		damon_va_fault_huge_pmd(pmd, vma, addr, arg->arm);
		spin_unlock(ptl);
		return 0;
	}
#endif
	pte = pte_offset_map_lock(walk->mm, pmd, addr, &ptl);
	if (!pte)
		return 0;
	changed = damon_va_fault_pte(pte, vma, addr, arg->arm);
	pte_unmap_unlock(pte, ptl);
	/* Disarming grants access: a stale translation only faults again. */
	if (changed && arg->arm)
		damon_tlb_flush_range(arg->batch, vma, addr & PAGE_MASK,
				      (addr & PAGE_MASK) + PAGE_SIZE);
	return 0;
}

static const struct mm_walk_ops damon_va_fault_ops = {
	.pmd_entry = damon_va_fault_pmd,
	.walk_lock = PGWALK_RDLOCK,
};

static void damon_va_fault_sample(struct damon_ctx *ctx, bool arm)
{
	/* The page table primitive picked the addresses already. */
	bool pick = arm && !ctx->sample.primitives.page_table;
	struct damon_tlb_batch batch = {};
	struct damon_va_fault_arg arg = { .batch = &batch, .arm = arm };

	damon_va_walk_samples(ctx, pick, &damon_va_fault_ops, &arg, NULL);
	damon_tlb_batch_flush(&batch);
}

/**
 * damon_report_page_fault() - Report a NUMA hinting fault to DAMON.
 * @vmf:	The fault.
 * @pfn:	First page frame of the mapping the fault makes accessible.
 * @nr_pages:	Pages of that mapping (a power of two).
 *
 * Called by the NUMA hinting fault handlers once they know the fault is
 * theirs, before they decide anything: the report changes nothing of how
 * the fault is handled.  The whole mapping counts as accessed.  Every
 * call emits the damon:damon_report_page_fault tracepoint, whether a
 * context takes reports or not.  Costs a call and patched-out branches
 * while neither the tracepoint nor a DAMON context is enabled.
 */
void damon_report_page_fault(struct vm_fault *vmf, unsigned long pfn,
			     unsigned long nr_pages)
{
	unsigned long size = nr_pages << PAGE_SHIFT;
	struct damon_access_report r = {
		.paddr = PFN_PHYS(pfn),
		.vaddr = ALIGN_DOWN(vmf->address, size),
		.size = size,
		/* The page table lock is held: no migration. */
		.cpu = raw_smp_processor_id(),
		.tid = task_pid_nr(current),
		.is_write = !!(vmf->flags & FAULT_FLAG_WRITE),
	};

	trace_damon_report_page_fault(r.vaddr, r.size, r.cpu, r.tid,
				      r.is_write);
	damon_report_access(&r);
}
#else
#define damon_va_fault_sample NULL
#endif	/* CONFIG_NUMA_BALANCING */

/*
 * An access report belongs to the target whose task shares the address
 * space of the reporting thread.  The address spaces are only compared,
 * never used, so no reference is taken on them.
 */
static struct damon_target *
damon_va_report_target(struct damon_ctx *ctx,
		       const struct damon_access_report *r, unsigned long *addr)
{
	struct damon_target *t, *found = NULL;
	struct task_struct *task;
	struct mm_struct *mm;

	*addr = r->vaddr;
	rcu_read_lock();
	task = find_task_by_pid_ns(r->tid, &init_pid_ns);
	mm = task ? READ_ONCE(task->mm) : NULL;
	if (mm) {
		damon_for_each_target(t, ctx) {
			task = pid_task(t->pid, PIDTYPE_PID);
			if (task && READ_ONCE(task->mm) == mm) {
				found = t;
				break;
			}
		}
	}
	rcu_read_unlock();
	return found;
}

/*
 * A virtual address target lives as long as its pid names a task, i.e. until
 * the task is reaped.  An exited task that its parent has not waited for yet
 * has no address space any more: the other callbacks then find no mm and
 * skip the target, while the kdamond keeps serving the users that are still
 * asking about it (a tool typically polls "is my child still there?" and then
 * queries DAMON; stopping at exit() would fail its last queries).
 */
static bool damon_va_target_valid(struct damon_target *t)
{
	struct task_struct *task = get_pid_task(t->pid, PIDTYPE_PID);

	if (!task)
		return false;
	put_task_struct(task);
	return true;
}

/* Scheme application. */

/* State of a page table walk that collects folios for an action. */
struct damon_va_apply_arg {
	struct damos *scheme;
	/* Where to isolate folios to migrate, or NULL to only count. */
	struct list_head *folios;
	struct folio *last_folio;
	unsigned long sz_filter_passed;
	/* Pages isolated onto @folios, and where the walk stopped for them. */
	unsigned long nr_isolated;
	unsigned long stopped_at;
	/* Translations the young filter needs evicted. */
	struct damon_tlb_batch batch;
};

/*
 * Pages a walk isolates for migration before it stops to have them
 * migrated: the isolated folios wait off their LRU lists, and the pages
 * being moved stay unmapped, for no longer than the migration of this many
 * pages, whatever the size of the region.
 */
#define DAMON_VA_MIGRATE_BATCH	512

static void damon_va_apply_folio(struct damon_va_apply_arg *arg,
				 struct folio *folio,
				 struct vm_area_struct *vma, unsigned long addr,
				 pte_t *pte, pmd_t *pmd, unsigned long sz)
{
	if (damos_folio_filter_out(arg->scheme, folio, vma, addr, pte, pmd,
				   &arg->batch))
		return;
	arg->sz_filter_passed += sz;
	if (!arg->folios || folio == arg->last_folio)
		return;
	arg->last_folio = folio;
	if (!damos_folio_to_migrate(arg->scheme, folio))
		return;
	folio_get(folio);
	if (damos_folio_isolate(folio, arg->folios))
		arg->nr_isolated += folio_nr_pages(folio);
	folio_put(folio);
}

/* Stops the walk at @next once a batch of pages is isolated. */
static int damon_va_apply_stop(struct damon_va_apply_arg *arg,
			       unsigned long next)
{
	if (arg->nr_isolated < DAMON_VA_MIGRATE_BATCH)
		return 0;
	arg->stopped_at = next;
	return 1;
}

static int damon_va_apply_pmd(pmd_t *pmd, unsigned long addr,
			      unsigned long next, struct mm_walk *walk)
{
	struct damon_va_apply_arg *arg = walk->private;
	struct vm_area_struct *vma = walk->vma;
	struct folio *folio;
	pte_t *start_pte, *pte;
	spinlock_t *ptl;	/* page table lock */
	pte_t entry;

#ifdef CONFIG_TRANSPARENT_HUGEPAGE
	ptl = pmd_trans_huge_lock(pmd, vma);
	if (ptl) {
		pmd_t pmde = pmdp_get(pmd);

		if (pmd_present(pmde) && pmd_trans_huge(pmde) &&
		    !is_huge_zero_pmd(pmde)) {
			folio = pmd_folio(pmde);
			damon_va_apply_folio(arg, folio, vma, addr, NULL, pmd,
					     next - addr);
		}
		spin_unlock(ptl);
		return damon_va_apply_stop(arg, next);
	}
#endif
	start_pte = pte_offset_map_lock(walk->mm, pmd, addr, &ptl);
	if (!start_pte)
		return 0;
	for (pte = start_pte; addr < next; pte++, addr += PAGE_SIZE) {
		entry = ptep_get(pte);
		if (!pte_present(entry))
			continue;
		folio = vm_normal_folio(vma, addr, entry);
		if (!folio || folio_is_zone_device(folio))
			continue;
		damon_va_apply_folio(arg, folio, vma, addr, pte, NULL,
				     PAGE_SIZE);
	}
	pte_unmap_unlock(start_pte, ptl);
	cond_resched();
	return damon_va_apply_stop(arg, next);
}

static const struct mm_walk_ops damon_va_apply_ops = {
	.pmd_entry = damon_va_apply_pmd,
	.walk_lock = PGWALK_RDLOCK,
};

/*
 * Walks [*@start, @end) of @t for @s, isolating onto @folios (if not NULL)
 * the folios to migrate, and adding the bytes the filters pass to
 * *@sz_filter_passed.  A walk that isolated a batch of folios stops early;
 * *@start is then where it stopped, and @end otherwise.  Returns -ESRCH if
 * @t is gone.
 */
static int damon_va_walk_folios(struct damon_target *t, unsigned long *start,
				unsigned long end, struct damos *s,
				struct list_head *folios,
				unsigned long *sz_filter_passed)
{
	struct damon_va_apply_arg arg = {
		.scheme = s,
		.folios = folios,
		.stopped_at = end,
	};
	struct mm_struct *mm;

	mm = damon_va_get_mm(t);
	if (!mm)
		return -ESRCH;
	mmap_read_lock(mm);
	walk_page_range(mm, *start, end, &damon_va_apply_ops, &arg);
	mmap_read_unlock(mm);
	damon_tlb_batch_flush(&arg.batch);
	mmput(mm);
	*sz_filter_passed += arg.sz_filter_passed;
	*start = arg.stopped_at;
	return 0;
}

static unsigned long damon_va_migrate(struct damon_target *t,
				      struct damon_region *r, struct damos *s,
				      unsigned long *sz_filter_passed)
{
	unsigned long addr = r->ar.start, applied = 0;
	LIST_HEAD(folios);

	while (addr < r->ar.end) {
		if (damon_va_walk_folios(t, &addr, r->ar.end, s, &folios,
					 sz_filter_passed))
			break;
		applied += damon_migrate_folio_list(&folios, s);
		cond_resched();
	}
	return applied;
}

/*
 * Applies madvise() @behavior to the mappings of [@start, @end), one mapping
 * at a time: madvise() stops at the first mapping it fails on (a special
 * mapping, a locked one...), and regions span many mappings.
 */
static unsigned long damon_va_madvise(struct damon_target *t,
				      struct damon_region *r, int behavior)
{
	unsigned long addr = r->ar.start, end = r->ar.end;
	unsigned long applied = 0, seg_start, seg_end;
	struct vm_area_struct *vma;
	struct mm_struct *mm;

	/* Not declared without madvise(); this also drops the call below. */
	if (!IS_ENABLED(CONFIG_ADVISE_SYSCALLS))
		return 0;
	mm = damon_va_get_mm(t);
	if (!mm)
		return 0;
	while (addr < end) {
		mmap_read_lock(mm);
		vma = find_vma(mm, addr);
		if (!vma || vma->vm_start >= end) {
			mmap_read_unlock(mm);
			break;
		}
		seg_start = max(addr, vma->vm_start);
		seg_end = min(end, vma->vm_end);
		mmap_read_unlock(mm);

		if (!do_madvise(mm, seg_start, seg_end - seg_start, behavior))
			applied += seg_end - seg_start;
		addr = seg_end;
		cond_resched();
	}
	mmput(mm);
	return applied;
}

static unsigned long damon_va_apply_scheme(struct damon_ctx *ctx,
					   struct damon_target *t,
					   struct damon_region *r,
					   struct damos *scheme,
					   unsigned long *sz_filter_passed)
{
	*sz_filter_passed = 0;

	switch (scheme->action) {
	case DAMOS_WILLNEED:
		return damon_va_madvise(t, r, MADV_WILLNEED);
	case DAMOS_COLD:
		return damon_va_madvise(t, r, MADV_COLD);
	case DAMOS_PAGEOUT:
		return damon_va_madvise(t, r, MADV_PAGEOUT);
	case DAMOS_HUGEPAGE:
		return damon_va_madvise(t, r, MADV_HUGEPAGE);
	case DAMOS_NOHUGEPAGE:
		return damon_va_madvise(t, r, MADV_NOHUGEPAGE);
	case DAMOS_COLLAPSE:
		return damon_va_madvise(t, r, MADV_COLLAPSE);
	case DAMOS_MIGRATE_HOT:
	case DAMOS_MIGRATE_COLD:
		return damon_va_migrate(t, r, scheme, sz_filter_passed);
	case DAMOS_STAT:
		/* Counting the bytes the filters pass needs a walk. */
		if (!list_empty(&scheme->ops_filters)) {
			unsigned long addr = r->ar.start;

			damon_va_walk_folios(t, &addr, r->ar.end, scheme, NULL,
					     sz_filter_passed);
		}
		return 0;
	default:
		/* Not in DAMON_VA_ACTIONS: refused when the scheme is set. */
		return 0;
	}
}

static int damon_va_scheme_score(struct damon_ctx *ctx,
				 struct damon_target *t, struct damon_region *r,
				 struct damos *scheme)
{
	switch (scheme->action) {
	case DAMOS_WILLNEED:
	case DAMOS_HUGEPAGE:
	case DAMOS_COLLAPSE:
	case DAMOS_MIGRATE_HOT:
	case DAMOS_LRU_PRIO:
		return damon_hot_score(ctx, r, scheme);
	default:
		return damon_cold_score(ctx, r, scheme);
	}
}

/*
 * madvise() actions of the mappings (only where the kernel has madvise(),
 * and the huge page ones only where it has THP), and those done folio by
 * folio.
 */
#define DAMON_VA_THP_ACTIONS	(IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) ? \
				 BIT(DAMOS_HUGEPAGE) | BIT(DAMOS_NOHUGEPAGE) | \
				 BIT(DAMOS_COLLAPSE) : 0)
#define DAMON_VA_MADVISE_ACTIONS (BIT(DAMOS_WILLNEED) | BIT(DAMOS_COLD) | \
				  BIT(DAMOS_PAGEOUT) | DAMON_VA_THP_ACTIONS)
#define DAMON_VA_ACTIONS	((IS_ENABLED(CONFIG_ADVISE_SYSCALLS) ? \
				  DAMON_VA_MADVISE_ACTIONS : 0) | \
				 DAMON_OPS_MIGRATE_ACTIONS | BIT(DAMOS_STAT))

/*
 * Data attribute probes: the folio at the sampling address of every region
 * is matched against the probes of the context.
 */

static int damon_va_probe_pmd(pmd_t *pmd, unsigned long addr,
			      unsigned long next, struct mm_walk *walk)
{
	struct folio **foliop = walk->private;
	struct folio *folio = NULL;
	spinlock_t *ptl;	/* page table lock */
	pte_t *pte;
	pte_t entry;

#ifdef CONFIG_TRANSPARENT_HUGEPAGE
	ptl = pmd_trans_huge_lock(pmd, walk->vma);
	if (ptl) {
		pmd_t pmde = pmdp_get(pmd);

		if (pmd_present(pmde) && pmd_trans_huge(pmde) &&
		    !is_huge_zero_pmd(pmde))
			folio = pmd_folio(pmde);
		if (folio && folio_try_get(folio))
			*foliop = folio;
		spin_unlock(ptl);
		return 0;
	}
#endif
	pte = pte_offset_map_lock(walk->mm, pmd, addr, &ptl);
	if (!pte)
		return 0;
	entry = ptep_get(pte);
	if (pte_present(entry))
		folio = vm_normal_folio(walk->vma, addr, entry);
	if (folio && !folio_is_zone_device(folio) && folio_try_get(folio))
		*foliop = folio;
	pte_unmap_unlock(pte, ptl);
	return 0;
}

static const struct mm_walk_ops damon_va_probe_ops = {
	.pmd_entry = damon_va_probe_pmd,
	.walk_lock = PGWALK_RDLOCK,
};

/* Count the probe hits of the folio the walk found for @r, if any. */
static void damon_va_probe_visit(struct damon_ctx *ctx, struct damon_region *r,
				 void *private)
{
	struct folio **foliop = private;

	if (!*foliop)
		return;
	damon_probes_folio_hits(ctx, r, *foliop);
	folio_put(*foliop);
	*foliop = NULL;
}

static void damon_va_apply_probes(struct damon_ctx *ctx)
{
	struct folio *folio = NULL;

	damon_va_walk_samples(ctx, false, &damon_va_probe_ops, &folio,
			      damon_va_probe_visit);
}

static int __init damon_va_initcall(void)
{
	struct damon_operations ops = {
		.id = DAMON_OPS_VADDR,
		.init = damon_va_init,
		.update = damon_va_update,
		.prepare_access_checks = damon_va_prepare_access_checks,
		.check_accesses = damon_va_check_accesses,
		.get_scheme_score = damon_va_scheme_score,
		.apply_scheme = damon_va_apply_scheme,
		.fault_sample = damon_va_fault_sample,
		.report_target = damon_va_report_target,
		.target_valid = damon_va_target_valid,
		.apply_probes = damon_va_apply_probes,
		.actions = DAMON_VA_ACTIONS,
		/*
		 * The madvise() actions work on whole address ranges, so only
		 * the actions that walk the folios can apply page filters.
		 */
		.ops_filter_actions = BIT(DAMOS_MIGRATE_HOT) |
			BIT(DAMOS_MIGRATE_COLD) | BIT(DAMOS_STAT),
		.pid_targets = true,
	};
	/* Fixed ranges: the user's regions are never refreshed. */
	struct damon_operations ops_fvaddr = ops;
	int err;

	ops_fvaddr.id = DAMON_OPS_FVADDR;
	ops_fvaddr.init = NULL;
	ops_fvaddr.update = NULL;

	err = damon_register_ops(&ops);
	if (err)
		return err;
	return damon_register_ops(&ops_fvaddr);
}

subsys_initcall(damon_va_initcall);

#ifdef CONFIG_DAMON_KUNIT_TEST
#include "tests/vaddr-kunit.h"
#endif
