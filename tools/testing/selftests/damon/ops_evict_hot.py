#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A hot set whose translations stay cached is still seen hot by vaddr.

A workload on CPU 1 accesses the first 16 MiB of a 64 MiB mapping without
pause, so that the translations of the pages DAMON samples can stay cached
in its TLB across sampling intervals: an Accessed bit DAMON cleared is then
set again only if the translation was evicted.  DAMON (on CPU 0) evicts the
translation of every page whose set bit it clears, at the end of each
sampling pass, so the size-weighted nr_accesses of the hot 16 MiB must stay
above 3/4 of the samples per aggregation (median over 20 aggregations,
after 3 s for the regions to settle).  Measured in the TCG test VM: 20 of 20
with an eviction every pass; 1 of 20 when only one pass in 16 evicted, the
others leaving the translations cached (19 of 20 with 15 passes in 16).
With no eviction at all it was 20 of 20 there too, the emulated TLB then
holding no translation for long, so this test guards against evicting
less often, not against never evicting.  The TLB flush calls that CPU 1 ran
per second are printed.

usage: ops_evict_hot.py
"""

import os
import sys
import time

import _damon_helpers as dh

MIB = 1 << 20
SAMPLE_US = 5000
AGGR_US = 100000
MIN_SHARE = 0.75


def main():
    dh.require('vaddr')
    if os.cpu_count() < 2:
        dh.skip('needs at least two CPUs')
    os.sched_setaffinity(0, {0})
    # the flush count is only printed: without csd events, not counted
    csd = None
    wl = dh.Workload(['-s', 64, '-w', 16, '-t', dh.UNTIL_KILLED])
    try:
        if dh.CsdCalls.available():
            csd = dh.CsdCalls('damon_ops_evict_hot')
        os.sched_setaffinity(wl.pid, {1})
        trace = dh.AggregatedTrace()
        dh.start('vaddr', [(wl.pid, [])], sample_us=SAMPLE_US,
                 aggr_us=AGGR_US)
        os.sched_setaffinity(dh.kdamond_pid(), {0})
        time.sleep(3)
        trace.start()
        if csd:
            csd.take()
        t0 = time.time()
        trace.wait_snapshots(20, 30)
        flush = csd.take()[0] if csd else 0
        secs = time.time() - t0
        trace.stop()
        dh.stop()
    finally:
        dh.stop()
        wl.kill()
        if csd:
            csd.close()
    snaps = trace.snapshots().get(0, [])[:20]
    if len(snaps) < 10:
        dh.fail('only %d snapshots' % len(snaps))
    hot = dh.median([dh.avg_nr_accesses(s, wl.start, wl.start + 16 * MIB)
                     for s in snaps])
    samples = AGGR_US // SAMPLE_US
    print('hot 16 MiB: nr_accesses %.1f of %d samples (median of %d '
          'aggregations), bound %.1f; TLB flush calls on its CPU: %.0f/s' %
          (hot, samples, len(snaps), MIN_SHARE * samples, flush / secs))
    if hot < MIN_SHARE * samples:
        dh.fail('cached translations hide a hot set')
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
