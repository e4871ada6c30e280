#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The monitoring_attrs/sample/ directory: defaults, good values, bad
writes and bad setups.

- primitives/page_table defaults to Y, page_fault to N; every filter
  directory has type, matching, allow, cpumask and tid_arr; stats/ files
  are read-only counters;
- good cpumask (cpulist) and tid_arr values are taken and read back;
- each bad write fails with the expected errno and leaves the whole tree
  as it was;
- "on" with both primitives off fails with EINVAL and the kdamond stays
  off; "commit" of that setup to a running kdamond fails with EINVAL and
  the kdamond keeps running with page_table on;
- vaddr starts, and takes commits, with page_fault on, alone or with
  page_table; paddr, which can't arm pages for faults, refuses page_fault
  Y with EINVAL at "on" and stays off.
"""

import errno
import os
import sys

import _damon_helpers as dh

E, A = errno.EINVAL, errno.EACCES
C = '0/contexts/0/'
SA = C + 'monitoring_attrs/sample/'
F = SA + 'filters/0/'


def possible_cpus():
    """Number of possible CPUs (the last one of the possible list + 1)."""
    lst = dh.read('/sys/devices/system/cpu/possible').strip()
    return int(lst.replace(',', '-').split('-')[-1]) + 1


def bad_cases():
    nr_cpus = possible_cpus()
    return [
        (SA + 'primitives/page_table', 'maybe', E),
        (SA + 'primitives/page_table', '2', E),
        (SA + 'primitives/page_fault', 'x', E),
        (SA + 'primitives/page_fault', '-1', E),
        (SA + 'filters/nr_filters', 'x', E),
        (SA + 'filters/nr_filters', '-1', E),
        (SA + 'filters/nr_filters', '65', E),
        (SA + 'filters/nr_filters', '1.5', E),
        (F + 'type', 'foo', E), (F + 'type', 'CPUMASK', E),
        (F + 'type', 'writes', E), (F + 'type', 'thread', E),
        (F + 'matching', 'maybe', E), (F + 'allow', 'x', E),
        (F + 'cpumask', 'abc', E), (F + 'cpumask', '0-', E),
        (F + 'cpumask', '1-0', E), (F + 'cpumask', str(nr_cpus), E),
        (F + 'cpumask', '0,%d' % (nr_cpus + 7), E),
        (F + 'cpumask', '99999999', E),
        (F + 'tid_arr', 'abc', E), (F + 'tid_arr', '1,x', E),
        (F + 'tid_arr', '-5', E), (F + 'tid_arr', '0', E),
        (F + 'tid_arr', '1.5', E), (F + 'tid_arr', '99999999999', E),
        (F + 'tid_arr', ','.join(str(i + 1) for i in range(257)), E),
        (SA + 'stats/pushed', '0', A), (SA + 'stats/matched', '1', A),
    ]


def fail(msg):
    print('FAIL:', msg)
    dh.stop()
    sys.exit(1)


def path(rel):
    return os.path.join(dh.KDAMONDS, rel)


def stage(pid, page_table=None, page_fault=None, nr_filters=1):
    """A fresh kdamond directory (so fresh defaults) for @pid."""
    dh.stop()
    dh.write(path('nr_kdamonds'), 0)
    dh.stage([dh.kdamond(dh.context('vaddr', [dh.target(pid)]))])
    if page_table is not None:
        dh.write(path(SA + 'primitives/page_table'), page_table)
    if page_fault is not None:
        dh.write(path(SA + 'primitives/page_fault'), page_fault)
    dh.write(path(SA + 'filters/nr_filters'), nr_filters)


def check_defaults(pid):
    stage(pid)
    want = {SA + 'primitives/page_table': 'Y',
            SA + 'primitives/page_fault': 'N',
            SA + 'filters/nr_filters': '1',
            F + 'type': 'cpumask', F + 'matching': 'N', F + 'allow': 'N',
            F + 'cpumask': '', F + 'tid_arr': ''}
    for name in ('pushed', 'dropped_full', 'dropped_nested', 'stale',
                 'filtered', 'unmatched', 'matched'):
        want[SA + 'stats/' + name] = '0'
    for rel, val in want.items():
        got = dh.read(path(rel)).strip()
        if got != val:
            fail('%s is %r, expected %r' % (rel, got, val))
    for rel in (SA + 'stats/pushed', SA + 'stats/matched'):
        if os.stat(path(rel)).st_mode & 0o777 != 0o400:
            fail('%s is not read-only' % rel)


def check_good_values():
    # (an empty string would make no write(2): clear with a newline)
    good = [(F + 'cpumask', '0', '0'), (F + 'cpumask', '\n', ''),
            (F + 'cpumask', '0\n', '0'),
            (F + 'tid_arr', '1,2 3', '1,2 3'), (F + 'tid_arr', '\n', ''),
            (F + 'type', 'threads', 'threads'), (F + 'type', 'write', 'write'),
            (F + 'allow', 'Y', 'Y'), (F + 'matching', 'Y', 'Y')]
    if possible_cpus() > 1:
        good.append((F + 'cpumask', '0-1', '0-1'))
    for rel, val, back in good:
        err = dh.try_write(path(rel), val)
        got = dh.read(path(rel)).strip()
        if err or got != back:
            fail('%s <- %r: errno %s, reads %r' % (rel, val, err, got))


def check_bad_writes():
    before = dh.read_tree()
    cases = bad_cases()
    for rel, val, want in cases:
        err = dh.try_write(path(rel), val)
        if err != want:
            fail('%s <- %.30r: errno %s, expected %s' % (
                rel, val, err and errno.errorcode[err], errno.errorcode[want]))
        if dh.read_tree() != before:
            fail('%s <- %.30r changed the tree' % (rel, val))
    return len(cases)


def check_setups(pid):
    # (page_table, page_fault): "on" fails, nothing runs
    stage(pid, 'N', 'N')
    err = dh.try_write(path('0/state'), 'on')
    if err != E or dh.state(0) != 'off':
        fail('on with both primitives off: errno %s, state %s' %
             (err, dh.state(0)))
    # the page fault primitive runs on vaddr, alone or with page tables
    for pt, pf in (('N', 'Y'), ('Y', 'Y')):
        stage(pid, pt, pf)
        err = dh.try_write(path('0/state'), 'on')
        if err or dh.state(0) != 'on':
            fail('vaddr on with page_table=%s page_fault=%s: errno %s, '
                 'state %s' % (pt, pf, err, dh.state(0)))
        dh.cmd(0, 'off')
    # ... but not on paddr
    dh.stop()
    dh.write(path('nr_kdamonds'), 0)
    dh.stage([dh.kdamond(dh.context(
        'paddr', [dh.target(None, [dh.biggest_system_ram()])]))])
    dh.write(path(SA + 'primitives/page_fault'), 'Y')
    err = dh.try_write(path('0/state'), 'on')
    if err != E or dh.state(0) != 'off':
        fail('paddr on with page_fault Y: errno %s, state %s' %
             (err, dh.state(0)))
    # a valid filter setup starts
    stage(pid)
    dh.write(path(F + 'type'), 'write')
    dh.write(path(F + 'allow'), 'Y')
    dh.write(path(F + 'matching'), 'Y')
    dh.cmd(0, 'on')
    if dh.state(0) != 'on':
        fail('valid sample setup did not start')
    kpid = dh.kdamond_pid()
    dh.write(path(SA + 'primitives/page_table'), 'N')
    dh.write(path(SA + 'primitives/page_fault'), 'N')
    err = dh.try_write(path('0/state'), 'commit')
    if err != E or dh.state(0) != 'on' or dh.kdamond_pid() != kpid:
        fail('commit of both primitives off: errno %s, state %s' %
             (err, dh.state(0)))
    dh.write(path(SA + 'primitives/page_fault'), 'Y')
    err = dh.try_write(path('0/state'), 'commit')
    if err or dh.state(0) != 'on' or dh.kdamond_pid() != kpid:
        fail('commit of page_fault alone: errno %s, state %s' %
             (err, dh.state(0)))
    # the running kdamond still counts and reports its stats
    dh.write(path(SA + 'primitives/page_table'), 'Y')
    dh.write(path(SA + 'primitives/page_fault'), 'N')
    dh.cmd(0, 'commit')
    dh.cmd(0, 'update_schemes_stats')
    for name in ('pushed', 'matched'):
        int(dh.read(path(SA + 'stats/' + name)))
    dh.cmd(0, 'off')


def main():
    dh.require()
    pid = os.getpid()
    check_defaults(pid)
    check_good_values()
    stage(pid)
    dh.write(path(F + 'type'), 'threads')
    dh.write(path(F + 'tid_arr'), str(pid))
    dh.write(path(F + 'cpumask'), '0')
    nr = check_bad_writes()
    check_setups(pid)
    dh.stop()
    print('ok: %d bad writes refused, tree unchanged; bad setups refused' % nr)
    sys.exit(0)


if __name__ == '__main__':
    main()
