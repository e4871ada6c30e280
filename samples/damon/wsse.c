// SPDX-License-Identifier: GPL-2.0
/*
 * Working set size estimation of one process, with DAMON.
 *
 * A minimal example of the in-kernel DAMON API: a context of the virtual
 * address operations set monitors the process whose pid is written to the
 * target_pid parameter, and a function that DAMON repeatedly calls inside
 * its kdamond sums up the sizes of the regions that were accessed and
 * prints the result about once per second.
 *
 * Usage (as root):
 *	echo <pid> > /sys/module/damon_sample_wsse/parameters/target_pid
 *	echo Y > /sys/module/damon_sample_wsse/parameters/enabled
 */

#define pr_fmt(fmt) "damon_sample_wsse: " fmt

#include <linux/damon.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/pid.h>

static int target_pid __read_mostly;
module_param(target_pid, int, 0600);
MODULE_PARM_DESC(target_pid, "PID of the process to estimate the WSS of");

static int damon_sample_wsse_enable_store(const char *val,
					  const struct kernel_param *kp);

static const struct kernel_param_ops enabled_param_ops = {
	.set = damon_sample_wsse_enable_store,
	.get = param_get_bool,
};

static bool enabled __read_mostly;
module_param_cb(enabled, &enabled_param_ops, &enabled, 0600);
MODULE_PARM_DESC(enabled, "Run the estimation (Y) or not (N)");

static struct damon_ctx *ctx;
static struct damon_call_control repeat_call;
static bool initialized;

/* Runs in the kdamond, once per sampling interval. */
static int damon_sample_wsse_repeat_fn(void *data)
{
	static unsigned long next_report;
	struct damon_ctx *c = data;
	struct damon_target *t;
	struct damon_region *r;
	unsigned long wss = 0;

	if (time_before(jiffies, next_report))
		return 0;
	next_report = jiffies + HZ;

	damon_for_each_target(t, c) {
		damon_for_each_region(r, t) {
			/* Accessed in about one sample or more per window. */
			if (r->nr_accesses_bp >= 10000)
				wss += damon_sz_region(r);
		}
	}
	pr_info("wss: %lu\n", wss);
	return 0;
}

static int damon_sample_wsse_start(void)
{
	struct damon_target *target;
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

	err = damon_start(&ctx, 1, false);
	if (err)
		goto out;

	repeat_call = (struct damon_call_control) {
		.fn = damon_sample_wsse_repeat_fn,
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

static void damon_sample_wsse_stop(void)
{
	if (!ctx)
		return;
	/* Fails harmlessly if the target exited and the kdamond with it. */
	damon_stop(&ctx, 1);
	damon_destroy_ctx(ctx);
	ctx = NULL;
}

static int damon_sample_wsse_enable_store(const char *val,
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
	damon_sample_wsse_stop();
	enabled = false;
	if (!on)
		return 0;
	err = damon_sample_wsse_start();
	if (err)
		return err;
	enabled = true;
	return 0;
}

static int __init damon_sample_wsse_init(void)
{
	int err = 0;

	initialized = true;
	if (enabled) {
		err = damon_sample_wsse_start();
		if (err)
			enabled = false;
	}
	return err;
}

static void __exit damon_sample_wsse_exit(void)
{
	damon_sample_wsse_stop();
}

module_init(damon_sample_wsse_init);
module_exit(damon_sample_wsse_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("DAMON sample: working set size estimation of a process");
