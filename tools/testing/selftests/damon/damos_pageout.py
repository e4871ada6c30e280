#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""pageout reclaims cold anonymous memory, unless an anon filter rejects it.

A workload maps 288 MiB, fills it, then keeps accessing only the first
32 MiB.  A vaddr pageout scheme for regions not accessed for a second
must bring its anonymous RSS down by at least 200 MiB within 10 s, while
the hot 32 MiB stay resident.  With an ops filter rejecting anonymous
pages, the RSS must not drop by more than 10%.  Needs swap; a zram swap is
set up if possible.
"""

import sys
import time

import _damon_sysfs as ds
import _damon_util as du
import _damos_util as dsu

MIB = 1 << 20


def run(filters):
    wl = du.Workload(['-s', 288, '-w', 32, '-t', 60])
    try:
        before = dsu.rss_anon_kb(wl.pid) * 1024
        extra = {'ops_filters': filters} if filters else {}
        ds.stop_all()
        ds.stage([ds.kdamond(ds.context('vaddr', [ds.target(wl.pid)], [
            ds.scheme('pageout', nr_accesses=(0, 0), age=(10, ds.UINT_MAX),
                      **extra)]))])
        ds.cmd(0, 'on')
        begin = time.time()
        if not filters:
            dsu.wait_for(lambda: before - dsu.rss_anon_kb(wl.pid) * 1024 >=
                         200 * MIB, 10)
        else:
            time.sleep(6)
        secs = time.time() - begin
        after = dsu.rss_anon_kb(wl.pid) * 1024
        st = dsu.stats()
        ds.stop_all()
    finally:
        wl.kill()
    print('%s: RssAnon %d MiB -> %d MiB in %.1f s, sz_applied %d MiB' %
          ('reject anon' if filters else 'no filter', before // MIB,
           after // MIB, secs, st['sz_applied'] // MIB))
    return before, after, st


def main():
    ds.require_sysfs()
    du.require_root_and_damon('vaddr')
    if not dsu.swap_ready():
        print('SKIP: no swap')
        sys.exit(du.KSFT_SKIP)

    before, after, st = run(None)
    if before - after < 200 * MIB:
        du.fail('cold memory not paged out')
    if after < 24 * MIB:
        du.fail('hot memory paged out too')

    before, after, st = run([{'type': 'anon', 'allow': 'N',
                              'matching': 'Y'}])
    if after < before * 0.9:
        du.fail('anonymous memory paged out despite the filter')
    if st['sz_applied'] > 0:
        du.fail('sz_applied %d despite the filter' % st['sz_applied'])
    sys.exit(du.KSFT_PASS)


if __name__ == '__main__':
    main()
