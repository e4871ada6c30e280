#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""damo with the page fault sampling primitive.

A workload keeps writing (stores only, so that its faults are write
faults) the first 16 MiB of a 64 MiB mapping.
"damo start <pid> --sample_primitives page_fault" with each of
"--exp_ops_write_only Y", "--exp_ops_cpus <the CPUs>" and "--exp_ops_tids
<pid>" writes page_table N and page_fault Y and its sample filter (one
that selects the workload's faults), the kdamond runs, and "damo report
access" shows the hot part accessed and the rest not.
"""

import os
import sys

import _damo
import _damon_helpers as dh
from damo_sample import HOT_MIB, check_filter


def test(damo):
    wl = dh.Workload(['-s', 64, '-w', HOT_MIB, '-W', '-t', dh.UNTIL_KILLED])
    try:
        # (--sample_primitives takes several words: the pid goes first)
        fault = ['--sample_primitives', 'page_fault']
        cpus = ','.join(str(c) for c in sorted(os.sched_getaffinity(0)))
        check_filter(damo, wl, fault + ['--exp_ops_write_only', 'Y'],
                     'write', None, None, fault=True)
        check_filter(damo, wl, fault + ['--exp_ops_cpus', cpus],
                     'cpumask', None, None, fault=True)
        check_filter(damo, wl, fault + ['--exp_ops_tids', str(wl.pid)],
                     'threads', 'tid_arr', str(wl.pid), fault=True)
    finally:
        wl.kill()


if __name__ == '__main__':
    _damo.main_wrapper(test, _damo.Damo().require())
    sys.exit(dh.KSFT_PASS)
