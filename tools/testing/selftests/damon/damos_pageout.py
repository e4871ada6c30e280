#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""pageout reclaims cold anonymous memory, unless an anon filter rejects it.

A workload maps 48 MiB, fills it, then keeps accessing only the first
8 MiB.  A vaddr pageout scheme for regions not accessed for a second
must bring its anonymous RSS down by at least 24 MiB within 20 s, while
the hot 8 MiB stay resident.  A paddr pageout scheme for the cold memory
of the whole system with an ops filter rejecting anonymous pages must not
bring it down by more than 10% in 4 s.  Needs swap; a zram swap is
set up if possible.

The sizes are small because the test runs under QEMU TCG, where paging
out itself is slow: MADV_PAGEOUT of 128 MiB, without DAMON, took 33 s
there.
"""

import sys
import time

import _damon_sysfs as ds
import _damon_util as du
import _damos_util as dsu

MIB = 1 << 20


def run(filters):
    wl = du.Workload(['-s', 48, '-w', 8, '-t', 60])
    try:
        before = dsu.rss_anon_kb(wl.pid) * 1024
        if filters:
            ram = du.biggest_system_ram()
            ctx = ds.context('paddr', [ds.target(None, [ram])], [
                ds.scheme('pageout', nr_accesses=(0, 0),
                          age=(10, ds.UINT_MAX), ops_filters=filters)])
        else:
            ctx = ds.context('vaddr', [ds.target(wl.pid)], [
                ds.scheme('pageout', nr_accesses=(0, 0),
                          age=(10, ds.UINT_MAX))])
        ds.stop_all()
        ds.stage([ds.kdamond(ctx)])
        ds.cmd(0, 'on')
        begin = time.time()
        if not filters:
            dsu.wait_for(lambda: before - dsu.rss_anon_kb(wl.pid) * 1024 >=
                         24 * MIB, 20)
        else:
            time.sleep(4)
        secs = time.time() - begin
        after = dsu.rss_anon_kb(wl.pid) * 1024
        st = dsu.stats()
        ds.stop_all()
    finally:
        wl.kill()
    print('%s: RssAnon %d MiB -> %d MiB in %.1f s, sz_applied %d MiB' %
          ('paddr, reject anon' if filters else 'vaddr', before // MIB,
           after // MIB, secs, st['sz_applied'] // MIB))
    return before, after, st


def main():
    ds.require_sysfs()
    du.require_root_and_damon('vaddr')
    if not dsu.swap_ready():
        print('SKIP: no swap')
        sys.exit(du.KSFT_SKIP)

    before, after, st = run(None)
    if before - after < 24 * MIB:
        du.fail('cold memory not paged out')
    if after < 6 * MIB:
        du.fail('hot memory paged out too')

    before, after, st = run([{'type': 'anon', 'allow': 'N',
                              'matching': 'Y'}])
    if after < before * 0.9:
        du.fail('anonymous memory paged out despite the filter')
    sys.exit(du.KSFT_PASS)


if __name__ == '__main__':
    main()
