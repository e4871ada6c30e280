#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hot and cold halves of a mapping are told apart by vaddr.

The workload accesses the first half of a 64 MiB mapping continuously and
the second half once every 200 passes.  In at least 90% of the aggregation
snapshots, the size-weighted nr_accesses of the hot half must be higher
than that of the cold half.
"""

import sys
import time

import _damon_helpers as dh

MIB = 1 << 20


def main():
    dh.require('vaddr')
    wl = dh.Workload(['-s', 64, '-w', 32, '-c', 32, '-C', 200, '-t', 45])
    try:
        trace = dh.AggregatedTrace()
        dh.start('vaddr', [(wl.pid, [])])
        time.sleep(2)
        trace.start()
        trace.wait_snapshots(30, 30)
        trace.stop()
        dh.stop()
    finally:
        wl.kill()
    mid = wl.start + 32 * MIB
    snaps = trace.snapshots().get(0, [])
    if len(snaps) < 10:
        dh.fail('only %d snapshots' % len(snaps))
    good = dh.hot_above_cold(snaps, wl.start, mid, wl.end)
    ratio = good / len(snaps)
    print('hot > cold in %d of %d snapshots (%.1f%%)' %
          (good, len(snaps), ratio * 100))
    if ratio < 0.9:
        dh.fail('hot and cold halves not told apart')
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
