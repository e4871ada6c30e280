#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""damon:damon_aggregated read by perf and trace-cmd parses as damo expects.

Each line must carry `target_id=N nr_regions=N START-END: NR_ACCESSES AGE`,
and the lines of one target and aggregation must come contiguously, in
address order, as many as nr_regions says.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

import _damon_helpers  # noqa: F401 (cleans up on the runner's SIGTERM)

ADMIN = '/sys/kernel/mm/damon/admin/kdamonds'
LINE = re.compile(r'damon_aggregated:\s+target_id=(\d+) nr_regions=(\d+) '
                  r'(\d+)-(\d+): (\d+) (\d+)\s*$')


def write(path, val):
    with open(path, 'w') as f:
        f.write(val)


def check_lines(tool, text):
    """Returns the number of complete snapshots; raises on a bad shape."""
    snapshots = 0
    cur = None  # [target_id, nr_regions, seen, last_end]
    for line in text.splitlines():
        if 'damon_aggregated' not in line:
            continue
        m = LINE.search(line)
        if not m:
            raise ValueError('%s: unparsable line: %r' % (tool, line))
        tid, nr, start, end, nr_acc, _age = (int(x) for x in m.groups())
        if start >= end or nr_acc > 20:
            raise ValueError('%s: bad region: %r' % (tool, line))
        if cur is None:
            cur = [tid, nr, 0, 0]
        elif cur[0] != tid or cur[1] != nr or start < cur[3]:
            raise ValueError('%s: snapshot interleaved or unsorted: %r' %
                             (tool, line))
        cur[2] += 1
        cur[3] = end
        if cur[2] == cur[1]:
            snapshots += 1
            cur = None
    return snapshots


def record(tool, outdir, event='damon:damon_aggregated', secs=2):
    """Records @event system-wide with @tool ('perf' or 'trace-cmd') for
    @secs seconds; returns what `perf script` or `trace-cmd report` prints
    of it."""
    out = os.path.join(outdir, tool + '.data')
    if tool == 'perf':
        rec = ['perf', 'record', '-a', '-o', out, '-e', event, '--',
               'sleep', str(secs)]
        rep = ['perf', 'script', '--force', '-i', out]
    else:
        rec = ['trace-cmd', 'record', '-o', out, '-e', event, 'sleep',
               str(secs)]
        rep = ['trace-cmd', 'report', '-i', out]
    subprocess.run(rec, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=60)
    return subprocess.run(rep, check=True, capture_output=True, text=True,
                          timeout=60).stdout


def main():
    if not os.path.isdir(ADMIN):
        print('DAMON sysfs interface not found')
        return 4
    tools = [t for t in ('perf', 'trace-cmd') if shutil.which(t)]
    if not tools:
        print('neither perf nor trace-cmd found')
        return 4
    write(ADMIN + '/nr_kdamonds', '1')
    ctx = ADMIN + '/0/contexts'
    write(ctx + '/nr_contexts', '1')
    write(ctx + '/0/operations', 'paddr')
    write(ctx + '/0/targets/nr_targets', '1')
    write(ADMIN + '/0/state', 'on')
    failures = 0
    try:
        with tempfile.TemporaryDirectory() as outdir:
            for tool in tools:
                try:
                    nr = check_lines(tool, record(tool, outdir))
                except (ValueError, subprocess.SubprocessError) as e:
                    print('%s: %s' % (tool, e))
                    failures += 1
                    continue
                print('%s: %d complete snapshots' % (tool, nr))
                # 2 s of 100 ms aggregations; TCG may run late.
                if nr < 5:
                    failures += 1
    finally:
        write(ADMIN + '/0/state', 'off')
        write(ADMIN + '/nr_kdamonds', '0')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
