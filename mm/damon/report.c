// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON access reports: accesses that any code observes (a page fault, a
 * hardware sample...) pushed to DAMON, and turned into region access
 * counts by the kdamonds.
 *
 * Every context that wants reports registers a consumer: one ring of
 * DAMON_REPORT_RING_SIZE entries per possible CPU.  damon_report_access()
 * writes the report into the ring of the local CPU of every registered
 * consumer; only the kdamond of the consumer's context reads it.  Each ring
 * thus has one producer (the local CPU, whatever context it runs in) and
 * one consumer, and needs no lock: the producer publishes an entry by
 * moving the head with release semantics, the consumer frees it by moving
 * the tail the same way.  A push that interrupts another push on the same
 * CPU (an NMI over a fault, say) finds the ring busy and is dropped rather
 * than interleaved; a push into a full ring is dropped too.  Both are
 * counted.
 *
 * Once per sampling interval, the kdamond drains its rings, drops the
 * reports made over a sampling interval before the interval started
 * (stale), passes the others through the sample filters and looks up the
 * regions they fall in by
 * binary search over a sorted snapshot of the region boundaries taken at
 * the start of the interval.  Which target a report belongs to, and by
 * which address, is the operations set's call (->report_target()): the
 * core knows nothing of address spaces.
 */

#define pr_fmt(fmt) "damon: " fmt

#include <linux/damon.h>
#include <linux/jump_label.h>
#include <linux/percpu.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include <asm/local.h>

#include <uapi/linux/perf_event.h>

#include <trace/events/damon.h>

#include "report.h"

/* Entries of each per-CPU ring; a power of two. */
#define DAMON_REPORT_RING_SIZE		1024
/* Contexts that may take reports at the same time. */
#define DAMON_REPORT_MAX_CONSUMERS	8

struct damon_report_entry {
	struct damon_access_report r;
	u64 time_ns;
};

/*
 * One CPU's ring of one consumer.  @head and the producer-side counters are
 * written only on the ring's CPU, @tail and the consumer-side counters only
 * by the consumer's kdamond.  Indices run freely and wrap.
 */
struct damon_report_ring {
	unsigned int head;
	unsigned int tail;
	/* A push is in progress on the ring's CPU. */
	unsigned int busy;
	local_t pushed;
	local_t dropped_full;
	local_t dropped_nested;
	unsigned long stale;
	unsigned long filtered;
	unsigned long unmatched;
	unsigned long matched;
	struct damon_report_entry entries[DAMON_REPORT_RING_SIZE];
};

struct damon_report_consumer {
	/* Indexed by CPU; NULL for CPUs that can't exist. */
	struct damon_report_ring **rings;
};

/* A region of the snapshot a sampling interval matches reports against. */
struct damon_report_snap_region {
	unsigned long start;
	unsigned long end;
	struct damon_region *r;
};

/* The regions of one target in the snapshot: @nr entries from @first. */
struct damon_report_snap_target {
	struct damon_target *t;
	unsigned long first;
	unsigned long nr;
};

/* Report state of a context, owned by its kdamond. */
struct damon_report_ctx {
	struct damon_report_consumer *consumer;
	/* Reports made before this are stale. */
	u64 stale_before_ns;
	/* Whether the snapshot of this interval is complete. */
	bool snap_valid;
	struct damon_report_snap_region *regions;
	unsigned long nr_regions;
	unsigned long cap_regions;
	struct damon_report_snap_target *targets;
	unsigned int nr_targets;
	unsigned int cap_targets;
	/* Counters of consumers registered before the current one. */
	struct damon_report_stat retired;
	/* Drops seen by the previous drain, for the per-interval trace. */
	unsigned long last_dropped;
};

static DEFINE_STATIC_KEY_FALSE(damon_report_enabled);
static struct damon_report_consumer __rcu *
damon_report_consumers[DAMON_REPORT_MAX_CONSUMERS];
/* Serializes consumer (un)registration. */
static DEFINE_MUTEX(damon_report_consumers_lock);

