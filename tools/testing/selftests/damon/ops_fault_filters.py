#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Sample filters select the page faults that count.

Two workloads, each keeping 16 MiB of a 32 MiB mapping hot, are the two
targets of one vaddr context sampled by the page_fault primitive alone:
A only writes its hot part (a load before the store would make
every fault a read fault) and runs on CPU 0, B only reads its hot part and
runs on CPU 1.  With one filter at a time (matching Y, allow Y):
- write: A's hot part is seen hot, B's (read-only) cold;
- threads with A's tid: A hot, B cold;
- cpumask "1": B hot, A cold (skipped on a single-CPU machine).
"Seen hot" is a size-weighted nr_accesses above 0 in at least 80% of the
aggregation snapshots; "cold" is 0 in at least 80% of them.
"""

import os
import sys
import time

import _damon_helpers as dh

MIB = 1 << 20
SA = ('contexts', '0', 'monitoring_attrs', 'sample')


def sample_path(*names):
    return dh.kd_path(0, *(SA + names))


def set_filter(ftype, cpumask='\n', tids='\n'):
    dh.write(sample_path('filters', 'nr_filters'), 1)
    dh.write(sample_path('filters', '0', 'type'), ftype)
    dh.write(sample_path('filters', '0', 'matching'), 'Y')
    dh.write(sample_path('filters', '0', 'allow'), 'Y')
    dh.write(sample_path('filters', '0', 'cpumask'), cpumask)
    dh.write(sample_path('filters', '0', 'tid_arr'), tids)
    dh.cmd(0, 'commit')


def shares(trace, wls):
    """Per workload, the share of snapshots where its hot part has
    accesses."""
    snaps = trace.snapshots()
    out = []
    for tid, wl in enumerate(wls):
        ss = snaps.get(tid, [])
        if len(ss) < 5:
            dh.fail('only %d snapshots of target %d' % (len(ss), tid))
        hot = [dh.avg_nr_accesses(s, wl.start, wl.start + 16 * MIB) or 0
               for s in ss]
        out.append(sum(1 for h in hot if h > 0) / len(ss))
    return out


def check(what, wls, selected):
    trace = dh.AggregatedTrace()
    time.sleep(0.5)
    trace.start()
    trace.wait_snapshots(20, 20, target_id=1)
    trace.stop()
    got = shares(trace, wls)
    print('%s: hot part seen accessed in %.0f%% (A) and %.0f%% (B) of '
          'the snapshots' % (what, got[0] * 100, got[1] * 100))
    for i, share in enumerate(got):
        if (i == selected and share < 0.8) or \
                (i != selected and share > 0.2):
            dh.fail('%s: %s selected, shares %s' % (what, 'AB'[selected],
                                                    got))


def main():
    dh.require('vaddr')
    cpus = os.sched_getaffinity(0)
    a = b = None
    try:
        a = dh.Workload(['-s', 32, '-w', 16, '-W', '-t', dh.UNTIL_KILLED])
        b = dh.Workload(['-s', 32, '-w', 16, '-R', '-t', dh.UNTIL_KILLED])
        multi = 0 in cpus and 1 in cpus
        if multi:
            os.sched_setaffinity(a.pid, {0})
            os.sched_setaffinity(b.pid, {1})
        dh.start('vaddr', [(a.pid, []), (b.pid, [])], primitives=('N', 'Y'))
        set_filter('write')
        check('write', [a, b], 0)
        set_filter('threads', tids=str(a.pid))
        check('threads %d' % a.pid, [a, b], 0)
        if multi:
            set_filter('cpumask', cpumask='1')
            check('cpumask 1', [a, b], 1)
        else:
            print('# single CPU: cpumask filter not checked')
        dh.stop()
    finally:
        for wl in (a, b):
            if wl:
                wl.kill()
        dh.stop()
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
