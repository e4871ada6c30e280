#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""CPUs going offline and online while the perf_events primitive samples.

A workload running on CPU 1 faults on its hot part on every pass; a vaddr
context samples it with the software page fault event only.  CPU 1 goes
offline and online again several times: the kdamond must keep running and
keep taking reports in every phase (the workload moves to another CPU,
whose counter takes over), the kernel must not complain (the runner checks
the console), and once CPU 1 is back, the hot part must again be told
apart from the cold one.
"""

import os
import sys
import time

import _damon_helpers as dh
import _damon_perf as pe

CPU = 1
ONLINE = '/sys/devices/system/cpu/cpu%d/online' % CPU
CYCLES = 5
HOT_MIB = 8


def set_online(val):
    with open(ONLINE, 'w') as f:
        f.write(str(val))


def pushed_grows(what):
    before = pe.stats()['pushed']
    time.sleep(0.5)
    after = pe.stats()['pushed']
    if after <= before:
        dh.fail('no report %s (%d -> %d)' % (what, before, after))


def main():
    pe.require()
    if not os.access(ONLINE, os.W_OK):
        dh.skip('CPU %d cannot go offline' % CPU)
    if os.cpu_count() < 2 or dh.read(ONLINE) != '1':
        dh.skip('CPU %d is not online' % CPU)
    orig = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {CPU})
    try:
        wl = dh.Workload(['-s', 32, '-w', HOT_MIB, '-D', '-t',
                          dh.UNTIL_KILLED])
    finally:
        os.sched_setaffinity(0, orig)
    try:
        trace = dh.AggregatedTrace()
        pe.stage(wl.pid, [pe.SW])
        dh.cmd(0, 'on')
        pushed_grows('before hotplug')
        for i in range(CYCLES):
            set_online(0)
            if dh.state(0) != 'on':
                dh.fail('kdamond stopped with CPU %d offline' % CPU)
            pushed_grows('with CPU %d offline (cycle %d)' % (CPU, i))
            set_online(1)
            # back on CPU 1, which has its counter again
            os.sched_setaffinity(wl.pid, {CPU})
            pushed_grows('with CPU %d back online (cycle %d)' % (CPU, i))
        if dh.state(0) != 'on':
            dh.fail('kdamond stopped after hotplug')
        snaps = pe.collect(trace, 15, 30, settle_s=1)
        st = pe.stats()
        if wl.proc.poll() is not None:
            dh.fail('workload died')
    finally:
        if dh.read(ONLINE) != '1':
            set_online(1)
        dh.stop()
        wl.kill()
    mid = wl.start + HOT_MIB * pe.MIB
    if len(snaps) < 6:
        dh.fail('only %d snapshots after hotplug' % len(snaps))
    good, hot, cold = pe.hot_cold(snaps, (wl.start, mid), (mid, wl.end))
    print('%d offline/online cycles; after: hot accessed, cold <= hot/10 '
          'in %d of %d snapshots (median hot %.2f cold %.2f); reports %s' %
          (CYCLES, good, len(snaps), hot, cold, st))
    if good < 0.8 * len(snaps):
        dh.fail('accuracy did not recover after hotplug')
    print('PASS')
    return dh.KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
