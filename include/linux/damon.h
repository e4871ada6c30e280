/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMON: Data Access MONitor
 *
 * The in-kernel interface of DAMON.  A monitoring context (struct damon_ctx)
 * is run by one kernel thread ("kdamond") that periodically samples the
 * access state of a set of address ranges (regions) of its targets, through
 * a pluggable set of primitives (struct damon_operations).  Access-aware
 * operation schemes (struct damos) turn the results into memory management
 * actions.
 */

#ifndef _DAMON_H_
#define _DAMON_H_

#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/prandom.h>
#include <linux/types.h>

/* Smallest region size DAMON handles, and the default region granularity. */
#define DAMON_MIN_REGION	PAGE_SIZE

/*
 * Most regions a context may be asked to keep (&struct damon_attrs
 * ->max_nr_regions, and so ->min_nr_regions).  A region takes 80 bytes and
 * is visited every sampling interval: a million of them is already 80 MiB
 * and seconds of work per aggregation interval on a small machine.
 */
#define DAMON_MAX_NR_REGIONS	1000000UL

/*
 * Most sampling intervals an aggregation interval may hold: access counts
 * are kept in basis points of one sample (10000 per sample) in 32 bits.
 */
#define DAMON_MAX_AGGR_SAMPLES	100000UL

/*
 * Most data attribute probes (struct damon_probe) a context may have, and
 * most filters a probe may have.  Every region keeps two counters per
 * possible probe, so the first bound sets how much a region grows.
 */
#define DAMON_MAX_PROBES	4
#define DAMON_PROBE_MAX_FILTERS	16

/* Upper bound of what a score returned by damon_operations->get_scheme_score can be. */
#define DAMOS_MAX_SCORE		(99)

/**
 * struct damon_addr_range - A half-open address range, [@start, @end).
 * @start:	First address of the range.
 * @end:	First address after the range.
 */
struct damon_addr_range {
	unsigned long start;
	unsigned long end;
};

/**
 * struct damon_size_range - An inclusive size range, [@min, @max].
 * @min:	Minimum size.
 * @max:	Maximum size.
 */
struct damon_size_range {
	unsigned long min;
	unsigned long max;
};

/**
 * struct damon_region - A contiguous address range monitored as one unit.
 * @ar:			The address range.
 * @sampling_addr:	Address picked for the ongoing access check.
 * @nr_accesses:	Positive samples in the current aggregation window.
 * @nr_accesses_bp:	Pseudo moving sum of @nr_accesses, in basis points of
 *			one sample, updated every sampling interval.
 * @age:		Aggregation intervals the access frequency has stayed
 *			about the same.
 * @last_nr_accesses:	@nr_accesses of the previous aggregation window.
 * @reported:		An access report matched the region in the ongoing
 *			sampling interval (set and consumed by the core).
 * @probe_hits:		Per probe of the context (by index), samples of the
 *			current aggregation window whose page the probe
 *			matched; saturates at U16_MAX.
 * @last_probe_hits:	@probe_hits of the previous aggregation window.
 * @list:		Link in the owning target's region list.
 *
 * Every page of the region is assumed to share the access frequency of the
 * page at @sampling_addr.  The adaptive regions adjustment of the core keeps
 * that assumption close to the truth by merging and splitting regions.
 */
struct damon_region {
	struct damon_addr_range ar;
	unsigned long sampling_addr;
	unsigned int nr_accesses;
	unsigned int nr_accesses_bp;
	unsigned int age;
	unsigned int last_nr_accesses;
	bool reported;
	u16 probe_hits[DAMON_MAX_PROBES];
	u16 last_probe_hits[DAMON_MAX_PROBES];
	struct list_head list;
};

/**
 * struct damon_target - An address space to be monitored.
 * @pid:	Process to monitor, for the virtual address operations sets.
 *		A reference is held while the target exists.
 * @nr_regions:	Number of entries in @regions_list.
 * @regions_list:	Address-sorted, non-overlapping monitoring regions.
 * @obsolete:	Removed by the next online commit (damon_commit_ctx()).
 * @list:	Link in the owning context's target list.
 */
struct damon_target {
	struct pid *pid;
	unsigned int nr_regions;
	struct list_head regions_list;
	bool obsolete;
	struct list_head list;
};

/**
 * enum damos_action - What a scheme does to the regions it selects.
 * @DAMOS_WILLNEED:	MADV_WILLNEED.
 * @DAMOS_COLD:		MADV_COLD.
 * @DAMOS_PAGEOUT:	Reclaim the pages.
 * @DAMOS_HUGEPAGE:	MADV_HUGEPAGE.
 * @DAMOS_NOHUGEPAGE:	MADV_NOHUGEPAGE.
 * @DAMOS_COLLAPSE:	MADV_COLLAPSE.
 * @DAMOS_LRU_PRIO:	Move the pages to the head of the active LRU list.
 * @DAMOS_LRU_DEPRIO:	Move the pages to the inactive LRU list.
 * @DAMOS_MIGRATE_HOT:	Migrate the pages, hottest first.
 * @DAMOS_MIGRATE_COLD:	Migrate the pages, coldest first.
 * @DAMOS_STAT:		Only account statistics.
 * @NR_DAMOS_ACTIONS:	Number of actions.
 */
enum damos_action {
	DAMOS_WILLNEED,
	DAMOS_COLD,
	DAMOS_PAGEOUT,
	DAMOS_HUGEPAGE,
	DAMOS_NOHUGEPAGE,
	DAMOS_COLLAPSE,
	DAMOS_LRU_PRIO,
	DAMOS_LRU_DEPRIO,
	DAMOS_MIGRATE_HOT,
	DAMOS_MIGRATE_COLD,
	DAMOS_STAT,
	NR_DAMOS_ACTIONS,
};

