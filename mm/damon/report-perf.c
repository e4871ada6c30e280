// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON perf_events sampling primitive: hardware (or software) samples of
 * memory accesses, taken from perf events and fed to the access report
 * rings.
 *
 * A context with the primitive on owns, while it runs, one kernel counter
 * per online CPU per configured event.  The counters are created disabled
 * before its kdamond starts, all or none of them, and enabled by the kdamond
 * once it runs.  CPUs that come online meanwhile get their counters through
 * a multi-instance CPU hotplug state, CPUs that go offline lose them.  The
 * kdamond disables and releases them when it stops, before the rings they
 * write to are freed.  Only one context at a time may own counters.
 *
 * The overflow handler runs in NMI context for most PMUs.  It only looks at
 * the sample and at the current task and calls damon_report_access(): no
 * lock, no allocation, no printk.
 */

#define pr_fmt(fmt) "damon-perf: " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/damon.h>
#include <linux/mutex.h>
#include <linux/perf_event.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "report.h"

/* One configured event of the owning context; the handler's context. */
struct damon_perf_source {
	struct perf_event_attr attr;
	struct damon_perf_event cfg;
	/* Take physical addresses. */
	bool phys;
	/* The owner monitors user address spaces. */
	bool user;
	/* Counters by CPU; NULL for offline CPUs and failed creations. */
	struct perf_event **events;
};

/* The counters of the context that owns perf events. */
struct damon_perf_owner {
	struct damon_ctx *ctx;
	struct hlist_node node;
	/*
	 * The initial creation on every online CPU succeeded: from then on, a
	 * CPU coming online must not fail because of its counters.
	 */
	bool installed;
	/* The counters are enabled; changed under cpus_read_lock(). */
	bool armed;
	unsigned int nr_sources;
	struct damon_perf_source *sources;
};

/* The CPU hotplug state of the owners; negative if it can't be used. */
static int damon_perf_cpuhp_state = -ENODEV;
/* Protects damon_perf_owner; taken before the CPU hotplug lock. */
static DEFINE_MUTEX(damon_perf_lock);
static struct damon_perf_owner *damon_perf_owner;

static void damon_perf_overflow(struct perf_event *event,
				struct perf_sample_data *data,
				struct pt_regs *regs)
{
	struct damon_perf_source *src = event->overflow_handler_context;
	struct damon_perf_sample s = {
		.sample_flags = data->sample_flags,
		.cpu = smp_processor_id(),
		.tid = current->pid,
	};
	struct damon_access_report r;

	/* Fields the PMU did not flag may hold anything. */
	if (s.sample_flags & PERF_SAMPLE_ADDR)
		s.addr = data->addr;
	if (s.sample_flags & PERF_SAMPLE_PHYS_ADDR)
		s.phys_addr = data->phys_addr;
	if (s.sample_flags & PERF_SAMPLE_DATA_SRC)
		s.mem_op = data->data_src.mem_op;
	if (damon_perf_sample_report(&s, src->phys, src->user, TASK_SIZE_MAX,
				     &r))
		damon_report_access(&r);
}

static void damon_perf_fill_attr(struct perf_event_attr *a,
				 const struct damon_perf_event *e)
{
	memset(a, 0, sizeof(*a));
	a->type = e->type;
	a->size = sizeof(*a);
	a->config = e->config;
	a->config1 = e->config1;
	a->config2 = e->config2;
	a->freq = e->freq;
	if (e->freq)
		a->sample_freq = e->sample_freq;
	else
		a->sample_period = e->sample_period;
	a->sample_type = PERF_SAMPLE_ADDR | PERF_SAMPLE_DATA_SRC;
	if (e->sample_phys_addr)
		a->sample_type |= PERF_SAMPLE_PHYS_ADDR;
	if (e->sample_weight_struct)
		a->sample_type |= PERF_SAMPLE_WEIGHT_STRUCT;
	a->wakeup_events = e->wakeup_events;
	a->precise_ip = e->precise_ip;
	a->exclude_kernel = e->exclude_kernel;
	a->exclude_hv = e->exclude_hv;
	/* Enabled by the kdamond, once it runs. */
	a->disabled = 1;
}

static void damon_perf_release_cpu(struct damon_perf_owner *o,
				   unsigned int cpu)
{
	unsigned int i;

	for (i = 0; i < o->nr_sources; i++) {
		struct perf_event *e = o->sources[i].events[cpu];

		if (!e)
			continue;
		o->sources[i].events[cpu] = NULL;
		perf_event_disable(e);
		/* Once it returns, the handler no longer runs for @e. */
		perf_event_release_kernel(e);
	}
}

