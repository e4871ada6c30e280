#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Every file of the DAMON sysfs tree exists with its permission bits, shows
its default, and accepts its own output back; damo's feature-probe write
sequence succeeds."""

import os
import sys

import _damon_helpers as dh

RW, RO = 0o600, 0o400

FILTER = {'type': RW, 'matching': RW, 'allow': RW, 'memcg_path': RW,
          'addr_start': RW, 'addr_end': RW, 'damon_target_idx': RW,
          'min': RW, 'max': RW}
SCHEME = {
    'action': RW, 'target_nid': RW, 'apply_interval_us': RW,
    'access_pattern': {k: {'min': RW, 'max': RW}
                       for k in ('sz', 'nr_accesses', 'age')},
    'quotas': {'ms': RW, 'bytes': RW, 'reset_interval_ms': RW,
               'effective_bytes': RO, 'goal_tuner': RW,
               'fail_charge_num': RW, 'fail_charge_denom': RW,
               'weights': {'sz_permil': RW, 'nr_accesses_permil': RW,
                           'age_permil': RW},
               'goals': {'nr_goals': RW,
                         '0': {'target_metric': RW, 'target_value': RW,
                               'current_value': RW, 'nid': RW,
                               'path': RW}}},
    'watermarks': {k: RW for k in ('metric', 'interval_us', 'high', 'mid',
                                   'low')},
    'filters': {'nr_filters': RW, '0': FILTER},
    'core_filters': {'nr_filters': RW, '0': FILTER},
    'ops_filters': {'nr_filters': RW, '0': FILTER},
    'dests': {'nr_dests': RW, '0': {'id': RW, 'weight': RW}},
    'stats': dict({k: RO for k in ('nr_tried', 'sz_tried', 'nr_applied',
                                   'sz_applied', 'sz_ops_filter_passed',
                                   'qt_exceeds', 'nr_snapshots')},
                  max_nr_snapshots=RW),
    'tried_regions': {'total_bytes': RO},
}
CONTEXT = {
    'avail_operations': RO, 'operations': RW, 'addr_unit': RW, 'pause': RW,
    'monitoring_attrs': {
        'intervals': {'sample_us': RW, 'aggr_us': RW, 'update_us': RW,
                      'intervals_goal': {k: RW for k in (
                          'access_bp', 'aggrs', 'min_sample_us',
                          'max_sample_us')}},
        'nr_regions': {'min': RW, 'max': RW},
        'probes': {'nr_probes': RW,
                   '0': {'weight': RW,
                         'filters': {'nr_filters': RW,
                                     '0': {k: RW for k in (
                                         'type', 'matching', 'allow',
                                         'path')}}}},
        'sample': {
            'primitives': {'page_table': RW, 'page_fault': RW},
            'filters': {'nr_filters': RW,
                        '0': {k: RW for k in ('type', 'matching', 'allow',
                                              'cpumask', 'tid_arr')}},
            'stats': {k: RO for k in ('pushed', 'dropped_full',
                                      'dropped_nested', 'stale', 'filtered',
                                      'unmatched', 'matched')}}},
    'targets': {'nr_targets': RW,
                '0': {'pid_target': RW, 'obsolete_target': RW,
                      'regions': {'nr_regions': RW,
                                  '0': {'start': RW, 'end': RW}}}},
    'schemes': {'nr_schemes': RW, '0': SCHEME},
}
TREE = {'nr_kdamonds': RW,
        '0': {'state': RW, 'pid': RO, 'refresh_ms': RW,
              'contexts': {'nr_contexts': RW, '0': CONTEXT}}}

DEFAULTS = {
    'nr_kdamonds': '1', '0/state': 'off', '0/pid': '-1', '0/refresh_ms': '0',
    'C/operations': 'vaddr', 'C/addr_unit': '1', 'C/pause': 'N',
    'C/monitoring_attrs/intervals/sample_us': '5000',
    'C/monitoring_attrs/intervals/aggr_us': '100000',
    'C/monitoring_attrs/intervals/update_us': '1000000',
    'C/monitoring_attrs/intervals/intervals_goal/aggrs': '0',
    'C/monitoring_attrs/nr_regions/min': '10',
    'C/monitoring_attrs/nr_regions/max': '1000',
    'C/monitoring_attrs/probes/0/weight': '0',
    'C/monitoring_attrs/probes/0/filters/0/type': 'anon',
    'C/monitoring_attrs/probes/0/filters/0/matching': 'Y',
    'C/monitoring_attrs/probes/0/filters/0/allow': 'Y',
    'C/monitoring_attrs/probes/0/filters/0/path': '',
    'C/monitoring_attrs/sample/primitives/page_table': 'Y',
    'C/monitoring_attrs/sample/primitives/page_fault': 'N',
    'C/monitoring_attrs/sample/filters/0/type': 'cpumask',
    'C/monitoring_attrs/sample/filters/0/cpumask': '',
    'C/monitoring_attrs/sample/filters/0/tid_arr': '',
    'C/monitoring_attrs/sample/stats/pushed': '0',
    'C/targets/0/obsolete_target': 'N',
    'C/targets/0/regions/0/start': '0',
    'S/action': 'stat', 'S/target_nid': '-1', 'S/apply_interval_us': '0',
    'S/quotas/goal_tuner': 'consist', 'S/quotas/reset_interval_ms': '0',
    'S/quotas/goals/0/target_metric': 'user_input',
    'S/quotas/goals/0/path': '',
    'S/watermarks/metric': 'none', 'S/ops_filters/0/allow': 'N',
    'S/ops_filters/0/matching': 'N', 'S/dests/0/weight': '0',
    'S/stats/max_nr_snapshots': '0', 'S/tried_regions/total_bytes': '0',
}


# With CONFIG_DAMON_PERF_EVENTS only.
PERF_EVENTS = {'nr_perf_events': RW,
               '0': {k: RW for k in (
                   'type', 'config', 'config1', 'config2',
                   'sample_phys_addr', 'sample_weight_struct', 'freq',
                   'sample_freq', 'sample_period', 'wakeup_events',
                   'precise_ip', 'exclude_kernel', 'exclude_hv')}}
PERF_DEFAULTS = {
    'C/monitoring_attrs/sample/primitives/perf_events': 'N',
    'C/monitoring_attrs/sample/perf_events/0/type': '0x0',
    'C/monitoring_attrs/sample/perf_events/0/config2': '0x0',
    'C/monitoring_attrs/sample/perf_events/0/sample_phys_addr': '0',
    'C/monitoring_attrs/sample/perf_events/0/freq': '1',
    'C/monitoring_attrs/sample/perf_events/0/sample_freq': '0',
    'C/monitoring_attrs/sample/perf_events/0/wakeup_events': '1',
    'C/monitoring_attrs/sample/perf_events/0/precise_ip': '2',
    'C/monitoring_attrs/sample/perf_events/0/exclude_kernel': '1',
    'C/monitoring_attrs/sample/perf_events/0/exclude_hv': '1',
}


def has_perf_events():
    return os.path.isdir(os.path.join(dh.KDAMONDS, '0/contexts/0/'
                                      'monitoring_attrs/sample/perf_events'))


def add_perf_events():
    sample = CONTEXT['monitoring_attrs']['sample']
    sample['primitives']['perf_events'] = RW
    sample['perf_events'] = PERF_EVENTS
    DEFAULTS.update(PERF_DEFAULTS)


def flatten(tree, prefix=''):
    out = {}
    for k, v in tree.items():
        p = prefix + k
        if isinstance(v, dict):
            out.update(flatten(v, p + '/'))
        else:
            out[p] = v
    return out


def fail(msg):
    print('FAIL:', msg)
    dh.stop()
    sys.exit(1)


def stage_full_tree():
    one = {'nr_kdamonds': 1}
    dh.write_tree(dh.KDAMONDS, one)
    base = dh.kd_path(0, 'contexts')
    for nr_path in ('nr_contexts', '0/targets/nr_targets',
                    '0/targets/0/regions/nr_regions', '0/schemes/nr_schemes',
                    '0/schemes/0/quotas/goals/nr_goals',
                    '0/schemes/0/filters/nr_filters',
                    '0/schemes/0/core_filters/nr_filters',
                    '0/schemes/0/ops_filters/nr_filters',
                    '0/schemes/0/dests/nr_dests',
                    '0/monitoring_attrs/sample/filters/nr_filters',
                    '0/monitoring_attrs/probes/nr_probes',
                    '0/monitoring_attrs/probes/0/filters/nr_filters'):
        dh.write(os.path.join(base, nr_path), 1)


def check_tree():
    expected = flatten(TREE)
    actual = {}
    for root, dirs, names in os.walk(dh.KDAMONDS):
        for n in names:
            p = os.path.join(root, n)
            actual[os.path.relpath(p, dh.KDAMONDS)] = \
                os.stat(p).st_mode & 0o777
    for p in sorted(set(expected) | set(actual)):
        if p not in actual:
            fail('missing %s' % p)
        if p not in expected:
            fail('unexpected %s' % p)
        if actual[p] != expected[p]:
            fail('%s mode %o, expected %o' % (p, actual[p], expected[p]))
    c = '0/contexts/0/'
    for d in ('operations_attrs',):
        if os.path.exists(os.path.join(dh.KDAMONDS, c + d)):
            fail('%s must not exist' % d)
    for p, want in DEFAULTS.items():
        p = p.replace('C/', c).replace('S/', c + 'schemes/0/')
        got = dh.read(os.path.join(dh.KDAMONDS, p))
        if got != want:
            fail('default of %s is %r, expected %r' % (p, got, want))
    avail = dh.read(os.path.join(dh.KDAMONDS, c + 'avail_operations'))
    if not set(avail.split()) <= {'vaddr', 'fvaddr', 'paddr'}:
        fail('avail_operations: %r' % avail)
    return expected


def check_round_trip(expected):
    before = dh.read_tree()
    for p, mode in sorted(expected.items()):
        path = os.path.join(dh.KDAMONDS, p)
        if mode != RW or p.endswith('/state'):
            continue
        shown = dh.read(path, strip=False)
        for val in (shown.strip(), shown):
            err = dh.try_write(path, val)
            if err:
                fail('writing back %r to %s: errno %d' % (val, p, err))
    if dh.read_tree() != before:
        fail('tree changed by writing back its own values')


def feature_probe():
    """The write sequence of damo's sysfs feature probe (abi.md 2.1)."""
    dh.write(os.path.join(dh.KDAMONDS, 'nr_kdamonds'), 1)
    dh.write(dh.kd_path(0, 'refresh_ms'), 0)
    c = dh.kd_path(0, 'contexts', '0')
    s = os.path.join(c, 'schemes', '0')

    def w(rel, val, base=c):
        dh.write(os.path.join(base, rel), val)

    def stage():
        dh.write(dh.kd_path(0, 'contexts', 'nr_contexts'), 1)
        w('operations', 'paddr')
        for f, v in (('sample_us', 5000), ('aggr_us', 100000),
                     ('update_us', 1000000)):
            w('monitoring_attrs/intervals/' + f, v)
        for f in ('access_bp', 'aggrs', 'min_sample_us', 'max_sample_us'):
            w('monitoring_attrs/intervals/intervals_goal/' + f, 0)
        w('monitoring_attrs/nr_regions/min', 10)
        w('monitoring_attrs/nr_regions/max', 1000)
        w('pause', 'N')
        w('addr_unit', 1)
        if int(dh.read(os.path.join(c, 'targets/nr_targets'))) != 1:
            w('targets/nr_targets', 1)
        w('targets/0/obsolete_target', 0)
        if int(dh.read(os.path.join(c, 'schemes/nr_schemes'))) != 1:
            w('schemes/nr_schemes', 1)
        for f, v in (('sz/min', 0), ('sz/max', 18446744073709551615),
                     ('nr_accesses/min', 0),
                     ('nr_accesses/max', 3689348814741910528),
                     ('age/min', 0), ('age/max', 184467440737095)):
            w('access_pattern/' + f, v, s)
        w('action', 'stat', s)
        for f, v in (('ms', 0), ('bytes', 0),
                     ('reset_interval_ms', 18446744073709551615),
                     ('weights/sz_permil', 0),
                     ('weights/nr_accesses_permil', 0),
                     ('weights/age_permil', 0), ('fail_charge_num', 0),
                     ('fail_charge_denom', 0)):
            w('quotas/' + f, v, s)
        dh.read(os.path.join(s, 'quotas/goals/nr_goals'))
        w('quotas/goal_tuner', 'consist', s)
        for f, v in (('metric', 'none'), ('interval_us', 0), ('high', 0),
                     ('mid', 0), ('low', 0)):
            w('watermarks/' + f, v, s)
        dh.read(os.path.join(s, 'core_filters/nr_filters'))
        dh.read(os.path.join(s, 'ops_filters/nr_filters'))
        w('apply_interval_us', 0, s)
        w('stats/max_nr_snapshots', 0, s)

    stage()
    stage()
    w('ops_filters/nr_filters', 1, s)
    w('ops_filters/0/type', 'young', s)
    w('ops_filters/0/matching', 'Y', s)
    stage()
    w('quotas/goals/nr_goals', 1, s)
    w('quotas/goals/0/target_metric', 'user_input', s)
    w('quotas/goals/0/target_value', 0, s)
    w('quotas/goals/0/current_value', 0, s)
    features = ['tried_regions', 'tried_regions/total_bytes', 'filters',
                'apply_interval_us', 'quotas/goals', 'quotas/effective_bytes',
                'target_nid', 'stats/sz_ops_filter_passed',
                'ops_filters/0/allow', 'ops_filters/0/min', 'core_filters',
                'quotas/goals/0/nid', 'quotas/goals/0/path', 'dests',
                'stats/nr_snapshots', 'stats/max_nr_snapshots',
                'quotas/goal_tuner', 'quotas/fail_charge_denom']
    for f in features:
        if not os.path.exists(os.path.join(s, f)):
            fail('feature file %s missing' % f)
    for f in ('avail_operations', 'addr_unit', 'pause',
              'monitoring_attrs/intervals/intervals_goal',
              'targets/0/obsolete_target', '../../refresh_ms'):
        if not os.path.exists(os.path.join(c, f)):
            fail('feature file %s missing' % f)
    dh.read(os.path.join(c, 'avail_operations'))
    dh.write(os.path.join(dh.KDAMONDS, 'nr_kdamonds'), 0)


