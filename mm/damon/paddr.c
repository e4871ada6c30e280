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
#include <linux/mm_inline.h>
#include <linux/page_idle.h>
#include <linux/pagemap.h>
#include <linux/swap.h>

#include "../internal.h"
#include "ops-common.h"

static unsigned long damon_pa_unit(struct damon_ctx *ctx)
{
	return max(ctx->addr_unit, 1UL);
}

static phys_addr_t damon_pa_phys(struct damon_ctx *ctx, unsigned long addr)
{
	return (phys_addr_t)addr * damon_pa_unit(ctx);
}

static void damon_pa_prepare_access_checks(struct damon_ctx *ctx)
{
	struct damon_tlb_batch batch = {};
	struct damon_target *t;
	struct damon_region *r;
	struct folio *folio;

	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t) {
			r->sampling_addr = damon_rand(ctx, r->ar.start,
						      r->ar.end);
			folio = damon_get_folio(PHYS_PFN(damon_pa_phys(ctx,
								       r->sampling_addr)));
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

static bool damon_pa_action_supported(enum damos_action action)
{
	return damon_ops_supports_action(DAMON_OPS_PADDR, action);
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

static unsigned long damon_pa_apply_scheme(struct damon_ctx *ctx,
					   struct damon_target *t, struct damon_region *r,
		struct damos *s, unsigned long *sz_filter_passed)
{
	phys_addr_t addr, start, end, folio_start;
	unsigned long passed = 0, applied = 0;
	struct folio *folio;
	unsigned long step;
	LIST_HEAD(folios);

	*sz_filter_passed = 0;
	if (!damon_pa_action_supported(s->action))
		return 0;
	if (s->action == DAMOS_STAT && list_empty(&s->ops_filters))
		return 0;

	start = damon_pa_phys(ctx, r->ar.start);
	end = damon_pa_phys(ctx, r->ar.end);
	for (addr = start; addr < end; addr += step) {
		step = PAGE_SIZE - offset_in_page(addr);
		folio = damon_get_folio(PHYS_PFN(addr));
		if (!folio)
			continue;
		folio_start = PFN_PHYS(folio_pfn(folio));
		step = folio_start + folio_size(folio) - addr;
		if (damos_folio_filter_out(s, folio, NULL, 0, NULL, NULL)) {
			folio_put(folio);
			continue;
		}
		passed += min_t(phys_addr_t, step, end - addr);
		if (damon_pa_apply_folio(folio, s, &folios))
			applied += min_t(phys_addr_t, step, end - addr);
		folio_put(folio);
		cond_resched();
	}

	switch (s->action) {
	case DAMOS_PAGEOUT:
		applied = reclaim_pages(&folios) * PAGE_SIZE;
		break;
	case DAMOS_MIGRATE_HOT:
	case DAMOS_MIGRATE_COLD:
		applied = damon_migrate_folio_list(&folios, s);
		break;
	default:
		break;
	}
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

static int __init damon_pa_initcall(void)
{
	struct damon_operations ops = {
		.id = DAMON_OPS_PADDR,
		.prepare_access_checks = damon_pa_prepare_access_checks,
		.check_accesses = damon_pa_check_accesses,
		.get_scheme_score = damon_pa_scheme_score,
		.apply_scheme = damon_pa_apply_scheme,
		.target_valid = damon_pa_target_valid,
	};

	return damon_register_ops(&ops);
}

subsys_initcall(damon_pa_initcall);
