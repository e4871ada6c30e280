#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""fvaddr reports only inside the ranges it is given.

A workload accesses all of a 64 MiB mapping; fvaddr monitors two ranges of
it.  Every reported region must lie inside one of them, the ranges must be
covered entirely in every snapshot, and the accesses must be seen.
"""

import sys
import time

import _damon_helpers as dh

MIB = 1 << 20


def main():
    dh.require('fvaddr')
    wl = dh.Workload(['-s', 64, '-t', 40])
    ranges = [(wl.start + 8 * MIB, wl.start + 24 * MIB),
              (wl.start + 40 * MIB, wl.start + 48 * MIB)]
    try:
        trace = dh.AggregatedTrace()
        # a short update interval: a refresh must not touch the ranges
        dh.start('fvaddr', [(wl.pid, ranges)], update_us=100000)
        time.sleep(1)
        trace.start()
        trace.wait_snapshots(15, 30)
        trace.stop()
        dh.stop()
    finally:
        wl.kill()
    snaps = trace.snapshots().get(0, [])
    if len(snaps) < 5:
        dh.fail('only %d snapshots' % len(snaps))
    want = sum(e - s for s, e in ranges)
    for snap in snaps:
        for s, e, _, _ in snap:
            if not any(rs <= s and e <= re for rs, re in ranges):
                dh.fail('region %d-%d outside the given ranges' % (s, e))
        covered = sum(e - s for s, e, _, _ in snap)
        if covered != want:
            dh.fail('snapshot covers %d bytes, not %d' % (covered, want))
    est = dh.median([dh.wss(s) for s in snaps])
    print('fvaddr: %d snapshots inside the ranges, accessed %.1f of %.1f MiB'
          % (len(snaps), est / MIB, want / MIB))
    if est < want * 0.8:
        dh.fail('accesses inside the ranges not seen')
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