/*
 * Rings
 */

/*
 * Pushes @r, observed at @now, to @ring.  Runs on the ring's CPU with
 * preemption disabled, in any context.
 */
static bool damon_report_ring_push(struct damon_report_ring *ring,
				   const struct damon_access_report *r, u64 now)
{
	struct damon_report_entry *e;
	unsigned int head;
	bool pushed = false;

	if (READ_ONCE(ring->busy)) {
		local_inc(&ring->dropped_nested);
		return false;
	}
	WRITE_ONCE(ring->busy, 1);
	/* A push interrupting us from here on sees the ring busy. */
	barrier();
	head = ring->head;
	/* Pairs with the release of the tail in damon_report_ring_pop(). */
	if (head - smp_load_acquire(&ring->tail) >= DAMON_REPORT_RING_SIZE) {
		local_inc(&ring->dropped_full);
	} else {
		e = &ring->entries[head & (DAMON_REPORT_RING_SIZE - 1)];
		e->r = *r;
		e->time_ns = now;
		/* Publish the entry to the consumer. */
		smp_store_release(&ring->head, head + 1);
		local_inc(&ring->pushed);
		pushed = true;
	}
	barrier();
	WRITE_ONCE(ring->busy, 0);
	return pushed;
}

/* Takes the oldest entry of @ring into @e; false if the ring is empty. */
static bool damon_report_ring_pop(struct damon_report_ring *ring,
				  struct damon_report_entry *e)
{
	unsigned int tail = ring->tail;

	/* Pairs with the release of the head in damon_report_ring_push(). */
	if (tail == smp_load_acquire(&ring->head))
		return false;
	*e = ring->entries[tail & (DAMON_REPORT_RING_SIZE - 1)];
	/* Hand the slot back to the producer only once it is copied. */
	smp_store_release(&ring->tail, tail + 1);
	return true;
}

/**
 * damon_report_access() - Report an access to DAMON.
 * @r:	The access.
 *
 * Hands @r to every monitoring context that takes access reports, through
 * rings of the local CPU.  Callable from any context, NMI included: it
 * never sleeps, allocates or takes a lock.  It costs a patched-out branch
 * while no context takes reports.  A report made while another is being
 * pushed on the same CPU, or into a full ring, is dropped and counted.
 */
void damon_report_access(const struct damon_access_report *r)
{
	struct damon_report_consumer *c;
	int i, cpu;
	u64 now;

	if (!static_branch_unlikely(&damon_report_enabled))
		return;
	preempt_disable_notrace();
	cpu = smp_processor_id();
	now = ktime_get_mono_fast_ns();
	for (i = 0; i < DAMON_REPORT_MAX_CONSUMERS; i++) {
		c = rcu_dereference_sched(damon_report_consumers[i]);
		if (c)
			damon_report_ring_push(c->rings[cpu], r, now);
	}
	preempt_enable_notrace();
}

static void damon_report_free_consumer(struct damon_report_consumer *c)
{
	int cpu;

	if (!c)
		return;
	if (c->rings)
		for_each_possible_cpu(cpu)
			kvfree(c->rings[cpu]);
	kfree(c->rings);
	kfree(c);
}

static struct damon_report_consumer *damon_report_register(void)
{
	struct damon_report_consumer *c;
	int i, cpu;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return NULL;
	c->rings = kcalloc(nr_cpu_ids, sizeof(*c->rings), GFP_KERNEL);
	if (!c->rings)
		goto fail;
	for_each_possible_cpu(cpu) {
		c->rings[cpu] = kvzalloc(sizeof(*c->rings[cpu]), GFP_KERNEL);
		if (!c->rings[cpu])
			goto fail;
	}
	mutex_lock(&damon_report_consumers_lock);
	for (i = 0; i < DAMON_REPORT_MAX_CONSUMERS; i++) {
		if (rcu_access_pointer(damon_report_consumers[i]))
			continue;
		rcu_assign_pointer(damon_report_consumers[i], c);
		static_branch_inc(&damon_report_enabled);
		break;
	}
	mutex_unlock(&damon_report_consumers_lock);
	if (i < DAMON_REPORT_MAX_CONSUMERS)
		return c;
	pr_warn_once("more than %d contexts take access reports\n",
		     DAMON_REPORT_MAX_CONSUMERS);
fail:
	damon_report_free_consumer(c);
	return NULL;
}