/**
 * enum damos_quota_goal_metric - What a quota goal measures.
 * @DAMOS_QUOTA_USER_INPUT:	Value fed by the user.
 * @DAMOS_QUOTA_SOME_MEM_PSI_US:	System-wide "some" memory PSI, in us.
 * @DAMOS_QUOTA_NODE_MEM_USED_BP:	Used memory of a node, in bp.
 * @DAMOS_QUOTA_NODE_MEM_FREE_BP:	Free memory of a node, in bp.
 * @DAMOS_QUOTA_NODE_MEMCG_USED_BP:	Memory of a cgroup on a node, in bp.
 * @DAMOS_QUOTA_NODE_MEMCG_FREE_BP:	Node memory not used by a cgroup, in bp.
 * @DAMOS_QUOTA_ACTIVE_MEM_BP:	Active LRU share of LRU memory, in bp.
 * @DAMOS_QUOTA_INACTIVE_MEM_BP:	Inactive LRU share of LRU memory, in bp.
 * @DAMOS_QUOTA_NODE_ELIGIBLE_MEM_BP:	Share of the memory eligible for the
 *					scheme that sits on a node, in bp.
 * @NR_DAMOS_QUOTA_GOAL_METRICS:	Number of metrics.
 */
enum damos_quota_goal_metric {
	DAMOS_QUOTA_USER_INPUT,
	DAMOS_QUOTA_SOME_MEM_PSI_US,
	DAMOS_QUOTA_NODE_MEM_USED_BP,
	DAMOS_QUOTA_NODE_MEM_FREE_BP,
	DAMOS_QUOTA_NODE_MEMCG_USED_BP,
	DAMOS_QUOTA_NODE_MEMCG_FREE_BP,
	DAMOS_QUOTA_ACTIVE_MEM_BP,
	DAMOS_QUOTA_INACTIVE_MEM_BP,
	DAMOS_QUOTA_NODE_ELIGIBLE_MEM_BP,
	NR_DAMOS_QUOTA_GOAL_METRICS,
};

/**
 * struct damos_quota_goal - A feedback target for a scheme's quota.
 * @metric:		What to measure.
 * @target_value:	Wanted value of the metric.
 * @current_value:	Last measured (or, for user input, given) value.
 * @nid:		Node of the node_* metrics.
 * @memcg_id:		Cgroup of the node_memcg_* metrics.
 * @last_psi_total:	PSI total at the previous measurement (private).
 * @node_eligible_sz:	Bytes on @nid eligible for the scheme in the ongoing
 *			application pass, for
 *			%DAMOS_QUOTA_NODE_ELIGIBLE_MEM_BP (private).
 * @list:		Link in the quota's goal list.
 */
struct damos_quota_goal {
	enum damos_quota_goal_metric metric;
	unsigned long target_value;
	unsigned long current_value;
	int nid;
	unsigned short memcg_id;
	u64 last_psi_total;
	unsigned long node_eligible_sz;
	struct list_head list;
};

/**
 * enum damos_quota_goal_tuner - How goals turn into an effective quota.
 * @DAMOS_QUOTA_GOAL_TUNER_CONSIST:	Proportional feedback loop.
 * @DAMOS_QUOTA_GOAL_TUNER_TEMPORAL:	Full speed until the goal is met,
 *					then stop until it is missed again.
 * @NR_DAMOS_QUOTA_GOAL_TUNERS:		Number of tuners.
 */
enum damos_quota_goal_tuner {
	DAMOS_QUOTA_GOAL_TUNER_CONSIST,
	DAMOS_QUOTA_GOAL_TUNER_TEMPORAL,
	NR_DAMOS_QUOTA_GOAL_TUNERS,
};

/**
 * struct damos_quota - Limit of how much a scheme may do per interval.
 * @reset_interval:	Charge window, in milliseconds.
 * @ms:			Time the action may take per window, in ms.
 * @sz:			Bytes the action may be applied to per window.
 * @goals:		Feedback goals (struct damos_quota_goal).
 * @goal_tuner:		How @goals adjust @esz.
 * @esz:		Effective size quota, derived from the above (read only).
 * @weight_sz:		Prioritization weight of the region size, permil.
 * @weight_nr_accesses:	Prioritization weight of the access frequency.
 * @weight_age:		Prioritization weight of the age.
 * @fail_charge_num:	Numerator of the share of bytes the action failed on
 *			that is charged to the quota.
 * @fail_charge_denom:	Denominator of that share; zero charges everything.
 *
 * The fields after @fail_charge_denom are the core's own bookkeeping.
 */
struct damos_quota {
	unsigned long reset_interval;
	unsigned long ms;
	unsigned long sz;
	struct list_head goals;
	enum damos_quota_goal_tuner goal_tuner;
	unsigned long esz;
	unsigned int weight_sz;
	unsigned int weight_nr_accesses;
	unsigned int weight_age;
	unsigned int fail_charge_num;
	unsigned int fail_charge_denom;

/* private: */
	unsigned long total_charged_sz;
	unsigned long total_charged_ns;
	unsigned long charged_sz;
	unsigned long charged_from;
	struct damon_target *charge_target_from;
	unsigned long charge_addr_from;
	unsigned int min_score;
	unsigned long esz_bp;
};

/**
 * enum damos_wmark_metric - What the watermarks of a scheme measure.
 * @DAMOS_WMARK_NONE:		Nothing; the scheme is always active.
 * @DAMOS_WMARK_FREE_MEM_RATE:	Free memory of the system, in permil.
 * @NR_DAMOS_WMARK_METRICS:	Number of metrics.
 */
enum damos_wmark_metric {
	DAMOS_WMARK_NONE,
	DAMOS_WMARK_FREE_MEM_RATE,
	NR_DAMOS_WMARK_METRICS,
};

/**
 * struct damos_watermarks - When a scheme is active.
 * @metric:	What to measure.
 * @interval:	How often to measure, in microseconds.
 * @high:	Above this, the scheme is deactivated.
 * @mid:	Between @low and this, an inactive scheme is activated.
 * @low:	Below this, the scheme is deactivated.
 */
