// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON operations set for the physical address space ("paddr").
 *
 * A monitoring address is a physical address divided by the context's
 * address unit.  Sampling looks the page frame up, and when it is an LRU
 * folio tests and clears the Accessed bits of every mapping of the folio
 * through the reverse map.  Memory that cannot be checked safely (offline,
 * not on an LRU list, locked for a reverse map walk) is seen as not
 * accessed.
 */

#define pr_fmt(fmt) "damon-pa: " fmt

#include <linux/mm.h>
#include <linux/damon.h>
#include <linux/init.h>
#include <linux/ioport.h>
#include <linux/math64.h>
#include <linux/mm_inline.h>
#include <linux/page_idle.h>
#include <linux/overflow.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/swap.h>

#include "../internal.h"
#include "ops-common.h"
#include "schemes.h"

/* Page frames without an LRU folio looked up between resched points. */
#define DAMON_PA_MISSES_PER_RESCHED	1024
/* Folios isolated at most before the action is applied to them. */
#define DAMON_PA_LIST_BATCH		512

static unsigned long damon_pa_unit(struct damon_ctx *ctx)
{
	return max(ctx->addr_unit, 1UL);
}

/*
 * The highest page-aligned physical address whose page frame number fits an
 * unsigned long: the end of the physical address space the ops set walks.
 */
static phys_addr_t damon_pa_max_addr(void)
{
	if (BITS_PER_LONG + PAGE_SHIFT >= BITS_PER_TYPE(phys_addr_t))
		return ~(phys_addr_t)0 & ~(phys_addr_t)(PAGE_SIZE - 1);
	return PFN_PHYS((phys_addr_t)ULONG_MAX);
}

/*
 * Physical address of address unit @addr, or damon_pa_max_addr() if it is
 * beyond: with a big unit (say 2^63) the product would wrap around to low
 * memory, and every piece of a region past the end of the physical address
 * space would find the memory at address 0 (and walk all of it).
 */
static phys_addr_t damon_pa_phys(struct damon_ctx *ctx, unsigned long addr)
{
	phys_addr_t phys;

	if (check_mul_overflow((phys_addr_t)addr,
			       (phys_addr_t)damon_pa_unit(ctx), &phys) ||
	    phys > damon_pa_max_addr())
		return damon_pa_max_addr();
	return phys;
}

static void damon_pa_prepare_access_checks(struct damon_ctx *ctx)
{
	struct damon_tlb_batch batch = {};
	struct damon_target *t;
	struct damon_region *r;
	struct folio *folio;
	phys_addr_t phys;

	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t) {
			r->sampling_addr = damon_rand(ctx, r->ar.start,
						      r->ar.end);
			phys = damon_pa_phys(ctx, r->sampling_addr);
			folio = damon_get_folio(PHYS_PFN(phys));
			if (!folio)
				continue;
			damon_folio_mkold(folio, &batch);
			folio_put(folio);
		}
	}
	/*
	 * Evict the cached translations of what was cleared, so that the
	 * next access sets the Accessed bits again.
	 */
	damon_tlb_batch_flush(&batch);
}

static unsigned int damon_pa_check_accesses(struct damon_ctx *ctx)
{
	phys_addr_t last_start = 1, last_end = 0, phys;
	unsigned int max_nr_accesses = 0;
	struct damon_target *t;
	struct damon_region *r;
	struct folio *folio;
	bool last_young = false;
	bool young;

	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t) {
			phys = damon_pa_phys(ctx, r->sampling_addr);
			/* Samples in the same folio share a result. */
			if (phys >= last_start && phys < last_end) {
				young = last_young;
			} else {
				folio = damon_get_folio(PHYS_PFN(phys));
				young = false;
				if (folio) {
					young = damon_folio_young(folio);
					last_start = PFN_PHYS(folio_pfn(folio));
					last_end = last_start +
						folio_size(folio);
					last_young = young;
					folio_put(folio);
				}
			}
			damon_update_region_access_rate(r, young, &ctx->attrs);
			max_nr_accesses = max(r->nr_accesses,
					      max_nr_accesses);
		}
	}
	return max_nr_accesses;
}

