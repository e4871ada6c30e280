// SPDX-License-Identifier: GPL-2.0
/*
 * Workload 5: the same pattern over a mapping of any size (-s 256M, 1G,
 * 4G...): 1/32 of it hot (touched continuously), 1/8 warm (touched every
 * 500 ms), the rest cold.
 */

#include "wl.h"

static struct wl_zone zones[2];

int main(int argc, char **argv)
{
	struct wl_spec spec = { "scale", 0, zones, 2 };
	unsigned long s;

	s = spec.size = wl_size_arg(argc, argv, 256 * MiB, 64 * MiB);
	zones[0] = (struct wl_zone){ s / 4, s / 4 + s / 32, 0, 0, 1e9, "hot" };
	zones[1] = (struct wl_zone){ s / 8 * 5, s / 8 * 6, 500, 0, 1e9, "warm-500ms" };
	return wl_main(&spec, argc, argv);
}
