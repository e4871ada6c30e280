/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of DAMON.  The printed formats are parsed by user space tools
 * (perf, trace-cmd, damo): keep them as they are.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM damon

#if !defined(_TRACE_DAMON_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_DAMON_H

#include <linux/damon.h>
#include <linux/types.h>
#include <linux/tracepoint.h>

/* One line per region of a target at the end of an aggregation window. */
TRACE_EVENT(damon_aggregated,

	TP_PROTO(unsigned int target_id, struct damon_region *r,
		unsigned int nr_regions),

	TP_ARGS(target_id, r, nr_regions),

	TP_STRUCT__entry(
		__field(unsigned long, target_id)
		__field(unsigned int, nr_regions)
		__field(unsigned long, start)
		__field(unsigned long, end)
		__field(unsigned int, nr_accesses)
		__field(unsigned int, age)
	),

	TP_fast_assign(
		__entry->target_id = target_id;
		__entry->nr_regions = nr_regions;
		__entry->start = r->ar.start;
		__entry->end = r->ar.end;
		__entry->nr_accesses = r->nr_accesses;
		__entry->age = r->age;
	),

	TP_printk("target_id=%lu nr_regions=%u %lu-%lu: %u %u",
			__entry->target_id, __entry->nr_regions,
			__entry->start, __entry->end,
			__entry->nr_accesses, __entry->age)
);

/* The sampling interval chosen by a monitoring intervals auto-tuning step. */
TRACE_EVENT(damon_monitor_intervals_tune,

	TP_PROTO(unsigned long sample_us),

	TP_ARGS(sample_us),

	TP_STRUCT__entry(
		__field(unsigned long, sample_us)
	),

	TP_fast_assign(
		__entry->sample_us = sample_us;
	),

	TP_printk("sample_us=%lu", __entry->sample_us)
);

/* A region a scheme is about to be applied to. */
TRACE_EVENT_CONDITION(damos_before_apply,

	TP_PROTO(unsigned int context_idx, unsigned int scheme_idx,
		unsigned int target_idx, struct damon_region *r,
		unsigned int nr_regions, bool do_trace),

	TP_ARGS(context_idx, scheme_idx, target_idx, r, nr_regions, do_trace),

	TP_CONDITION(do_trace),

	TP_STRUCT__entry(
		__field(unsigned int, context_idx)
		__field(unsigned int, scheme_idx)
		__field(unsigned long, target_idx)
		__field(unsigned long, start)
		__field(unsigned long, end)
		__field(unsigned int, nr_accesses)
		__field(unsigned int, age)
		__field(unsigned int, nr_regions)
	),

	TP_fast_assign(
		__entry->context_idx = context_idx;
		__entry->scheme_idx = scheme_idx;
		__entry->target_idx = target_idx;
		__entry->start = r->ar.start;
		__entry->end = r->ar.end;
		__entry->nr_accesses = r->nr_accesses_bp / 10000;
		__entry->age = r->age;
		__entry->nr_regions = nr_regions;
	),

	TP_printk("ctx_idx=%u scheme_idx=%u target_idx=%lu nr_regions=%u %lu-%lu: %u %u",
			__entry->context_idx, __entry->scheme_idx,
			__entry->target_idx, __entry->nr_regions,
			__entry->start, __entry->end,
			__entry->nr_accesses, __entry->age)
);

/* The effective size quota of a scheme, each time it is recomputed. */
TRACE_EVENT(damos_esz,

	TP_PROTO(unsigned int context_idx, unsigned int scheme_idx,
		unsigned long esz),

	TP_ARGS(context_idx, scheme_idx, esz),

	TP_STRUCT__entry(
		__field(unsigned int, context_idx)
		__field(unsigned int, scheme_idx)
		__field(unsigned long, esz)
	),

	TP_fast_assign(
		__entry->context_idx = context_idx;
		__entry->scheme_idx = scheme_idx;
		__entry->esz = esz;
	),

	TP_printk("ctx_idx=%u scheme_idx=%u esz=%lu",
			__entry->context_idx, __entry->scheme_idx,
			__entry->esz)
);

