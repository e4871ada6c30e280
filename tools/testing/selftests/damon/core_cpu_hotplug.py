#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""CPUs going offline and online while DAMON monitors and applies schemes.

Two kdamonds run: one monitors a workload's address space (vaddr) with a
"stat" and a "pageout" scheme, the other the physical address space
(paddr) with a "stat" and an "lru_deprio" scheme.  CPU 1, where the
workload runs, goes offline and online again several times.  Both
kdamonds must keep running and keep applying their schemes during and
after it; the kernel must not complain (the runner checks the console)."""

import os
import sys
import time

import _damon_helpers as dh
import _damos_util as dsu

CPU = 1
ONLINE = '/sys/devices/system/cpu/cpu%d/online' % CPU
CYCLES = 6


def set_online(val):
    with open(ONLINE, 'w') as f:
        f.write(str(val))


def main():
    dh.require('paddr')
    if not os.access(ONLINE, os.W_OK):
        dh.skip('CPU %d cannot go offline' % CPU)
    if os.cpu_count() < 2 or dh.read(ONLINE) != '1':
        dh.skip('CPU %d is not online' % CPU)
    orig = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {CPU})
    try:
        wl = dh.Workload(['-s', 32, '-w', 8, '-t', dh.UNTIL_KILLED])
    finally:
        os.sched_setaffinity(0, orig)
    try:
        dh.stop()
        dh.stage([
            dh.kdamond(dh.context('vaddr', [dh.target(wl.pid)], [
                dh.scheme('stat'),
                dh.scheme('pageout', nr_accesses=(0, 0),
                          age=(10, dh.UINT_MAX))])),
            dh.kdamond(dh.context('paddr', [dh.target(None, [
                dh.biggest_system_ram()])], [
                dh.scheme('stat'),
                dh.scheme('lru_deprio', nr_accesses=(0, 0),
                          age=(10, dh.UINT_MAX))]))])
        for kd in (0, 1):
            dh.cmd(kd, 'on')
        for kd in (0, 1):
            if not dsu.wait_passes(2, 20, kd):
                dh.fail('kdamond %d applies no scheme before hotplug' % kd)
        offline_s = 0.0
        for i in range(CYCLES):
            t0 = time.time()
            set_online(0)
            offline_s += time.time() - t0
            time.sleep(0.3)
            for kd in (0, 1):
                if dh.state(kd) != 'on':
                    dh.fail('kdamond %d stopped with CPU %d offline '
                            '(cycle %d)' % (kd, CPU, i))
            dsu.stats(0)
            set_online(1)
            time.sleep(0.3)
        print('%d offline/online cycles, %.2f s per offline' %
              (CYCLES, offline_s / CYCLES))
        for kd in (0, 1):
            if dh.state(kd) != 'on':
                dh.fail('kdamond %d stopped after hotplug' % kd)
            for s in (0, 1):
                if not dsu.wait_passes(2, 20, kd, s):
                    dh.fail('kdamond %d scheme %d not applied after '
                            'hotplug' % (kd, s))
            print('kdamond %d: %s' % (kd, dsu.stats(kd, 0)))
        if wl.proc.poll() is not None:
            dh.fail('workload died')
    finally:
        if dh.read(ONLINE) != '1':
            set_online(1)
        dh.stop()
        wl.kill()
    print('PASS')
    return dh.KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
