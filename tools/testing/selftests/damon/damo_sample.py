#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""damo's access sampling options against monitoring_attrs/sample/.

A workload keeps writing the first 16 MiB of a 64 MiB mapping.
- "damo start <pid>" runs with page_table Y, page_fault N and no sample
  filter, and "damo report access" shows the hot part accessed;
- "--exp_ops_write_only Y", "--exp_ops_cpus 0" and "--exp_ops_tids <pid>"
  each start the kdamond with the matching sample filter (type write,
  cpumask "0", threads "<pid>"; matching and allow Y), which "damo report
  damon" reads back without error;
- the page fault primitive is damo_fault.py's.
"""

import os
import sys

import _damo
import _damon_helpers as dh

MIB = 1 << 20
HOT_MIB = 16


def sample_path(*names):
    return dh.kd_path(0, 'contexts', '0', 'monitoring_attrs', 'sample',
                      *names)


def read_sample(*names):
    return dh.read(sample_path(*names)).strip()


def check_primitives(what, page_table, page_fault):
    got = (read_sample('primitives', 'page_table'),
           read_sample('primitives', 'page_fault'))
    if got != (page_table, page_fault):
        dh.fail('%s: primitives %s, expected %s' %
                (what, got, (page_table, page_fault)))


def check_hot(damo, wl, what, tries=3):
    """The hot part is told from the cold one in one of the next TRIES
    snapshots: a snapshot taken while a region still spans the edge
    between the two (the regions converge by splitting at random
    points) is followed by another one."""
    hot_end = wl.start + HOT_MIB * MIB
    for i in range(tries):
        snaps = _damo.report_access(damo)
        if len(snaps) != 1:
            dh.fail('%s: %d snapshots, expected 1' % (what, len(snaps)))
        hot, _ = _damo.accessed_share(snaps[0], wl.start, hot_end)
        cold, _ = _damo.accessed_share(snaps[0], hot_end, wl.end)
        print('# %s: snapshot %d: hot part %.0f%% accessed, cold part %.0f%%'
              % (what, i, hot * 100, cold * 100))
        if hot >= 0.75 and cold <= 0.25:
            return
    dh.fail('%s: hot part not told from the cold one in %d snapshots' %
            (what, tries))


def check_filter(damo, wl, args, ftype, key, value, fault=False):
    what = ' '.join(str(a) for a in args)
    damo.run('start', wl.pid, *args)
    if dh.state() != 'on':
        dh.fail('%s: kdamond is %s' % (what, dh.state()))
    check_primitives(what, 'N' if fault else 'Y', 'Y' if fault else 'N')
    got = {f: read_sample('filters', '0', f) for f in
           ('type', 'matching', 'allow', 'cpumask', 'tid_arr')}
    nr = int(read_sample('filters', 'nr_filters'))
    if nr != 1 or got['type'] != ftype or got['matching'] != 'Y' or \
            got['allow'] != 'Y' or (key and got[key] != value):
        dh.fail('%s: %d filters, filter 0 %s' % (what, nr, got))
    _, out = damo.run('report', 'damon')
    if str(wl.pid) not in out:
        _damo.print_indented(out)
        dh.fail('%s: damo report damon does not show the target' % what)
    if fault:
        check_hot(damo, wl, what)
    damo.run('stop')


def test(damo):
    wl = dh.Workload(['-s', 64, '-w', HOT_MIB, '-t', dh.UNTIL_KILLED])
    try:
        damo.run('start', wl.pid)
        check_primitives('default', 'Y', 'N')
        if int(read_sample('filters', 'nr_filters')) != 0:
            dh.fail('default: sample filters set')
        check_hot(damo, wl, 'default')
        damo.run('stop')

        check_filter(damo, wl, ['--exp_ops_write_only', 'Y'], 'write',
                     None, None)
        check_filter(damo, wl, ['--exp_ops_cpus', '0'], 'cpumask',
                     'cpumask', '0')
        check_filter(damo, wl, ['--exp_ops_tids', str(wl.pid)], 'threads',
                     'tid_arr', str(wl.pid))

    finally:
        wl.kill()


if __name__ == '__main__':
    _damo.main_wrapper(test, _damo.Damo().require())
    sys.exit(dh.KSFT_PASS)
