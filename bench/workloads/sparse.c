// SPDX-License-Identifier: GPL-2.0
/*
 * Workload 6: a sparse mapping of any size (-s 16G, 1T...), reserved with
 * MAP_NORESERVE and populated only where it is used: 64 MiB idle (touched
 * once to populate, never again) and, 3 s after the start, a 64 MiB hot set
 * touched continuously.  The time DAMON takes to find the hot set in a
 * mapping this large is what the case measures.
 */

#include "wl.h"

static struct wl_zone zones[2];

int main(int argc, char **argv)
{
	struct wl_spec spec = { "sparse", 0, zones, 2, 1 };
	unsigned long s, hot;

	s = spec.size = wl_size_arg(argc, argv, 16384 * MiB, 1024 * MiB);
	hot = s / 8 * 5 & ~(64 * MiB - 1);
	zones[0] = (struct wl_zone){ s / 8, s / 8 + 64 * MiB, -1, 0, 1e9, "idle" };
	zones[1] = (struct wl_zone){ hot, hot + 64 * MiB, 0, 3, 1e9, "hot" };
	return wl_main(&spec, argc, argv);
}