/* Stops feeding @c; once this returns, nothing writes its rings. */
static void damon_report_unregister(struct damon_report_consumer *c)
{
	int i;

	mutex_lock(&damon_report_consumers_lock);
	for (i = 0; i < DAMON_REPORT_MAX_CONSUMERS; i++) {
		if (rcu_access_pointer(damon_report_consumers[i]) != c)
			continue;
		RCU_INIT_POINTER(damon_report_consumers[i], NULL);
		static_branch_dec(&damon_report_enabled);
	}
	mutex_unlock(&damon_report_consumers_lock);
	/* Producers run with preemption disabled: wait for them to leave. */
	synchronize_rcu();
}

/* Adds the counters of the rings of @c to @stat. */
static void damon_report_sum(struct damon_report_consumer *c,
			     struct damon_report_stat *stat)
{
	struct damon_report_ring *ring;
	int cpu;

	for_each_possible_cpu(cpu) {
		ring = c->rings[cpu];
		stat->pushed += local_read(&ring->pushed);
		stat->dropped_full += local_read(&ring->dropped_full);
		stat->dropped_nested += local_read(&ring->dropped_nested);
		stat->stale += ring->stale;
		stat->filtered += ring->filtered;
		stat->unmatched += ring->unmatched;
		stat->matched += ring->matched;
	}
}

/**
 * damon_report_read_stat() - Read the access report counters of a context.
 * @ctx:	The context.
 * @stat:	Where to store the counters, summed over CPUs.
 *
 * The counters cover every report taken since the context was created.
 * Call it from the kdamond of @ctx (damon_call()) or while @ctx is not
 * running.
 */
void damon_report_read_stat(struct damon_ctx *ctx,
			    struct damon_report_stat *stat)
{
	struct damon_report_ctx *rc = ctx->report;

	memset(stat, 0, sizeof(*stat));
	if (!rc)
		return;
	*stat = rc->retired;
	if (rc->consumer)
		damon_report_sum(rc->consumer, stat);
}

/*
 * Sample filters
 */

/**
 * damon_new_sample_filter() - Allocate a sample filter.
 * @type:	What the filter matches.
 * @matching:	Whether it applies to matching reports or to the others.
 * @allow:	Whether the reports it applies to count.
 *
 * The filter comes with an empty CPU set and thread list.
 *
 * Return: the filter, or NULL on allocation failure.
 */
struct damon_sample_filter *
damon_new_sample_filter(enum damon_sample_filter_type type, bool matching,
			bool allow)
{
	struct damon_sample_filter *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return NULL;
	if (!zalloc_cpumask_var(&f->cpumask, GFP_KERNEL)) {
		kfree(f);
		return NULL;
	}
	f->type = type;
	f->matching = matching;
	f->allow = allow;
	INIT_LIST_HEAD(&f->list);
	return f;
}

/**
 * damon_add_sample_filter() - Append a filter to a sample control.
 * @ctrl:	The sample control.
 * @f:		The filter.
 */
void damon_add_sample_filter(struct damon_sample_control *ctrl,
			     struct damon_sample_filter *f)
{
	list_add_tail(&f->list, &ctrl->filters);
}

/**
 * damon_destroy_sample_filter() - Unlink and free a sample filter.
 * @f:	The filter.
 */
void damon_destroy_sample_filter(struct damon_sample_filter *f)
{
	list_del(&f->list);
	free_cpumask_var(f->cpumask);
	kfree(f->tids);
	kfree(f);
}

