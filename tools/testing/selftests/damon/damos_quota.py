#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A size quota bounds what a scheme tries per reset interval.

A stat scheme for every region of a 64 MiB workload gets a size quota of
1 MiB per 200 ms.  Over about 10 s, sz_tried must stay within 1.1 times the
quota of the windows that passed (plus one window, for the one in
progress); the quota must have been exceeded, and each window it was
exceeded in must have used it; the effective quota must read 1 MiB.
"""

import sys
import time

import _damon_helpers as dh
import _damos_util as dsu

MIB = 1 << 20
QUOTA = MIB
RESET_MS = 200


def main():
    dh.require()
    dh.require('vaddr')
    wl = dh.Workload(['-s', 64, '-t', 30])
    try:
        dh.stop()
        dh.stage([dh.kdamond(dh.context('vaddr', [dh.target(wl.pid)], [
            dh.scheme('stat', quotas=dsu.quotas(
                sz=QUOTA, reset_interval_ms=RESET_MS))]))])
        dh.cmd(0, 'on')
        begin = time.time()
        time.sleep(10)
        # a loaded machine may run the kdamond late: wait for a few passes
        dsu.wait_for(lambda: dsu.stats()['nr_snapshots'] >= 3, 20, 0.5)
        st = dsu.stats()
        secs = time.time() - begin
        esz = dsu.effective_bytes()
        dh.stop()
    finally:
        wl.kill()
    windows = secs * 1000 / RESET_MS
    bound = (windows + 1) * QUOTA
    print('%.1f s: sz_tried %d (bound %d), qt_exceeds %d, esz %d' %
          (secs, st['sz_tried'], bound, st['qt_exceeds'], esz))
    if st['sz_tried'] > 1.1 * bound:
        dh.fail('quota exceeded')
    if st['sz_tried'] < st['qt_exceeds'] * (QUOTA - 4096):
        dh.fail('quota not used')
    if esz != QUOTA:
        dh.fail('effective quota %d, not %d' % (esz, QUOTA))
    if st['qt_exceeds'] < 1:
        dh.fail('qt_exceeds not counted')
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