/*
 * Applies @s to @folio, or isolates the folio onto @folios for an action
 * that works on a list.  Returns whether the action was applied at once.
 */
static bool damon_pa_apply_folio(struct folio *folio, struct damos *s,
				 struct list_head *folios)
{
	switch (s->action) {
	case DAMOS_MIGRATE_HOT:
	case DAMOS_MIGRATE_COLD:
		if (!damos_folio_to_migrate(s, folio))
			return false;
		fallthrough;
	case DAMOS_PAGEOUT:
		damos_folio_isolate(folio, folios);
		return false;
	case DAMOS_LRU_PRIO:
		folio_activate(folio);
		folio_mark_accessed(folio);
		return true;
	case DAMOS_LRU_DEPRIO:
		folio_deactivate(folio);
		return true;
	default:
		return false;
	}
}

/*
 * Apply the action of @s to the folios isolated onto @folios, if it works
 * on a list.  Returns the bytes it was applied to.
 */
static unsigned long damon_pa_apply_list(struct list_head *folios,
					 struct damos *s)
{
	if (list_empty(folios))
		return 0;
	switch (s->action) {
	case DAMOS_PAGEOUT:
		return reclaim_pages(folios) * PAGE_SIZE;
	case DAMOS_MIGRATE_HOT:
	case DAMOS_MIGRATE_COLD:
		return damon_migrate_folio_list(folios, s);
	default:
		return 0;
	}
}

/*
 * The first physical address from @addr on, below @end, that lies in an
 * online memory section, or @end if there is none.  Without this, a region
 * over a huge range with no memory map (absent, or beyond the last memory
 * of the machine) cost one page frame lookup per page: terabytes of them.
 * A section root that was never allocated is skipped at once.
 */
static phys_addr_t damon_pa_next_online(phys_addr_t addr, phys_addr_t end)
{
#ifdef CONFIG_SPARSEMEM
	unsigned long nr = pfn_to_section_nr(PHYS_PFN(addr));
	struct mem_section *ms;
	phys_addr_t next;

	while (addr < end) {
		ms = __nr_to_section(nr);
		if (ms && online_section(ms))
			return addr;
		if (SECTION_NR_TO_ROOT(nr) >= NR_SECTION_ROOTS)
			return end;
		if (ms)
			nr++;
		else	/* an unallocated root of SPARSEMEM_EXTREME */
			nr = (SECTION_NR_TO_ROOT(nr) + 1) * SECTIONS_PER_ROOT;
		if (nr >= NR_MEM_SECTIONS)
			return end;
		next = PFN_PHYS(section_nr_to_pfn(nr));
		if (next <= addr)	/* wrapped */
			return end;
		addr = next;
	}
	return end;
#else
	return addr;
#endif
}

/*
 * The next physical address after @addr, below @end, that may hold a folio
 * to act on, given that the page frame at @addr holds none.  Frames with no
 * memory map are skipped to the next online section, free memory a buddy
 * block at a time: on an idle machine most frames are free, and looking them
 * up one by one made a scheme over all of memory take seconds per
 * application.  The order is read without the zone lock, as compaction
 * does: a block allocated or merged meanwhile makes this pass skip frames it
 * could have acted on, never act on one it must not.
 */
static phys_addr_t damon_pa_next_candidate(phys_addr_t addr, phys_addr_t end)
{
	unsigned long pfn = PHYS_PFN(addr);
	struct page *page = pfn_to_online_page(pfn);
	unsigned int order;

	if (!page)
		return damon_pa_next_online(PFN_PHYS(pfn + 1), end);
	if (PageBuddy(page)) {
		order = buddy_order_unsafe(page);
		if (order > 0 && order <= MAX_PAGE_ORDER)
			pfn = ALIGN(pfn + 1, 1UL << order) - 1;
	}
	return min_t(phys_addr_t, PFN_PHYS(pfn + 1), end);
}