/**
 * damon_sample_filter_set_tids() - Set the thread list of a filter.
 * @f:		The filter.
 * @tids:	Thread ids.
 * @nr_tids:	Number of entries of @tids.
 *
 * Return: 0 on success, -EINVAL for more than
 * %DAMON_SAMPLE_FILTER_MAX_TIDS threads, -ENOMEM.
 */
int damon_sample_filter_set_tids(struct damon_sample_filter *f,
				 const pid_t *tids, unsigned int nr_tids)
{
	pid_t *copy = NULL;

	if (nr_tids > DAMON_SAMPLE_FILTER_MAX_TIDS)
		return -EINVAL;
	if (nr_tids) {
		copy = kmemdup_array(tids, nr_tids, sizeof(*tids), GFP_KERNEL);
		if (!copy)
			return -ENOMEM;
	}
	kfree(f->tids);
	f->tids = copy;
	f->nr_tids = nr_tids;
	return 0;
}

static bool damon_sample_filter_match(const struct damon_sample_filter *f,
				      const struct damon_access_report *r)
{
	unsigned int i;

	switch (f->type) {
	case DAMON_SAMPLE_FILTER_TYPE_CPUMASK:
		return r->cpu >= 0 && r->cpu < nr_cpu_ids &&
			cpumask_test_cpu(r->cpu, f->cpumask);
	case DAMON_SAMPLE_FILTER_TYPE_THREADS:
		for (i = 0; i < f->nr_tids; i++)
			if (f->tids[i] == r->tid)
				return true;
		return false;
	case DAMON_SAMPLE_FILTER_TYPE_WRITE:
		return r->is_write;
	default:
		return false;
	}
}

/* Whether the filters of @ctrl let @r count. */
static bool damon_sample_filters_allow(const struct damon_sample_control *ctrl,
				       const struct damon_access_report *r)
{
	const struct damon_sample_filter *f, *last = NULL;

	list_for_each_entry(f, &ctrl->filters, list) {
		if (damon_sample_filter_match(f, r) == f->matching)
			return f->allow;
		last = f;
	}
	return last ? !last->allow : true;
}

/*
 * Sampling setup of a context
 */

void damon_sample_init(struct damon_ctx *ctx)
{
	ctx->sample.primitives.page_table = true;
	ctx->sample.primitives.page_fault = false;
	INIT_LIST_HEAD(&ctx->sample.filters);
}

static void damon_report_free_snapshot(struct damon_report_ctx *rc)
{
	kvfree(rc->regions);
	rc->regions = NULL;
	rc->nr_regions = 0;
	rc->cap_regions = 0;
	kvfree(rc->targets);
	rc->targets = NULL;
	rc->nr_targets = 0;
	rc->cap_targets = 0;
	rc->snap_valid = false;
}

void damon_sample_destroy(struct damon_ctx *ctx)
{
	struct damon_sample_filter *f, *next;

	list_for_each_entry_safe(f, next, &ctx->sample.filters, list)
		damon_destroy_sample_filter(f);
	damon_sample_set_perf_events(&ctx->sample, NULL, 0);
	if (!ctx->report)
		return;
	damon_report_kdamond_exit(ctx);
	kfree(ctx->report);
	ctx->report = NULL;
}

int damon_sample_validate(struct damon_ctx *ctx)
{
	struct damon_sample_primitives *p = &ctx->sample.primitives;
	struct damon_sample_filter *f;

	if (!p->page_table && !p->page_fault && !p->perf_events)
		return -EINVAL;
	if (damon_perf_validate(ctx))
		return -EINVAL;
	/* Only the operations sets that can arm sampled pages take faults. */
	if (p->page_fault && !ctx->ops.fault_sample)
		return -EINVAL;
	list_for_each_entry(f, &ctx->sample.filters, list) {
		if (f->type >= NR_DAMON_SAMPLE_FILTER_TYPES ||
		    f->nr_tids > DAMON_SAMPLE_FILTER_MAX_TIDS)
			return -EINVAL;
	}
	return 0;
}

