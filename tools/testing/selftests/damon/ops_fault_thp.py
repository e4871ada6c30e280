#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The page fault primitive works on PMD-mapped THP, and leaves it so.

A workload maps 64 MiB with MADV_HUGEPAGE (THP "enabled" set to madvise)
and keeps accessing its first 16 MiB, the other 48 MiB staying untouched;
the mapping must be PMD-mapped (AnonHugePages of its smaps entry) or the
test is skipped.  NUMA balancing is off, so every NUMA hinting fault is
one DAMON armed.  A vaddr context samples it with page_table N and
page_fault Y:
- in at least 80% of the aggregation snapshots, the hot part is accessed
  and the cold part at most a tenth as much;
- the damon:damon_report_page_fault events of the workload in the mapping
  report whole huge pages (2 MiB at a 2 MiB boundary): the huge page
  mappings themselves were armed;
- after "off", the workload reads every page of its mapping (SIGUSR1)
  and takes no hinting fault: no huge page was left armed;
- the mapping is still as PMD-mapped as before, and no PMD was split
  meanwhile (thp_split_pmd of /proc/vmstat, where the kernel counts it).
"""

import os
import re
import signal
import sys
import time

import _damon_helpers as dh
import _damon_perf as pe

MIB = 1 << 20
THP_SIZE = 2 * MIB
HOT_MIB = 16
SIZE_MIB = 64
THP = '/sys/kernel/mm/transparent_hugepage/enabled'
NB = '/proc/sys/kernel/numa_balancing'


def pmd_mapped(wl):
    """Bytes of the workload's mapping that are PMD-mapped THP."""
    in_vma = False
    with open('/proc/%d/smaps' % wl.pid) as f:
        for line in f:
            m = re.match(r'([0-9a-f]+)-([0-9a-f]+) ', line)
            if m:
                in_vma = int(m.group(1), 16) == wl.start
            elif in_vma and line.startswith('AnonHugePages:'):
                return int(line.split()[1]) * 1024
    return 0


def vmstat(name):
    """A /proc/vmstat counter, or None if the kernel does not count it
    (no CONFIG_VM_EVENT_COUNTERS)."""
    with open('/proc/vmstat') as f:
        for line in f:
            k, v = line.split()
            if k == name:
                return int(v)
    return None


def hot_cold(wl):
    trace = dh.AggregatedTrace()
    snaps = pe.collect(trace, 20, 30)
    if len(snaps) < 8:
        dh.fail('only %d snapshots' % len(snaps))
    mid = wl.start + HOT_MIB * MIB
    good, hot, cold = pe.hot_cold(snaps, (wl.start, mid), (mid, wl.end))
    print('hot accessed, cold <= hot/10 in %d of %d snapshots; median '
          'nr_accesses hot %.2f cold %.2f' % (good, len(snaps), hot, cold))
    return good >= 0.8 * len(snaps)


def armed_faults(wl, faults):
    """Checks the faults taken on the mapping while the primitive runs;
    returns the problems found.  The target also has small pages outside
    of the mapping (text, stack), sampled too: their faults are left
    out."""
    faults.take()
    faults.on()
    time.sleep(2)
    events = [(v, sz) for v, sz in faults.take()
              if wl.start <= v < wl.end]
    sizes = {}
    for _, size in events:
        sizes[size] = sizes.get(size, 0) + 1
    print('%d hinting faults on the mapping in 2 s, by size: %s' %
          (len(events), sizes))
    problems = []
    if not events:
        problems.append('the page_fault primitive took no fault on THP')
    if set(sizes) - {THP_SIZE}:
        problems.append('faults on other than whole huge pages: %s' % sizes)
    unaligned = [v for v, _ in events if v % THP_SIZE]
    if unaligned:
        problems.append('%d faults not at a huge page start, e.g. %#x' %
                        (len(unaligned), unaligned[0]))
    return problems


def left_armed(wl, faults):
    """Hinting faults taken on reading the whole mapping."""
    # an interval that was going on at "off" ends within 5 ms
    time.sleep(0.2)
    faults.take()
    wl.proc.send_signal(signal.SIGUSR1)
    line = wl.proc.stdout.readline().strip()
    if line != 'touched':
        dh.fail('workload answered %r to SIGUSR1' % line)
    return len(faults.take())


def main():
    dh.require('vaddr')
    if not os.path.exists(THP):
        dh.skip('no THP support')
    thp_saved = re.search(r'\[(\w+)\]', dh.read(THP)).group(1)
    nb_saved = dh.read(NB) if os.path.exists(NB) else None
    problems = []
    wl = faults = None
    try:
        dh.write(THP, 'madvise')
        if nb_saved not in (None, '0'):
            dh.write(NB, 0)
        wl = dh.Workload(['-s', SIZE_MIB, '-w', HOT_MIB, '-m', 'thp', '-t',
                          dh.UNTIL_KILLED])
        before = pmd_mapped(wl)
        print('PMD-mapped before: %d of %d MiB' % (before // MIB, SIZE_MIB))
        if before < SIZE_MIB * MIB * 3 // 4:
            dh.skip('the mapping is not PMD-mapped THP (%d of %d MiB)' %
                    (before // MIB, SIZE_MIB))
        splits = vmstat('thp_split_pmd')
        faults = dh.PageFaults(wl.pid)
        dh.start('vaddr', [(wl.pid, [])], primitives=('N', 'Y'))
        if not hot_cold(wl):
            problems.append('hot and cold not told apart on THP')
        problems += armed_faults(wl, faults)
        dh.stop()
        left = left_armed(wl, faults)
        print('after off: %d hinting faults on reading the whole mapping' %
              left)
        if left:
            problems.append('%d huge pages left armed after off' % left)
        after = pmd_mapped(wl)
        if splits is None:
            splits = 0
            counted = 'not counted by this kernel'
        else:
            splits = vmstat('thp_split_pmd') - splits
            counted = '+%d' % splits
        print('PMD-mapped after: %d of %d MiB; thp_split_pmd %s' %
              (after // MIB, SIZE_MIB, counted))
        if after < before or splits:
            problems.append('huge pages split: PMD-mapped %d -> %d MiB, '
                            'thp_split_pmd %s' %
                            (before // MIB, after // MIB, counted))
    finally:
        dh.stop()
        if faults:
            faults.off()
        if wl:
            wl.kill()
        if nb_saved not in (None, '0'):
            dh.write(NB, nb_saved)
        dh.write(THP, thp_saved)
    for p in problems:
        print('FAIL: %s' % p)
    sys.exit(dh.KSFT_FAIL if problems else dh.KSFT_PASS)


if __name__ == '__main__':
    main()
