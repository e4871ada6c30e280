#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Cost of DAMON's sampling (with its TLB flushes) on a monitored workload.

The workload repeatedly accesses 10 MiB of a 64 MiB mapping.  Its access
rate is measured alternately without and with vaddr monitoring of it at
the default intervals; the median slowdown must stay under 2%.

usage: ops_tlb_cost.py [vaddr|paddr] [rounds]
"""

import sys

import _damon_util as du

LIMIT = 0.02
RUN_S = 3


def rate(ops):
    wl = du.Workload(['-s', 64, '-w', 10, '-t', RUN_S])
    try:
        if ops == 'vaddr':
            du.start('vaddr', [(wl.pid, [])])
        elif ops == 'paddr':
            du.start('paddr', [(None, [du.biggest_system_ram()])])
        r = wl.finish()
    finally:
        wl.kill()
        du.stop()
    return r


def main():
    ops = sys.argv[1] if len(sys.argv) > 1 else 'vaddr'
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    du.require_root_and_damon(ops)
    off, on = [], []
    for _ in range(rounds):
        off.append(rate(None))
        on.append(rate(ops))
    slowdown = 1 - du.median(on) / du.median(off)
    print('%s: passes/s without DAMON %s, with %s; median slowdown %.2f%%'
          % (ops, ['%.0f' % x for x in off], ['%.0f' % x for x in on],
             slowdown * 100))
    if slowdown > LIMIT:
        du.fail('slowdown above %d%%' % (LIMIT * 100))
    sys.exit(du.KSFT_PASS)


if __name__ == '__main__':
    main()
