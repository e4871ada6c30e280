#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Cost of DAMON's sampling (with its TLB flushes) on a monitored workload.

A workload keeps accessing 10 MiB of a 64 MiB mapping and reports its
access rate four times a second.  Monitoring of it is switched on and off
every second, so that both phases see the same machine conditions, and
the median rates of the two phases are compared.  The slowdown must stay
under 2%.  When the rate without DAMON itself varies too much to tell 2%
apart (busy host, emulated CPUs), the test reports the numbers and skips.

usage: ops_tlb_cost.py [vaddr|paddr] [cycles]
"""

import sys
import threading
import time

import _damon_util as du

LIMIT = 0.02
# interquartile range / median of the unmonitored rates beyond which the
# machine is too noisy for the limit to mean anything
MAX_NOISE = 0.05
PERIOD_S = 1.0
REPORT_MS = 250


def main():
    ops = sys.argv[1] if len(sys.argv) > 1 else 'vaddr'
    cycles = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    du.require_root_and_damon(ops)
    wl = du.Workload(['-s', 64, '-w', 10, '-r', REPORT_MS,
                      '-t', cycles * 4 * PERIOD_S + 10])
    samples = []

    def reader():
        for line in wl.proc.stdout:
            f = line.split()
            if f and f[0] == 'rate':
                samples.append((time.time(), float(f[1])))

    th = threading.Thread(target=reader, daemon=True)
    th.start()
    phases = []
    try:
        if ops == 'vaddr':
            targets = [(wl.pid, [])]
        else:
            targets = [(None, [du.biggest_system_ram()])]
        for _ in range(cycles):
            for on in (False, True):
                if on:
                    du.start(ops, targets)
                t0 = time.time()
                time.sleep(PERIOD_S)
                if on:
                    du.stop()
                phases.append((t0, time.time(), on))
    finally:
        du.stop()
        wl.kill()
    th.join(2)
    rates = {False: [], True: []}
    for t, rate in samples:
        for s, e, on in phases:
            if s <= t - REPORT_MS / 1000.0 and t <= e:
                rates[on].append(rate)
    if len(rates[False]) < cycles or len(rates[True]) < cycles:
        du.fail('too few samples: %d off, %d on' %
                (len(rates[False]), len(rates[True])))
    off, on = du.median(rates[False]), du.median(rates[True])
    slowdown = 1 - on / off
    offs = sorted(rates[False])
    noise = (offs[len(offs) * 3 // 4] - offs[len(offs) // 4]) / off
    print('%s: median passes/s without DAMON %.0f (%d samples, IQR %.1f%%), '
          'with %.0f (%d samples); slowdown %.2f%%' %
          (ops, off, len(rates[False]), noise * 100, on, len(rates[True]),
           slowdown * 100))
    if noise > MAX_NOISE and slowdown > LIMIT:
        du.skip('rates too noisy (IQR %.1f%%) to check %d%%' %
                (noise * 100, LIMIT * 100))
    if slowdown > LIMIT:
        du.fail('slowdown above %d%%' % (LIMIT * 100))
    sys.exit(du.KSFT_PASS)


if __name__ == '__main__':
    main()