static unsigned long damon_pa_apply_scheme(struct damon_ctx *ctx,
					   struct damon_target *t,
					   struct damon_region *r,
					   struct damos *s,
					   unsigned long *sz_filter_passed)
{
	phys_addr_t addr, start, end, folio_start;
	unsigned long passed = 0, applied = 0, nr_misses = 0, nr_listed = 0;
	struct damon_tlb_batch batch = {};
	struct folio *folio;
	unsigned long step;
	LIST_HEAD(folios);

	*sz_filter_passed = 0;
	if (s->action == DAMOS_STAT && list_empty(&s->ops_filters))
		return 0;

	start = damon_pa_phys(ctx, r->ar.start);
	end = damon_pa_phys(ctx, r->ar.end);
	if (start >= end)
		return 0;
	for (addr = start; addr < end; addr += step) {
		folio = damon_get_folio(PHYS_PFN(addr));
		if (!folio) {
			step = damon_pa_next_candidate(addr, end) - addr;
			if (!(++nr_misses % DAMON_PA_MISSES_PER_RESCHED)) {
				if (damon_stop_requested())
					break;
				cond_resched();
			}
			continue;
		}
		folio_start = PFN_PHYS(folio_pfn(folio));
		step = folio_start + folio_size(folio) - addr;
		if (damos_folio_filter_out(s, folio, NULL, 0, NULL, NULL,
					   &batch)) {
			folio_put(folio);
			continue;
		}
		passed += min_t(phys_addr_t, step, end - addr);
		if (damon_pa_apply_folio(folio, s, &folios))
			applied += min_t(phys_addr_t, step, end - addr);
		else if (!list_empty(&folios))
			nr_listed++;
		folio_put(folio);
		/* Pieces can be big: don't keep too much memory isolated. */
		if (nr_listed >= DAMON_PA_LIST_BATCH) {
			damon_tlb_batch_flush(&batch);
			applied += damon_pa_apply_list(&folios, s);
			nr_listed = 0;
		}
		if (damon_stop_requested())
			break;
		cond_resched();
	}
	/* Evict what the young filter cleared, all at once. */
	damon_tlb_batch_flush(&batch);
	applied += damon_pa_apply_list(&folios, s);
	*sz_filter_passed = passed / damon_pa_unit(ctx);
	return applied / damon_pa_unit(ctx);
}

static int damon_pa_scheme_score(struct damon_ctx *ctx,
				 struct damon_target *t, struct damon_region *r,
				 struct damos *scheme)
{
	switch (scheme->action) {
	case DAMOS_LRU_PRIO:
	case DAMOS_MIGRATE_HOT:
		return damon_hot_score(ctx, r, scheme);
	default:
		return damon_cold_score(ctx, r, scheme);
	}
}

static bool damon_pa_target_valid(struct damon_target *t)
{
	/* The physical address space does not go away. */
	return true;
}

/*
 * Default monitoring regions: System RAM.
 *
 * The System RAM resources of a machine are separated by holes (the x86
 * legacy area below 1 MiB and PCI hole below 4 GiB, device memory, gaps
 * between NUMA nodes).  A hole has no page frames, so it never looks
 * accessed: monitored, it would only age forever and weigh on every
 * statistic of idle memory.  Each resource thus gets its own region.
 */

/* System RAM ranges kept as separate regions; more get merged. */
#define DAMON_PA_MAX_RAM_RANGES	64

/* Sorted ranges of System RAM, in address units. */
struct damon_pa_ram_ranges {
	struct damon_addr_range *ranges;
	unsigned int nr;
	unsigned int capacity;
	unsigned long unit;
};

/* Merges ranges @i and @i + 1 of @rr, and the hole between them. */
static void damon_pa_ram_ranges_merge(struct damon_pa_ram_ranges *rr,
				      unsigned int i)
{
	rr->ranges[i].end = rr->ranges[i + 1].end;
	memmove(&rr->ranges[i + 1], &rr->ranges[i + 2],
		(rr->nr - i - 2) * sizeof(*rr->ranges));
	rr->nr--;
}