struct damos_watermarks {
	enum damos_wmark_metric metric;
	unsigned long interval;
	unsigned long high;
	unsigned long mid;
	unsigned long low;

/* private: */
	bool activated;
	unsigned long next_check_sis;
};

/**
 * enum damos_filter_type - What a scheme filter matches memory against.
 * @DAMOS_FILTER_TYPE_ANON:		Anonymous pages.
 * @DAMOS_FILTER_TYPE_ACTIVE:		Pages on an active LRU list.
 * @DAMOS_FILTER_TYPE_MEMCG:		Pages charged to a given cgroup.
 * @DAMOS_FILTER_TYPE_YOUNG:		Pages accessed since the last check.
 * @DAMOS_FILTER_TYPE_HUGEPAGE_SIZE:	Pages of folios within a size range.
 * @DAMOS_FILTER_TYPE_UNMAPPED:		Pages not mapped in any page table.
 * @DAMOS_FILTER_TYPE_ADDR:		An address range.
 * @DAMOS_FILTER_TYPE_TARGET:		A monitoring target, by index.
 * @NR_DAMOS_FILTER_TYPES:		Number of types.
 *
 * The types up to @DAMOS_FILTER_TYPE_UNMAPPED are handled by the operations
 * set, page by page; the others by the core, region by region.
 */
enum damos_filter_type {
	DAMOS_FILTER_TYPE_ANON,
	DAMOS_FILTER_TYPE_ACTIVE,
	DAMOS_FILTER_TYPE_MEMCG,
	DAMOS_FILTER_TYPE_YOUNG,
	DAMOS_FILTER_TYPE_HUGEPAGE_SIZE,
	DAMOS_FILTER_TYPE_UNMAPPED,
	DAMOS_FILTER_TYPE_ADDR,
	DAMOS_FILTER_TYPE_TARGET,
	NR_DAMOS_FILTER_TYPES,
};

/**
 * struct damos_filter - Decides which memory a scheme acts on.
 * @type:	What to match.
 * @matching:	Whether the filter applies to memory that matches @type
 *		(true) or to memory that does not (false).
 * @allow:	Whether memory the filter applies to is let through (true)
 *		or excluded (false).
 * @memcg_id:	Cgroup, for %DAMOS_FILTER_TYPE_MEMCG.
 * @addr_range:	Range, for %DAMOS_FILTER_TYPE_ADDR.
 * @target_idx:	Target index, for %DAMOS_FILTER_TYPE_TARGET.
 * @sz_range:	Folio size range, for %DAMOS_FILTER_TYPE_HUGEPAGE_SIZE.
 * @list:	Link in the scheme's filter list.
 *
 * Filters are evaluated in order and the first one that applies decides.
 * When none applies, the outcome is the opposite of the last filter's
 * @allow.
 */
struct damos_filter {
	enum damos_filter_type type;
	bool matching;
	bool allow;
	union {
		unsigned short memcg_id;
		struct damon_addr_range addr_range;
		int target_idx;
		struct damon_size_range sz_range;
	};
	struct list_head list;
};

/**
 * struct damos_access_pattern - Which regions a scheme selects.
 * @min_sz_region:	Minimum region size, bytes.
 * @max_sz_region:	Maximum region size, bytes.
 * @min_nr_accesses:	Minimum access frequency, samples per aggregation.
 * @max_nr_accesses:	Maximum access frequency.
 * @min_age_region:	Minimum age, aggregation intervals.
 * @max_age_region:	Maximum age.
 *
 * All ranges are inclusive.
 */
struct damos_access_pattern {
	unsigned long min_sz_region;
	unsigned long max_sz_region;
	unsigned int min_nr_accesses;
	unsigned int max_nr_accesses;
	unsigned int min_age_region;
	unsigned int max_age_region;
};

/**
 * struct damos_migrate_dests - Weighted destination nodes of migration.
 * @node_id_arr:	Node ids.
 * @weight_arr:		Relative weight of each node.
 * @nr_dests:		Number of entries of the two arrays.
 */
struct damos_migrate_dests {
	unsigned int *node_id_arr;
	unsigned int *weight_arr;
	size_t nr_dests;
};

/**
 * struct damos_stat - What a scheme has done so far.
 * @nr_tried:		Regions the action was tried on.
 * @sz_tried:		Bytes of those regions.
 * @sz_ops_filter_passed:	Bytes that passed the operations-layer filters.
 * @nr_applied:		Regions the action was applied to.
 * @sz_applied:		Bytes the action was applied to.
 * @qt_exceeds:		Times the quota was exceeded.
 * @nr_snapshots:	Aggregation intervals the scheme was applied in.
 */
struct damos_stat {
	unsigned long nr_tried;
	unsigned long sz_tried;
	unsigned long sz_ops_filter_passed;
	unsigned long nr_applied;
	unsigned long sz_applied;
	unsigned long qt_exceeds;
	unsigned long nr_snapshots;
};

/**
 * struct damos - An access-aware operation scheme.
 * @pattern:		Which regions the scheme selects.
 * @action:		What it does to them.
 * @apply_interval_us:	How often it is applied; zero means every
 *			aggregation interval.
 * @quota:		How much it may do.
 * @wmarks:		When it is active.
 * @target_nid:		Destination node of migration actions.
 * @migrate_dests:	Weighted destinations; overrides @target_nid.
 * @core_filters:	Region-granularity filters, evaluated first.
 * @ops_filters:	Page-granularity filters of the operations set.
 * @max_nr_snapshots:	Deactivate after this many snapshots (0: never).
 * @stat:		Statistics.
 * @list:		Link in the context's scheme list.
 *
 * Fields below "private" are the core's own bookkeeping.
 */
