// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON sysfs interface: the generic directory engine.
 *
 * Values are stored raw, as written; checks that involve more than one file
 * happen when a context is built from the tree (on/commit).
 */

#include <linux/delay.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "sysfs-common.h"

/* Serializes commands and nr_* writes; stores only ever trylock it. */
DEFINE_MUTEX(damon_sysfs_lock);

/* Protects string slots: held while one is shown, swapped or copied. */
static DEFINE_SPINLOCK(damon_sysfs_str_lock);

/**
 * damon_sysfs_trylock() - Take damon_sysfs_lock, waiting only briefly.
 *
 * Removing a directory waits for the show/store calls running on its files,
 * so a store must never block on the lock that the remover holds.  It may
 * retry for a short while, though, to ride out the kdamonds' periodic
 * refreshes, which hold the lock for a moment only.
 *
 * Return: true if the lock was taken.
 */
bool damon_sysfs_trylock(void)
{
	int i;

	for (i = 0; i < 20; i++) {
		if (mutex_trylock(&damon_sysfs_lock))
			return true;
		usleep_range(500, 1000);
	}
	return false;
}

static const struct damon_sysfs_file *to_file(struct kobj_attribute *attr)
{
	return container_of(attr, struct damon_sysfs_file, ka);
}

static long *slot_of(struct damon_sysfs_node *node,
		     const struct damon_sysfs_file *f)
{
	return (long *)(node->data + f->off);
}

/**
 * damon_sysfs_show() - Generic show of a table-described file.
 * @kobj:	The kobject of the directory.
 * @attr:	The attribute, embedded in a struct damon_sysfs_file.
 * @buf:	Output buffer.
 *
 * Return: the number of bytes written to @buf.
 */
ssize_t damon_sysfs_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	struct damon_sysfs_node *node = damon_sysfs_kobj_to_node(kobj);
	const struct damon_sysfs_file *f = to_file(attr);
	long v;
	ssize_t len;

	if (f->kind == DAMON_SYSFS_NR)
		return sysfs_emit(buf, "%lu\n", READ_ONCE(node->nr));
	if (f->kind == DAMON_SYSFS_STRING) {
		char *s;

		spin_lock(&damon_sysfs_str_lock);
		s = *(char **)slot_of(node, f);
		len = sysfs_emit(buf, "%s\n", s ? s : "");
		spin_unlock(&damon_sysfs_str_lock);
		return len;
	}
	v = READ_ONCE(*slot_of(node, f));
	switch (f->kind) {
	case DAMON_SYSFS_INT:
		return sysfs_emit(buf, "%ld\n", v);
	case DAMON_SYSFS_BOOL:
		return sysfs_emit(buf, "%c\n", v ? 'Y' : 'N');
	case DAMON_SYSFS_BOOL01:
		return sysfs_emit(buf, "%d\n", v ? 1 : 0);
	case DAMON_SYSFS_HEX:
		return sysfs_emit(buf, "0x%lx\n", (unsigned long)v);
	case DAMON_SYSFS_ENUM:
		return sysfs_emit(buf, "%s\n", f->names[v]);
	default:
		return sysfs_emit(buf, "%lu\n", (unsigned long)v);
	}
}

static int parse_enum(const struct damon_sysfs_file *f, const char *buf,
		      long *v)
{
	unsigned int i;

	for (i = 0; f->names[i]; i++) {
		if (sysfs_streq(buf, f->names[i])) {
			*v = i;
			return 0;
		}
	}
	return -EINVAL;
}

static int store_string(struct damon_sysfs_node *node,
			const struct damon_sysfs_file *f, const char *buf,
			size_t count)
{
	char **slot = (char **)slot_of(node, f);
	char *s, *old;

	if (count && buf[count - 1] == '\n')
		count--;
	if (count >= DAMON_SYSFS_STR_MAX)
		return -EINVAL;
	s = kmemdup_nul(buf, count, GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	spin_lock(&damon_sysfs_str_lock);
	old = *slot;
	*slot = s;
	spin_unlock(&damon_sysfs_str_lock);
	kfree(old);
	return 0;
}

static int store_nr(struct damon_sysfs_node *node, const char *buf)
{
	unsigned long nr;
	int err;

	err = kstrtoul(buf, 0, &nr);
	if (err)
		return err;
	if (nr > node->type->nr_max)
		return -EINVAL;
	if (!damon_sysfs_trylock())
		return -EBUSY;
	err = node->type->nr_busy ? node->type->nr_busy(node) : 0;
	if (!err && nr != node->nr)
		err = damon_sysfs_set_nr_kids(node, nr);
	mutex_unlock(&damon_sysfs_lock);
	return err;
}

/**
 * damon_sysfs_store() - Generic store of a table-described file.
 * @kobj:	The kobject of the directory.
 * @attr:	The attribute, embedded in a struct damon_sysfs_file.
 * @buf:	Written data, NUL-terminated.
 * @count:	Length of @buf.
 *
 * Return: @count on success, a negative error code otherwise.
 */
ssize_t damon_sysfs_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	struct damon_sysfs_node *node = damon_sysfs_kobj_to_node(kobj);
	const struct damon_sysfs_file *f = to_file(attr);
	unsigned long ul;
	bool b;
	int i, err;
	long v;

	switch (f->kind) {
	case DAMON_SYSFS_ULONG:
	case DAMON_SYSFS_HEX:
		err = kstrtoul(buf, 0, &ul);
		v = (long)ul;
		break;
	case DAMON_SYSFS_INT:
		err = kstrtoint(buf, 0, &i);
		v = i;
		break;
	case DAMON_SYSFS_BOOL:
	case DAMON_SYSFS_BOOL01:
		err = kstrtobool(buf, &b);
		v = b;
		break;
	case DAMON_SYSFS_ENUM:
		err = parse_enum(f, buf, &v);
		break;
	case DAMON_SYSFS_STRING:
		err = f->check ? f->check(buf) : 0;
		if (!err)
			err = store_string(node, f, buf, count);
		return err ? err : count;
	case DAMON_SYSFS_NR:
		err = store_nr(node, buf);
		return err ? err : count;
	default:
		return -EINVAL;
	}
	if (err)
		return err;
	WRITE_ONCE(*slot_of(node, f), v);
	return count;
}

