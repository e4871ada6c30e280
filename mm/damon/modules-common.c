// SPDX-License-Identifier: GPL-2.0
/*
 * Code shared by the special-purpose DAMON modules.
 *
 * Each of those modules runs at most one kdamond, switched by its "enabled"
 * parameter.  Because the modules are built in, "enabled" may also be set on
 * the kernel command line, which is parsed long before the slab allocator
 * and the DAMON core are ready.  The store function below therefore only
 * records the wanted state until the module's init function ran, and the
 * init function starts the kdamond if it was asked for.
 */

#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/string.h>

#include "modules-common.h"
#include "ops-common.h"

static void damon_modules_stop(struct damon_modules_kdamond *k)
{
	if (!k->ctx)
		return;
	/* Fails only if the kdamond already stopped by itself. */
	damon_stop(&k->ctx, 1);
	damon_destroy_ctx(k->ctx);
	k->ctx = NULL;
	k->kdamond_pid = -1;
}

static int damon_modules_start(struct damon_modules_kdamond *k)
{
	struct damon_ctx *ctx;
	int err;

	if (!damon_initialized())
		return -ENOMEM;
	ctx = k->build_ctx();
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	err = damon_start(&ctx, 1, true);
	if (err) {
		damon_destroy_ctx(ctx);
		return err;
	}
	k->ctx = ctx;
	if (k->repeat_fn) {
		memset(&k->repeat_call, 0, sizeof(k->repeat_call));
		k->repeat_call.fn = k->repeat_fn;
		k->repeat_call.data = ctx;
		k->repeat_call.repeat = true;
		err = damon_call(ctx, &k->repeat_call);
		if (err) {
			damon_modules_stop(k);
			return err;
		}
	}
	k->kdamond_pid = damon_kdamond_pid(ctx);
	return 0;
}

/**
 * damon_modules_running() - Whether the kdamond of a module runs.
 * @k:	The module's kdamond.
 *
 * Return: true if @k has a context whose kdamond is running.
 */
bool damon_modules_running(struct damon_modules_kdamond *k)
{
	return k->ctx && damon_is_running(k->ctx);
}

/**
 * damon_modules_enabled_store() - Handle a write to an "enabled" parameter.
 * @k:		The module's kdamond; its @enabled is the parameter's value.
 * @val:	The written text.
 *
 * Before the module init function ran (kernel command line), only records
 * the value.  Afterwards, starts or stops the kdamond to match it.  A
 * kdamond that stopped by itself is cleaned up and started again when "Y"
 * is written.  The caller holds the kernel parameter lock.
 *
 * Return: 0 on success, or a negative errno; @k->enabled is left unchanged
 * by a malformed value, and reads N after a failed start.
 */
int damon_modules_enabled_store(struct damon_modules_kdamond *k,
				const char *val)
{
	bool on;
	int err;

	err = kstrtobool(val, &on);
	if (err)
		return err;

	if (!k->initialized) {
		k->enabled = on;
		return 0;
	}

	if (!on) {
		damon_modules_stop(k);
		k->enabled = false;
		return 0;
	}

	if (damon_modules_running(k)) {
		k->enabled = true;
		return 0;
	}
	damon_modules_stop(k);
	err = damon_modules_start(k);
	k->enabled = !err;
	return err;
}

/**
 * damon_modules_init() - Module init time part of the "enabled" handling.
 * @k:		The module's kdamond.
 *
 * Marks the module initialized, so that later writes to "enabled" take
 * effect at once, and starts the kdamond if @k->enabled was set at build
 * time or on the kernel command line.
 *
 * Return: 0 on success, or the negative errno of the failed start, in which
 * case @k->enabled is cleared.
 */
int damon_modules_init(struct damon_modules_kdamond *k)
{
	int err;

	k->kdamond_pid = -1;
	k->initialized = true;
	if (!k->enabled)
		return 0;
	err = damon_modules_start(k);
	if (err)
		k->enabled = false;
	return err;
}

/**
 * damon_modules_new_paddr_ctx() - Make a physical address space context.
 * @attrs:	Monitoring attributes.
 * @addr_unit:	Bytes per address unit; a power of two.
 * @start:	Start of the region to monitor, in address units.
 * @end:	End of the region to monitor, in address units.
 *
 * Makes a context of the paddr operations set with one target, whose
 * regions are the System RAM resources in [@start, @end), one region each
 * (see damon_pa_set_system_ram_regions()): the holes between them are not
 * monitored.  If both @start and @end are zero, the target covers all
 * System RAM and both are set to the span from its first to its last byte.
 *
 * Return: the new context, or an ERR_PTR() for invalid input (-EINVAL) or a
 * lack of memory.
 */
struct damon_ctx *damon_modules_new_paddr_ctx(struct damon_attrs *attrs,
					      unsigned long addr_unit,
					      unsigned long *start,
					      unsigned long *end)
{
	struct damon_ctx *ctx;
	struct damon_target *target;
	int err;

	if (!addr_unit || !is_power_of_2(addr_unit))
		return ERR_PTR(-EINVAL);
	if ((*start || *end) && *start >= *end)
		return ERR_PTR(-EINVAL);

	ctx = damon_new_ctx();
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	err = damon_set_attrs(ctx, attrs);
	if (err)
		goto out;
	err = damon_select_ops(ctx, DAMON_OPS_PADDR);
	if (err)
		goto out;
	ctx->addr_unit = addr_unit;
	ctx->min_sz_region = max(DAMON_MIN_REGION / addr_unit, 1UL);

	target = damon_new_target();
	if (!target) {
		err = -ENOMEM;
		goto out;
	}
	damon_add_target(ctx, target);
	err = damon_pa_set_system_ram_regions(target, start, end, addr_unit,
					      ctx->min_sz_region,
					      attrs->max_nr_regions);
	if (err)
		goto out;
	return ctx;
out:
	damon_destroy_ctx(ctx);
	return ERR_PTR(err);
}
