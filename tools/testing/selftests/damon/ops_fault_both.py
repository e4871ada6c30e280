#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Both sampling primitives on are at least as accurate as page tables alone.

The workload of ops_fault_hot_cold.py runs twice, once monitored with the
page_table primitive alone and once with page_table and page_fault both
on.  With both, a region is accessed in a sampling interval if either
primitive saw it: the hot half must be hotter than the cold half in at
least 90% of the snapshots, and in no fewer snapshots (5 points of
slack for run-to-run noise) than with the page tables alone.
"""

import sys

import _damon_helpers as dh
from ops_fault_hot_cold import hot_cold_ratio


def main():
    dh.require('vaddr')
    table, _ = hot_cold_ratio(('Y', 'N'), secs=25)
    both, matched = hot_cold_ratio(('Y', 'Y'), secs=25)
    if not matched:
        dh.fail('no fault report matched a region with both primitives')
    if both < 0.9 or both < table - 0.05:
        dh.fail('both primitives: %.1f%%, page_table alone: %.1f%%' %
                (both * 100, table * 100))
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