/**
 * damon_sysfs_strdup() - Copy a string slot.
 * @slot:	The slot.
 *
 * Return: a kmalloc()-ed copy of the string (empty if unset), NULL if out
 * of memory.
 */
char *damon_sysfs_strdup(char * const *slot)
{
	char *buf = kmalloc(DAMON_SYSFS_STR_MAX, GFP_KERNEL);

	if (!buf)
		return NULL;
	spin_lock(&damon_sysfs_str_lock);
	strscpy(buf, *slot ? *slot : "", DAMON_SYSFS_STR_MAX);
	spin_unlock(&damon_sysfs_str_lock);
	return buf;
}

static void damon_sysfs_release(struct kobject *kobj)
{
	struct damon_sysfs_node *node = damon_sysfs_kobj_to_node(kobj);
	const struct damon_sysfs_type *type = node->type;
	unsigned int i;

	if (type->release)
		type->release(node);
	for (i = 0; i < type->nr_files; i++)
		if (type->files[i].kind == DAMON_SYSFS_STRING)
			kfree(*(char **)slot_of(node, &type->files[i]));
	kfree(node->kids);
	kfree(node);
}

static const struct kobj_type damon_sysfs_ktype = {
	.release = damon_sysfs_release,
	.sysfs_ops = &kobj_sysfs_ops,
};

/**
 * damon_sysfs_node_remove() - Remove a directory and everything below it.
 * @node:	The directory; may be NULL.
 *
 * The memory goes away when the last reference to the kobject is dropped.
 */
void damon_sysfs_node_remove(struct damon_sysfs_node *node)
{
	unsigned int i;

	if (!node)
		return;
	damon_sysfs_set_nr_kids(node, 0);
	for (i = 0; i < node->type->nr_subdirs; i++) {
		damon_sysfs_node_remove(node->subs[i]);
		node->subs[i] = NULL;
	}
	kobject_del(&node->kobj);
	kobject_put(&node->kobj);
}

/**
 * damon_sysfs_node_create() - Create a directory with default values.
 * @type:		Shape of the directory.
 * @parent:		Parent node, or NULL for a top directory.
 * @parent_kobj:	Parent kobject when @parent is NULL.
 * @name:		Directory name.
 *
 * Return: the node, or NULL on failure.
 */
struct damon_sysfs_node *
damon_sysfs_node_create(const struct damon_sysfs_type *type,
			struct damon_sysfs_node *parent,
			struct kobject *parent_kobj, const char *name)
{
	struct damon_sysfs_node *node;
	unsigned int i;
	size_t hdr = struct_size(node, subs, type->nr_subdirs);

	node = kzalloc(hdr + type->data_size, GFP_KERNEL);
	if (!node)
		return NULL;
	node->type = type;
	node->parent = parent;
	node->data = (void *)node + hdr;
	for (i = 0; i < type->nr_files; i++) {
		const struct damon_sysfs_file *f = &type->files[i];

		if (f->kind != DAMON_SYSFS_NR && f->kind != DAMON_SYSFS_CUSTOM &&
		    f->kind != DAMON_SYSFS_STRING)
			*slot_of(node, f) = f->def;
	}
	if (parent)
		parent_kobj = &parent->kobj;
	if (kobject_init_and_add(&node->kobj, &damon_sysfs_ktype, parent_kobj,
				 "%s", name)) {
		kobject_put(&node->kobj);
		return NULL;
	}
	for (i = 0; i < type->nr_files; i++)
		if (sysfs_create_file(&node->kobj, &type->files[i].ka.attr))
			goto fail;
	for (i = 0; i < type->nr_subdirs; i++) {
		node->subs[i] = damon_sysfs_node_create(type->subdirs[i].type,
							node, NULL,
							type->subdirs[i].name);
		if (!node->subs[i])
			goto fail;
	}
	return node;
fail:
	damon_sysfs_node_remove(node);
	return NULL;
}

/**
 * damon_sysfs_set_nr_kids() - Replace the numbered children.
 * @node:	The directory.
 * @nr:		Wanted number of children.
 *
 * Removes every numbered child and creates @nr fresh ones with default
 * values.  On failure, the directory is left without numbered children.
 *
 * Return: 0 on success, -ENOMEM otherwise.
 */
int damon_sysfs_set_nr_kids(struct damon_sysfs_node *node, unsigned long nr)
{
	struct damon_sysfs_node **kids;
	char name[24];
	unsigned long i;

	for (i = 0; i < node->nr; i++)
		damon_sysfs_node_remove(node->kids[i]);
	kfree(node->kids);
	node->kids = NULL;
	WRITE_ONCE(node->nr, 0);
	if (!nr)
		return 0;
	kids = kcalloc(nr, sizeof(*kids), GFP_KERNEL_ACCOUNT);
	if (!kids)
		return -ENOMEM;
	node->kids = kids;
	for (i = 0; i < nr; i++) {
		snprintf(name, sizeof(name), "%lu", i);
		kids[i] = damon_sysfs_node_create(node->type->kid_type, node,
						  NULL, name);
		if (!kids[i]) {
			damon_sysfs_set_nr_kids(node, 0);
			return -ENOMEM;
		}
		WRITE_ONCE(node->nr, i + 1);
	}
	return 0;
}
