#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""DAMOS pageout while the machine is short of memory.

A workload keeps 32 of its 288 MiB hot.  A vaddr kdamond pages its cold
memory out and a paddr kdamond pages out cold memory of the whole system,
while a second program keeps touching all but about 10% of the memory
that was available, so that the kernel reclaims too (into a zram swap).
For 15 s both kdamonds must keep running and applying their schemes, the
workload must live, and both kdamonds must stop within 10 s when asked.
The memory hog is the OOM killer's first choice; an OOM kill (which the
runner would see as a kernel splat) is not expected with this margin."""

import os
import sys
import time

import _damon_sysfs as ds
import _damon_util as du
import _damos_util as dsu

MIB = 1 << 20
RUN_SECS = 15


def main():
    ds.require_sysfs()
    du.require_root_and_damon('paddr')
    swap = dsu.swap_ready()
    if swap is None:
        du.skip('no swap and no zram')
    wl = hog = None
    try:
        wl = du.Workload(['-s', 288, '-w', 32, '-t', du.UNTIL_KILLED])
        avail_mib = du.proc_kb('/proc/meminfo', 'MemAvailable') // 1024
        hog_mib = avail_mib * 9 // 10
        with open('/proc/self/oom_score_adj', 'w') as f:
            f.write('-1000')
        hog = du.Workload(['-s', hog_mib, '-t', du.UNTIL_KILLED])
        with open('/proc/%d/oom_score_adj' % hog.pid, 'w') as f:
            f.write('1000')
        ram = du.biggest_system_ram()
        cold = dict(nr_accesses=(0, 0), age=(10, ds.UINT_MAX))
        ds.stop_all()
        ds.stage([
            ds.kdamond(ds.context('vaddr', [ds.target(wl.pid)], [
                ds.scheme('pageout', **cold)])),
            ds.kdamond(ds.context('paddr', [ds.target(None, [ram])], [
                ds.scheme('pageout', **cold)]))])
        swap0 = du.proc_kb('/proc/meminfo', 'SwapFree')
        for kd in (0, 1):
            ds.cmd(kd, 'on')
        before = [dsu.stats(kd) for kd in (0, 1)]
        deadline = time.time() + RUN_SECS
        while time.time() < deadline:
            time.sleep(1)
            for kd in (0, 1):
                if ds.state(kd) != 'on':
                    du.fail('kdamond %d stopped under pressure' % kd)
        after = [dsu.stats(kd) for kd in (0, 1)]
        swapped = (swap0 - du.proc_kb('/proc/meminfo', 'SwapFree')) // 1024
        print('hog %d MiB of %d MiB available, %d MiB swapped' %
              (hog_mib, avail_mib, swapped))
        for kd in (0, 1):
            print('kdamond %d: %d passes, %d MiB paged out' %
                  (kd, after[kd]['nr_snapshots'] - before[kd]['nr_snapshots'],
                   (after[kd]['sz_applied'] - before[kd]['sz_applied']) //
                   MIB))
            if after[kd]['nr_snapshots'] <= before[kd]['nr_snapshots']:
                du.fail('kdamond %d applied no scheme under pressure' % kd)
        if after[0]['sz_applied'] <= before[0]['sz_applied']:
            du.fail('the workload\'s cold memory was not paged out')
        if wl.proc.poll() is not None:
            du.fail('workload died')
        for kd in (0, 1):
            t0 = time.time()
            ds.cmd(kd, 'off')
            if time.time() - t0 > 10:
                du.fail('kdamond %d took %.1f s to stop' %
                        (kd, time.time() - t0))
    finally:
        if hog:
            hog.kill()
        ds.stop_all()
        if wl:
            wl.kill()
        dsu.swap_off(swap)
    print('PASS')
    return du.KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