int damon_sample_commit(struct damon_ctx *dst, struct damon_ctx *src)
{
	struct damon_sample_filter *f, *copy, *next;
	LIST_HEAD(filters);
	int err;

	list_for_each_entry(f, &src->sample.filters, list) {
		err = -ENOMEM;
		copy = damon_new_sample_filter(f->type, f->matching, f->allow);
		if (!copy)
			goto fail;
		list_add_tail(&copy->list, &filters);
		cpumask_copy(copy->cpumask, f->cpumask);
		err = damon_sample_filter_set_tids(copy, f->tids, f->nr_tids);
		if (err)
			goto fail;
	}
	/* The last step that may fail. */
	err = damon_sample_set_perf_events(&dst->sample,
					   src->sample.perf_events,
					   src->sample.nr_perf_events);
	if (err)
		goto fail;
	list_for_each_entry_safe(f, next, &dst->sample.filters, list)
		damon_destroy_sample_filter(f);
	list_splice_tail(&filters, &dst->sample.filters);
	dst->sample.primitives = src->sample.primitives;
	return 0;
fail:
	list_for_each_entry_safe(f, next, &filters, list)
		damon_destroy_sample_filter(f);
	return err;
}

/*
 * Matching
 */

/* Index of the first of the @nr regions that ends after @addr, or @nr. */
static unsigned long
damon_report_bsearch(const struct damon_report_snap_region *regions,
		     unsigned long nr, unsigned long addr)
{
	unsigned long lo = 0, hi = nr, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (regions[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Marks the regions, among the @nr sorted ones, that [@addr, @addr + @size)
 * overlaps as reported.  Returns how many there are.
 */
static unsigned long
damon_report_mark(const struct damon_report_snap_region *regions,
		  unsigned long nr, unsigned long addr, unsigned long size)
{
	unsigned long end = addr + max(size, 1UL);
	unsigned long i, marked = 0;

	if (end < addr)
		end = ULONG_MAX;
	for (i = damon_report_bsearch(regions, nr, addr);
	     i < nr && regions[i].start < end; i++) {
		regions[i].r->reported = true;
		marked++;
	}
	return marked;
}

static struct damon_report_snap_target *
damon_report_snap_target(struct damon_report_ctx *rc, struct damon_target *t)
{
	unsigned int i;

	for (i = 0; i < rc->nr_targets; i++)
		if (rc->targets[i].t == t)
			return &rc->targets[i];
	return NULL;
}

enum damon_report_outcome {
	DAMON_REPORT_STALE,
	DAMON_REPORT_FILTERED,
	DAMON_REPORT_UNMATCHED,
	DAMON_REPORT_MATCHED,
};

/* Accounts one drained report to the regions it falls in. */
static enum damon_report_outcome
damon_report_consume(struct damon_ctx *ctx, struct damon_report_ctx *rc,
		     const struct damon_report_entry *e)
{
	struct damon_report_snap_target *st;
	struct damon_target *t;
	unsigned long addr = 0;

	if (e->time_ns < rc->stale_before_ns)
		return DAMON_REPORT_STALE;
	if (!damon_sample_filters_allow(&ctx->sample, &e->r))
		return DAMON_REPORT_FILTERED;
	if (!rc->snap_valid || !ctx->ops.report_target)
		return DAMON_REPORT_UNMATCHED;
	t = ctx->ops.report_target(ctx, &e->r, &addr);
	st = t ? damon_report_snap_target(rc, t) : NULL;
	if (!st || !damon_report_mark(rc->regions + st->first, st->nr, addr,
				      e->r.size))
		return DAMON_REPORT_UNMATCHED;
	return DAMON_REPORT_MATCHED;
}

/* Takes the snapshot of the region boundaries of @ctx. */
static void damon_report_snapshot(struct damon_ctx *ctx,
				  struct damon_report_ctx *rc)
{
	unsigned long nr_regions = 0;
	unsigned int nr_targets = 0;
	struct damon_target *t;
	struct damon_region *r;

	damon_for_each_target(t, ctx) {
		nr_targets++;
		nr_regions += t->nr_regions;
	}
	rc->snap_valid = false;
	if (nr_regions > rc->cap_regions) {
		kvfree(rc->regions);
		rc->regions = kvmalloc_array(nr_regions, sizeof(*rc->regions),
					     GFP_KERNEL);
		rc->cap_regions = rc->regions ? nr_regions : 0;
	}
	if (nr_targets > rc->cap_targets) {
		kvfree(rc->targets);
		rc->targets = kvmalloc_array(nr_targets, sizeof(*rc->targets),
					     GFP_KERNEL);
		rc->cap_targets = rc->targets ? nr_targets : 0;
	}
	if ((nr_regions && !rc->regions) || (nr_targets && !rc->targets))
		return;
	rc->nr_regions = 0;
	rc->nr_targets = 0;
	damon_for_each_target(t, ctx) {
		struct damon_report_snap_target *st =
			&rc->targets[rc->nr_targets++];

		st->t = t;
		st->first = rc->nr_regions;
		damon_for_each_region(r, t) {
			struct damon_report_snap_region *sr =
				&rc->regions[rc->nr_regions++];

			sr->start = r->ar.start;
			sr->end = r->ar.end;
			sr->r = r;
			r->reported = false;
		}
		st->nr = rc->nr_regions - st->first;
	}
	rc->snap_valid = true;
}

/* Whether @ctx has a sampling primitive that feeds on access reports. */
static bool damon_report_wanted(struct damon_ctx *ctx)
{
	return ctx->sample.primitives.page_fault ||
		ctx->sample.primitives.perf_events;
}

void damon_report_tick_start(struct damon_ctx *ctx)
{
	struct damon_report_ctx *rc = ctx->report;
	bool wanted = damon_report_wanted(ctx);
	u64 now;

	if (!rc) {
		if (!wanted)
			return;
		rc = kzalloc(sizeof(*rc), GFP_KERNEL);
		if (!rc)
			return;
		ctx->report = rc;
	}
	if (wanted && !rc->consumer) {
		rc->consumer = damon_report_register();
		rc->last_dropped = 0;
	} else if (!wanted && rc->consumer) {
		damon_report_kdamond_exit(ctx);
	}
	if (!rc->consumer)
		return;
	damon_report_snapshot(ctx, rc);
	now = ktime_get_mono_fast_ns();
	/*
	 * Reports made since the last drain, while the kdamond did its work
	 * between two sampling intervals, count for this one; only those
	 * more than a sampling interval old (left in the rings while the
	 * context was paused, say) are stale.
	 */
	rc->stale_before_ns = now - min_t(u64, now,
					  (u64)ctx->attrs.sample_interval *
					  NSEC_PER_USEC);
}

void damon_report_tick_end(struct damon_ctx *ctx)
{
	struct damon_report_ctx *rc = ctx->report;
	unsigned long drained = 0, matched = 0, stale = 0, dropped;
	struct damon_report_entry e;
	struct damon_report_ring *ring;
	int cpu;

	if (!rc || !rc->consumer)
		return;
	for_each_possible_cpu(cpu) {
		ring = rc->consumer->rings[cpu];
		while (damon_report_ring_pop(ring, &e)) {
			drained++;
			switch (damon_report_consume(ctx, rc, &e)) {
			case DAMON_REPORT_STALE:
				ring->stale++;
				stale++;
				break;
			case DAMON_REPORT_FILTERED:
				ring->filtered++;
				break;
			case DAMON_REPORT_UNMATCHED:
				ring->unmatched++;
				break;
			case DAMON_REPORT_MATCHED:
				ring->matched++;
				matched++;
				break;
			}
		}
	}
	dropped = 0;
	for_each_possible_cpu(cpu) {
		ring = rc->consumer->rings[cpu];
		dropped += local_read(&ring->dropped_full) +
			local_read(&ring->dropped_nested);
	}
	trace_damon_report_drain(drained, matched, stale,
				 dropped - rc->last_dropped);
	rc->last_dropped = dropped;
}

unsigned int damon_report_check_accesses(struct damon_ctx *ctx)
{
	unsigned int max_nr_accesses = 0;
	struct damon_target *t;
	struct damon_region *r;

	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t) {
			/* ->reported makes it an access */
			damon_update_region_access_rate(r, false, &ctx->attrs);
			max_nr_accesses = max(r->nr_accesses, max_nr_accesses);
		}
	}
	return max_nr_accesses;
}

void damon_report_kdamond_exit(struct damon_ctx *ctx)
{
	struct damon_report_ctx *rc = ctx->report;

	if (!rc)
		return;
	if (rc->consumer) {
		damon_report_unregister(rc->consumer);
		/* Nothing pushes any more: the counters are final. */
		damon_report_sum(rc->consumer, &rc->retired);
		damon_report_free_consumer(rc->consumer);
		rc->consumer = NULL;
	}
	damon_report_free_snapshot(rc);
}

/*
 * Perf event sources: the configuration, and what a sample is worth
 */

/**
 * damon_sample_set_perf_events() - Set the perf events of a sample control.
 * @ctrl:	The sample control.
 * @events:	The events; copied.
 * @nr:		Number of entries of @events; zero removes every event.
 *
 * Return: 0 on success, -EINVAL for more than %DAMON_MAX_PERF_EVENTS
 * events, -ENOMEM.  @ctrl is unchanged on error.
 */
int damon_sample_set_perf_events(struct damon_sample_control *ctrl,
				 const struct damon_perf_event *events,
				 unsigned int nr)
{
	struct damon_perf_event *copy = NULL;

	if (nr > DAMON_MAX_PERF_EVENTS)
		return -EINVAL;
	if (nr) {
		copy = kmemdup_array(events, nr, sizeof(*events), GFP_KERNEL);
		if (!copy)
			return -ENOMEM;
	}
	kfree(ctrl->perf_events);
	ctrl->perf_events = copy;
	ctrl->nr_perf_events = nr;
	return 0;
}

/**
 * damon_perf_sample_report() - Turn what a PMU says of a sample into a report.
 * @s:		The sample, as the overflow handler found it.
 * @phys:	The event asked for physical addresses.
 * @user:	The owning context monitors user address spaces.
 * @user_end:	First address that is not a user address.
 * @r:		Where to build the report.
 *
 * An address counts only if the PMU flagged it valid in
 * &damon_perf_sample->sample_flags; zero counts as no address even then,
 * as PMUs leave it so for instructions without a data address.  For user
 * address spaces, a sample needs a user virtual address; for the physical
 * address space, a physical one.  Runs in NMI context: no lock, no
 * allocation, no printk.
 *
 * Return: true if @r is a report to push.
 */
bool damon_perf_sample_report(const struct damon_perf_sample *s, bool phys,
			      bool user, unsigned long user_end,
			      struct damon_access_report *r)
{
	bool vaddr_valid = (s->sample_flags & PERF_SAMPLE_ADDR) && s->addr;
	bool paddr_valid = phys && (s->sample_flags & PERF_SAMPLE_PHYS_ADDR) &&
		s->phys_addr;

	if (user && (!vaddr_valid || s->addr >= user_end))
		return false;
	if (!user && !paddr_valid)
		return false;
	*r = (struct damon_access_report){
		.paddr = paddr_valid ? s->phys_addr : 0,
		.vaddr = vaddr_valid ? s->addr : 0,
		.size = 1,
		.cpu = s->cpu,
		.tid = s->tid,
		.is_write = (s->sample_flags & PERF_SAMPLE_DATA_SRC) &&
			(s->mem_op & PERF_MEM_OP_STORE),
	};
	return true;
}

#ifdef CONFIG_DAMON_KUNIT_TEST
#include "tests/report-kunit.h"
#include "tests/report-perf-kunit.h"
#endif