struct damos {
	struct damos_access_pattern pattern;
	enum damos_action action;
	unsigned long apply_interval_us;
	struct damos_quota quota;
	struct damos_watermarks wmarks;
	int target_nid;
	struct damos_migrate_dests migrate_dests;
	struct list_head core_filters;
	struct list_head ops_filters;
	unsigned long max_nr_snapshots;
	struct damos_stat stat;
	struct list_head list;

/* private: */
	unsigned long next_apply_sis;
	bool core_filters_default_reject;
	bool ops_filters_default_reject;
	/* The region the action was last applied to, for walks. */
	struct damon_region *last_applied;
};

/**
 * struct damon_access_report - One observed access, pushed by any code.
 * @paddr:	Physical address of the access, for the physical address
 *		operations set; 0 if unknown.
 * @vaddr:	Virtual address of the access, in the address space of the
 *		task @tid, for the virtual address operations sets.
 * @size:	Bytes accessed from the address on (at least 1).
 * @cpu:	CPU the access happened on.
 * @tid:	Thread (global pid number) that made the access.
 * @is_write:	Whether the access was a write.
 *
 * See damon_report_access().
 */
struct damon_access_report {
	unsigned long paddr;
	unsigned long vaddr;
	unsigned long size;
	int cpu;
	pid_t tid;
	bool is_write;
};

/**
 * enum damon_sample_filter_type - What a sample filter matches reports by.
 * @DAMON_SAMPLE_FILTER_TYPE_CPUMASK:	The reporting CPU is in a set.
 * @DAMON_SAMPLE_FILTER_TYPE_THREADS:	The reporting thread is in a list.
 * @DAMON_SAMPLE_FILTER_TYPE_WRITE:	The access is a write.
 * @NR_DAMON_SAMPLE_FILTER_TYPES:	Number of types.
 */
enum damon_sample_filter_type {
	DAMON_SAMPLE_FILTER_TYPE_CPUMASK,
	DAMON_SAMPLE_FILTER_TYPE_THREADS,
	DAMON_SAMPLE_FILTER_TYPE_WRITE,
	NR_DAMON_SAMPLE_FILTER_TYPES,
};

/* Most thread ids a sample filter of type threads may list. */
#define DAMON_SAMPLE_FILTER_MAX_TIDS	256

/**
 * struct damon_sample_filter - Decides which access reports count.
 * @type:	What to match.
 * @matching:	Whether the filter applies to reports that match @type (true)
 *		or to those that do not (false).
 * @allow:	Whether reports the filter applies to count (true) or are
 *		dropped (false).
 * @cpumask:	CPUs, for %DAMON_SAMPLE_FILTER_TYPE_CPUMASK.
 * @tids:	Thread ids, for %DAMON_SAMPLE_FILTER_TYPE_THREADS.
 * @nr_tids:	Number of entries of @tids.
 * @list:	Link in the sample control's filter list.
 *
 * Filters are evaluated in order and the first that applies decides, as
 * DAMOS filters are.  When none applies, the outcome is the opposite of the
 * last filter's @allow.  No filter lets every report through.
 */
struct damon_sample_filter {
	enum damon_sample_filter_type type;
	bool matching;
	bool allow;
	cpumask_var_t cpumask;
	pid_t *tids;
	unsigned int nr_tids;
	struct list_head list;
};

/**
 * struct damon_sample_primitives - How a context learns about accesses.
 * @page_table:	Check and clear the Accessed bits of the sampled pages.
 * @page_fault:	Count the faults of access reports made on sampled pages.
 * @perf_events:	Count the samples of the perf events of the context
 *			(&damon_sample_control->perf_events).
 *
 * Several may be on: a region is then accessed in a sampling interval if
 * any saw an access.  At least one must be on.
 */
struct damon_sample_primitives {
	bool page_table;
	bool page_fault;
	bool perf_events;
};

/* Most perf events a context may sample (&damon_sample_control). */
#define DAMON_MAX_PERF_EVENTS	64

/**
 * struct damon_perf_event - A perf event whose samples are access reports.
 * @type:		PMU type (&perf_event_attr->type).
 * @config:		PMU-specific event selection.
 * @config1:		Extension of @config.
 * @config2:		Extension of @config1.
 * @sample_freq:	Samples per second, with @freq.
 * @sample_period:	Events per sample, without @freq.
 * @wakeup_events:	Samples per overflow notification.
 * @precise_ip:		Skid constraint, 0 to 3.
 * @sample_phys_addr:	Take the physical data address of the samples.
 * @sample_weight_struct:	Ask the PMU for the structured sample weight.
 * @freq:		Sample at @sample_freq rather than every
 *			@sample_period events.
 * @exclude_kernel:	Don't count in kernel mode.
 * @exclude_hv:		Don't count in the hypervisor.
 *
 * The fields are those of &struct perf_event_attr of the same names.  With
 * the primitive &damon_sample_primitives->perf_events on, a running context
 * has one kernel counter per online CPU per event; the data address of each
 * sample becomes an access report (see damon_report_access()).
 */
struct damon_perf_event {
	u32 type;
	u64 config;
	u64 config1;
	u64 config2;
	u64 sample_freq;
	u64 sample_period;
	u32 wakeup_events;
	u8 precise_ip;
	bool sample_phys_addr;
	bool sample_weight_struct;
	bool freq;
	bool exclude_kernel;
	bool exclude_hv;
};

/**
 * struct damon_sample_control - Access sampling setup of a context.
 * @primitives:	The enabled sampling primitives.
 * @filters:	Filters of access reports (struct damon_sample_filter).
 * @perf_events:	Perf events of the perf_events primitive.
 * @nr_perf_events:	Number of entries of @perf_events.
 */
struct damon_sample_control {
	struct damon_sample_primitives primitives;
	struct list_head filters;
	struct damon_perf_event *perf_events;
	unsigned int nr_perf_events;
};

