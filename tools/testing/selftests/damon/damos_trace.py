#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The DAMOS tracepoints have the formats damo parses, and agree.

A vaddr stat scheme with a size quota of 1 MiB per 200 ms runs for a
workload while damos_before_apply, damos_esz and
damos_stat_after_apply_interval are traced through tracefs.  Every line
must have the exact shape of abi.md section 4.3; damos_esz must report the
quota; the bytes of the damos_before_apply regions between two
damos_stat_after_apply_interval lines must add up to the growth of
sz_tried, nr_tried must grow by their number, and nr_snapshots by one.
"""

import os
import re
import sys

import _damon_helpers as dh
import _damos_util as dsu

MIB = 1 << 20
EVENTS = ('damos_before_apply', 'damos_esz',
          'damos_stat_after_apply_interval')
BEFORE = re.compile(r'damos_before_apply: ctx_idx=(\d+) scheme_idx=(\d+) '
                    r'target_idx=(\d+) nr_regions=(\d+) (\d+)-(\d+): '
                    r'(\d+) (\d+)$')
ESZ = re.compile(r'damos_esz: ctx_idx=(\d+) scheme_idx=(\d+) esz=(\d+)$')
STAT_KEYS = ('ctx_idx', 'scheme_idx', 'nr_tried', 'sz_tried', 'nr_applied',
             'sz_applied', 'sz_ops_filter_passed', 'qt_exceeds',
             'nr_snapshots')


def parse_stat(payload):
    tokens = payload.split()
    if [t.split('=')[0] for t in tokens] != list(STAT_KEYS):
        dh.fail('bad damos_stat_after_apply_interval: %s' % payload)
    return dict((k, int(t.split('=')[1])) for k, t in zip(STAT_KEYS, tokens))


def main():
    dh.require()
    dh.require('vaddr')
    tfs = dh.tracefs()
    if tfs is None:
        dh.skip('no tracefs')
    for ev in EVENTS:
        if not os.path.exists(os.path.join(tfs, 'events', 'damon', ev)):
            dh.skip('no %s event' % ev)
    wl = dh.Workload(['-s', 32, '-t', dh.UNTIL_KILLED])
    try:
        dh.stop()
        dh.stage([dh.kdamond(dh.context('vaddr', [dh.target(wl.pid)], [
            dh.scheme('stat', quotas=dsu.quotas(
                sz=MIB, reset_interval_ms=200))]))])
        dh.write(os.path.join(tfs, 'buffer_size_kb'), 8192)
        dh.write(os.path.join(tfs, 'trace'), '')
        for ev in EVENTS:
            dh.write(os.path.join(tfs, 'events', 'damon', ev, 'enable'), 1)
        dh.cmd(0, 'on')
        # four passes, however slow the machine is
        dsu.wait_for(lambda: dsu.stats()['nr_snapshots'] >= 4, 30, 0.5)
        dh.stop()
    finally:
        for ev in EVENTS:
            dh.write(os.path.join(tfs, 'events', 'damon', ev, 'enable'), 0)
        wl.kill()

    nr_before = nr_esz = nr_stat = 0
    pending_nr = pending_sz = 0
    last = None
    with open(os.path.join(tfs, 'trace')) as f:
        for line in f:
            if line.startswith('#'):
                continue
            line = line.rstrip()
            if 'damos_before_apply:' in line:
                m = BEFORE.search(line)
                if not m:
                    dh.fail('bad damos_before_apply: %s' % line)
                v = [int(x) for x in m.groups()]
                if v[0] or v[1] or v[2] or v[3] < 1 or v[5] <= v[4]:
                    dh.fail('odd damos_before_apply: %s' % line)
                pending_nr += 1
                pending_sz += v[5] - v[4]
                nr_before += 1
            elif 'damos_esz:' in line:
                m = ESZ.search(line)
                if not m:
                    dh.fail('bad damos_esz: %s' % line)
                if int(m.group(3)) != MIB:
                    dh.fail('esz %s, not %d' % (m.group(3), MIB))
                nr_esz += 1
            elif 'damos_stat_after_apply_interval:' in line:
                st = parse_stat(line.split(
                    'damos_stat_after_apply_interval:')[1])
                if last is not None:
                    if (st['nr_tried'] - last['nr_tried'] != pending_nr or
                            st['sz_tried'] - last['sz_tried'] !=
                            pending_sz or
                            st['nr_snapshots'] != last['nr_snapshots'] + 1):
                        dh.fail('stats %s do not add up after %s (+%d '
                                'regions, +%d bytes)' %
                                (st, last, pending_nr, pending_sz))
                    if pending_sz > MIB:
                        dh.fail('%d bytes tried in a pass, quota %d' %
                                (pending_sz, MIB))
                last = st
                pending_nr = pending_sz = 0
                nr_stat += 1
    print('%d damos_before_apply, %d damos_esz, %d '
          'damos_stat_after_apply_interval lines' %
          (nr_before, nr_esz, nr_stat))
    if not nr_before or not nr_esz or nr_stat < 3:
        dh.fail('too few events')
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
