#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Every snapshot has between min_nr_regions and max_nr_regions regions,
from the first aggregation after 'on'.

A workload accesses 100 MiB evenly (ten 10 MiB areas); nr_regions are 20
to 100; an all-matching stat scheme's tried regions are refreshed every
100 ms for the first 15 snapshots after 'on', and each must count 20 to
100 regions.  Three setups: vaddr with the regions the operations set
picks, vaddr with the ten areas given as target regions, and paddr with
one region.  The first snapshot used to show the regions as set, before
any split to the minimum (10 or 1), and merges of unevenly sized regions
could go below the minimum (11 of 20 seen).
"""

import os
import sys
import time

import _damon_helpers as dh

MIN_NR, MAX_NR = 20, 100
NR_SNAPSHOTS = 15
MIB = 1 << 20


def snapshot_counts():
    base = dh.scheme_path(0, 0, 'tried_regions')
    counts = []
    for _ in range(NR_SNAPSHOTS):
        dh.cmd(0, 'update_schemes_tried_regions')
        counts.append(sum(1 for n in os.listdir(base) if n.isdigit()))
        time.sleep(0.1)
    return counts


def run(name, ops, targets):
    dh.stop()
    dh.stage([dh.kdamond(dh.context(ops, targets, [dh.scheme('stat')],
                                    nr_regions=(MIN_NR, MAX_NR)))])
    dh.cmd(0, 'on')
    try:
        counts = snapshot_counts()
    finally:
        dh.stop()
    print('%s: tried regions per snapshot %s' % (name, counts))
    return [c for c in counts if not MIN_NR <= c <= MAX_NR]


def main():
    dh.require()
    dh.require('vaddr')
    bad = {}
    wl = dh.Workload(['-s', 100, '-t', dh.UNTIL_KILLED])
    try:
        bad['vaddr'] = run('vaddr', 'vaddr', [dh.target(wl.pid)])
        areas = [(wl.start + i * 10 * MIB, wl.start + (i + 1) * 10 * MIB)
                 for i in range(10)]
        bad['vaddr ten regions'] = run('vaddr ten regions', 'vaddr',
                                       [dh.target(wl.pid, areas)])
        ram = dh.biggest_system_ram()
        if ram is not None:
            bad['paddr'] = run('paddr', 'paddr',
                               [dh.target(None, [ram])])
    finally:
        wl.kill()
    failed = {k: v for k, v in bad.items() if v}
    if failed:
        dh.fail('snapshots out of [%d, %d]: %s' % (MIN_NR, MAX_NR, failed))
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
