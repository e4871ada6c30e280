#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Watermarks switch a scheme on and off by the free memory rate.

A stat scheme for a busy workload gets free_mem_rate watermarks checked
every 100 ms.  With high below the current free memory rate the scheme
must stay off (sz_tried does not move); with high and mid at 1000 and low
at zero it must work; with low at 1000 (above the free rate) it must be
off again (sz_tried stops growing).  Waits are bounded by applications or
generous timeouts, as loaded machines run the kdamond late.
"""

import sys
import time

import _damon_helpers as dh
import _damos_util as dsu


def wmarks_path(*names):
    return dh.scheme_path(0, 0, 'watermarks', *names)


def set_wmarks(high, mid, low):
    # keep high >= mid >= low at commit time; files are checked then
    dh.write(wmarks_path('high'), high)
    dh.write(wmarks_path('mid'), mid)
    dh.write(wmarks_path('low'), low)
    dh.cmd(0, 'commit')


def tried_over(secs):
    before = dsu.stats()['sz_tried']
    time.sleep(secs)
    return dsu.stats()['sz_tried'] - before


def tried_grows(timeout):
    """Bytes tried more within timeout seconds (0 if none)."""
    before = dsu.stats()['sz_tried']
    dsu.wait_for(lambda: dsu.stats()['sz_tried'] > before, timeout, 0.5)
    return dsu.stats()['sz_tried'] - before


def tried_settles(timeout):
    """Whether sz_tried stops growing for 3 s within timeout seconds."""
    return dsu.wait_for(lambda: tried_over(3) == 0, timeout, 0)


def main():
    dh.require()
    dh.require('vaddr')
    free = dsu.free_mem_permil()
    if free < 10:
        print('SKIP: free memory rate %d permil too low' % free)
        sys.exit(dh.KSFT_SKIP)
    wl = dh.Workload(['-s', 16, '-t', dh.UNTIL_KILLED])
    try:
        dh.stop()
        high = free // 2
        dh.stage([dh.kdamond(dh.context('vaddr', [dh.target(wl.pid)], [
            dh.scheme('stat', watermarks=dsu.watermarks(
                'free_mem_rate', 100000, high, high // 2, 0))]))])
        dh.cmd(0, 'on')
        time.sleep(0.5)
        off = tried_over(1.5)
        print('free %d > high %d: sz_tried +%d' % (free, high, off))
        if off:
            dh.fail('scheme worked above the high watermark')

        set_wmarks(1000, 1000, 0)
        on = tried_grows(20)
        print('low 0 <= free <= mid 1000: sz_tried +%d' % on)
        if not on:
            dh.fail('scheme did not work between the watermarks')

        set_wmarks(1000, 1000, 1000)
        off = tried_settles(20)
        print('free < low 1000: sz_tried settled: %s' % off)
        if not off:
            dh.fail('scheme worked below the low watermark')
        dh.stop()
    finally:
        wl.kill()
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
