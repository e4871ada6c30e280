#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""damo reclaim and damo lru_sort drive DAMON_RECLAIM and DAMON_LRU_SORT.

Through damo's front-ends only (abi.md section 5):
- "damo reclaim enable" with a 1 s min_age and always-on watermarks starts
  the module's kdamond and pages out the cold 80 MiB of a workload that
  keeps using only 16 of its 96 MiB: its RssAnon must drop by 40 MiB
  within 20 s, and "damo reclaim status" must show reclaimed bytes;
- "damo reclaim commit --min_age 3000000" applies the new value to the
  running module (commit_inputs goes back to N, the kdamond keeps going);
- "damo reclaim disable" stops the kdamond (kdamond_pid reads -1);
- "damo lru_sort enable" starts its kdamond, whose status shows hot
  regions tried within 15 s, and "damo lru_sort disable" stops it.
The module parameters are restored afterwards.  Needs swap.
"""

import os
import sys
import time

import _damo
import _damon_helpers as dh
import _damos_util as dsu

MIB = 1 << 20
PARAMS = '/sys/module/%s/parameters'


def params(module):
    d = PARAMS % module
    return {n: dh.read(os.path.join(d, n))
            for n in sorted(os.listdir(d))}


def restore(module, saved):
    d = PARAMS % module
    for n, v in saved.items():
        if n in ('enabled', 'commit_inputs', 'kdamond_pid'):
            continue
        p = os.path.join(d, n)
        if os.access(p, os.W_OK) and dh.read(p) != v:
            dh.try_write(p, v)


def status(damo, module):
    """"damo <module> status" as a dict."""
    _, out = damo.run(module, 'status', quiet=True)
    st = {}
    for line in out.splitlines():
        k, _, v = line.partition(': ')
        st[k.strip()] = v.strip()
    return st


def test_reclaim(damo):
    wl = dh.Workload(['-s', 96, '-w', 16, '-t', dh.UNTIL_KILLED])
    try:
        before = dsu.rss_anon_kb(wl.pid) * 1024
        damo.run('reclaim', 'enable', '--min_age', 1000000,
                 '--quota', 0, 0, 1000,
                 '--wmarks', 100000, 1000, 999, 0,
                 '--monitor_intervals', 5000, 100000,
                 '--nr_regions', 10, 1000)
        st = status(damo, 'reclaim')
        pid = int(st.get('kdamond_pid', '-1'))
        if pid <= 0 or st.get('enabled') != 'Y':
            dh.fail('reclaim enable: enabled %s, kdamond_pid %d' %
                    (st.get('enabled'), pid))
        dsu.wait_for(lambda: before - dsu.rss_anon_kb(wl.pid) * 1024 >=
                     40 * MIB, 20, interval=0.5)
        after = dsu.rss_anon_kb(wl.pid) * 1024
        st = status(damo, 'reclaim')
        print('# reclaim: RssAnon %d -> %d MiB, %s bytes reclaimed' %
              (before // MIB, after // MIB,
               st.get('bytes_reclaimed_regions')))
        if before - after < 40 * MIB:
            dh.fail('cold memory not reclaimed in 20 s')
        if int(st.get('bytes_reclaimed_regions', 0)) <= 0:
            dh.fail('damo reclaim status shows nothing reclaimed')
    finally:
        wl.kill()

    damo.run('reclaim', 'commit', '--min_age', 3000000)
    st = status(damo, 'reclaim')
    if st.get('min_age') != '3000000' or int(st['kdamond_pid']) != pid:
        dh.fail('reclaim commit: min_age %s, kdamond_pid %s (was %d)' %
                (st.get('min_age'), st.get('kdamond_pid'), pid))
    if dh.read(os.path.join(PARAMS % 'damon_reclaim',
                            'commit_inputs')) != 'N':
        dh.fail('commit_inputs not reset to N')

    damo.run('reclaim', 'disable')
    st = status(damo, 'reclaim')
    if st.get('kdamond_pid') != '-1' or pid in _damo.kdamond_threads():
        dh.fail('reclaim disable: kdamond_pid %s' % st.get('kdamond_pid'))


def test_lru_sort(damo):
    wl = dh.Workload(['-s', 32, '-w', 32, '-t', dh.UNTIL_KILLED])
    try:
        damo.run('lru_sort', 'enable', '--hot_thres_access_freq', 100,
                 '--cold_min_age', 1000000, '--quota', 10, 1000,
                 '--wmarks', 100000, 1000, 999, 0,
                 '--monitor_intervals', 5000, 100000)
        st = status(damo, 'lru_sort')
        pid = int(st.get('kdamond_pid', '-1'))
        if pid <= 0 or pid not in _damo.kdamond_threads():
            dh.fail('lru_sort enable: kdamond_pid %d' % pid)

        def tried():
            return int(status(damo, 'lru_sort').get(
                'nr_lru_sort_tried_hot_regions', 0))
        dsu.wait_for(lambda: tried() > 0, 15, interval=1)
        print('# lru_sort: %d hot regions tried' % tried())
        if tried() <= 0:
            dh.fail('no hot region tried by lru_sort in 15 s')
    finally:
        wl.kill()
    damo.run('lru_sort', 'disable')
    st = status(damo, 'lru_sort')
    if st.get('kdamond_pid') != '-1' or pid in _damo.kdamond_threads():
        dh.fail('lru_sort disable: kdamond_pid %s' % st.get('kdamond_pid'))


def test(damo):
    for m in ('damon_reclaim', 'damon_lru_sort'):
        if not os.path.isdir(PARAMS % m):
            dh.skip('no %s module' % m)
    if dsu.swap_ready() is None:
        dh.skip('no swap')
    saved = {m: params(m) for m in ('damon_reclaim', 'damon_lru_sort')}
    try:
        test_reclaim(damo)
        test_lru_sort(damo)
    finally:
        for m in saved:
            dh.try_write(os.path.join(PARAMS % m, 'enabled'), 'N')
            time.sleep(0.1)
            restore(m, saved[m])


if __name__ == '__main__':
    _damo.main_wrapper(test, _damo.Damo().require())
    sys.exit(dh.KSFT_PASS)
