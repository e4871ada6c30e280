#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Accesses to THP- and hugetlb-backed memory are seen by vaddr.

For each backing, a workload accesses 32 MiB of a 64 MiB mapping; the bytes
reported as accessed inside the mapping must be within 25% of 32 MiB (huge
pages make the boundary coarse), and the untouched half must look idle
most of the time.  Backings the system cannot provide are skipped.
"""

import os
import sys
import time

import _damon_helpers as dh

MIB = 1 << 20


def accessed_in(snap, start, end):
    return sum(max(0, min(e, end) - max(s, start))
               for s, e, acc, _ in snap if acc > 0)


def thp_mapped(pid):
    try:
        with open('/proc/%d/smaps_rollup' % pid) as f:
            for line in f:
                if line.startswith('AnonHugePages:'):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def reserve_hugetlb(nr):
    path = '/proc/sys/vm/nr_hugepages'
    try:
        dh.write(path, nr)
        return int(dh.read(path)) >= nr
    except OSError:
        return False


def check(mode):
    wl = dh.Workload(['-s', 64, '-w', 32, '-m', mode, '-t', 30])
    try:
        if mode == 'thp' and thp_mapped(wl.pid) < 32 * MIB:
            print('SKIP %s: THP not used (%d bytes)' %
                  (mode, thp_mapped(wl.pid)))
            return None
        trace = dh.AggregatedTrace()
        dh.start('vaddr', [(wl.pid, [])])
        time.sleep(3)
        trace.start()
        trace.wait_snapshots(15, 15)
        trace.stop()
        dh.stop()
    finally:
        wl.kill()
    snaps = trace.snapshots().get(0, [])
    if len(snaps) < 5:
        print('FAIL %s: only %d snapshots' % (mode, len(snaps)))
        return False
    mid = wl.start + 32 * MIB
    hot = dh.median([accessed_in(s, wl.start, mid) for s in snaps]) / MIB
    cold = dh.median([accessed_in(s, mid, wl.end) for s in snaps]) / MIB
    print('%s: accessed %.1f MiB of the 32 MiB hot half, %.1f MiB of the '
          'cold half (median of %d snapshots)' % (mode, hot, cold,
                                                  len(snaps)))
    return abs(hot - 32) <= 8 and cold <= 8


def main():
    dh.require('vaddr')
    results = {}
    if os.path.exists('/sys/kernel/mm/transparent_hugepage/enabled'):
        dh.write('/sys/kernel/mm/transparent_hugepage/enabled', 'madvise')
        results['thp'] = check('thp')
    else:
        print('SKIP thp: no THP support')
    if reserve_hugetlb(40):
        results['hugetlb'] = check('hugetlb')
        reserve_hugetlb(0)
    else:
        print('SKIP hugetlb: cannot reserve huge pages')
    if False in results.values():
        sys.exit(dh.KSFT_FAIL)
    if not [v for v in results.values() if v]:
        dh.skip('no huge page backing available')
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
