#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The TLB flushes of paddr sampling spare the CPUs that run none of it.

Twelve workloads (twelve address spaces, more than a flush batch tracks
one by one) keep accessing their memory, all of them, the test and the
kdamond pinned to CPU 0; the other CPUs run nothing of them.  The kdamond
monitors the physical address space, so that a sampling pass clears
Accessed bits in many of those address spaces and has their cached
translations evicted.  Only CPU 0 can cache them: the interrupts the other
CPUs receive (function call and TLB shootdown IPIs, /proc/interrupts "CAL"
and "TLB") must not grow while DAMON runs.  Flushing every TLB at the end
of such a pass would interrupt each of them once per pass (up to 200 times
a second).

usage: ops_tlb_ipi.py [cycles]
"""

import os
import sys
import time

import _damon_helpers as dh

NR_WORKLOADS = 12
WL_MIB = 32
SAMPLE_US = 5000
PERIOD_S = 1.0
# interrupts per second of another CPU that DAMON may add
MAX_EXTRA_PER_S = 5.0


def other_cpu_ipis():
    """Function call and TLB shootdown IPIs received by CPUs but CPU 0."""
    total = 0
    with open('/proc/interrupts') as f:
        cpus = f.readline().split()
        for line in f:
            fields = line.split()
            if not fields or fields[0] not in ('CAL:', 'TLB:'):
                continue
            for cpu, count in zip(cpus, fields[1:]):
                if cpu != 'CPU0':
                    total += int(count)
    return total


def main():
    cycles = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    dh.require('paddr')
    if os.cpu_count() < 2:
        dh.skip('needs at least two CPUs')
    os.sched_setaffinity(0, {0})
    ram = dh.biggest_system_ram()
    wls = dh.workloads(*[['-s', WL_MIB, '-p', 100000,
                          '-t', dh.UNTIL_KILLED]] * NR_WORKLOADS)
    phases = []
    try:
        for _ in range(cycles):
            for on in (False, True):
                if on:
                    dh.start('paddr', [(None, [ram])], sample_us=SAMPLE_US,
                             min_nr_regions=200)
                    os.sched_setaffinity(dh.kdamond_pid(), {0})
                    time.sleep(0.2)
                t0, n0 = time.time(), other_cpu_ipis()
                time.sleep(PERIOD_S)
                phases.append((on, time.time() - t0, other_cpu_ipis() - n0))
                if on:
                    dh.stop()
    finally:
        dh.stop()
        for wl in wls:
            wl.kill()
    rate = {}
    for on in (False, True):
        secs = sum(s for o, s, _ in phases if o == on)
        rate[on] = sum(n for o, _, n in phases if o == on) / secs
    extra = rate[True] - rate[False]
    print('IPIs/s to CPUs running none of the %d monitored address spaces: '
          '%.1f without DAMON, %.1f with (%.1f extra, %.2f per sampling '
          'pass of %d us; bound %.1f/s)' %
          (NR_WORKLOADS, rate[False], rate[True], extra,
           extra * SAMPLE_US / 1e6, SAMPLE_US, MAX_EXTRA_PER_S))
    if extra > MAX_EXTRA_PER_S:
        dh.fail('sampling interrupts CPUs that cannot cache the '
                'translations it evicts')
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
