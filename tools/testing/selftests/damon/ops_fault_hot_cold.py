#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The page fault sampling primitive alone tells hot from cold.

As ops_hot_cold.py, with monitoring_attrs/sample/primitives page_table N
and page_fault Y: the workload accesses the first half of a 64 MiB mapping
continuously and the second half once every 200 passes.  In at least 90%
of the aggregation snapshots, the size-weighted nr_accesses of the hot half
must be higher than that of the cold half, and the sample stats must show
matched reports (so that the accesses were seen through faults).
"""

import sys
import time

import _damon_helpers as dh

MIB = 1 << 20


def hot_cold_ratio(primitives, secs=45):
    """Share of the snapshots where the hot half is hotter, and the number
    of matched reports."""
    wl = dh.Workload(['-s', 64, '-w', 32, '-c', 32, '-C', 200, '-t', secs])
    try:
        trace = dh.AggregatedTrace()
        dh.start('vaddr', [(wl.pid, [])], primitives=primitives)
        time.sleep(2)
        trace.start()
        trace.wait_snapshots(30, 30)
        trace.stop()
        dh.cmd(0, 'update_schemes_stats')
        matched = int(dh.read(dh.kd_path(0, 'contexts', '0',
                                         'monitoring_attrs', 'sample',
                                         'stats', 'matched')))
        dh.stop()
    finally:
        wl.kill()
    mid = wl.start + 32 * MIB
    snaps = trace.snapshots().get(0, [])
    if len(snaps) < 10:
        dh.fail('only %d snapshots' % len(snaps))
    good = dh.hot_above_cold(snaps, wl.start, mid, wl.end)
    print('primitives %s: hot > cold in %d of %d snapshots (%.1f%%), '
          '%d matched reports' % ('/'.join(primitives), good, len(snaps),
                                  good * 100 / len(snaps), matched))
    return good / len(snaps), matched


def main():
    dh.require('vaddr')
    ratio, matched = hot_cold_ratio(('N', 'Y'))
    if not matched:
        dh.fail('no fault report matched a region')
    if ratio < 0.9:
        dh.fail('hot and cold halves not told apart')
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
