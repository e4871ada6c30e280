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

import _damon_helpers as dh
import _damos_util as dsu

MIB = 1 << 20
RUN_SECS = 15


def main():
    dh.require('paddr')
    swap = dsu.swap_ready()
    if swap is None:
        dh.skip('no swap and no zram')
    wl = hog = None
    try:
        wl = dh.Workload(['-s', 288, '-w', 32, '-t', dh.UNTIL_KILLED])
        avail_mib = dh.proc_kb('/proc/meminfo', 'MemAvailable') // 1024
        hog_mib = avail_mib * 9 // 10
        with open('/proc/self/oom_score_adj', 'w') as f:
            f.write('-1000')
        hog = dh.Workload(['-s', hog_mib, '-t', dh.UNTIL_KILLED])
        with open('/proc/%d/oom_score_adj' % hog.pid, 'w') as f:
            f.write('1000')
        ram = dh.biggest_system_ram()
        cold = dict(nr_accesses=(0, 0), age=(10, dh.UINT_MAX))
        dh.stop()
        dh.stage([
            dh.kdamond(dh.context('vaddr', [dh.target(wl.pid)], [
                dh.scheme('pageout', **cold)])),
            dh.kdamond(dh.context('paddr', [dh.target(None, [ram])], [
                dh.scheme('pageout', **cold)]))])
        swap0 = dh.proc_kb('/proc/meminfo', 'SwapFree')
        for kd in (0, 1):
            dh.cmd(kd, 'on')
        before = [dsu.stats(kd) for kd in (0, 1)]
        deadline = time.time() + RUN_SECS
        while time.time() < deadline:
            time.sleep(1)
            for kd in (0, 1):
                if dh.state(kd) != 'on':
                    dh.fail('kdamond %d stopped under pressure' % kd)
        after = [dsu.stats(kd) for kd in (0, 1)]
        swapped = (swap0 - dh.proc_kb('/proc/meminfo', 'SwapFree')) // 1024
        print('hog %d MiB of %d MiB available, %d MiB swapped' %
              (hog_mib, avail_mib, swapped))
        for kd in (0, 1):
            print('kdamond %d: %d passes, %d MiB paged out' %
                  (kd, after[kd]['nr_snapshots'] - before[kd]['nr_snapshots'],
                   (after[kd]['sz_applied'] - before[kd]['sz_applied']) //
                   MIB))
            if after[kd]['nr_snapshots'] <= before[kd]['nr_snapshots']:
                dh.fail('kdamond %d applied no scheme under pressure' % kd)
        if after[0]['sz_applied'] <= before[0]['sz_applied']:
            dh.fail('the workload\'s cold memory was not paged out')
        if wl.proc.poll() is not None:
            dh.fail('workload died')
        for kd in (0, 1):
            t0 = time.time()
            dh.cmd(kd, 'off')
            if time.time() - t0 > 10:
                dh.fail('kdamond %d took %.1f s to stop' %
                        (kd, time.time() - t0))
    finally:
        if hog:
            hog.kill()
        dh.stop()
        if wl:
            wl.kill()
        dsu.swap_off(swap)
    print('PASS')
    return dh.KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
