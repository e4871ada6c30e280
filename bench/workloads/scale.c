// SPDX-License-Identifier: GPL-2.0
/*
 * Workload 5: the same pattern over a mapping of any size (-s 256M, 1G,
 * 4G...): 1/32 of it hot (touched continuously), 1/8 warm (touched every
 * 500 ms), the rest cold.
 */
#include <string.h>
#include <unistd.h>

#include "wl.h"

static struct wl_zone zones[2];

int main(int argc, char **argv)
{
	struct wl_spec spec = { "scale", 256 * MiB, zones, 2 };
	unsigned long s;
	int i;

	for (i = 1; i < argc - 1; i++)
		if (!strcmp(argv[i], "-s"))
			spec.size = wl_parse_size(argv[i + 1]) & ~(64 * MiB - 1);
	if (spec.size < 64 * MiB)
		spec.size = 64 * MiB;
	s = spec.size;
	zones[0] = (struct wl_zone){ s / 4, s / 4 + s / 32, 0, 0, 1e9, "hot" };
	zones[1] = (struct wl_zone){ s / 8 * 5, s / 8 * 6, 500, 0, 1e9, "warm-500ms" };
	return wl_main(&spec, argc, argv);
}
