#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""migrate_cold and migrate_hot move pages between two NUMA nodes.

A workload fills 24 MiB and keeps accessing the first 4 MiB.  A vaddr
context gets two schemes: migrate_cold of regions not accessed for three
aggregation intervals to node 1, and migrate_hot of accessed regions to
node 0, applied every 200 ms (the age of hot regions is often reset by the
noise of their access frequency).  Within 15 s, at least 70% of the cold
pages must be on node 1 and at least 70% of the hot pages on node 0, as
move_pages(2) reports them.  Then, for SETTLE_S seconds, the schemes keep
being applied to the same regions but must migrate less than the whole
mapping: pages already on their destination node are left alone, not
copied again at each application.  This is done twice: with the workload
memory first allocated on node 0 (the cold part has to move) and on node 1
(the hot part has to move).  Needs two NUMA nodes with memory
(testbed/vm-run --numa).
"""

import ctypes
import os
import sys
import time

import _damon_sysfs as ds
import _damon_util as du
import _damos_util as dsu

MIB = 1 << 20
PAGE = os.sysconf('SC_PAGE_SIZE')
NR_MOVE_PAGES = 279	# x86_64
NR_SET_MEMPOLICY = 238	# x86_64
MPOL_DEFAULT = 0
MPOL_PREFERRED = 1
STEP = 16		# pages between two checked pages
SETTLE_S = 3


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


def share_on(nodes, nid):
    return sum(1 for n in nodes if n == nid) / len(nodes) if nodes else 0


def main():
    ds.require_sysfs()
    du.require_root_and_damon('vaddr')
    if os.uname().machine != 'x86_64':
        print('SKIP: move_pages syscall number known for x86_64 only')
        sys.exit(du.KSFT_SKIP)
    for nid in (0, 1):
        if not os.path.exists('/sys/devices/system/node/node%d' % nid):
            print('SKIP: needs NUMA nodes 0 and 1')
            sys.exit(du.KSFT_SKIP)
    for first_nid in (0, 1):
        run(first_nid)
    sys.exit(du.KSFT_PASS)


def run(first_nid):
    if not prefer_node(first_nid):
        du.fail('set_mempolicy failed')
    try:
        wl = du.Workload(['-s', 24, '-w', 4, '-t', 60])
    finally:
        prefer_node(None)
    hot = (wl.start, wl.start + 4 * MIB)
    cold = (hot[1], wl.end)
    try:
        start_cold = share_on(page_nodes(wl.pid, *cold), 1)
        start_hot = share_on(page_nodes(wl.pid, *hot), 0)
        ds.stop_all()
        ds.stage([ds.kdamond(ds.context('vaddr', [ds.target(wl.pid)], [
            ds.scheme('migrate_cold', nr_accesses=(0, 0),
                      age=(3, ds.UINT_MAX), target_nid=1),
            ds.scheme('migrate_hot', nr_accesses=(1, ds.UINT_MAX),
                      apply_interval_us=200000, target_nid=0)]))])
        ds.cmd(0, 'on')

        def moved():
            return (share_on(page_nodes(wl.pid, *cold), 1) >= 0.7 and
                    share_on(page_nodes(wl.pid, *hot), 0) >= 0.7)
        begin = time.time()
        ok = dsu.wait_for(moved, 15, 0.5)
        secs = time.time() - begin
        cold_share = share_on(page_nodes(wl.pid, *cold), 1)
        hot_share = share_on(page_nodes(wl.pid, *hot), 0)
        st_cold = dsu.stats(0, 0)
        st_hot = dsu.stats(0, 1)
        settled = 0
        if ok:
            time.sleep(SETTLE_S)
            settled = (dsu.stats(0, 0)['sz_applied'] +
                       dsu.stats(0, 1)['sz_applied'] -
                       st_cold['sz_applied'] - st_hot['sz_applied'])
        ds.stop_all()
    finally:
        wl.kill()
    print('allocated on node %d: cold on node 1 %.0f%% -> %.0f%%, '
          'hot on node 0 %.0f%% -> %.0f%% in %.1f s; '
          'sz_applied cold %d MiB hot %d MiB, then %.1f MiB in %d s' %
          (first_nid, start_cold * 100, cold_share * 100, start_hot * 100,
           hot_share * 100, secs, st_cold['sz_applied'] // MIB,
           st_hot['sz_applied'] // MIB, settled / MIB, SETTLE_S))
    if not ok:
        du.fail('pages not migrated as expected')
    if settled >= wl.end - wl.start:
        du.fail('pages on their destination node migrated again')


if __name__ == '__main__':
    main()