/*
 * Adds the System RAM bytes [@start, @end) to @rr, after all ranges added
 * before.  Partial address units count as whole ones, so that every byte is
 * covered; ranges that touch or overlap then are joined.  When @rr is full,
 * the two ranges with the smallest hole between them are merged, holding
 * as little of the holes as possible.
 */
static void damon_pa_ram_ranges_add(struct damon_pa_ram_ranges *rr, u64 start,
				    u64 end)
{
	struct damon_addr_range new;
	unsigned long gap, min_gap;
	unsigned int i, merge;

	if (!rr->capacity || start >= end)
		return;
	start = div64_u64(start, rr->unit);
	end = div64_u64(end - 1, rr->unit) + 1;
	if (start > ULONG_MAX)
		return;
	new.start = start;
	new.end = min_t(u64, end, ULONG_MAX);

	if (rr->nr && new.start <= rr->ranges[rr->nr - 1].end) {
		rr->ranges[rr->nr - 1].end = max(rr->ranges[rr->nr - 1].end,
						 new.end);
		return;
	}
	if (rr->nr == rr->capacity) {
		/* The new hole first: on a tie, keep the older ranges. */
		merge = rr->nr - 1;
		min_gap = new.start - rr->ranges[rr->nr - 1].end;
		for (i = 0; i + 1 < rr->nr; i++) {
			gap = rr->ranges[i + 1].start - rr->ranges[i].end;
			if (gap < min_gap) {
				min_gap = gap;
				merge = i;
			}
		}
		if (merge == rr->nr - 1) {
			rr->ranges[rr->nr - 1].end = new.end;
			return;
		}
		damon_pa_ram_ranges_merge(rr, merge);
	}
	rr->ranges[rr->nr++] = new;
}

static int damon_pa_ram_walk_fn(struct resource *res, void *arg)
{
	damon_pa_ram_ranges_add(arg, res->start, (u64)res->end + 1);
	return 0;
}

/**
 * damon_pa_set_system_ram_regions() - Monitor the System RAM of a range.
 * @t:			A target of a physical address space context.
 * @start:		Start of the range, in address units; or 0 with *@end
 *			0 for all System RAM, in which case the span from the
 *			first to the last System RAM resource is stored back.
 * @end:		End of the range (exclusive), in address units.
 * @addr_unit:		Bytes per address unit.
 * @min_sz_region:	Region granularity, in address units.
 * @max_nr_ranges:	The most regions to set (at least one).
 *
 * Sets the regions of @t to the System RAM resources inside the range, one
 * region each, leaving out the holes between them.  With more resources
 * than @max_nr_ranges (or %DAMON_PA_MAX_RAM_RANGES), those with the
 * smallest holes between them share a region.  A range that holds no
 * System RAM is set as a single region, as it is.
 *
 * Return: 0 on success, -EINVAL for a bad range or no System RAM at all,
 * -ENOMEM.
 */
int damon_pa_set_system_ram_regions(struct damon_target *t,
				    unsigned long *start, unsigned long *end,
				    unsigned long addr_unit,
				    unsigned long min_sz_region,
				    unsigned long max_nr_ranges)
{
	bool all = !*start && !*end;
	struct damon_pa_ram_ranges rr = {
		.unit = addr_unit,
		.capacity = clamp_t(unsigned long, max_nr_ranges, 1,
				    DAMON_PA_MAX_RAM_RANGES),
	};
	struct damon_addr_range given = { .start = *start, .end = *end };
	u64 start_b = 0, end_b = U64_MAX;
	int err;

	if (!addr_unit || (!all && *start >= *end))
		return -EINVAL;
	if (!all) {
		if (check_mul_overflow((u64)*start, (u64)addr_unit, &start_b))
			start_b = U64_MAX;
		if (check_mul_overflow((u64)*end, (u64)addr_unit, &end_b))
			end_b = U64_MAX;
	}
	rr.ranges = kmalloc_array(rr.capacity, sizeof(*rr.ranges), GFP_KERNEL);
	if (!rr.ranges)
		return -ENOMEM;
	if (start_b < end_b)
		walk_system_ram_res(start_b, end_b - 1, &rr,
				    damon_pa_ram_walk_fn);
	if (!rr.nr) {
		err = -EINVAL;
		if (all)
			goto out;
		rr.ranges[rr.nr++] = given;
	}
	if (all) {
		*start = rr.ranges[0].start;
		*end = rr.ranges[rr.nr - 1].end;
	}
	err = damon_set_regions(t, rr.ranges, rr.nr, min_sz_region);
out:
	kfree(rr.ranges);
	return err;
}

