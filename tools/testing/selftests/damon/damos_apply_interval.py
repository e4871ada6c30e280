#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Apply intervals and max_nr_snapshots pace the application of schemes.

Three stat schemes run for a workload with 10 ms sampling and 100 ms
aggregation intervals: one every aggregation interval, one every 500 ms
(apply_interval_us), and one every aggregation interval but with
max_nr_snapshots of 3.  After enough time for 25 applications of the
first, it must have been applied about five times as often as the second
(the ratio is compared, as the machine may run the kdamond late), and the
third exactly three times.
"""

import sys

import _damon_helpers as dh
import _damos_util as dsu


def main():
    dh.require()
    dh.require('vaddr')
    wl = dh.Workload(['-s', 8, '-t', dh.UNTIL_KILLED])
    try:
        dh.stop()
        dh.stage([dh.kdamond(dh.context('vaddr', [dh.target(wl.pid)], [
            dh.scheme('stat'),
            dh.scheme('stat', apply_interval_us=500000),
            dh.scheme('stat', stats={'max_nr_snapshots': 3})],
            sample_us=10000, aggr_us=100000))])
        dh.cmd(0, 'on')
        dsu.wait_for(lambda: dsu.stats(0, 0)['nr_snapshots'] >= 25, 40, 0.5)
        snaps = [dsu.stats(0, i)['nr_snapshots'] for i in range(3)]
        dh.stop()
    finally:
        wl.kill()
    print('nr_snapshots: every aggregation %d, every 500 ms %d, '
          'max 3: %d' % tuple(snaps))
    if snaps[0] < 25 or not snaps[1]:
        dh.fail('schemes not applied')
    ratio = snaps[0] / snaps[1]
    if not 3.5 <= ratio <= 7:
        dh.fail('apply interval ratio %.1f, not about 5' % ratio)
    if snaps[2] != 3:
        dh.fail('max_nr_snapshots not honored')
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
