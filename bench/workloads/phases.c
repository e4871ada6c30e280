// SPDX-License-Identifier: GPL-2.0
/*
 * Workload 2: a 32 MiB hot set that jumps to another place of a 512 MiB
 * mapping every 3 seconds; the rest stays cold.
 */
#include "wl.h"

#define PHASE_S 3
#define NR_PHASES 200

static struct wl_zone zones[NR_PHASES];
static const unsigned long where[] = { 64, 320, 160, 448, 0, 256, 384, 96, 224, 416 };

int main(int argc, char **argv)
{
	struct wl_spec spec = { "phases", 512 * MiB, zones, NR_PHASES };
	int i, n = ARRAY_SIZE(where);

	for (i = 0; i < NR_PHASES; i++) {
		zones[i].start = where[i % n] * MiB;
		zones[i].end = zones[i].start + 32 * MiB;
		zones[i].period_ms = 0;
		zones[i].from = i * PHASE_S;
		zones[i].to = (i + 1) * PHASE_S;
		zones[i].label = "hot";
	}
	return wl_main(&spec, argc, argv);
}
