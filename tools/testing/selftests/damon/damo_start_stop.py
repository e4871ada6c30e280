#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""damo start, report, tune and stop a vaddr kdamond, then a paddr one.

A workload keeps accessing the first 16 MiB of a 64 MiB mapping.  Through
damo only (abi.md sections 2.2 to 2.7):
- "damo start <pid>" turns kdamond 0 on (a kdamond.0 thread runs);
- "damo report damon" works;
- "damo report access" (a live snapshot: damo commits a stat scheme, asks
  for its tried regions, then commits the scheme away) works three times
  in a row, each snapshot covering the mapping and showing most of the hot
  16 MiB accessed, at least two of them most of the cold 48 MiB not, and
  leaves no scheme behind;
- "damo tune --aggr 200000 <pid>" commits the new interval to the running
  kdamond (same thread, aggr_us reads 200000) and one of the next three
  snapshots still tells the hot part from the cold one.

The regions converge on the edge between the parts by splitting at random
points: a snapshot taken while one still spans it shows part of the cold
memory accessed (28% in one full run on 7 Dec), hence the tolerance.
- "damo stop" leaves no kdamond thread, and a second "damo stop" says
  there is nothing to stop;
- "damo start --ops paddr" monitors the system RAM span of /proc/iomem,
  and a live snapshot of it covers that span.
"""

import os
import sys

import _damo
import _damon_helpers as dh

MIB = 1 << 20
HOT_MIB = 16


def check_snapshot(damo, wl, what):
    """Checks one live snapshot; whether it told the cold part apart."""
    snaps = _damo.report_access(damo)
    if len(snaps) != 1:
        dh.fail('%s: %d snapshots, expected 1' % (what, len(snaps)))
    hot_end = wl.start + HOT_MIB * MIB
    hot, seen = _damo.accessed_share(snaps[0], wl.start, hot_end)
    cold, _ = _damo.accessed_share(snaps[0], hot_end, wl.end)
    print('# %s: %d regions, hot part %.0f%% accessed, cold part %.0f%%' %
          (what, len(snaps[0]), hot * 100, cold * 100))
    if seen < 0.99:
        dh.fail('%s: the mapping is not covered by the regions' % what)
    if hot < 0.75:
        dh.fail('%s: hot part not seen accessed' % what)
    if cold > 0.25:
        for s, e, rate, age in snaps[0]:
            if e > wl.start and s < wl.end:
                print('#   [%+.1f, %+.1f) MiB: %.0f%% accessed, age %d ms' %
                      ((s - wl.start) / MIB, (e - wl.start) / MIB, rate,
                       age // 1000))
    return cold <= 0.25


def nr_schemes():
    return int(dh.read(dh.kd_path(0, 'contexts', '0', 'schemes',
                                  'nr_schemes')))


def test(damo):
    wl = dh.Workload(['-s', 64, '-w', HOT_MIB, '-t', dh.UNTIL_KILLED])
    try:
        damo.run('start', wl.pid)
        if dh.state() != 'on':
            dh.fail('kdamond 0 is %s after damo start' % dh.state())
        pid = dh.kdamond_pid()
        if pid not in _damo.kdamond_threads():
            dh.fail('no kdamond thread %d' % pid)
        _, out = damo.run('report', 'damon')
        if str(wl.pid) not in out:
            _damo.print_indented(out)
            dh.fail('damo report damon does not show target %d' % wl.pid)
        told = sum(check_snapshot(damo, wl, 'snapshot %d' % i)
                   for i in range(3))
        if told < 2:
            dh.fail('cold part seen accessed in %d of 3 snapshots' %
                    (3 - told))
        if nr_schemes() != 0:
            dh.fail('%d schemes left after the snapshots' % nr_schemes())

        damo.run('tune', '--aggr', 200000, wl.pid)
        aggr = int(dh.read(dh.kd_path(0, 'contexts', '0', 'monitoring_attrs',
                                      'intervals', 'aggr_us')))
        if dh.state() != 'on' or dh.kdamond_pid() != pid or aggr != 200000:
            dh.fail('after tune: state %s, pid %d (was %d), aggr_us %d' %
                    (dh.state(), dh.kdamond_pid(), pid, aggr))
        if not any(check_snapshot(damo, wl, 'snapshot %d after tune' % i)
                   for i in range(3)):
            dh.fail('after tune: cold part seen accessed in 3 snapshots')

        damo.run('stop')
        threads = _damo.kdamond_threads()
        if dh.state() != 'off' or threads:
            dh.fail('after stop: state %s, kdamond threads %s' %
                    (dh.state(), threads))
        rc, out = damo.run('stop', check=False)
        if rc == 0 or 'not turned on' not in out:
            dh.fail('second damo stop: status %d, %r' % (rc, out))
    finally:
        wl.kill()

    ram = dh.system_ram_ranges()
    span = (ram[0][0], ram[-1][1])
    damo.run('start', '--ops', 'paddr')
    regions = dh.kd_path(0, 'contexts', '0', 'targets', '0', 'regions')
    got = (int(dh.read(os.path.join(regions, '0', 'start'))),
           int(dh.read(os.path.join(regions, '0', 'end'))))
    if dh.state() != 'on' or got != span:
        dh.fail('paddr: state %s, region %s, System RAM span %s' %
                (dh.state(), got, span))
    snaps = _damo.report_access(damo)
    if len(snaps) != 1:
        dh.fail('paddr: %d snapshots' % len(snaps))
    _, covered = _damo.accessed_share(snaps[0], *span)
    print('# paddr: %d regions cover %.0f%% of [%#x, %#x)' %
          (len(snaps[0]), covered * 100, span[0], span[1]))
    if covered < 0.99:
        dh.fail('paddr snapshot does not cover the System RAM span')
    damo.run('stop')
    if dh.state() != 'off' or _damo.kdamond_threads():
        dh.fail('paddr kdamond not stopped')


if __name__ == '__main__':
    _damo.main_wrapper(test, _damo.Damo().require())
    sys.exit(dh.KSFT_PASS)
