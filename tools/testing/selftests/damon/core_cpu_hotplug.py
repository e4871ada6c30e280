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

import _damon_sysfs as ds
import _damon_util as du
import _damos_util as dsu

CPU = 1
ONLINE = '/sys/devices/system/cpu/cpu%d/online' % CPU
CYCLES = 6


def set_online(val):
    with open(ONLINE, 'w') as f:
        f.write(str(val))


def main():
    ds.require_sysfs()
    du.require_root_and_damon('paddr')
    if not os.access(ONLINE, os.W_OK):
        du.skip('CPU %d cannot go offline' % CPU)
    if os.cpu_count() < 2 or du.read(ONLINE) != '1':
        du.skip('CPU %d is not online' % CPU)
    orig = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {CPU})
    try:
        wl = du.Workload(['-s', 32, '-w', 8, '-t', du.UNTIL_KILLED])
    finally:
        os.sched_setaffinity(0, orig)
    try:
        ds.stop_all()
        ds.stage([
            ds.kdamond(ds.context('vaddr', [ds.target(wl.pid)], [
                ds.scheme('stat'),
                ds.scheme('pageout', nr_accesses=(0, 0),
                          age=(10, ds.UINT_MAX))])),
            ds.kdamond(ds.context('paddr', [ds.target(None, [
                du.biggest_system_ram()])], [
                ds.scheme('stat'),
                ds.scheme('lru_deprio', nr_accesses=(0, 0),
                          age=(10, ds.UINT_MAX))]))])
        for kd in (0, 1):
            ds.cmd(kd, 'on')
        for kd in (0, 1):
            if not dsu.wait_passes(2, 20, kd):
                du.fail('kdamond %d applies no scheme before hotplug' % kd)
        offline_s = 0.0
        for i in range(CYCLES):
            t0 = time.time()
            set_online(0)
            offline_s += time.time() - t0
            time.sleep(0.3)
            for kd in (0, 1):
                if ds.state(kd) != 'on':
                    du.fail('kdamond %d stopped with CPU %d offline '
                            '(cycle %d)' % (kd, CPU, i))
            dsu.stats(0)
            set_online(1)
            time.sleep(0.3)
        print('%d offline/online cycles, %.2f s per offline' %
              (CYCLES, offline_s / CYCLES))
        for kd in (0, 1):
            if ds.state(kd) != 'on':
                du.fail('kdamond %d stopped after hotplug' % kd)
            for s in (0, 1):
                if not dsu.wait_passes(2, 20, kd, s):
                    du.fail('kdamond %d scheme %d not applied after '
                            'hotplug' % (kd, s))
            print('kdamond %d: %s' % (kd, dsu.stats(kd, 0)))
        if wl.proc.poll() is not None:
            du.fail('workload died')
    finally:
        if du.read(ONLINE) != '1':
            set_online(1)
        ds.stop_all()
        wl.kill()
    print('PASS')
    return du.KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
