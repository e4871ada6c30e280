/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the monitoring core (core.c) calls of the data attribute probes
 * (probes.c).  Not for use outside mm/damon/.
 */

#ifndef _MM_DAMON_PROBES_H
#define _MM_DAMON_PROBES_H

#include <linux/damon.h>

/* Destroys every probe of @ctx. */
void damon_probes_destroy_all(struct damon_ctx *ctx);

/* Checks the probes of @ctx: their number, filter count and filter types. */
int damon_probes_validate(struct damon_ctx *ctx);

/*
 * Makes the probes of @dst those of @src.  The probe at an index both have
 * keeps the hits its regions counted; hits of removed probes are cleared.
 * -ENOMEM leaves @dst unchanged.
 */
int damon_probes_commit(struct damon_ctx *dst, struct damon_ctx *src);

/* Copies the hit counters of @src to @dst (a piece split off @src). */
void damon_probes_copy_hits(struct damon_region *dst,
			    const struct damon_region *src);

/*
 * Sets the hit counters of @l, of @sl bytes, to the size-weighted average
 * of its own and those of @r, of @sr bytes, merged into it.
 */
void damon_probes_merge_hits(struct damon_region *l, unsigned long sl,
			     const struct damon_region *r, unsigned long sr);

/* Ends the aggregation window of the hit counters of @r. */
void damon_probes_reset_aggregated(struct damon_region *r);

/* Rescales the hit counters of @r from a @old_max to a @new_max window. */
void damon_probes_rescale(struct damon_region *r, unsigned int old_max,
			  unsigned int new_max);

/* Whether some probe of @ctx has a weight: see damon_probes_key(). */
bool damon_probes_attrs_only(struct damon_ctx *ctx);

/*
 * The weighted average of the hits of @r (of the previous window if @last),
 * weighted by the probe weights: the key that replaces nr_accesses in the
 * regions adjustment while damon_probes_attrs_only().
 */
unsigned int damon_probes_key(struct damon_ctx *ctx, struct damon_region *r,
			      bool last);

/* The largest damon_probes_key() of the current window over all regions. */
unsigned int damon_probes_max_key(struct damon_ctx *ctx);

/* Emits damon:damon_region_aggregated for every region, if enabled. */
void damon_probes_trace_aggregated(struct damon_ctx *ctx);

#endif /* _MM_DAMON_PROBES_H */
