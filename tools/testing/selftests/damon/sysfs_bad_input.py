#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Bad writes to the DAMON sysfs tree fail with the expected errno and leave
the whole tree unchanged."""

import errno
import os
import subprocess
import sys

import _damon_helpers as dh

E, R, B, A = errno.EINVAL, errno.ERANGE, errno.EBUSY, errno.EACCES
C = '0/contexts/0/'
S = C + 'schemes/0/'
OVER = str(2**64)

# (file relative to kdamonds/, value, errno)
FILE_CASES = [
    ('nr_kdamonds', 'abc', E), ('nr_kdamonds', '-1', E),
    ('nr_kdamonds', '\n', E), ('nr_kdamonds', OVER, R),
    ('nr_kdamonds', '1.5', E), ('nr_kdamonds', ' 1', E),
    ('nr_kdamonds', '65537', E), ('0/refresh_ms', 'x', E),
    ('0/refresh_ms', '-1', E), ('0/pid', '1', A),
    ('0/contexts/nr_contexts', '2', E), ('0/contexts/nr_contexts', 'x', E),
    (C + 'avail_operations', 'vaddr', A), (C + 'operations', 'foo', E),
    (C + 'operations', 'VADDR', E), (C + 'operations', 'vaddrx', E),
    (C + 'operations', '\n', E), (C + 'addr_unit', '-1', E),
    (C + 'addr_unit', OVER, R), (C + 'pause', 'maybe', E),
    (C + 'pause', '2', E),
    (C + 'monitoring_attrs/intervals/sample_us', 'abc', E),
    (C + 'monitoring_attrs/intervals/sample_us', '5ms', E),
    (C + 'monitoring_attrs/intervals/aggr_us', '-5', E),
    (C + 'monitoring_attrs/intervals/update_us', '9' * 30, R),
    (C + 'monitoring_attrs/intervals/intervals_goal/access_bp', '-1', E),
    (C + 'monitoring_attrs/nr_regions/min', 'ten', E),
    (C + 'monitoring_attrs/nr_regions/max', '', None),  # no write(2)
    (C + 'targets/nr_targets', 'x', E), (C + 'targets/nr_targets', '-1', E),
    (C + 'targets/0/pid_target', 'abc', E),
    (C + 'targets/0/pid_target', '2147483648', R),
    (C + 'targets/0/pid_target', '1.0', E),
    (C + 'targets/0/obsolete_target', 'maybe', E),
    (C + 'targets/0/regions/nr_regions', 'x', E),
    (C + 'targets/0/regions/0/start', '-1', E),
    (C + 'targets/0/regions/0/end', 'abc', E),
    (C + 'schemes/nr_schemes', 'x', E), (S + 'action', 'foo', E),
    (S + 'action', 'Stat', E), (S + 'action', 'migrate', E),
    (S + 'target_nid', 'x', E), (S + 'target_nid', '99999999999', R),
    (S + 'apply_interval_us', '-1', E),
    (S + 'access_pattern/sz/min', 'x', E),
    (S + 'access_pattern/sz/max', OVER, R),
    (S + 'access_pattern/nr_accesses/max', 'x', E),
    (S + 'access_pattern/age/min', '-1', E), (S + 'quotas/ms', 'x', E),
    (S + 'quotas/bytes', '-1', E), (S + 'quotas/reset_interval_ms', OVER, R),
    (S + 'quotas/goal_tuner', 'fast', E),
    (S + 'quotas/fail_charge_num', 'x', E),
    (S + 'quotas/effective_bytes', '1', A),
    (S + 'quotas/weights/sz_permil', 'x', E),
    (S + 'quotas/goals/nr_goals', 'x', E),
    (S + 'quotas/goals/0/target_metric', 'foo', E),
    (S + 'quotas/goals/0/target_value', '-1', E),
    (S + 'quotas/goals/0/nid', 'x', E),
    (S + 'quotas/goals/0/path', 'a' * 4096, E),
    (S + 'quotas/goals/0/path', 'a' * 5000, E),  # cut to a page
    (S + 'watermarks/metric', 'foo', E),
    (S + 'watermarks/interval_us', 'x', E), (S + 'watermarks/high', '-1', E),
    (S + 'filters/nr_filters', 'x', E), (S + 'filters/0/type', 'foo', E),
    (S + 'filters/0/matching', 'maybe', E),
    (S + 'filters/0/allow', 'maybe', E),
    (S + 'filters/0/memcg_path', 'a' * 4096, E),
    (S + 'filters/0/addr_start', 'x', E),
    (S + 'filters/0/damon_target_idx', '-1', E),
    (S + 'filters/0/min', 'x', E), (S + 'core_filters/0/type', 'bar', E),
    (S + 'ops_filters/0/type', 'baz', E),
    (S + 'dests/nr_dests', 'x', E), (S + 'dests/0/id', 'x', E),
    (S + 'dests/0/weight', '-1', E), (S + 'stats/nr_tried', '0', A),
    (S + 'stats/max_nr_snapshots', 'x', E),
    (S + 'tried_regions/total_bytes', '0', A),
    ('0/state', 'foo', E), ('0/state', 'ON', E), ('0/state', '\n', E),
] + [('0/state', c, E) for c in (
    'off', 'commit', 'commit_schemes_quota_goals', 'update_schemes_stats',
    'update_schemes_tried_regions', 'update_schemes_tried_bytes',
    'clear_schemes_tried_regions', 'update_schemes_effective_quotas',
    'update_tuned_intervals')]

# (description, {file: value} set up first, errno of 'on')
ON_CASES = [
    ('no target', {C + 'targets/nr_targets': 0}, E),
    ('no such pid', {C + 'targets/0/pid_target': 4194304 + 1}, E),
    ('pid 0', {C + 'targets/0/pid_target': 0}, E),
    ('pid -1', {C + 'targets/0/pid_target': -1}, E),
    ('sz min > max', {S + 'access_pattern/sz/min': 10,
                      S + 'access_pattern/sz/max': 5}, E),
    ('age min > max', {S + 'access_pattern/age/min': 10,
                       S + 'access_pattern/age/max': 5}, E),
    ('nr_regions min > max', {C + 'monitoring_attrs/nr_regions/min': 2000},
     E),
    ('min_nr_regions < 3', {C + 'monitoring_attrs/nr_regions/min': 2}, E),
    ('sample > aggr', {C + 'monitoring_attrs/intervals/sample_us': 200000},
     E),
    ('addr_unit 0', {C + 'addr_unit': 0}, E),
    ('addr_unit 3', {C + 'addr_unit': 3}, E),
    ('addr_unit 4096 on vaddr', {C + 'addr_unit': 4096}, E),
    ('addr_unit 2 on fvaddr', {C + 'operations': 'fvaddr',
                               C + 'targets/0/regions/nr_regions': 1,
                               C + 'targets/0/regions/0/start': 4096,
                               C + 'targets/0/regions/0/end': 8192,
                               C + 'addr_unit': 2}, E),
    # the base scheme has an anon filter in ops_filters/ and in filters/
    ('ops filters for vaddr pageout', {S + 'action': 'pageout'}, E),
    ('ops filter for vaddr cold', {S + 'action': 'cold',
                                   S + 'filters/nr_filters': 0}, E),
    ('filters/ anon for vaddr willneed', {S + 'action': 'willneed',
                                          S + 'ops_filters/nr_filters': 0},
     E),
    ('lru_prio on vaddr', {S + 'action': 'lru_prio'}, E),
    ('wmarks high < mid', {S + 'watermarks/metric': 'free_mem_rate',
                           S + 'watermarks/high': 100,
                           S + 'watermarks/mid': 200}, E),
    ('intervals goal without access_bp',
     {C + 'monitoring_attrs/intervals/intervals_goal/aggrs': 3}, E),
    ('weight > UINT_MAX', {S + 'quotas/weights/sz_permil': 2**32}, E),
    ('young filter in core_filters', {S + 'core_filters/nr_filters': 1,
                                      S + 'core_filters/0/type': 'young'}, E),
    ('addr filter in ops_filters', {S + 'ops_filters/nr_filters': 1,
                                    S + 'ops_filters/0/type': 'addr'}, E),
    ('empty addr filter', {S + 'core_filters/nr_filters': 1,
                           S + 'core_filters/0/type': 'addr',
                           S + 'core_filters/0/addr_start': 4096}, E),
    ('memcg filter without path', {S + 'filters/nr_filters': 1,
                                   S + 'filters/0/type': 'memcg'}, E),
    ('hugepage_size min > max', {S + 'filters/nr_filters': 1,
                                 S + 'filters/0/type': 'hugepage_size',
                                 S + 'filters/0/min': 2}, E),
    ('node goal with bad nid', {S + 'quotas/goals/nr_goals': 1,
                                S + 'quotas/goals/0/target_metric':
                                    'node_mem_used_bp',
                                S + 'quotas/goals/0/nid': -5}, E),
    ('overlapping regions', {C + 'operations': 'fvaddr',
                             C + 'targets/0/regions/nr_regions': 2,
                             C + 'targets/0/regions/0/start': 4096,
                             C + 'targets/0/regions/0/end': 16384,
                             C + 'targets/0/regions/1/start': 8192,
                             C + 'targets/0/regions/1/end': 20480}, E),
    ('unsorted regions', {C + 'operations': 'fvaddr',
                          C + 'targets/0/regions/nr_regions': 2,
                          C + 'targets/0/regions/0/start': 40960,
                          C + 'targets/0/regions/0/end': 81920,
                          C + 'targets/0/regions/1/start': 4096,
                          C + 'targets/0/regions/1/end': 8192}, E),
    ('empty region', {C + 'operations': 'fvaddr',
                      C + 'targets/0/regions/nr_regions': 1,
                      C + 'targets/0/regions/0/start': 4096,
                      C + 'targets/0/regions/0/end': 4096}, E),
]


def fail(msg):
    print('FAIL:', msg)
    dh.stop()
    sys.exit(1)


def stage_base(pid, full=False):
    """A valid tree with one of everything (full: also a dest)."""
    dh.stop()
    filt = [{'type': 'anon', 'matching': 'Y'}]
    regions = [(4096, 8192)] if full else []
    dh.stage([dh.kdamond(dh.context('vaddr', [dh.target(pid, regions)], [dh.scheme(
        'stat', filters=filt, ops_filters=filt,
        core_filters=[{'type': 'addr', 'addr_start': 0, 'addr_end': 4096}],
        quotas={'goals': [{'target_metric': 'user_input'}]},
        dests=[{'id': 0}] if full else [])]))])


def check_write(rel, val, want, before=None):
    """Check a write fails as wanted; return the (unchanged) tree."""
    if before is None:
        before = dh.read_tree()
    err = dh.try_write(os.path.join(dh.KDAMONDS, rel), val)
    if want is not None and err != want:
        fail('%s <- %.20r: errno %s, expected %s' % (
            rel, val, err and errno.errorcode[err], errno.errorcode[want]))
    if dh.read_tree() != before:
        fail('%s <- %.20r changed the tree' % (rel, val))
    return before


def main():
    dh.require()
    pid = os.getpid()
    stage_base(pid, full=True)
    tree = None
    for rel, val, want in FILE_CASES:
        tree = check_write(rel, val, want, tree)
    nr = len(FILE_CASES)
    for desc, setup, want in ON_CASES:
        stage_base(pid)
        for rel, val in setup.items():
            dh.write(os.path.join(dh.KDAMONDS, rel), val)
        before = dh.read_tree()
        err = dh.try_write(dh.kd_path(0, 'state'), 'on')
        if err != want:
            fail('on with %s: errno %s' % (desc, err and errno.errorcode[err]))
        if dh.read_tree() != before:
            fail('failed on with %s changed the tree' % desc)
        nr += 1

    # while running: nr_kdamonds is busy, on is busy, bad commits refused
    sleeper = subprocess.Popen(['sleep', '60'])
    stage_base(sleeper.pid)
    dh.cmd(0, 'on')
    check_write('nr_kdamonds', '0', B)
    check_write('nr_kdamonds', '2', B)
    check_write('0/state', 'on', B)
    dh.write(os.path.join(dh.KDAMONDS, S + 'access_pattern/sz/min'), 10)
    dh.write(os.path.join(dh.KDAMONDS, S + 'access_pattern/sz/max'), 5)
    check_write('0/state', 'commit', E)
    dh.write(os.path.join(dh.KDAMONDS, S + 'access_pattern/sz/min'), 0)
    dh.write(os.path.join(dh.KDAMONDS, S + 'action'), 'pageout')
    check_write('0/state', 'commit', E)
    dh.write(os.path.join(dh.KDAMONDS, S + 'action'), 'stat')
    dh.write(os.path.join(dh.KDAMONDS, C + 'addr_unit'), 4096)
    check_write('0/state', 'commit', E)
    dh.write(os.path.join(dh.KDAMONDS, C + 'addr_unit'), 1)
    dh.write(os.path.join(dh.KDAMONDS, C + 'targets/0/pid_target'), 0)
    check_write('0/state', 'commit', E)
    nr += 7
    if dh.state() != 'on':
        fail('kdamond stopped by failed commits')
    dh.cmd(0, 'off')
    sleeper.kill()
    sleeper.wait()
    dh.stop()
    print('PASS: %d bad writes refused, tree unchanged' % nr)


if __name__ == '__main__':
    main()
