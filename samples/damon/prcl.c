// SPDX-License-Identifier: GPL-2.0
/*
 * Proactive reclamation of one process's cold memory, with DAMON.
 *
 * An example of DAMON-based Operation Schemes (DAMOS) through the in-kernel
 * API: a context of the virtual address operations set monitors the
 * process whose pid is written to target_pid, and a scheme pages out every
 * region of it that has not been accessed for at least five seconds.  How
 * much was reclaimed is printed about every five seconds.
 *
 * Usage (as root):
 *	echo <pid> > /sys/module/damon_sample_prcl/parameters/target_pid
 *	echo Y > /sys/module/damon_sample_prcl/parameters/enabled
 */

#define pr_fmt(fmt) "damon_sample_prcl: " fmt

#include <linux/damon.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/numa.h>
#include <linux/pid.h>

/* Idle time that makes memory cold, in microseconds. */
#define DAMON_SAMPLE_PRCL_MIN_AGE_US	(5 * USEC_PER_SEC)

static int target_pid __read_mostly;
module_param(target_pid, int, 0600);
MODULE_PARM_DESC(target_pid, "PID of the process to reclaim cold memory of");

static int damon_sample_prcl_enable_store(const char *val,
					  const struct kernel_param *kp);

static const struct kernel_param_ops enabled_param_ops = {
	.set = damon_sample_prcl_enable_store,
	.get = param_get_bool,
};

static bool enabled __read_mostly;
module_param_cb(enabled, &enabled_param_ops, &enabled, 0600);
MODULE_PARM_DESC(enabled, "Run the reclamation (Y) or not (N)");

static struct damon_ctx *ctx;
static struct damon_call_control repeat_call;
static bool initialized;

/* Runs in the kdamond, once per sampling interval. */
static int damon_sample_prcl_repeat_fn(void *data)
{
	static unsigned long next_report;
	struct damon_ctx *c = data;
	struct damos *s;

	if (time_before(jiffies, next_report))
		return 0;
	next_report = jiffies + 5 * HZ;

	damon_for_each_scheme(s, c)
		pr_info("reclaimed %lu bytes of %lu bytes tried\n",
			s->stat.sz_applied, s->stat.sz_tried);
	return 0;
}

static struct damos *damon_sample_prcl_new_scheme(struct damon_ctx *c)
{
	struct damos_access_pattern pattern = {
		.min_sz_region = PAGE_SIZE,
		.max_sz_region = ULONG_MAX,
		.min_nr_accesses = 0,
		.max_nr_accesses = 0,
		.min_age_region = DAMON_SAMPLE_PRCL_MIN_AGE_US /
			c->attrs.aggr_interval,
		.max_age_region = UINT_MAX,
	};
	/* No limit on the amount; always active. */
	struct damos_quota quota = {
		.reset_interval = 1000,
	};
	struct damos_watermarks wmarks = {
		.metric = DAMOS_WMARK_NONE,
	};

	return damon_new_scheme(&pattern, DAMOS_PAGEOUT, 0, &quota, &wmarks,
				NUMA_NO_NODE);
}

static int damon_sample_prcl_start(void)
{
	struct damon_target *target;
	struct damos *scheme;
	struct pid *pid;
	int err;

	pid = find_get_pid(target_pid);
	if (!pid)
		return -ESRCH;

	ctx = damon_new_ctx();
	if (!ctx) {
		put_pid(pid);
		return -ENOMEM;
	}
	err = damon_select_ops(ctx, DAMON_OPS_VADDR);
	if (err) {
		put_pid(pid);
		goto out;
	}
	target = damon_new_target();
	if (!target) {
		put_pid(pid);
		err = -ENOMEM;
		goto out;
	}
	/* The target owns the reference from now on. */
	target->pid = pid;
	damon_add_target(ctx, target);

	scheme = damon_sample_prcl_new_scheme(ctx);
	if (!scheme) {
		err = -ENOMEM;
		goto out;
	}
	damon_add_scheme(ctx, scheme);

	err = damon_start(&ctx, 1, false);
	if (err)
		goto out;

	repeat_call = (struct damon_call_control) {
		.fn = damon_sample_prcl_repeat_fn,
		.data = ctx,
		.repeat = true,
	};
	err = damon_call(ctx, &repeat_call);
	if (err) {
		damon_stop(&ctx, 1);
		goto out;
	}
	return 0;
out:
	damon_destroy_ctx(ctx);
	ctx = NULL;
	return err;
}

static void damon_sample_prcl_stop(void)
{
	if (!ctx)
		return;
	/* Fails harmlessly if the target exited and the kdamond with it. */
	damon_stop(&ctx, 1);
	damon_destroy_ctx(ctx);
	ctx = NULL;
}

static int damon_sample_prcl_enable_store(const char *val,
					  const struct kernel_param *kp)
{
	bool on;
	int err;

	err = kstrtobool(val, &on);
	if (err)
		return err;
	if (!initialized) {
		/* The kernel command line; let the init function start. */
		enabled = on;
		return 0;
	}

	/* Always restart on Y: the previous target may have exited. */
	damon_sample_prcl_stop();
	enabled = false;
	if (!on)
		return 0;
	err = damon_sample_prcl_start();
	if (err)
		return err;
	enabled = true;
	return 0;
}

static int __init damon_sample_prcl_init(void)
{
	int err = 0;

	initialized = true;
	if (enabled) {
		err = damon_sample_prcl_start();
		if (err)
			enabled = false;
	}
	return err;
}

static void __exit damon_sample_prcl_exit(void)
{
	damon_sample_prcl_stop();
}

module_init(damon_sample_prcl_init);
module_exit(damon_sample_prcl_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("DAMON sample: proactive reclamation of a process");
