#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The TLB flushes of paddr sampling spare the CPUs that run none of it.

Twelve workloads (twelve address spaces, more than a flush batch tracks
one by one) keep accessing their memory, all of them, the test and the
kdamond pinned to CPU 0; the other CPUs run nothing of them.  The kdamond
monitors the physical address space, so that a sampling pass clears
Accessed bits in many of those address spaces and has their cached
translations evicted.  Only CPU 0 can cache them: the TLB flush functions
the other CPUs run for another CPU (csd:csd_function_entry of a function
named *flush_tlb*, which covers flush_tlb_func and flush_tlb_all's
do_flush_tlb_all) must not grow while DAMON runs.  Flushing every TLB at
the end of such a pass would interrupt each of them once per pass (up to
200 times a second).

Other function-call IPIs the other CPUs get (the scheduler kicking an
idle CPU to balance the busy CPU 0, remote wake-ups) are counted and
printed, not bounded: they follow CPU 0's load, not DAMON's flushes.

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
# TLB flush calls per second on another CPU that DAMON may add
MAX_EXTRA_PER_S = 1.0


def main():
    cycles = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    dh.require('paddr')
    if os.cpu_count() < 2:
        dh.skip('needs at least two CPUs')
    os.sched_setaffinity(0, {0})
    ram = dh.biggest_system_ram()
    csd = dh.CsdCalls('damon_ops_tlb_ipi')
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
                csd.take()
                t0 = time.time()
                time.sleep(PERIOD_S)
                flush, other = csd.take()
                phases.append((on, time.time() - t0, flush, other))
                if on:
                    dh.stop()
    finally:
        dh.stop()
        for wl in wls:
            wl.kill()
        csd.close()
    rate = {}
    for on in (False, True):
        secs = sum(p[1] for p in phases if p[0] == on)
        rate[on] = [sum(p[i] for p in phases if p[0] == on) / secs
                    for i in (2, 3)]
    extra = rate[True][0] - rate[False][0]
    print('TLB flush calls/s on CPUs running none of the %d monitored '
          'address spaces: %.1f without DAMON, %.1f with (%.1f extra, '
          'bound %.1f/s); other cross-CPU calls/s there: %.1f without, '
          '%.1f with' %
          (NR_WORKLOADS, rate[False][0], rate[True][0], extra,
           MAX_EXTRA_PER_S, rate[False][1], rate[True][1]))
    if extra > MAX_EXTRA_PER_S:
        dh.fail('sampling interrupts CPUs that cannot cache the '
                'translations it evicts')
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
