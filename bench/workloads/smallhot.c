// SPDX-License-Identifier: GPL-2.0
/*
 * Workload 4: a 10 MiB hot set inside a 1 GiB mapping that is otherwise
 * cold.  Also used for physical address space monitoring (-p logs the page
 * frames behind the mapping).
 */
#include "wl.h"

static struct wl_zone zones[] = {
	{ 613 * MiB, 623 * MiB, 0, 0, 1e9, "hot" },
};

int main(int argc, char **argv)
{
	struct wl_spec spec = { "smallhot", 1024 * MiB, zones, 1 };

	return wl_main(&spec, argc, argv);
}
