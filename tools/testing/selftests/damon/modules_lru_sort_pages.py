#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""DAMON_LRU_SORT moves hot pages to the active LRU list and pages that went
cold to the inactive list, checked page by page through /proc/kpageflags.

Two ops_access workloads keep touching 32 MiB each; after a while the one
of the "cold" range is stopped (SIGSTOP), so that its pages stay resident
but are no longer accessed.

Where the page frames of the two ranges lie decides what DAMON can tell
apart: a region holding frames of both ranges is hot as a whole, and the
"cold" frames in it are activated again at every aggregation.  Two
workloads faulting at once on CPUs of the same node get interleaved
frames, so each workload runs on the CPUs of its own node when there are
two, and allocates its pages there."""

import os
import signal
import sys
import time

import _damon_helpers as dh
import _damos_util as dsu

KSFT_SKIP = 4
PARAMS = '/sys/module/damon_lru_sort/parameters'
SZ_MIB = 32
SZ = SZ_MIB << 20
# pause between two passes over a range, to leave CPU time to the rest
PAUSE_US = 20000


def wr(name, val):
    with open(os.path.join(PARAMS, name), 'w') as f:
        f.write(str(val))


def rd(name):
    with open(os.path.join(PARAMS, name)) as f:
        return f.read().strip()


def active_ratio(wl):
    """Share of the resident LRU pages of a workload's range that are on an
    active list."""
    return dsu.active_ratio(wl.pid, wl.start, SZ)


def node_cpus():
    """The CPU sets of the NUMA nodes that have CPUs, in node order."""
    sets = []
    nid = 0
    while os.path.isdir('/sys/devices/system/node/node%d' % nid):
        path = '/sys/devices/system/node/node%d/cpulist' % nid
        with open(path) as f:
            cpus = set()
            for part in f.read().strip().split(','):
                if not part:
                    continue
                lo, _, hi = part.partition('-')
                cpus.update(range(int(lo), int(hi or lo) + 1))
        if cpus:
            sets.append(cpus)
        nid += 1
    return sets


def start_workloads(args):
    """Starts the hot and the cold workload, each pinned to the CPUs of its
    own node if there are two nodes with CPUs (one after the other on one
    CPU otherwise), so that their frames do not interleave."""
    nodes = node_cpus()
    if len(nodes) >= 2:
        hot_cpus, cold_cpus = nodes[0], nodes[1]
    else:
        hot_cpus = cold_cpus = {min(os.sched_getaffinity(0))}
    orig = os.sched_getaffinity(0)
    started = []
    try:
        for cpus in (hot_cpus, cold_cpus):
            os.sched_setaffinity(0, cpus)
            started.append(dh.Workload(args))
    except BaseException:
        for wl in started:
            wl.kill()
        raise
    finally:
        os.sched_setaffinity(0, orig)
    return started


def main():
    if os.geteuid() != 0 or not os.path.isdir(PARAMS):
        print('SKIP: needs root and DAMON_LRU_SORT')
        return KSFT_SKIP
    if not os.path.exists('/proc/kpageflags'):
        print('SKIP: no /proc/kpageflags')
        return KSFT_SKIP

    cold_touch_secs = 20
    args = ['-s', SZ_MIB, '-p', PAUSE_US, '-t', dh.UNTIL_KILLED]
    hot, cold = start_workloads(args)
    started = time.time()

    stat_file = '/sys/module/damon_stat/parameters/enabled'
    stat_enabled = None
    if os.path.exists(stat_file):
        with open(stat_file) as f:
            stat_enabled = f.read().strip()
        with open(stat_file, 'w') as f:
            f.write('N')

    names = ['hot_thres_access_freq', 'cold_min_age', 'quota_ms',
             'sample_interval', 'aggr_interval', 'min_nr_regions',
             'wmarks_interval', 'wmarks_high', 'wmarks_mid', 'wmarks_low']
    saved = {p: rd(p) for p in names}
    ret = 1
    try:
        wr('enabled', 'N')
        # The workloads touch each page every few tens of milliseconds.
        # Sample every 100 ms and call memory accessed in one of the ten
        # samples of an aggregation interval hot, so that a stall of the
        # emulated guest does not make a hot range look cold.
        wr('sample_interval', 100000)
        wr('aggr_interval', 1000000)
        # Regions of at most 1% of the RAM, so that the ranges' physically
        # scattered pages are not judged with the rest of a big region
        # (see ops_wss.py).
        wr('min_nr_regions', 100)
        wr('hot_thres_access_freq', 100)
        wr('cold_min_age', 3000000)
        wr('quota_ms', 0)
        wr('wmarks_interval', 100000)
        wr('wmarks_high', 1000)
        wr('wmarks_mid', 999)
        wr('wmarks_low', 0)
        wr('enabled', 'Y')

        # While both ranges are accessed, both become active.
        cold_max = hot1 = 0.0
        while time.time() < started + cold_touch_secs:
            time.sleep(2)
            hot1 = active_ratio(hot)
            cold_max = max(cold_max, active_ratio(cold))
        print('both accessed: active hot %.2f, cold up to %.2f' %
              (hot1, cold_max))

        # The cold range is no longer accessed; after cold_min_age it goes.
        os.kill(cold.pid, signal.SIGSTOP)
        deadline = time.time() + 40
        while time.time() < deadline:
            time.sleep(2)
            hot2 = active_ratio(hot)
            cold2 = active_ratio(cold)
            if hot2 > 0.8 and cold2 < 0.2:
                break
        print('cold idle: active hot %.2f cold %.2f' % (hot2, cold2))
        print('stats: hot %s/%s B sorted/tried, cold %s/%s B' %
              (rd('bytes_lru_sorted_hot_regions'),
               rd('bytes_lru_sort_tried_hot_regions'),
               rd('bytes_lru_sorted_cold_regions'),
               rd('bytes_lru_sort_tried_cold_regions')))
        if cold_max < 0.5:
            raise Exception('accessed pages were not activated')
        if hot2 < 0.8:
            raise Exception('hot pages left the active list')
        if cold2 > 0.2:
            raise Exception('cold pages stayed on the active list')
        print('PASS')
        ret = 0
    except Exception as e:
        print('FAIL: %s' % e)
    finally:
        wr('enabled', 'N')
        for p, v in saved.items():
            wr(p, v)
        hot.kill()
        cold.kill()
        if stat_enabled is not None:
            with open(stat_file, 'w') as f:
                f.write(stat_enabled)
    return ret


if __name__ == '__main__':
    sys.exit(main())
