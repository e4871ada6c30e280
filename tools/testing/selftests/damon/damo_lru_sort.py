#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""damo lru_sort drives DAMON_LRU_SORT.

Through damo's front-end only (abi.md section 5): "damo lru_sort enable"
with always-on watermarks starts the module's kdamond, which must try hot
regions of a workload using all of its 32 MiB within 15 s ("damo lru_sort
status" shows them), and "damo lru_sort disable" stops it (kdamond_pid
reads -1).  The wait reads the module parameter directly: each "damo
lru_sort status" costs about 2 s in the emulated guest.  The module
parameters are restored afterwards.
"""

import sys

import _damo
import _damon_helpers as dh
import _damos_util as dsu

MODULE = 'damon_lru_sort'


def tried():
    return int(dh.read(_damo.module_param_path(
        MODULE, 'nr_lru_sort_tried_hot_regions')))


def test_lru_sort(damo):
    wl = dh.Workload(['-s', 32, '-w', 32, '-t', dh.UNTIL_KILLED])
    try:
        damo.run('lru_sort', 'enable', '--hot_thres_access_freq', 100,
                 '--cold_min_age', 1000000, '--quota', 10, 1000,
                 '--wmarks', 100000, 1000, 999, 0,
                 '--monitor_intervals', 5000, 100000)
        st = _damo.module_status(damo, 'lru_sort')
        pid = int(st.get('kdamond_pid', '-1'))
        if pid <= 0 or pid not in _damo.kdamond_threads():
            dh.fail('lru_sort enable: kdamond_pid %d' % pid)
        dsu.wait_for(lambda: tried() > 0, 15, interval=0.5)
        st = _damo.module_status(damo, 'lru_sort')
        shown = int(st.get('nr_lru_sort_tried_hot_regions', 0))
        print('# lru_sort: %d hot regions tried' % shown)
        if shown <= 0:
            dh.fail('damo lru_sort status shows no hot region tried in '
                    '15 s')
    finally:
        wl.kill()
    _damo.module_disable(damo, 'lru_sort', pid)


if __name__ == '__main__':
    _damo.main_wrapper(lambda damo: _damo.module_test(damo, MODULE,
                                                      test_lru_sort),
                       _damo.Damo().require())
    sys.exit(dh.KSFT_PASS)