/* Creates the counters of @cpu; the CPU hotplug lock is held. */
static int damon_perf_cpu_online(unsigned int cpu, struct hlist_node *node)
{
	struct damon_perf_owner *o =
		hlist_entry(node, struct damon_perf_owner, node);
	struct perf_event *e;
	unsigned int i;

	for (i = 0; i < o->nr_sources; i++) {
		struct damon_perf_source *src = &o->sources[i];

		e = perf_event_create_kernel_counter(&src->attr, cpu, NULL,
						     damon_perf_overflow, src);
		if (IS_ERR(e)) {
			if (!o->installed) {
				/* cpuhp rolls back the other CPUs */
				damon_perf_release_cpu(o, cpu);
				return PTR_ERR(e);
			}
			pr_warn_ratelimited("no counter of event %u on CPU %u: %ld\n",
					    i, cpu, PTR_ERR(e));
			continue;
		}
		src->events[cpu] = e;
		if (o->armed)
			perf_event_enable(e);
	}
	return 0;
}

/* Releases the counters of @cpu; the CPU hotplug lock is held. */
static int damon_perf_cpu_offline(unsigned int cpu, struct hlist_node *node)
{
	damon_perf_release_cpu(hlist_entry(node, struct damon_perf_owner, node),
			       cpu);
	return 0;
}

static void damon_perf_free_owner(struct damon_perf_owner *o)
{
	unsigned int i;

	if (o->installed)
		cpuhp_state_remove_instance(damon_perf_cpuhp_state, &o->node);
	for (i = 0; i < o->nr_sources; i++)
		kfree(o->sources[i].events);
	kfree(o->sources);
	kfree(o);
}

/*
 * Creates the counters @ctrl asks for, for @ctx, disabled, on every online
 * CPU.  All or nothing: returns NULL and the error in @errp if one fails.
 */
static struct damon_perf_owner *
damon_perf_new_owner(struct damon_ctx *ctx, struct damon_sample_control *ctrl,
		     bool user, int *errp)
{
	struct damon_perf_owner *o;
	unsigned int i;
	int err = -ENOMEM;

	if (damon_perf_cpuhp_state < 0) {
		*errp = damon_perf_cpuhp_state;
		return NULL;
	}
	o = kzalloc(sizeof(*o), GFP_KERNEL);
	if (!o)
		goto out;
	o->ctx = ctx;
	o->sources = kcalloc(ctrl->nr_perf_events, sizeof(*o->sources),
			     GFP_KERNEL);
	if (!o->sources)
		goto fail;
	o->nr_sources = ctrl->nr_perf_events;
	for (i = 0; i < o->nr_sources; i++) {
		struct damon_perf_source *src = &o->sources[i];

		src->cfg = ctrl->perf_events[i];
		damon_perf_fill_attr(&src->attr, &src->cfg);
		src->phys = src->cfg.sample_phys_addr;
		src->user = user;
		src->events = kcalloc(nr_cpu_ids, sizeof(*src->events),
				      GFP_KERNEL);
		if (!src->events)
			goto fail;
	}
	cpus_read_lock();
	err = __cpuhp_state_add_instance_cpuslocked(damon_perf_cpuhp_state,
						    &o->node, true);
	if (!err)
		o->installed = true;
	cpus_read_unlock();
	if (!err) {
		*errp = 0;
		return o;
	}
fail:
	damon_perf_free_owner(o);
out:
	*errp = err;
	return NULL;
}

static void damon_perf_set_armed(struct damon_perf_owner *o, bool armed)
{
	unsigned int i, cpu;

	cpus_read_lock();
	o->armed = armed;
	for_each_online_cpu(cpu) {
		for (i = 0; i < o->nr_sources; i++) {
			struct perf_event *e = o->sources[i].events[cpu];

			if (!e)
				continue;
			if (armed)
				perf_event_enable(e);
			else
				perf_event_disable(e);
		}
	}
	cpus_read_unlock();
}

static bool damon_perf_event_eq(const struct damon_perf_event *a,
				const struct damon_perf_event *b)
{
	return a->type == b->type && a->config == b->config &&
		a->config1 == b->config1 && a->config2 == b->config2 &&
		a->sample_freq == b->sample_freq &&
		a->sample_period == b->sample_period &&
		a->wakeup_events == b->wakeup_events &&
		a->precise_ip == b->precise_ip &&
		a->sample_phys_addr == b->sample_phys_addr &&
		a->sample_weight_struct == b->sample_weight_struct &&
		a->freq == b->freq && a->exclude_kernel == b->exclude_kernel &&
		a->exclude_hv == b->exclude_hv;
}

