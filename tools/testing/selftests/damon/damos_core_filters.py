#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Core filters select the regions a scheme is tried on.

A stat scheme for a 32 MiB workload gets an addr core filter on the middle
16 MiB of its mapping.  As an allow filter, every tried region must be
inside that range and they must cover it; as a reject filter, none may
overlap it.  A target filter allowing target 1 of two targets must leave
only regions of the second workload, as the target_idx of the
damos_before_apply tracepoint tells.  Regions are otherwise read back
through update_schemes_tried_regions.
"""

import os
import re
import sys
import time

import _damon_helpers as dh

MIB = 1 << 20


def tried(filters, targets, apply_us=5000):
    dh.stop()
    dh.stage([dh.kdamond(dh.context('vaddr', targets, [
        dh.scheme('stat', apply_interval_us=apply_us,
                  core_filters=filters)]))])
    dh.cmd(0, 'on')
    time.sleep(0.5)
    dh.cmd(0, 'update_schemes_tried_regions')
    regions, total = dh.tried_regions()
    dh.stop()
    return regions, total


def overlap(r, lo, hi):
    return max(0, min(r[1], hi) - max(r[0], lo))


def main():
    dh.require()
    dh.require('vaddr')
    begin = time.time()
    args = ['-s', 32, '-t', dh.UNTIL_KILLED]
    wl, wl2 = dh.workloads(args, args)
    print('workloads ready in %.1f s' % (time.time() - begin))
    try:
        lo, hi = wl.start + 8 * MIB, wl.start + 24 * MIB
        addr = {'type': 'addr', 'addr_start': lo, 'addr_end': hi}

        regions, total = tried([dict(addr, allow='Y', matching='Y')],
                               [dh.target(wl.pid)])
        inside = sum(overlap(r, lo, hi) for r in regions)
        print('allow [%d, %d): %d regions, %d bytes, %d inside' %
              (lo, hi, len(regions), total, inside))
        if any(r[0] < lo or r[1] > hi for r in regions):
            dh.fail('a tried region is outside the allowed range')
        if inside != hi - lo or total != hi - lo:
            dh.fail('the allowed range is not covered')

        regions, total = tried([dict(addr, allow='N', matching='Y')],
                               [dh.target(wl.pid)])
        inside = sum(overlap(r, lo, hi) for r in regions)
        print('reject: %d regions, %d bytes, %d inside' %
              (len(regions), total, inside))
        if inside or not regions:
            dh.fail('the rejected range was tried')

        tfs = dh.tracefs()
        ev = os.path.join(tfs or '', 'events', 'damon', 'damos_before_apply',
                          'enable')
        if tfs is None or not os.path.exists(ev):
            print('no damos_before_apply tracepoint; target filter not tested')
            sys.exit(dh.KSFT_PASS)
        dh.write(os.path.join(tfs, 'trace'), '')
        dh.write(ev, 1)
        try:
            tried([{'type': 'target', 'damon_target_idx': 1, 'allow': 'Y',
                    'matching': 'Y'}],
                  [dh.target(wl.pid), dh.target(wl2.pid)],
                  # an event per tried region and application: every
                  # 100 ms keeps the trace to read small in a slow guest
                  apply_us=100000)
        finally:
            dh.write(ev, 0)
        idxs = {}
        with open(os.path.join(tfs, 'trace')) as f:
            for m in re.finditer(r'damos_before_apply: .*target_idx=(\d+)',
                                 f.read()):
                idxs[m.group(1)] = idxs.get(m.group(1), 0) + 1
        print('target filter on 1: regions tried per target %s' % idxs)
        if list(idxs) != ['1']:
            dh.fail('regions of other targets tried')
    finally:
        wl.kill()
        wl2.kill()
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
