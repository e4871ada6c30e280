#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""migrate_cold and migrate_hot move pages between two NUMA nodes.

A workload fills 24 MiB and keeps accessing the first 4 MiB.  A vaddr context
gets two schemes: migrate_cold of regions not accessed for three aggregation
intervals to node 1, and migrate_hot of accessed regions to node 0, applied
every 200 ms (the age of hot regions is often reset by the noise of their
access frequency).  Within 15 s, at least 70% of the cold pages must be on
node 1 and at least 70% of the hot pages on node 0, as move_pages(2) reports
them.  Then migrate_cold runs alone for SETTLE_PASSES aggregations: as
nothing moves pages back to node 0, it must migrate less than the whole
mapping, which it would copy again at each application if it did not leave
pages already on their destination node alone.  This is done twice: with
the workload memory first allocated on node 0 (the cold part has to move)
and on node 1 (the hot part has to move).  Needs two NUMA nodes with memory
(testbed/vm-run --numa).
"""

import ctypes
import os
import sys
import time

import _damon_helpers as dh
import _damos_util as dsu

MIB = 1 << 20
PAGE = os.sysconf('SC_PAGE_SIZE')
NR_MOVE_PAGES = 279	# x86_64
NR_SET_MEMPOLICY = 238	# x86_64
MPOL_DEFAULT = 0
MPOL_PREFERRED = 1
STEP = 16		# pages between two checked pages
# aggregations migrate_cold runs alone after the pages reached their nodes
SETTLE_PASSES = 20


def cold_scheme():
    return dh.scheme('migrate_cold', nr_accesses=(0, 0),
                     age=(3, dh.UINT_MAX), target_nid=1)


def page_nodes(pid, start, end):
    """Node of every STEP-th page of [start, end) of pid (negative: error)."""
    addrs = list(range(start, end, PAGE * STEP))
    libc = ctypes.CDLL(None, use_errno=True)
    pages = (ctypes.c_void_p * len(addrs))(*addrs)
    status = (ctypes.c_int * len(addrs))()
    if libc.syscall(NR_MOVE_PAGES, pid, len(addrs), pages, None, status, 0):
        return []
    return list(status)


def prefer_node(nid):
    """Make memory of this task and of its future children go to nid."""
    libc = ctypes.CDLL(None, use_errno=True)
    if nid is None:
        return libc.syscall(NR_SET_MEMPOLICY, MPOL_DEFAULT, None, 0) == 0
    mask = ctypes.c_ulong(1 << nid)
    return libc.syscall(NR_SET_MEMPOLICY, MPOL_PREFERRED, ctypes.byref(mask),
                        64) == 0


def node_free_kb(nid):
    with open('/sys/devices/system/node/node%d/meminfo' % nid) as f:
        for line in f:
            if 'MemFree:' in line:
                return int(line.split()[3])
    return -1


def counts(nodes):
    """How many times each value is in nodes, as a sorted dict."""
    return {n: nodes.count(n) for n in sorted(set(nodes))}


def share_on(nodes, nid):
    return sum(1 for n in nodes if n == nid) / len(nodes) if nodes else 0


def main():
    dh.require()
    dh.require('vaddr')
    if os.uname().machine != 'x86_64':
        print('SKIP: move_pages syscall number known for x86_64 only')
        sys.exit(dh.KSFT_SKIP)
    for nid in (0, 1):
        if not os.path.exists('/sys/devices/system/node/node%d' % nid):
            print('SKIP: needs NUMA nodes 0 and 1')
            sys.exit(dh.KSFT_SKIP)
    for first_nid in (0, 1):
        run(first_nid)
    sys.exit(dh.KSFT_PASS)


def run(first_nid):
    if not prefer_node(first_nid):
        dh.fail('set_mempolicy failed')
    try:
        wl = dh.Workload(['-s', 24, '-w', 4, '-t', dh.UNTIL_KILLED])
    finally:
        prefer_node(None)
    hot = (wl.start, wl.start + 4 * MIB)
    cold = (hot[1], wl.end)
    try:
        start_cold = share_on(page_nodes(wl.pid, *cold), 1)
        start_hot = share_on(page_nodes(wl.pid, *hot), 0)
        dh.stop()
        dh.stage([dh.kdamond(dh.context('vaddr', [dh.target(wl.pid)], [
            cold_scheme(),
            dh.scheme('migrate_hot', nr_accesses=(1, dh.UINT_MAX),
                      apply_interval_us=200000, target_nid=0)]))])
        dh.cmd(0, 'on')

        def moved():
            return (share_on(page_nodes(wl.pid, *cold), 1) >= 0.7 and
                    share_on(page_nodes(wl.pid, *hot), 0) >= 0.7)
        begin = time.time()
        ok = dsu.wait_for(moved, 15, 0.5)
        secs = time.time() - begin
        cold_nodes = page_nodes(wl.pid, *cold)
        hot_nodes = page_nodes(wl.pid, *hot)
        cold_share = share_on(cold_nodes, 1)
        hot_share = share_on(hot_nodes, 0)
        st_cold = dsu.stats(0, 0)
        st_hot = dsu.stats(0, 1)
        dh.stop()
        again = 0
        if ok:
            # migrate_cold alone, for SETTLE_PASSES aggregations
            dh.stage([dh.kdamond(dh.context('vaddr', [dh.target(wl.pid)],
                                            [cold_scheme()]))])
            dh.cmd(0, 'on')
            settled = dsu.wait_passes(SETTLE_PASSES, 20)
            again = dsu.stats(0, 0)['sz_applied']
            dh.stop()
            if not settled:
                dh.fail('migrate_cold not applied %d times in 20 s' %
                        SETTLE_PASSES)
    finally:
        wl.kill()
    print('allocated on node %d: cold on node 1 %.0f%% -> %.0f%%, '
          'hot on node 0 %.0f%% -> %.0f%% in %.1f s; '
          'sz_applied cold %d MiB hot %d MiB; then migrate_cold alone '
          'applied %.1f MiB' %
          (first_nid, start_cold * 100, cold_share * 100, start_hot * 100,
           hot_share * 100, secs, st_cold['sz_applied'] // MIB,
           st_hot['sz_applied'] // MIB, again / MIB))
    if not ok:
        print('node or -errno of the checked pages: cold %s, hot %s' %
              (counts(cold_nodes), counts(hot_nodes)))
        print('stats: cold %s, hot %s' % (st_cold, st_hot))
        print('free: node 0 %d kB, node 1 %d kB; swap used %d kB' %
              (node_free_kb(0), node_free_kb(1),
               dh.proc_kb('/proc/meminfo', 'SwapTotal') -
               dh.proc_kb('/proc/meminfo', 'SwapFree')))
        dh.fail('pages not migrated as expected')
    if again >= wl.end - wl.start:
        dh.fail('pages on their destination node migrated again')


if __name__ == '__main__':
    main()
