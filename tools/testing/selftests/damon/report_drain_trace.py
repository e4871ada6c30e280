#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""damon:damon_report_drain read by perf and trace-cmd adds up.

A vaddr context samples an ops_access workload with the page fault
primitive alone (page_table N, page_fault Y); then, if the kernel has the
perf_events primitive, with the software page fault event alone.  In each
phase, the damon_report_drain events are recorded for 2 seconds with each
of perf and trace-cmd that is installed, and parsed from `perf script` and
`trace-cmd report`.  Each line must read `drained=N matched=N stale=N
dropped=N`; there must be events, some with matched reports, and none that
counts more matched and stale reports than it drained.  The traced matched
reports and dropped reports may not exceed what the sample stats counted
over the same time.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

import _damon_helpers as dh
import _damon_perf as pe
from core_trace import record

EVENT = 'damon:damon_report_drain'
LINE = re.compile(r'damon_report_drain:\s+drained=(\d+) matched=(\d+) '
                  r'stale=(\d+) dropped=(\d+)\s*$')


def parse(text):
    """(drained, matched, stale, dropped) of each event; raises on a line
    of the event that does not parse."""
    events = []
    for line in text.splitlines():
        if 'damon_report_drain' not in line:
            continue
        m = LINE.search(line)
        if not m:
            raise ValueError('unparsable line: %r' % line)
        events.append(tuple(int(x) for x in m.groups()))
    return events


def dropped(st):
    return st['dropped_full'] + st['dropped_nested']


def check_tool(phase, tool, outdir):
    """Records and checks the events of one tool; returns the problems
    found."""
    before = pe.stats()
    try:
        events = parse(record(tool, outdir, EVENT))
    except (ValueError, subprocess.SubprocessError) as e:
        return ['%s: %s' % (tool, e)]
    after = pe.stats()
    what = '%s, %s' % (phase, tool)
    sums = [sum(e[i] for e in events) for i in range(4)]
    nr_matched = sum(1 for e in events if e[1] > 0)
    print('%s: %d events, %d with matched reports; drained %d matched %d '
          'stale %d dropped %d' % (what, len(events), nr_matched, *sums))
    problems = []
    if not events:
        return ['%s: no event parsed' % what]
    if not nr_matched:
        problems.append('%s: no event with matched reports' % what)
    bad = [e for e in events if e[0] < e[1] + e[2]]
    if bad:
        problems.append('%s: %d events with drained < matched + stale, '
                        'e.g. %s' % (what, len(bad), bad[0]))
    counted = after['matched'] - before['matched']
    if sums[1] > counted:
        problems.append('%s: %d matched reports traced, %d counted' %
                        (what, sums[1], counted))
    counted = dropped(after) - dropped(before)
    if sums[3] > counted:
        problems.append('%s: %d dropped reports traced, %d counted' %
                        (what, sums[3], counted))
    return problems


def run_phase(phase, tools, wl_args, setup):
    wl = dh.Workload(wl_args)
    problems = []
    try:
        setup(wl)
        with tempfile.TemporaryDirectory() as outdir:
            for tool in tools:
                problems += check_tool(phase, tool, outdir)
    finally:
        dh.stop()
        wl.kill()
    return problems


def page_fault_setup(wl):
    dh.start('vaddr', [(wl.pid, [])], primitives=('N', 'Y'))


def perf_events_setup(wl):
    pe.stage(wl.pid, [pe.SW])
    dh.cmd(0, 'on')


def main():
    dh.require('vaddr')
    tools = [t for t in ('perf', 'trace-cmd') if shutil.which(t)]
    if not tools:
        dh.skip('neither perf nor trace-cmd installed')
    if dh.tracefs() is None:
        dh.skip('no tracefs')
    prim = os.path.join(pe.sample_dir(), 'primitives')
    if not os.path.exists(os.path.join(prim, 'page_fault')):
        dh.skip('no page fault sampling primitive')
    problems = run_phase('page_fault', tools,
                         ['-s', 64, '-w', 16, '-t', dh.UNTIL_KILLED],
                         page_fault_setup)
    dh.ensure_kdamond()
    if os.path.isdir(os.path.join(pe.sample_dir(), 'perf_events')):
        problems += run_phase('perf_events', tools,
                              ['-s', 64, '-w', 16, '-D', '-t',
                               dh.UNTIL_KILLED], perf_events_setup)
    else:
        print('no perf_events sampling primitive: phase skipped')
    for p in problems:
        print('FAIL: %s' % p)
    sys.exit(dh.KSFT_FAIL if problems else dh.KSFT_PASS)


if __name__ == '__main__':
    main()
