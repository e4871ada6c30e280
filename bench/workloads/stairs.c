// SPDX-License-Identifier: GPL-2.0
/*
 * Workload 3: "stairs": a 256 MiB mapping walked in 16 MiB steps, each step
 * hot for one second, then the next one, wrapping around.
 */
#include "wl.h"

#define STEP (16 * MiB)
#define NR_STEPS 16
#define NR_ZONES 600

static struct wl_zone zones[NR_ZONES];

int main(int argc, char **argv)
{
	struct wl_spec spec = { "stairs", NR_STEPS * STEP, zones, NR_ZONES };
	int i;

	for (i = 0; i < NR_ZONES; i++) {
		zones[i].start = (i % NR_STEPS) * STEP;
		zones[i].end = zones[i].start + STEP;
		zones[i].period_ms = 0;
		zones[i].from = i;
		zones[i].to = i + 1;
		zones[i].label = "step";
	}
	return wl_main(&spec, argc, argv);
}