/**
 * struct damon_report_stat - What happened to the access reports of a context.
 * @pushed:		Reports written to a ring.
 * @dropped_full:	Reports dropped because their ring was full.
 * @dropped_nested:	Reports dropped because they interrupted a push on
 *			the same CPU (e.g. from NMI).
 * @stale:		Reports drained older than the sampling interval.
 * @filtered:		Reports the sample filters rejected.
 * @unmatched:		Reports that fell in no region of any target.
 * @matched:		Reports that fell in at least one region.
 */
struct damon_report_stat {
	unsigned long pushed;
	unsigned long dropped_full;
	unsigned long dropped_nested;
	unsigned long stale;
	unsigned long filtered;
	unsigned long unmatched;
	unsigned long matched;
};

/**
 * enum damon_ops_id - Identifier of a registered operations set.
 * @DAMON_OPS_VADDR:	Virtual address spaces, ranges following the mappings.
 * @DAMON_OPS_FVADDR:	Fixed virtual address ranges.
 * @DAMON_OPS_PADDR:	The physical address space.
 * @NR_DAMON_OPS:	Number of operations sets.
 */
enum damon_ops_id {
	DAMON_OPS_VADDR,
	DAMON_OPS_FVADDR,
	DAMON_OPS_PADDR,
	NR_DAMON_OPS,
};

struct damon_ctx;

/**
 * struct damon_operations - The primitives DAMON monitors through.
 * @id:			Identifier of the set.
 * @init:		Set up the initial regions of the targets.
 * @update:		Refresh the regions (every ops update interval).
 * @prepare_access_checks:	Pick the next sampling address of every
 *			region and clear its accessed state.
 * @check_accesses:	Check the sampling addresses prepared last time and
 *			feed the results to damon_update_region_access_rate().
 *			Returns the largest nr_accesses seen.
 * @get_scheme_score:	Score (0..%DAMOS_MAX_SCORE) of a region for a scheme;
 *			higher is applied first under a quota.
 * @apply_scheme:	Apply the scheme's action to a region; returns the
 *			bytes applied and stores the bytes that passed the
 *			ops filters in @sz_filter_passed.
 * @fault_sample:	Page fault sampling primitive.  With @arm, make the
 *			sampled page of every region fault on its next access
 *			(picking the sampling addresses first unless the page
 *			table primitive did); without, make the pages armed by
 *			the last call accessible again.  Sets without it can't
 *			run the page fault primitive.
 * @report_target:	The target an access report belongs to, or NULL, and
 *			in @addr the address to match against its regions.
 *			Called by the core when it matches drained reports.
 * @target_valid:	Whether the target is still alive.  The kdamond stops
 *			once no target is.
 * @cleanup_target:	Release what the set attached to a target.
 * @cleanup:		Release what the set attached to the context.
 * @region_nid:		NUMA node of the memory of a region, if cheaply known;
 *			%NUMA_NO_NODE otherwise (or without the callback).
 * @default_regions:	Set the regions of a target the user gave none for,
 *			when the context is built; without the callback such
 *			a target starts without regions (@init may set them).
 * @apply_probes:	Match the page at the sampling address of every region
 *			against the probes of the context, counting the hits
 *			with damon_probes_folio_hits().  Called after
 *			@check_accesses, only when the context has probes.
 * @actions:		DAMOS actions the set can apply, a mask of
 *			BIT(enum damos_action).
 * @ops_filter_actions:	Actions of @actions for which the set applies the
 *			page-granularity filters of a scheme (ops_filters).
 * @scaled_addr:	Whether addresses may be counted in units of more
 *			than a byte (&damon_ctx->addr_unit).
 * @pid_targets:	Whether each target is a process, named by
 *			&damon_target->pid.
 *
 * Every callback is optional and runs in the kdamond, except
 * @cleanup_target, which may run wherever a target is destroyed, and
 * @default_regions, which runs where the context is built.  The core checks
 * schemes against @actions and @ops_filter_actions when a context is started
 * or committed, so that @apply_scheme only sees the actions it declared.
 */
struct damon_operations {
	enum damon_ops_id id;
	void (*init)(struct damon_ctx *ctx);
	void (*update)(struct damon_ctx *ctx);
	void (*prepare_access_checks)(struct damon_ctx *ctx);
	unsigned int (*check_accesses)(struct damon_ctx *ctx);
	int (*get_scheme_score)(struct damon_ctx *ctx, struct damon_target *t,
				struct damon_region *r, struct damos *scheme);
	unsigned long (*apply_scheme)(struct damon_ctx *ctx,
				      struct damon_target *t,
				      struct damon_region *r,
				      struct damos *scheme,
				      unsigned long *sz_filter_passed);
	void (*fault_sample)(struct damon_ctx *ctx, bool arm);
	struct damon_target *(*report_target)(struct damon_ctx *ctx,
					      const struct damon_access_report *r,
					      unsigned long *addr);
	bool (*target_valid)(struct damon_target *t);
	void (*cleanup_target)(struct damon_target *t);
	void (*cleanup)(struct damon_ctx *ctx);
	int (*region_nid)(struct damon_ctx *ctx, struct damon_region *r);
	int (*default_regions)(struct damon_ctx *ctx, struct damon_target *t);
	void (*apply_probes)(struct damon_ctx *ctx);
	unsigned long actions;
	unsigned long ops_filter_actions;
	bool scaled_addr;
	bool pid_targets;
};

/**
 * struct damon_intervals_goal - Goal of monitoring intervals auto-tuning.
 * @access_bp:		Wanted observed accesses, in bp of the observable.
 * @aggrs:		Aggregation intervals per tuning step.
 * @min_sample_us:	Lower bound of the sampling interval.
 * @max_sample_us:	Upper bound of the sampling interval.
 *
 * Zero @aggrs disables the tuning.
 */
struct damon_intervals_goal {
	unsigned long access_bp;
	unsigned long aggrs;
	unsigned long min_sample_us;
	unsigned long max_sample_us;
};

