#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""pageout reclaims cold anonymous memory, unless an anon filter rejects it.

A workload maps 288 MiB, fills it, then keeps accessing only the first
32 MiB, leaving 256 MiB cold.  A vaddr pageout scheme for regions not
accessed for a second must bring its anonymous RSS down by at least
200 MiB within 10 s, while the hot 32 MiB stay resident: at most 5% of
their pages may be in swap 3 s later or swapped back in.  A paddr
pageout scheme for the cold memory of the whole system with an ops filter
rejecting anonymous pages must not bring it down by more than 10% in 4 s.
Needs swap; a zram swap is set up if possible.
"""

import sys
import time

import _damon_helpers as dh
import _damos_util as dsu

MIB = 1 << 20
HOT_MIB = 32
COLD_MIB = 256


def swapped_pages(pid, start, end):
    """Pages of [@start, @end) of @pid that are in swap."""
    return sum(1 for e in dsu.pagemap_entries(pid, start, end - start)
               if e & dsu.PM_SWAP)


def run(filters):
    wl = dh.Workload(['-s', HOT_MIB + COLD_MIB, '-w', HOT_MIB, '-t', dh.UNTIL_KILLED])
    try:
        before = dsu.rss_anon_kb(wl.pid) * 1024
        if filters:
            ram = dh.biggest_system_ram()
            ctx = dh.context('paddr', [dh.target(None, [ram])], [
                dh.scheme('pageout', nr_accesses=(0, 0),
                          age=(10, dh.UINT_MAX), ops_filters=filters)])
        else:
            ctx = dh.context('vaddr', [dh.target(wl.pid)], [
                dh.scheme('pageout', nr_accesses=(0, 0),
                          age=(10, dh.UINT_MAX))])
        dh.stop()
        dh.stage([dh.kdamond(ctx)])
        swapins = dsu.swap_reads()
        dh.cmd(0, 'on')
        begin = time.time()
        if not filters:
            dsu.wait_for(lambda: before - dsu.rss_anon_kb(wl.pid) * 1024 >=
                         200 * MIB, 10)
        else:
            time.sleep(4)
        secs = time.time() - begin
        after = dsu.rss_anon_kb(wl.pid) * 1024
        # give the scheme time to wrongly page out the hot pages, too
        time.sleep(3)
        hot_swapped = swapped_pages(wl.pid, wl.start,
                                    wl.start + HOT_MIB * MIB)
        # only hot pages paged out by mistake come back
        hot_swapped += dsu.swap_reads() - swapins
        st = dsu.stats()
        dh.stop()
    finally:
        wl.kill()
    print('%s: RssAnon %d MiB -> %d MiB in %.1f s, sz_applied %d MiB, '
          '%d hot pages in or back from swap' %
          ('paddr, reject anon' if filters else 'vaddr', before // MIB,
           after // MIB, secs, st['sz_applied'] // MIB, hot_swapped))
    return before, after, hot_swapped


def main():
    dh.require()
    dh.require('vaddr')
    if dsu.swap_ready() is None:
        print('SKIP: no swap')
        sys.exit(dh.KSFT_SKIP)

    before, after, hot_swapped = run(None)
    if before - after < 200 * MIB:
        dh.fail('cold memory not paged out within 10 s')
    # A region that straddles the hot/cold boundary and is mostly cold is
    # paged out whole; allow for that (5% of the hot range), far below what
    # a scheme that pages out hot memory does (22% in 3 s).
    if hot_swapped > HOT_MIB * MIB // 4096 * 5 // 100:
        dh.fail('hot memory paged out too')

    before, after, _ = run([{'type': 'anon', 'allow': 'N',
                              'matching': 'Y'}])
    if after < before * 0.9:
        dh.fail('anonymous memory paged out despite the filter')
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
