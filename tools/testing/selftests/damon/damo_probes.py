#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The real damo sets up probes and reads their hits back.

"damo start" monitors a workload that keeps accessing a 32 MiB anonymous
buffer, with one probe allowing anonymous pages (--probe_filter allow
anon; memcg probes are not used, as damo does not read their path back).
damo must have written the probe to the kernel, and "damo report access",
which reads tried_regions/R/probes/P/hits, must show hits on (nearly) all
of the buffer.
"""

import os
import sys
import time

import _damo
import _damon_helpers as dh

FORMAT = ['--raw_number',
          '--format', 'set', 'record_head', 'record',
          '--format', 'set', 'snapshot_head', 'snapshot',
          '--format', 'set', 'region',
          'region <start address> <end address> <probe hits>',
          '--format', 'set', 'snapshot_tail', '',
          '--format', 'set', 'record_tail', '']


def hit_share(out, start, end):
    """Share of [start, end) in the last snapshot covered by regions whose
    first probe hit; and whether any region showed hits at all."""
    snaps = []
    for line in out.splitlines():
        f = line.split()
        if f[:1] == ['snapshot']:
            snaps.append([])
        elif f[:1] == ['region'] and len(f) >= 3 and snaps:
            hits = [int(float(h)) for h in f[3:]]
            snaps[-1].append((int(f[1]), int(f[2]), hits))
    if not snaps:
        return 0, False
    covered = 0
    any_hits = False
    for s, e, hits in snaps[-1]:
        if hits:
            any_hits = True
        lo, hi = max(s, start), min(e, end)
        if lo < hi and hits and hits[0] > 0:
            covered += hi - lo
    return covered / (end - start), any_hits


def test(damo):
    wl = dh.Workload(['-s', 32, '-t', 40])
    try:
        damo.run('start', wl.pid, '--probe_filter', 'allow', 'anon')
        probes = os.path.join(dh.CTX, 'monitoring_attrs', 'probes')
        nr = dh.read(os.path.join(probes, 'nr_probes'))
        ftype = dh.read(os.path.join(probes, '0', 'filters', '0', 'type'))
        print('# kernel: nr_probes %s, filter type %s' % (nr, ftype))
        if nr != '1' or ftype != 'anon':
            dh.fail('damo did not write the probe')
        time.sleep(2)
        share = 0
        for _ in range(3):
            _, out = damo.run('report', 'access', *FORMAT)
            share, any_hits = hit_share(out, wl.start, wl.end)
            if share >= 0.9:
                break
            time.sleep(1)
        print('# %.2f of the buffer shows anon probe hits' % share)
        if not any_hits:
            _damo.print_indented(out)
            dh.fail('damo report access shows no probe hits')
        if share < 0.9:
            _damo.print_indented(out)
            dh.fail('anon probe hits on only %.2f of the buffer' % share)
        damo.run('stop')
    finally:
        wl.kill()


if __name__ == '__main__':
    _damo.main_wrapper(test, _damo.Damo().require())