/**
 * struct damon_attrs - Monitoring attributes of a context.
 * @sample_interval:	Sampling interval, microseconds.
 * @aggr_interval:	Aggregation interval, microseconds.
 * @ops_update_interval:	Operations update interval, microseconds.
 * @intervals_goal:	Auto-tuning goal of the two intervals above.
 * @min_nr_regions:	Minimum number of regions per context.
 * @max_nr_regions:	Maximum number of regions per context.
 */
struct damon_attrs {
	unsigned long sample_interval;
	unsigned long aggr_interval;
	unsigned long ops_update_interval;
	struct damon_intervals_goal intervals_goal;
	unsigned long min_nr_regions;
	unsigned long max_nr_regions;

/* private: */
	unsigned long aggr_samples;
};

/**
 * struct damon_call_control - A function to run inside a kdamond.
 * @fn:		The function; its return value is handed back.
 * @data:	Argument of @fn.
 * @repeat:	Run @fn once per sampling interval until the context stops,
 *		instead of once; damon_call() then returns without waiting.
 * @return_code:	What @fn returned (for non-repeated calls).
 *
 * See damon_call().
 */
struct damon_call_control {
	int (*fn)(void *data);
	void *data;
	bool repeat;
	int return_code;

/* private: */
	struct completion completion;
	bool canceled;
	struct list_head list;
};

/**
 * struct damos_walk_control - Visit the regions schemes are applied to.
 * @walk_fn:	Called for each region a scheme is tried on in the next
 *		application of every scheme, once the action was tried on
 *		it (so that the bytes the ops filters passed are known),
 *		before its age is reset.
 * @data:	First argument of @walk_fn.
 *
 * See damos_walk().
 */
struct damos_walk_control {
	void (*walk_fn)(void *data, struct damon_ctx *ctx,
			struct damon_target *t, struct damon_region *r,
			struct damos *s, unsigned long sz_filter_passed);
	void *data;

/* private: */
	struct completion completion;
	bool canceled;
	/* Schemes whose pass of this walk is over, as a bitmap by index. */
	unsigned long walked;
	unsigned long started;
};

/**
 * struct damon_probe - A data attribute probe of a monitoring context.
 * @weight:	Weight of the probe's hits in the "attrs-only" key that
 *		replaces nr_accesses in the regions adjustment when any probe
 *		of the context has a non-zero weight.
 * @filters:	Filter chain (struct damos_filter of the types
 *		%DAMOS_FILTER_TYPE_ANON and %DAMOS_FILTER_TYPE_MEMCG), at most
 *		%DAMON_PROBE_MAX_FILTERS.
 * @list:	Link in the context's probe list.
 *
 * Every sampling interval, the operations set matches the page at the
 * sampling address of every region against the filter chain of each probe,
 * evaluated like the filters of a scheme: the first filter that applies
 * decides, and when none does, the opposite of the last filter's allow
 * does.  A probe without filters matches every page.  Each match counts a
 * hit in &damon_region->probe_hits at the probe's index.
 */
struct damon_probe {
	unsigned int weight;
	struct list_head filters;
	struct list_head list;
};

/**
 * struct damon_ctx - A monitoring context, run by one kdamond.
 * @attrs:		Monitoring attributes.
 * @ops:		The operations set.
 * @addr_unit:		Bytes per address unit (paddr on large systems).
 * @min_sz_region:	Smallest region size, in address units.
 * @pause:		Keep the kdamond alive but stop monitoring.
 * @sample:		Sampling primitives and access report filters.
 * @adaptive_targets:	Targets (struct damon_target).
 * @schemes:		Schemes (struct damos).
 * @probes:		Data attribute probes (struct damon_probe), at most
 *			%DAMON_MAX_PROBES.
 *
 * Fields below "private" belong to the core.  A context may be changed by
 * its owner only while its kdamond is not running, or from the kdamond
 * itself (damon_call(), damon_commit_ctx() from a damon_call() function).
 */
struct damon_ctx {
	struct damon_attrs attrs;
	struct damon_operations ops;
	unsigned long addr_unit;
	unsigned long min_sz_region;
	bool pause;
	struct damon_sample_control sample;
	struct list_head adaptive_targets;
	struct list_head schemes;
	struct list_head probes;

/* private: */
	/* Access report consumption state (report.c). */
	struct damon_report_ctx *report;
	/*
	 * The region count may have dropped below min_nr_regions (new or
	 * committed regions or attributes): split at the next sample.
	 */
	bool split_to_min_due;
	/* Time, counted in passed sampling intervals. */
	unsigned long passed_sample_intervals;
	unsigned long next_aggregation_sis;
	unsigned long next_ops_update_sis;
	unsigned long next_intervals_tune_sis;
	/* Sum of observed samples and their maximum since the last tuning. */
	unsigned long tune_observed;
	unsigned long tune_observable;

	struct task_struct *kdamond;
	/* Protects @kdamond and @kdamond_stopping. */
	struct mutex kdamond_lock;
	struct completion kdamond_started;
	/*
	 * Completed (for all waiters) by the kdamond as its very last access
	 * to the context; complete while no kdamond was ever started.
	 */
	struct completion kdamond_exited;
	/* A damon_stop() already called kthread_stop() on @kdamond. */
	bool kdamond_stopping;

	/* damon_call() requests not run yet. */
	struct list_head call_controls;
	/* Protects @call_controls. */
	struct mutex call_controls_lock;
	/* Repeated requests already run once; the kdamond's own. */
	struct list_head repeat_controls;
	/* The pending damos_walk() request. */
	struct damos_walk_control *walk_control;
	/* Protects @walk_control. */
	struct mutex walk_control_lock;

	struct rnd_state rnd;
};

/**
 * damon_for_each_region() - Iterate the regions of a target.
 * @r:	struct damon_region cursor.
 * @t:	The target.
 */
