#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""An anon probe tells anonymous from file-backed hot memory.

Two workloads keep accessing all of a 16 MiB mapping each, one anonymous,
one a shared file mapping (page cache).  fvaddr monitors both mappings, as
two targets, with one probe that allows anonymous pages.  In the
damon_region_aggregated trace, the probe's hits must be at least 90% of
the access count on the anonymous regions and at most 10% of it on the
file-backed ones (sums weighted by region size).
"""

import os
import sys
import tempfile
import time

import _damon_helpers as dh
import _probes_util as pu


def main():
    dh.require('fvaddr')
    trace = pu.RegionTrace()
    # the file of the file-backed workload goes to the current directory
    os.chdir(tempfile.gettempdir())
    wls = dh.workloads(['-s', 16, '-t', 30], ['-s', 16, '-m', 'file', '-t', 30])
    try:
        dh.ensure_kdamond()
        pu.set_probes([(0, [('anon', True, True, None)])])
        dh.start('fvaddr', [(wl.pid, [(wl.start, wl.end)]) for wl in wls])
        time.sleep(1)
        lines = pu.collect(trace, 4)
        dh.stop()
    finally:
        for wl in wls:
            wl.kill()
        dh.ensure_kdamond()
        pu.set_probes([])
    if not lines:
        dh.fail('no damon_region_aggregated event')
    anon_acc, anon_hits = pu.sums(lines, 0, 0)
    file_acc, file_hits = pu.sums(lines, 1, 0)
    print('anon: accesses %d hits %d; file: accesses %d hits %d (x bytes)'
          % (anon_acc, anon_hits, file_acc, file_hits))
    if not anon_acc or not file_acc:
        dh.fail('the hot workloads were not seen accessed')
    if anon_hits < 0.9 * anon_acc:
        dh.fail('anon probe hits %.2f of the accesses on anon memory'
                % (anon_hits / anon_acc))
    if file_hits > 0.1 * file_acc:
        dh.fail('anon probe hits %.2f of the accesses on file memory'
                % (file_hits / file_acc))
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
