#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The young DAMOS filter means "accessed since the last check".

A workload writes its 64 MiB mapping and is stopped (SIGSTOP).  A vaddr
stat scheme with an ops filter allowing young pages then counts, in
sz_ops_filter_passed, the bytes it finds young at each application:

- the first applications see the mapping written before they started;
- once those checked it, the stopped workload accesses nothing, so the
  next applications must find (almost) nothing young: a filter that only
  reads the Accessed bits would find the whole mapping young forever, as
  the access sampling clears one page per region and sampling interval;
- resumed (SIGCONT), the workload's accesses must be seen again.
"""

import os
import signal
import sys
import time

import _damon_helpers as dh
import _damos_util as dsu

MIB = 1 << 20
WL_MIB = 64
APPLY_US = 200000
PASSES = 10
# bytes found young per application once nothing is accessed
MAX_STALE = 4 * MIB
# and while the workload runs
MIN_BUSY = WL_MIB * MIB // 2


def passed_per_pass(nr):
    """Waits for nr applications; bytes passed per application."""
    before = dsu.stats()
    if not dsu.wait_passes(nr, 60):
        dh.fail('the scheme was not applied %d times in 60 s' % nr)
    after = dsu.stats()
    return ((after['sz_ops_filter_passed'] - before['sz_ops_filter_passed']) /
            max(after['nr_snapshots'] - before['nr_snapshots'], 1))


def main():
    dh.require()
    dh.require('vaddr')
    wl = dh.Workload(['-s', WL_MIB, '-t', dh.UNTIL_KILLED])
    try:
        time.sleep(1)
        os.kill(wl.pid, signal.SIGSTOP)
        dh.stop()
        # few regions and slow sampling: the sampling itself clears few
        # Accessed bits
        dh.stage([dh.kdamond(dh.context(
            'vaddr', [dh.target(wl.pid)], sample_us=100000, aggr_us=APPLY_US,
            nr_regions=(10, 20), schemes=[dh.scheme(
                'stat', apply_interval_us=APPLY_US,
                ops_filters=[{'type': 'young', 'matching': 'Y',
                              'allow': 'Y'}])]))])
        dh.cmd(0, 'on')
        if not dsu.wait_passes(1, 60):
            dh.fail('the scheme was never applied')
        first = dsu.stats()['sz_ops_filter_passed']
        stale = passed_per_pass(PASSES)
        os.kill(wl.pid, signal.SIGCONT)
        time.sleep(0.5)
        busy = passed_per_pass(3)
    finally:
        dh.stop()
        wl.kill()
    print('young at first: %d MiB; then per application: %.1f MiB '
          'while stopped, %.1f MiB while running' %
          (first // MIB, stale / MIB, busy / MIB))
    if first < WL_MIB * MIB // 2:
        dh.fail('the memory written before was not found young')
    if stale > MAX_STALE:
        dh.fail('memory not accessed since the last check is still young')
    if busy < MIN_BUSY:
        dh.fail('accesses after the last check were not seen')
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