/* The statistics of a scheme after each of its apply intervals. */
TRACE_EVENT(damos_stat_after_apply_interval,

	TP_PROTO(unsigned int context_idx, unsigned int scheme_idx,
		struct damos_stat *stat),

	TP_ARGS(context_idx, scheme_idx, stat),

	TP_STRUCT__entry(
		__field(unsigned int, context_idx)
		__field(unsigned int, scheme_idx)
		__field(unsigned long, nr_tried)
		__field(unsigned long, sz_tried)
		__field(unsigned long, nr_applied)
		__field(unsigned long, sz_applied)
		__field(unsigned long, sz_ops_filter_passed)
		__field(unsigned long, qt_exceeds)
		__field(unsigned long, nr_snapshots)
	),

	TP_fast_assign(
		__entry->context_idx = context_idx;
		__entry->scheme_idx = scheme_idx;
		__entry->nr_tried = stat->nr_tried;
		__entry->sz_tried = stat->sz_tried;
		__entry->nr_applied = stat->nr_applied;
		__entry->sz_applied = stat->sz_applied;
		__entry->sz_ops_filter_passed = stat->sz_ops_filter_passed;
		__entry->qt_exceeds = stat->qt_exceeds;
		__entry->nr_snapshots = stat->nr_snapshots;
	),

	TP_printk("ctx_idx=%u scheme_idx=%u nr_tried=%lu sz_tried=%lu nr_applied=%lu sz_applied=%lu sz_ops_filter_passed=%lu qt_exceeds=%lu nr_snapshots=%lu",
			__entry->context_idx, __entry->scheme_idx,
			__entry->nr_tried, __entry->sz_tried,
			__entry->nr_applied, __entry->sz_applied,
			__entry->sz_ops_filter_passed, __entry->qt_exceeds,
			__entry->nr_snapshots)
);

/*
 * The access reports a kdamond drained at the end of a sampling interval:
 * how many, how many fell in a region, how many were stale, and how many
 * producers dropped (full ring or nested push) since the previous drain.
 */
TRACE_EVENT(damon_report_drain,

	TP_PROTO(unsigned long drained, unsigned long matched,
		unsigned long stale, unsigned long dropped),

	TP_ARGS(drained, matched, stale, dropped),

	TP_STRUCT__entry(
		__field(unsigned long, drained)
		__field(unsigned long, matched)
		__field(unsigned long, stale)
		__field(unsigned long, dropped)
	),

	TP_fast_assign(
		__entry->drained = drained;
		__entry->matched = matched;
		__entry->stale = stale;
		__entry->dropped = dropped;
	),

	TP_printk("drained=%lu matched=%lu stale=%lu dropped=%lu",
			__entry->drained, __entry->matched,
			__entry->stale, __entry->dropped)
);

/*
 * One line per region of a target at the end of an aggregation window, with
 * the hits of each data attribute probe of the context in the window (one
 * byte per probe, saturated at 255), in hex.
 */
TRACE_EVENT(damon_region_aggregated,

	TP_PROTO(unsigned int target_id, struct damon_region *r,
		unsigned int nr_regions, unsigned int nr_probes),

	TP_ARGS(target_id, r, nr_regions, nr_probes),

	TP_STRUCT__entry(
		__field(unsigned long, target_id)
		__field(unsigned int, nr_regions)
		__field(unsigned long, start)
		__field(unsigned long, end)
		__field(unsigned int, nr_accesses)
		__field(unsigned int, age)
		__dynamic_array(u8, probe_hits, nr_probes)
	),

	TP_fast_assign(
		u8 *hits = __get_dynamic_array(probe_hits);
		unsigned int i;

		__entry->target_id = target_id;
		__entry->nr_regions = nr_regions;
		__entry->start = r->ar.start;
		__entry->end = r->ar.end;
		__entry->nr_accesses = r->nr_accesses;
		__entry->age = r->age;
		for (i = 0; i < nr_probes && i < DAMON_MAX_PROBES; i++)
			hits[i] = min_t(u16, r->probe_hits[i], U8_MAX);
	),

	TP_printk("target_id=%lu nr_regions=%u %lu-%lu: %u %u probe_hits=%s",
			__entry->target_id, __entry->nr_regions,
			__entry->start, __entry->end,
			__entry->nr_accesses, __entry->age,
			__print_hex(__get_dynamic_array(probe_hits),
				    __get_dynamic_array_len(probe_hits)))
);

/* A NUMA hinting fault, as the page fault primitive reports it. */
TRACE_EVENT(damon_report_page_fault,

	TP_PROTO(unsigned long vaddr, unsigned long size, int cpu, pid_t tid,
		bool is_write),

	TP_ARGS(vaddr, size, cpu, tid, is_write),

	TP_STRUCT__entry(
		__field(unsigned long, vaddr)
		__field(unsigned long, size)
		__field(int, cpu)
		__field(pid_t, tid)
		__field(bool, is_write)
	),

	TP_fast_assign(
		__entry->vaddr = vaddr;
		__entry->size = size;
		__entry->cpu = cpu;
		__entry->tid = tid;
		__entry->is_write = is_write;
	),

	TP_printk("vaddr=%lu size=%lu cpu=%d tid=%d write=%d",
			__entry->vaddr, __entry->size, __entry->cpu,
			__entry->tid, __entry->is_write)
);

#endif /* _TRACE_DAMON_H */

/* This part must be outside protection */
#include <trace/define_trace.h>
