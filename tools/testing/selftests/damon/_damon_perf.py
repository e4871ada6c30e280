# SPDX-License-Identifier: GPL-2.0
"""Helpers of the perf_events sampling primitive selftests.

The test machines have no hardware PMU, so the tests sample with the
software page fault event (SW) against an ops_access workload that faults
on its hot part on every pass (-D).
"""

import os
import time

import _damon_helpers as dh

MIB = 1 << 20
# PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, every fault a sample
SW = {'type': 1, 'config': 2, 'freq': 0, 'sample_period': 1,
      'precise_ip': 0}
# PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES: no PMU under TCG
HW = {'type': 0, 'config': 0, 'freq': 0, 'sample_period': 100000,
      'precise_ip': 0}


def sample_dir(kd=0):
    return dh.kd_path(kd, 'contexts', '0', 'monitoring_attrs', 'sample')


def require():
    """Skips unless the kernel has the perf_events primitive."""
    dh.require('vaddr')
    if not os.path.isdir(os.path.join(sample_dir(), 'perf_events')):
        dh.skip('no perf_events sampling primitive')


def set_events(events, kd=0, page_table='N', perf_events='Y'):
    """Configures the perf events of kdamond @kd and the primitives."""
    sd = sample_dir(kd)
    dh.write(os.path.join(sd, 'primitives', 'page_table'), page_table)
    dh.write(os.path.join(sd, 'primitives', 'perf_events'), perf_events)
    pd = os.path.join(sd, 'perf_events')
    dh.write(os.path.join(pd, 'nr_perf_events'), len(events))
    for i, ev in enumerate(events):
        for name, val in ev.items():
            dh.write(os.path.join(pd, str(i), name), val)


def stage(pid, events, kd=0, nr_kdamonds=1, **kw):
    """A fresh vaddr kdamond @kd for @pid sampling with @events."""
    if kd == 0:
        dh.stop()
    dh.stage([dh.kdamond(dh.context('vaddr', [dh.target(pid)]))
              for _ in range(nr_kdamonds)])
    set_events(events, kd, **kw)


def stats(kd=0):
    """The access report counters of kdamond @kd, refreshed."""
    dh.cmd(kd, 'update_schemes_stats')
    sd = os.path.join(sample_dir(kd), 'stats')
    return {n: int(dh.read(os.path.join(sd, n)))
            for n in ('pushed', 'dropped_full', 'dropped_nested', 'stale',
                      'filtered', 'unmatched', 'matched')}


def hot_cold(snaps, hot, cold):
    """Snapshots where the hot range is accessed and the cold one is at
    most a tenth as much, and the averages of both."""
    good = 0
    hots, colds = [], []
    for snap in snaps:
        h = dh.avg_nr_accesses(snap, *hot)
        c = dh.avg_nr_accesses(snap, *cold)
        if h is None or c is None:
            continue
        hots.append(h)
        colds.append(c)
        if h > 0 and c <= h / 10:
            good += 1
    return good, dh.median(hots), dh.median(colds)


def collect(trace, nr, budget_s, settle_s=2):
    """Snapshots of target 0 traced after @settle_s seconds."""
    time.sleep(settle_s)
    trace.start()
    trace.wait_snapshots(nr, budget_s)
    trace.stop()
    return trace.snapshots().get(0, [])
