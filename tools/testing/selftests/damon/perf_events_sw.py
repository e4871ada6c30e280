#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The perf_events sampling primitive alone tells hot from cold memory.

A workload maps 64 MiB and, on every pass, drops and touches again its
first 16 MiB, so that each pass page faults on every hot page; the other
48 MiB stay untouched after they are populated.  A vaddr context samples
it with the software page fault event (type 1, config 2, every fault a
sample) and no page table checks.  In at least 80% of the aggregation
snapshots, the hot part must be accessed and the cold part at most a
tenth as much; the report counters must show matched reports.
"""

import sys

import _damon_helpers as dh
import _damon_perf as pe

HOT_MIB = 16


def main():
    pe.require()
    wl = dh.Workload(['-s', 64, '-w', HOT_MIB, '-D', '-t', dh.UNTIL_KILLED])
    try:
        trace = dh.AggregatedTrace()
        pe.stage(wl.pid, [pe.SW])
        dh.cmd(0, 'on')
        snaps = pe.collect(trace, 20, 30)
        st = pe.stats()
        dh.stop()
    finally:
        dh.stop()
        wl.kill()
    mid = wl.start + HOT_MIB * pe.MIB
    if len(snaps) < 8:
        dh.fail('only %d snapshots' % len(snaps))
    good, hot, cold = pe.hot_cold(snaps, (wl.start, mid), (mid, wl.end))
    print('hot accessed, cold <= hot/10 in %d of %d snapshots; median '
          'nr_accesses hot %.2f cold %.2f' % (good, len(snaps), hot, cold))
    print('reports: %s' % st)
    if st['matched'] == 0:
        dh.fail('no matched report')
    if good < 0.8 * len(snaps):
        dh.fail('hot and cold not told apart by perf event samples')
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
