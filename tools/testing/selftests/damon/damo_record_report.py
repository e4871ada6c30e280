#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""damo record (tracepoint based) and the reports made from its record.

A workload keeps accessing the first 16 MiB of a 64 MiB mapping.
"damo record <pid> --timeout 6" starts DAMON, records damon_aggregated
through perf (or trace-cmd) and restores the stopped kdamond (abi.md
sections 2.8 and 4).  Then, from the record file (permissions 600, no
tracer file left behind):
- "damo validate" accepts its snapshots (aggregations of 75 to 250 ms,
  3 to 1200 regions, nr_accesses in range);
- "damo report access" shows the hot part accessed, the cold part not, in
  at least two of the last three snapshots (one taken while a region still
  spans the edge between the parts may show some of the cold part
  accessed: the regions converge on it by splitting at random points);
- "damo report wss" gives a median working set between 8 and 32 MiB;
- "damo report heatmap --output raw" over the mapping is hotter in the hot
  part than in the cold part.
Last, "damo record <command>" of a workload running 3 s must end by itself
once the command exits (the vaddr kdamond stops when its target is gone)
with snapshots recorded.
"""

import math
import os
import shutil
import stat
import sys

import _damo
import _damon_helpers as dh

MIB = 1 << 20
HOT_MIB = 16


def check_file(path):
    if not os.path.exists(path):
        dh.fail('no record file %s' % path)
    mode = stat.S_IMODE(os.stat(path).st_mode)
    if mode != 0o600:
        dh.fail('record file mode %o, expected 600' % mode)
    left = [n for n in os.listdir(os.path.dirname(path))
            if n.startswith(os.path.basename(path) + '.perf')]
    if left:
        dh.fail('tracer files left: %s' % left)


def heat_share(raw, start, end):
    """Mean heat of the pixels in the hot part and in the cold part (pixels
    without data, before the first snapshot, read NaN)."""
    hot, cold = [], []
    mid = start + HOT_MIB * MIB
    for line in raw.splitlines():
        f = line.split()
        if len(f) != 3:
            continue
        addr, heat = int(float(f[1])), float(f[2])
        if math.isnan(heat):
            continue
        if start <= addr < mid:
            hot.append(heat)
        elif mid <= addr < end:
            cold.append(heat)
    if not hot or not cold:
        return None, None
    return sum(hot) / len(hot), sum(cold) / len(cold)


def test(damo):
    if not shutil.which('perf') and not shutil.which('trace-cmd'):
        dh.skip('damo record needs perf or trace-cmd')
    data = os.path.join(damo.dir, 'damon.data')
    wl = dh.Workload(['-s', 64, '-w', HOT_MIB, '-t', dh.UNTIL_KILLED])
    try:
        damo.run('record', wl.pid, '--timeout', 6, '-o', data, timeout=90)
        if _damo.state() == 'on':
            dh.fail('kdamond still on after damo record')
    finally:
        wl.kill()
    check_file(data)
    # intervals of up to 250 ms: the emulated VM is slow while perf records
    damo.run('validate', '-i', data, '--aggr', 75000, 250000)

    snaps = _damo.report_access(damo, '-i', data)
    if len(snaps) < 10:
        dh.fail('only %d snapshots in 6 s' % len(snaps))
    hot_end = wl.start + HOT_MIB * MIB
    told = 0
    for i, snap in enumerate(snaps[-3:]):
        hot, seen = _damo.accessed_share(snap, wl.start, hot_end)
        cold, _ = _damo.accessed_share(snap, hot_end, wl.end)
        print('# snapshot %d of %d: hot part %.0f%% accessed, cold part '
              '%.0f%%' % (len(snaps) - 2 + i, len(snaps), hot * 100,
                          cold * 100))
        told += seen >= 0.99 and hot >= 0.75 and cold <= 0.25
    if told < 2:
        dh.fail('hot and cold parts told apart in %d of the last 3 '
                'snapshots' % told)

    _, out = damo.run('report', 'wss', '-i', data, '--raw_number',
                      '--range', 50, 51, 1)
    wss = None
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 2 and f[0] == '50':
            wss = int(f[1])
    print('# median working set size %s MiB' %
          (None if wss is None else wss / MIB))
    if wss is None or not 8 * MIB <= wss <= 32 * MIB:
        _damo.print_indented(out)
        dh.fail('median working set size %s, expected about 16 MiB' % wss)

    _, out = damo.run('report', 'heatmap', '-i', data, '--output', 'raw',
                      '--abs_addr', '--address_range', wl.start, wl.end)
    hot, cold = heat_share(out, wl.start, wl.end)
    print('# heatmap: mean heat %s in the hot part, %s in the cold' %
          (hot, cold))
    if hot is None or hot <= cold:
        _damo.print_indented(out, 10)
        dh.fail('heatmap not hotter in the hot part')

    prog = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        'ops_access')
    data2 = os.path.join(damo.dir, 'damon2.data')
    damo.run('record', '%s -s 16 -w 8 -t 3' % prog, '-o', data2, timeout=60)
    check_file(data2)
    snaps = _damo.report_access(damo, '-i', data2)
    print('# record of a command: %d snapshots' % len(snaps))
    if len(snaps) < 5 or _damo.state() == 'on':
        dh.fail('record of a 3 s command: %d snapshots, kdamond %s' %
                (len(snaps), _damo.state()))


if __name__ == '__main__':
    _damo.main_wrapper(test, _damo.Damo().require())
    sys.exit(dh.KSFT_PASS)
