#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The THP and LRU DAMOS actions do what they say on accessed memory.

A workload keeps accessing all of a 64 MiB mapping of small pages.
- A vaddr "collapse" scheme for accessed regions turns at least half of
  the mapping into huge pages (AnonHugePages of /proc/PID/smaps_rollup).
- vaddr "hugepage" and "nohugepage" schemes for accessed regions set the
  mapping's hg and nh VmFlags (/proc/PID/smaps).
- A paddr "lru_prio" scheme for accessed memory puts at least 90% of the
  workload's pages on the active list, and a following "lru_deprio" scheme
  leaves at most 10% there (page flags of /proc/kpageflags).
Each has 15 s.
"""

import sys
import time

import _damon_helpers as dh
import _damos_util as dsu

MIB = 1 << 20
SIZE_MIB = 64
BUDGET_S = 15


def vm_flags(pid, start):
    """VmFlags of the mapping of @pid that starts at @start."""
    found = False
    with open('/proc/%d/smaps' % pid) as f:
        for line in f:
            fields = line.split()
            if '-' in fields[0] and not fields[0].endswith(':'):
                found = int(fields[0].split('-')[0], 16) == start
            elif found and fields[0] == 'VmFlags:':
                return fields[1:]
    return []


def anon_huge_kb(pid):
    return dh.proc_kb('/proc/%d/smaps_rollup' % pid, 'AnonHugePages')


def run(wl, ops, action, done):
    """Runs a scheme of @action for accessed regions until done() holds or
    the budget is over; returns the seconds it took, or None."""
    if ops == 'vaddr':
        target = dh.target(wl.pid)
    else:
        target = dh.target(None, [dh.biggest_system_ram()])
    ctx = dh.context(ops, [target], [
        dh.scheme(action, nr_accesses=(1, dh.UINT_MAX))])
    dh.stop()
    dh.stage([dh.kdamond(ctx)])
    begin = time.time()
    dh.cmd(0, 'on')
    try:
        ok = dsu.wait_for(done, BUDGET_S)
    finally:
        dh.stop()
    return time.time() - begin if ok else None


def main():
    dh.require()
    dh.require('vaddr')
    wl = dh.Workload(['-s', SIZE_MIB, '-t', 120])
    failures = []
    try:
        before = anon_huge_kb(wl.pid)
        secs = run(wl, 'vaddr', 'collapse',
                   lambda: anon_huge_kb(wl.pid) * 1024 >= SIZE_MIB * MIB // 2)
        print('collapse: AnonHugePages %d kB -> %d kB%s' %
              (before, anon_huge_kb(wl.pid),
               ' after %.1f s' % secs if secs else ''))
        if before * 1024 >= SIZE_MIB * MIB // 2:
            failures.append('huge pages before the collapse scheme')
        if secs is None:
            failures.append('collapse did not make huge pages')

        for action, flag in (('hugepage', 'hg'), ('nohugepage', 'nh')):
            secs = run(wl, 'vaddr', action,
                       lambda f=flag: f in vm_flags(wl.pid, wl.start))
            print('%s: VmFlags %s%s' %
                  (action, ' '.join(vm_flags(wl.pid, wl.start)),
                   ' after %.1f s' % secs if secs else ''))
            if secs is None:
                failures.append('%s did not set %s' % (action, flag))

        def active():
            return dsu.active_ratio(wl.pid, wl.start, SIZE_MIB * MIB)

        for action, want in (('lru_prio', lambda r: r >= 0.9),
                             ('lru_deprio', lambda r: r <= 0.1)):
            before = active()
            secs = run(wl, 'paddr', action, lambda w=want: w(active()))
            print('%s: active %.2f -> %.2f%s' %
                  (action, before, active(),
                   ' after %.1f s' % secs if secs else ''))
            if secs is None:
                failures.append('%s did not move the pages' % action)
    finally:
        wl.kill()
    if failures:
        dh.fail(', '.join(failures))
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
