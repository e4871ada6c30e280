// SPDX-License-Identifier: GPL-2.0
/*
 * Workload 1: a static hot/cold split of a 512 MiB mapping, zones touched at
 * different rates for the whole run.
 */
#include "wl.h"

static struct wl_zone zones[] = {
	{  32 * MiB,  64 * MiB,    0, 0, 1e9, "hot" },
	{ 128 * MiB, 192 * MiB,  200, 0, 1e9, "warm-200ms" },
	{ 256 * MiB, 272 * MiB,   50, 0, 1e9, "warm-50ms" },
	{ 384 * MiB, 448 * MiB, 1000, 0, 1e9, "tepid-1s" },
};

int main(int argc, char **argv)
{
	struct wl_spec spec = { "static", 512 * MiB, zones, 4 };

	return wl_main(&spec, argc, argv);
}