/* Reports of physical addresses go to the first target, in address units. */
static struct damon_target *
damon_pa_report_target(struct damon_ctx *ctx,
		       const struct damon_access_report *r, unsigned long *addr)
{
	/* A report without a physical address is not ours. */
	if (!r->paddr)
		return NULL;
	*addr = r->paddr / ctx->addr_unit;
	return list_first_entry_or_null(&ctx->adaptive_targets,
					struct damon_target, list);
}

static int damon_pa_region_nid(struct damon_ctx *ctx, struct damon_region *r)
{
	struct page *page;

	page = pfn_to_online_page(PHYS_PFN(damon_pa_phys(ctx, r->ar.start)));
	return page ? page_to_nid(page) : NUMA_NO_NODE;
}

/* Without user-given regions, monitor the biggest System RAM resource. */
static int damon_pa_default_regions(struct damon_ctx *ctx,
				    struct damon_target *t)
{
	unsigned long start = 0, end = 0;

	return damon_set_region_biggest_system_ram_default(t, &start, &end,
							   ctx->addr_unit,
							   ctx->min_sz_region);
}

/* Actions of the LRU lists and of folios; not of the mappings (madvise). */
#define DAMON_PA_ACTIONS	(BIT(DAMOS_PAGEOUT) | BIT(DAMOS_LRU_PRIO) | \
				 BIT(DAMOS_LRU_DEPRIO) | DAMON_OPS_MIGRATE_ACTIONS | \
				 BIT(DAMOS_STAT))

/*
 * Data attribute probes: the folio at the sampling address of every region
 * is matched against the probes of the context.
 */
static void damon_pa_apply_probes(struct damon_ctx *ctx)
{
	struct damon_target *t;
	struct damon_region *r;
	struct folio *folio;
	phys_addr_t phys;

	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t) {
			phys = damon_pa_phys(ctx, r->sampling_addr);
			folio = damon_get_folio(PHYS_PFN(phys));
			if (!folio)
				continue;
			damon_probes_folio_hits(ctx, r, folio);
			folio_put(folio);
		}
	}
}

static int __init damon_pa_initcall(void)
{
	struct damon_operations ops = {
		.id = DAMON_OPS_PADDR,
		.prepare_access_checks = damon_pa_prepare_access_checks,
		.check_accesses = damon_pa_check_accesses,
		.get_scheme_score = damon_pa_scheme_score,
		.apply_scheme = damon_pa_apply_scheme,
		.report_target = damon_pa_report_target,
		.target_valid = damon_pa_target_valid,
		.region_nid = damon_pa_region_nid,
		.default_regions = damon_pa_default_regions,
		.apply_probes = damon_pa_apply_probes,
		.actions = DAMON_PA_ACTIONS,
		/* Every action works folio by folio, so filters apply. */
		.ops_filter_actions = DAMON_PA_ACTIONS,
		.scaled_addr = true,
	};

	return damon_register_ops(&ops);
}

subsys_initcall(damon_pa_initcall);

#ifdef CONFIG_DAMON_KUNIT_TEST
#include "tests/paddr-kunit.h"
#endif