/* Whether @o has the counters that @ctx asks for. */
static bool damon_perf_owner_matches(struct damon_perf_owner *o,
				     struct damon_ctx *ctx)
{
	struct damon_sample_control *ctrl = &ctx->sample;
	unsigned int i;

	if (o->nr_sources != ctrl->nr_perf_events)
		return false;
	for (i = 0; i < o->nr_sources; i++) {
		if (o->sources[i].user != damon_target_has_pid(ctx) ||
		    !damon_perf_event_eq(&o->sources[i].cfg,
					 &ctrl->perf_events[i]))
			return false;
	}
	return true;
}

int damon_perf_validate(struct damon_ctx *ctx)
{
	struct damon_sample_control *ctrl = &ctx->sample;
	unsigned int i;

	if (!ctrl->primitives.perf_events)
		return 0;
	if (!ctrl->nr_perf_events || ctrl->nr_perf_events > DAMON_MAX_PERF_EVENTS)
		return -EINVAL;
	for (i = 0; i < ctrl->nr_perf_events; i++) {
		const struct damon_perf_event *e = &ctrl->perf_events[i];

		if (e->precise_ip > 3)
			return -EINVAL;
		if (e->freq &&
		    (!e->sample_freq ||
		     e->sample_freq > READ_ONCE(sysctl_perf_event_sample_rate)))
			return -EINVAL;
		if (!e->freq && (!e->sample_period ||
				 e->sample_period & BIT_ULL(63)))
			return -EINVAL;
		/* The physical address space needs physical addresses. */
		if (!damon_target_has_pid(ctx) && !e->sample_phys_addr)
			return -EINVAL;
	}
	return 0;
}

int damon_perf_start(struct damon_ctx *ctx)
{
	struct damon_perf_owner *o;
	int err = 0;

	if (!ctx->sample.primitives.perf_events)
		return 0;
	mutex_lock(&damon_perf_lock);
	if (damon_perf_owner) {
		err = -EBUSY;
		goto out;
	}
	o = damon_perf_new_owner(ctx, &ctx->sample, damon_target_has_pid(ctx),
				 &err);
	if (o)
		damon_perf_owner = o;
out:
	mutex_unlock(&damon_perf_lock);
	return err;
}

void damon_perf_arm(struct damon_ctx *ctx)
{
	mutex_lock(&damon_perf_lock);
	if (damon_perf_owner && damon_perf_owner->ctx == ctx)
		damon_perf_set_armed(damon_perf_owner, true);
	mutex_unlock(&damon_perf_lock);
}

void damon_perf_stop(struct damon_ctx *ctx)
{
	mutex_lock(&damon_perf_lock);
	if (damon_perf_owner && damon_perf_owner->ctx == ctx) {
		damon_perf_set_armed(damon_perf_owner, false);
		damon_perf_free_owner(damon_perf_owner);
		damon_perf_owner = NULL;
	}
	mutex_unlock(&damon_perf_lock);
}

int damon_perf_commit(struct damon_ctx *dst, struct damon_ctx *src)
{
	struct damon_perf_owner *old, *o;
	int err = 0;

	/* A context that doesn't run gets its counters when it starts. */
	if (READ_ONCE(dst->kdamond) != current)
		return 0;
	mutex_lock(&damon_perf_lock);
	old = damon_perf_owner;
	if (old && old->ctx != dst) {
		if (src->sample.primitives.perf_events)
			err = -EBUSY;
		goto out;
	}
	o = NULL;
	if (src->sample.primitives.perf_events) {
		if (old && damon_perf_owner_matches(old, src))
			goto out;
		/* The old counters keep running if new ones can't be made. */
		o = damon_perf_new_owner(dst, &src->sample,
					 damon_target_has_pid(src), &err);
		if (!o)
			goto out;
	}
	damon_perf_owner = o;
	if (old) {
		damon_perf_set_armed(old, false);
		damon_perf_free_owner(old);
	}
	if (o)
		damon_perf_set_armed(o, true);
out:
	mutex_unlock(&damon_perf_lock);
	return err;
}

static int __init damon_perf_init(void)
{
	int state;

	state = cpuhp_setup_state_multi(CPUHP_AP_ONLINE_DYN,
					"mm/damon/perf:online",
					damon_perf_cpu_online,
					damon_perf_cpu_offline);
	if (state < 0) {
		pr_err("no CPU hotplug state: %d\n", state);
		return state;
	}
	damon_perf_cpuhp_state = state;
	return 0;
}
subsys_initcall(damon_perf_init);
