/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMON sysfs interface: a table-driven directory tree.
 *
 * Every directory of /sys/kernel/mm/damon/admin is a struct damon_sysfs_node
 * whose struct damon_sysfs_type lists its files, its fixed subdirectories and
 * the type of its numbered children.  Files of the common kinds are handled
 * by one generic show/store pair that reads or writes a word-sized slot of
 * the node's private data.
 */

#ifndef _MM_DAMON_SYSFS_COMMON_H
#define _MM_DAMON_SYSFS_COMMON_H

#include <linux/damon.h>
#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/build_bug.h>
#include <linux/limits.h>
#include <linux/stddef.h>

/* Longest string (memcg_path, goal path) a file accepts, with the NUL. */
#define DAMON_SYSFS_STR_MAX	PATH_MAX

/* Default cap of the number of numbered children of a directory. */
#define DAMON_SYSFS_NR_MAX	65536

enum damon_sysfs_kind {
	DAMON_SYSFS_ULONG,	/* unsigned long, decimal (any kstrtoul base) */
	DAMON_SYSFS_INT,	/* int stored in a long, may be negative */
	DAMON_SYSFS_BOOL,	/* shown Y/N, stored through kstrtobool() */
	DAMON_SYSFS_BOOL01,	/* shown 0/1, stored through kstrtobool() */
	DAMON_SYSFS_HEX,	/* unsigned long, shown 0x%lx (any kstrtoul base) */
	DAMON_SYSFS_ENUM,	/* index into a name array */
	DAMON_SYSFS_STRING,	/* kmalloc()-ed string, NULL shows empty */
	DAMON_SYSFS_NR,		/* number of numbered children */
	DAMON_SYSFS_CUSTOM,	/* own show/store in @ka */
};

struct damon_sysfs_node;

/**
 * struct damon_sysfs_file - One file of a directory type.
 * @ka:		The attribute; its show/store are the generic ones unless
 *		@kind is %DAMON_SYSFS_CUSTOM.
 * @kind:	How the value is shown and parsed.
 * @off:	Offset of the value slot in the node's private data.
 * @def:	Default value of the slot (index for enums).
 * @names:	NULL-terminated names of the values, for %DAMON_SYSFS_ENUM.
 * @check:	Optional check of a %DAMON_SYSFS_STRING value before it is
 *		stored; an error leaves the old value in place.
 */
struct damon_sysfs_file {
	struct kobj_attribute ka;
	enum damon_sysfs_kind kind;
	unsigned short off;
	long def;
	const char * const *names;
	int (*check)(const char *buf);
};

/**
 * struct damon_sysfs_subdir - A fixed subdirectory of a directory type.
 * @name:	Directory name.
 * @type:	Its type.
 */
struct damon_sysfs_subdir {
	const char *name;
	const struct damon_sysfs_type *type;
};

/**
 * struct damon_sysfs_type - Shape of a directory.
 * @files:	Its files.
 * @nr_files:	Number of entries of @files.
 * @subdirs:	Its fixed subdirectories.
 * @nr_subdirs:	Number of entries of @subdirs.
 * @kid_type:	Type of the numbered children "0", "1", ..., if any.
 * @nr_max:	Most numbered children a %DAMON_SYSFS_NR write may ask for.
 * @data_size:	Bytes of private data, a struct of word-sized slots.
 * @nr_busy:	Returns -EBUSY if the numbered children may not change now.
 * @release:	Releases what the private data holds beyond strings.
 */
struct damon_sysfs_type {
	const struct damon_sysfs_file *files;
	unsigned int nr_files;
	const struct damon_sysfs_subdir *subdirs;
	unsigned int nr_subdirs;
	const struct damon_sysfs_type *kid_type;
	unsigned long nr_max;
	size_t data_size;
	int (*nr_busy)(struct damon_sysfs_node *node);
	void (*release)(struct damon_sysfs_node *node);
};

/**
 * struct damon_sysfs_node - A directory of the tree.
 * @kobj:	The kobject; its release frees the node.
 * @type:	Shape of the directory.
 * @parent:	Parent directory, NULL for the top one.
 * @kids:	Numbered children.
 * @nr:		Number of entries of @kids.
 * @data:	Private data (values of the files).
 * @subs:	Fixed subdirectories, in the order of @type->subdirs.
 */
struct damon_sysfs_node {
	struct kobject kobj;
	const struct damon_sysfs_type *type;
	struct damon_sysfs_node *parent;
	struct damon_sysfs_node **kids;
	unsigned long nr;
	void *data;
	struct damon_sysfs_node *subs[];
};