def main():
    dh.require()
    dh.stop()
    stage_full_tree()
    if has_perf_events():
        add_perf_events()
        dh.write(os.path.join(dh.KDAMONDS, '0/contexts/0/monitoring_attrs/'
                              'sample/perf_events/nr_perf_events'), 1)
    expected = check_tree()
    check_round_trip(expected)
    # files held open while their directories go away fail cleanly
    held = {p: os.open(os.path.join(dh.KDAMONDS, p),
                       os.O_RDWR if m == RW else os.O_RDONLY)
            for p, m in sorted(expected.items()) if p.startswith('0/')}
    dh.write(os.path.join(dh.KDAMONDS, 'nr_kdamonds'), 0)
    for p, fd in held.items():
        for op in (lambda: os.pread(fd, 4096, 0),
                   lambda: os.pwrite(fd, b'1', 0)):
            try:
                op()
                fail('i/o on removed %s succeeded' % p)
            except OSError:
                pass
        os.close(fd)
    if os.listdir(dh.KDAMONDS) != ['nr_kdamonds']:
        fail('nr_kdamonds=0 left %s' % os.listdir(dh.KDAMONDS))
    try:
        feature_probe()
    except OSError as e:
        fail('feature probe: %s' % e)
    print('PASS: %d files checked, feature probe replayed' % len(expected))


if __name__ == '__main__':
    main()