#define damon_for_each_region(r, t) \
	list_for_each_entry(r, &(t)->regions_list, list)

/**
 * damon_for_each_region_from() - Iterate the regions of a target from @r on.
 * @r:	struct damon_region cursor, pointing at the first to visit.
 * @t:	The target.
 */
#define damon_for_each_region_from(r, t) \
	list_for_each_entry_from(r, &(t)->regions_list, list)

/**
 * damon_for_each_region_safe() - Iterate regions, allowing their removal.
 * @r:		struct damon_region cursor.
 * @next:	struct damon_region temporary.
 * @t:		The target.
 */
#define damon_for_each_region_safe(r, next, t) \
	list_for_each_entry_safe(r, next, &(t)->regions_list, list)

/**
 * damon_for_each_target() - Iterate the targets of a context.
 * @t:		struct damon_target cursor.
 * @ctx:	The context.
 */
#define damon_for_each_target(t, ctx) \
	list_for_each_entry(t, &(ctx)->adaptive_targets, list)

/**
 * damon_for_each_target_safe() - Iterate targets, allowing their removal.
 * @t:		struct damon_target cursor.
 * @next:	struct damon_target temporary.
 * @ctx:	The context.
 */
#define damon_for_each_target_safe(t, next, ctx) \
	list_for_each_entry_safe(t, next, &(ctx)->adaptive_targets, list)

/**
 * damon_for_each_scheme() - Iterate the schemes of a context.
 * @s:		struct damos cursor.
 * @ctx:	The context.
 */
#define damon_for_each_scheme(s, ctx) \
	list_for_each_entry(s, &(ctx)->schemes, list)

/**
 * damon_for_each_scheme_safe() - Iterate schemes, allowing their removal.
 * @s:		struct damos cursor.
 * @next:	struct damos temporary.
 * @ctx:	The context.
 */
#define damon_for_each_scheme_safe(s, next, ctx) \
	list_for_each_entry_safe(s, next, &(ctx)->schemes, list)

/**
 * damon_for_each_probe() - Iterate the probes of a context.
 * @p:		struct damon_probe cursor.
 * @ctx:	The context.
 */
#define damon_for_each_probe(p, ctx) \
	list_for_each_entry(p, &(ctx)->probes, list)

/**
 * damon_for_each_probe_safe() - Iterate probes, allowing their removal.
 * @p:		struct damon_probe cursor.
 * @next:	struct damon_probe temporary.
 * @ctx:	The context.
 */
#define damon_for_each_probe_safe(p, next, ctx) \
	list_for_each_entry_safe(p, next, &(ctx)->probes, list)

/**
 * damon_probe_for_each_filter() - Iterate the filters of a probe.
 * @f:		struct damos_filter cursor.
 * @p:		The probe.
 */
#define damon_probe_for_each_filter(f, p) \
	list_for_each_entry(f, &(p)->filters, list)

/**
 * damos_for_each_quota_goal() - Iterate the goals of a quota.
 * @goal:	struct damos_quota_goal cursor.
 * @quota:	The quota.
 */
#define damos_for_each_quota_goal(goal, quota) \
	list_for_each_entry(goal, &(quota)->goals, list)

/**
 * damos_for_each_quota_goal_safe() - Iterate goals, allowing their removal.
 * @goal:	struct damos_quota_goal cursor.
 * @next:	struct damos_quota_goal temporary.
 * @quota:	The quota.
 */
#define damos_for_each_quota_goal_safe(goal, next, quota) \
	list_for_each_entry_safe(goal, next, &(quota)->goals, list)

/**
 * damos_for_each_core_filter() - Iterate the core filters of a scheme.
 * @f:		struct damos_filter cursor.
 * @scheme:	The scheme.
 */
#define damos_for_each_core_filter(f, scheme) \
	list_for_each_entry(f, &(scheme)->core_filters, list)

/**
 * damos_for_each_core_filter_safe() - Iterate core filters, allowing removal.
 * @f:		struct damos_filter cursor.
 * @next:	struct damos_filter temporary.
 * @scheme:	The scheme.
 */
#define damos_for_each_core_filter_safe(f, next, scheme) \
	list_for_each_entry_safe(f, next, &(scheme)->core_filters, list)

/**
 * damos_for_each_ops_filter() - Iterate the operations filters of a scheme.
 * @f:		struct damos_filter cursor.
 * @scheme:	The scheme.
 */
#define damos_for_each_ops_filter(f, scheme) \
	list_for_each_entry(f, &(scheme)->ops_filters, list)

/**
 * damos_for_each_ops_filter_safe() - Iterate ops filters, allowing removal.
 * @f:		struct damos_filter cursor.
 * @next:	struct damos_filter temporary.
 * @scheme:	The scheme.
 */
#define damos_for_each_ops_filter_safe(f, next, scheme) \
	list_for_each_entry_safe(f, next, &(scheme)->ops_filters, list)

#ifdef CONFIG_DAMON

/* Regions, targets and contexts (core.c). */
struct damon_region *damon_new_region(unsigned long start, unsigned long end);
void damon_add_region(struct damon_region *r, struct damon_target *t);
void damon_insert_region(struct damon_region *r, struct damon_region *prev,
			 struct damon_region *next, struct damon_target *t);
void damon_destroy_region(struct damon_region *r, struct damon_target *t);
int damon_set_regions(struct damon_target *t, struct damon_addr_range *ranges,
		      unsigned int nr_ranges, unsigned long min_sz_region);
void damon_update_region_access_rate(struct damon_region *r, bool accessed,
				     struct damon_attrs *attrs);

struct damon_target *damon_new_target(void);
void damon_add_target(struct damon_ctx *ctx, struct damon_target *t);
bool damon_targets_empty(struct damon_ctx *ctx);
void damon_free_target(struct damon_target *t);
void damon_destroy_target(struct damon_target *t, struct damon_ctx *ctx);
unsigned int damon_nr_regions(struct damon_target *t);

