/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMON sysfs interface: what sysfs-schemes.c, the schemes/ subtree of a
 * context directory, gives sysfs.c.  Not for use outside mm/damon/.
 */

#ifndef _MM_DAMON_SYSFS_SCHEMES_H
#define _MM_DAMON_SYSFS_SCHEMES_H

#include "sysfs-common.h"

/* Type of the schemes/ directory. */
extern const struct damon_sysfs_type damon_sysfs_schemes_type;

int damon_sysfs_add_schemes(struct damon_ctx *ctx,
			    struct damon_sysfs_node *schemes);
int damon_sysfs_commit_quota_goals(struct damon_ctx *ctx,
				   struct damon_sysfs_node *schemes);
void damon_sysfs_schemes_update_stats(struct damon_ctx *ctx,
				      struct damon_sysfs_node *schemes);
void damon_sysfs_schemes_update_esz(struct damon_ctx *ctx,
				    struct damon_sysfs_node *schemes);
struct damon_sysfs_tried_walk;
struct damon_sysfs_tried_walk *
damon_sysfs_tried_walk_new(struct damon_ctx *ctx,
			   struct damon_sysfs_node *schemes, bool bytes_only,
			   int *errp);
int damon_sysfs_tried_walk(struct damon_ctx *ctx,
			   struct damon_sysfs_tried_walk *w);
int damon_sysfs_tried_walk_fill(struct damon_sysfs_tried_walk *w,
				struct damon_sysfs_node *schemes);
void damon_sysfs_tried_walk_free(struct damon_sysfs_tried_walk *w);
void damon_sysfs_schemes_clear_tried(struct damon_sysfs_node *schemes);
int damon_sysfs_memcg_id(char * const *slot, unsigned short *id);

#endif /* _MM_DAMON_SYSFS_SCHEMES_H */