/* Attribute of a generically handled file named @_name_str. */
#define DAMON_SYSFS_KA(_name_str, _mode, _store)			\
	{								\
		.attr = { .name = (_name_str), .mode = (_mode) },	\
		.show = damon_sysfs_show,				\
		.store = (_store),					\
	}

/*
 * Offset of the slot of a file of kind @_kind in field @_field of @_st; a
 * build error unless the field is what the generic show/store access: a
 * word, a char * for strings and a long or unsigned long for the others,
 * at an offset that fits &struct damon_sysfs_file->off.
 */
#define DAMON_SYSFS_SLOT(_kind, _st, _field)				\
	(offsetof(_st, _field) +					\
	 BUILD_BUG_ON_ZERO(sizeof_field(_st, _field) != sizeof(long)) +	\
	 BUILD_BUG_ON_ZERO(offsetof(_st, _field) > U16_MAX) +		\
	 BUILD_BUG_ON_ZERO(!((_kind) == DAMON_SYSFS_STRING ?		\
			     __same_type(((_st *)0)->_field, char *) :	\
			     (__same_type(((_st *)0)->_field, long) ||	\
			      __same_type(((_st *)0)->_field,		\
					  unsigned long)))))

/* A file whose name is the name of its slot in @_st. */
#define DAMON_SYSFS_SLOT_FILE(_kind, _st, _field, _mode, _store, _def)	\
	{								\
		.ka = DAMON_SYSFS_KA(__stringify(_field), _mode, _store), \
		.kind = (_kind),					\
		.off = DAMON_SYSFS_SLOT(_kind, _st, _field),		\
		.def = (_def),						\
	}

/* A read-write file whose name is the name of its slot in @_st. */
#define DAMON_SYSFS_RW(_kind, _st, _field, _def)			\
	DAMON_SYSFS_SLOT_FILE(_kind, _st, _field, 0600, damon_sysfs_store, _def)

/* A read-only file whose name is the name of its slot in @_st. */
#define DAMON_SYSFS_RO(_kind, _st, _field)				\
	DAMON_SYSFS_SLOT_FILE(_kind, _st, _field, 0400, NULL, 0)

/* A read-write enum file; @_names ends with a NULL entry. */
#define DAMON_SYSFS_ENUM_RW(_st, _field, _names, _def)			\
	{								\
		.ka = DAMON_SYSFS_KA(__stringify(_field), 0600,		\
				     damon_sysfs_store),		\
		.kind = DAMON_SYSFS_ENUM,				\
		.off = DAMON_SYSFS_SLOT(DAMON_SYSFS_ENUM, _st, _field),	\
		.def = (_def),						\
		.names = (_names),					\
	}

/* A read-write string file whose values @_check accepts. */
#define DAMON_SYSFS_STR_RW(_st, _field, _check)				\
	{								\
		.ka = DAMON_SYSFS_KA(__stringify(_field), 0600,		\
				     damon_sysfs_store),		\
		.kind = DAMON_SYSFS_STRING,				\
		.off = offsetof(_st, _field),				\
		.check = (_check),					\
	}

/* The nr_* file of a directory with numbered children. */
#define DAMON_SYSFS_NR_FILE(_name)					\
	{								\
		.ka = __ATTR(_name, 0600, damon_sysfs_show,		\
				damon_sysfs_store),			\
		.kind = DAMON_SYSFS_NR,					\
	}

/* A file with its own show and (if @_store is not NULL) store. */
#define DAMON_SYSFS_CUSTOM_FILE(_name, _mode, _show, _store)		\
	{								\
		.ka = __ATTR(_name, _mode, _show, _store),		\
		.kind = DAMON_SYSFS_CUSTOM,				\
	}

/* Serializes commands and nr_* writes against each other. */
extern struct mutex damon_sysfs_lock;

bool damon_sysfs_trylock(void);
ssize_t damon_sysfs_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf);
ssize_t damon_sysfs_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count);

struct damon_sysfs_node *
damon_sysfs_node_create(const struct damon_sysfs_type *type,
			struct damon_sysfs_node *parent,
			struct kobject *parent_kobj, const char *name);
void damon_sysfs_node_remove(struct damon_sysfs_node *node);
int damon_sysfs_set_nr_kids(struct damon_sysfs_node *node, unsigned long nr);
char *damon_sysfs_strdup(char * const *slot);

/**
 * damon_sysfs_kobj_to_node() - The node of a kobject of the tree.
 * @kobj:	The kobject.
 *
 * Return: the node embedding @kobj.
 */
static inline struct damon_sysfs_node *
damon_sysfs_kobj_to_node(struct kobject *kobj)
{
	return container_of(kobj, struct damon_sysfs_node, kobj);
}

#endif /* _MM_DAMON_SYSFS_COMMON_H */