struct damon_ctx *damon_new_ctx(void);
void damon_destroy_ctx(struct damon_ctx *ctx);
int damon_set_attrs(struct damon_ctx *ctx, struct damon_attrs *attrs);
void damon_set_schemes(struct damon_ctx *ctx, struct damos **schemes,
		       ssize_t nr_schemes);
int damon_commit_ctx(struct damon_ctx *dst, struct damon_ctx *src);
int damon_nr_running_ctxs(void);
bool damon_initialized(void);
int damon_register_ops(struct damon_operations *ops);
int damon_select_ops(struct damon_ctx *ctx, enum damon_ops_id id);
bool damon_is_registered_ops(enum damon_ops_id id);

int damon_start(struct damon_ctx **ctxs, int nr_ctxs, bool exclusive);
int damon_stop(struct damon_ctx **ctxs, int nr_ctxs);
bool damon_is_running(struct damon_ctx *ctx);
int damon_kdamond_pid(struct damon_ctx *ctx);
int damon_call(struct damon_ctx *ctx, struct damon_call_control *control);
int damos_walk(struct damon_ctx *ctx, struct damos_walk_control *control);

int damon_set_region_biggest_system_ram_default(struct damon_target *t,
						unsigned long *start,
						unsigned long *end,
						unsigned long addr_unit,
						unsigned long min_sz_region);
unsigned long damon_rand(struct damon_ctx *ctx, unsigned long l,
			 unsigned long r);

/* Schemes (schemes.c). */
struct damos *damon_new_scheme(struct damos_access_pattern *pattern,
			       enum damos_action action,
			       unsigned long apply_interval_us,
			       struct damos_quota *quota,
			       struct damos_watermarks *wmarks, int target_nid);
void damon_add_scheme(struct damon_ctx *ctx, struct damos *s);
void damon_destroy_scheme(struct damos *s);

struct damos_filter *damos_new_filter(enum damos_filter_type type,
				      bool matching, bool allow);
void damos_add_filter(struct damos *s, struct damos_filter *f);
void damos_destroy_filter(struct damos_filter *f);
bool damos_filter_for_ops(enum damos_filter_type type);

struct damos_quota_goal *
damos_new_quota_goal(enum damos_quota_goal_metric metric,
		     unsigned long target_value);
void damos_add_quota_goal(struct damos_quota *q, struct damos_quota_goal *g);
void damos_destroy_quota_goal(struct damos_quota_goal *g);

int damos_set_migrate_dests(struct damos_migrate_dests *dests,
			    const unsigned int *node_ids,
			    const unsigned int *weights, size_t nr_dests);
int damos_commit_quota_goals(struct damos_quota *dst, struct damos_quota *src);

/* Data attribute probes (probes.c). */
struct damon_probe *damon_new_probe(unsigned int weight);
void damon_add_probe(struct damon_ctx *ctx, struct damon_probe *p);
void damon_destroy_probe(struct damon_probe *p);
void damon_probe_add_filter(struct damon_probe *p, struct damos_filter *f);
unsigned int damon_nr_probes(struct damon_ctx *ctx);
unsigned int damon_probe_hits_mvsum(struct damon_ctx *ctx,
				    struct damon_region *r, unsigned int idx);

/* Access reports (report.c). */
void damon_report_access(const struct damon_access_report *r);
struct damon_sample_filter *
damon_new_sample_filter(enum damon_sample_filter_type type, bool matching,
			bool allow);
void damon_add_sample_filter(struct damon_sample_control *ctrl,
			     struct damon_sample_filter *f);
void damon_destroy_sample_filter(struct damon_sample_filter *f);
int damon_sample_filter_set_tids(struct damon_sample_filter *f,
				 const pid_t *tids, unsigned int nr_tids);
void damon_report_read_stat(struct damon_ctx *ctx,
			    struct damon_report_stat *stat);
int damon_sample_set_perf_events(struct damon_sample_control *ctrl,
				 const struct damon_perf_event *events,
				 unsigned int nr);

#else	/* CONFIG_DAMON */

static inline void damon_report_access(const struct damon_access_report *r)
{
}

#endif	/* CONFIG_DAMON */

/* Page fault primitive (vaddr.c): reports from the NUMA hinting fault path. */
#if defined(CONFIG_DAMON_VADDR) && defined(CONFIG_NUMA_BALANCING)
void damon_report_page_fault(struct vm_fault *vmf, unsigned long pfn,
			     unsigned long nr_pages);
#else
static inline void damon_report_page_fault(struct vm_fault *vmf,
					   unsigned long pfn,
					   unsigned long nr_pages)
{
}
#endif

/**
 * damon_max_nr_accesses() - Upper bound of nr_accesses of a context.
 * @attrs:	The monitoring attributes of the context.
 *
 * Return: samples per aggregation interval, at least one.
 */
static inline unsigned int damon_max_nr_accesses(const struct damon_attrs *attrs)
{
	/* The attrs checks keep aggr_interval >= sample_interval > 0. */
	return max_t(unsigned long, 1,
		     min_t(unsigned long, UINT_MAX,
			   attrs->aggr_interval /
			   max_t(unsigned long, 1, attrs->sample_interval)));
}

/**
 * damon_sz_region() - Size of a region.
 * @r:	The region.
 *
 * Return: bytes (address units) the region spans.
 */
static inline unsigned long damon_sz_region(const struct damon_region *r)
{
	return r->ar.end - r->ar.start;
}

/**
 * damon_target_has_pid() - Whether targets of a context are processes.
 * @ctx:	The context.
 *
 * Return: true if the operations set of @ctx monitors processes.
 */
static inline bool damon_target_has_pid(const struct damon_ctx *ctx)
{
	return ctx->ops.pid_targets;
}

#endif	/* _DAMON_H_ */
