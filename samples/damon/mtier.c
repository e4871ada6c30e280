// SPDX-License-Identifier: GPL-2.0
/*
 * Two-tier memory management, with DAMON.
 *
 * An example of running two DAMON contexts at once through the in-kernel
 * API.  Node 0 is treated as the fast tier and node 1 as the slow tier.
 * One context monitors the physical memory of node 1 and migrates what is
 * accessed there to node 0 (promotion); the other monitors node 0 and
 * migrates what has been idle for a while to node 1 (demotion).  The node
 * ranges are taken from the node layout unless given as parameters.
 *
 * Usage (as root, on a system with two memory nodes):
 *	echo Y > /sys/module/damon_sample_mtier/parameters/enabled
 */

#define pr_fmt(fmt) "damon_sample_mtier: " fmt

#include <linux/damon.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/pfn.h>
#include <linux/sizes.h>

/* Idle time that makes fast tier memory cold, in microseconds. */
#define DAMON_SAMPLE_MTIER_COLD_AGE_US	(5 * USEC_PER_SEC)

static unsigned long node0_start_addr __read_mostly;
module_param(node0_start_addr, ulong, 0600);
MODULE_PARM_DESC(node0_start_addr, "Start of node 0 (0: from the layout)");

static unsigned long node0_end_addr __read_mostly;
module_param(node0_end_addr, ulong, 0600);
MODULE_PARM_DESC(node0_end_addr, "End of node 0 (0: from the layout)");

static unsigned long node1_start_addr __read_mostly;
module_param(node1_start_addr, ulong, 0600);
MODULE_PARM_DESC(node1_start_addr, "Start of node 1 (0: from the layout)");

static unsigned long node1_end_addr __read_mostly;
module_param(node1_end_addr, ulong, 0600);
MODULE_PARM_DESC(node1_end_addr, "End of node 1 (0: from the layout)");

static int damon_sample_mtier_enable_store(const char *val,
					   const struct kernel_param *kp);

static const struct kernel_param_ops enabled_param_ops = {
	.set = damon_sample_mtier_enable_store,
	.get = param_get_bool,
};

static bool enabled __read_mostly;
module_param_cb(enabled, &enabled_param_ops, &enabled, 0600);
MODULE_PARM_DESC(enabled, "Run the tiering (Y) or not (N)");

/* [0]: promotes node 1 -> node 0, [1]: demotes node 0 -> node 1. */
static struct damon_ctx *ctxs[2];
static bool initialized;

/* Physical address range of node @nid, either given or from the layout. */
static int damon_sample_mtier_node_range(int nid, struct damon_addr_range *r)
{
	unsigned long start = nid ? node1_start_addr : node0_start_addr;
	unsigned long end = nid ? node1_end_addr : node0_end_addr;

	if (!start && !end) {
		if (!node_online(nid))
			return -EINVAL;
		start = PFN_PHYS(node_start_pfn(nid));
		end = PFN_PHYS(node_end_pfn(nid));
	}
	if (start >= end)
		return -EINVAL;
	r->start = start;
	r->end = end;
	return 0;
}

static struct damon_ctx *damon_sample_mtier_build_ctx(bool promote)
{
	struct damon_addr_range range;
	struct damon_target *target;
	struct damon_ctx *ctx;
	struct damos *scheme;
	struct damos_access_pattern pattern = {
		.min_sz_region = PAGE_SIZE,
		.max_sz_region = ULONG_MAX,
		.max_nr_accesses = UINT_MAX,
		.max_age_region = UINT_MAX,
	};
	/* At most 256 MiB per second, most urgent first. */
	struct damos_quota quota = {
		.sz = SZ_256M,
		.reset_interval = 1000,
		.weight_nr_accesses = promote ? 1 : 0,
		.weight_age = promote ? 0 : 1,
	};
	struct damos_watermarks wmarks = {
		.metric = DAMOS_WMARK_NONE,
	};
	enum damos_action action = promote ? DAMOS_MIGRATE_HOT :
		DAMOS_MIGRATE_COLD;
	int err;

	err = damon_sample_mtier_node_range(promote ? 1 : 0, &range);
	if (err)
		return ERR_PTR(err);

	ctx = damon_new_ctx();
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	err = damon_select_ops(ctx, DAMON_OPS_PADDR);
	if (err)
		goto out;

	target = damon_new_target();
	if (!target) {
		err = -ENOMEM;
		goto out;
	}
	damon_add_target(ctx, target);
	err = damon_set_regions(target, &range, 1, ctx->min_sz_region);
	if (err)
		goto out;

	if (promote) {
		/* Accessed at all: worth being in the fast tier. */
		pattern.min_nr_accesses = 1;
	} else {
		pattern.max_nr_accesses = 0;
		pattern.min_age_region = DAMON_SAMPLE_MTIER_COLD_AGE_US /
			ctx->attrs.aggr_interval;
	}
	scheme = damon_new_scheme(&pattern, action, 0, &quota, &wmarks,
				  promote ? 0 : 1);
	if (!scheme) {
		err = -ENOMEM;
		goto out;
	}
	damon_add_scheme(ctx, scheme);
	return ctx;
out:
	damon_destroy_ctx(ctx);
	return ERR_PTR(err);
}

static void damon_sample_mtier_destroy_ctxs(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(ctxs); i++) {
		if (ctxs[i])
			damon_destroy_ctx(ctxs[i]);
		ctxs[i] = NULL;
	}
}

static int damon_sample_mtier_start(void)
{
	int i, err;

	for (i = 0; i < ARRAY_SIZE(ctxs); i++) {
		ctxs[i] = damon_sample_mtier_build_ctx(i == 0);
		if (IS_ERR(ctxs[i])) {
			err = PTR_ERR(ctxs[i]);
			ctxs[i] = NULL;
			damon_sample_mtier_destroy_ctxs();
			return err;
		}
	}
	/*
	 * If the second context fails to start, damon_start() stops the first
	 * one again before returning: none runs on the contexts destroyed.
	 */
	err = damon_start(ctxs, ARRAY_SIZE(ctxs), false);
	if (err)
		damon_sample_mtier_destroy_ctxs();
	return err;
}

static void damon_sample_mtier_stop(void)
{
	if (!ctxs[0])
		return;
	damon_stop(ctxs, ARRAY_SIZE(ctxs));
	damon_sample_mtier_destroy_ctxs();
}

static int damon_sample_mtier_enable_store(const char *val,
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
	if (on == enabled)
		return 0;

	if (!on) {
		damon_sample_mtier_stop();
		enabled = false;
		return 0;
	}
	err = damon_sample_mtier_start();
	if (err)
		return err;
	enabled = true;
	return 0;
}

static int __init damon_sample_mtier_init(void)
{
	int err = 0;

	initialized = true;
	if (enabled) {
		err = damon_sample_mtier_start();
		if (err)
			enabled = false;
	}
	return err;
}

static void __exit damon_sample_mtier_exit(void)
{
	damon_sample_mtier_stop();
}

module_init(damon_sample_mtier_init);
module_exit(damon_sample_mtier_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("DAMON sample: two-tier memory management");
