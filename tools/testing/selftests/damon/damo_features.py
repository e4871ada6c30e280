#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""damo's feature probe finds every feature this kernel had, and restores.

Runs "damo features supported" with no feature cache (the probe of the
sysfs tree, tracefs events and module parameters every damo command does
first, abi.md section 2.1 and 3) while a stopped kdamond is staged, and
checks that
- every feature in EXPECTED (what this kernel supported when the list was
  last updated) is still found: the list may only grow, add new ones here;
- at least MIN_FEATURES are found;
- the probe put back the tree it found: every file reads as before.
"""

import sys

import _damo
import _damon_helpers as dh

# Sorted like "damo features supported" prints them.  Not supported (damo
# 3.3.0 knows 86 features): the debugfs interface and its 12 features
# (interface/damon_debugfs, debugfs/*: deprecated upstream, not built), and
# sysfs/ops_attrs (operations_attrs/ of DAMON's development tree: abi.md
# section 1 says to expose it whole or not at all, and it is not
# implemented; the same access reports are configured under
# monitoring_attrs/sample/, which damo finds as sysfs/damon_sample_control).
EXPECTED = '''
interface/damon_lru_sort
interface/damon_reclaim
interface/damon_stat
interface/damon_sysfs
lru_sort/active_mem_bp
lru_sort/addr_unit
lru_sort/autotune_monitoring_intervals
lru_sort/young_page_filter
reclaim/addr_unit
reclaim/commit_inputs
reclaim/quota_mem_pressure_us
reclaim/quota_user_feedback
reclaim/skip_anon
reclaim/stats
stat/aggr_interval
stat/negative_idle_time
sysfs/addr_unit
sysfs/allow_filter
sysfs/attrs_monitoring
sysfs/avail_ops
sysfs/ctx_pause
sysfs/damon_sample_control
sysfs/damos_action_collapse
sysfs/damos_max_nr_snapshots
sysfs/damos_quota_fail_charge_ratio
sysfs/damos_quota_goal_in_active_mem_bp
sysfs/damos_quota_goal_node_eligible_mem_bp
sysfs/damos_quota_goal_tuner
sysfs/damos_stat_nr_snapshots
sysfs/fvaddr
sysfs/init_regions
sysfs/intervals_goal
sysfs/obsolete_target
sysfs/online_params_commit
sysfs/paddr
sysfs/refresh_ms
sysfs/schemes
sysfs/schemes_apply_interval
sysfs/schemes_dests
sysfs/schemes_filters
sysfs/schemes_filters_active
sysfs/schemes_filters_addr
sysfs/schemes_filters_anon
sysfs/schemes_filters_core_ops_dirs
sysfs/schemes_filters_hugepage_size
sysfs/schemes_filters_memcg
sysfs/schemes_filters_target
sysfs/schemes_filters_unmapped
sysfs/schemes_filters_young
sysfs/schemes_migrate
sysfs/schemes_prioritization
sysfs/schemes_quota_effective_bytes
sysfs/schemes_quota_goal_metric
sysfs/schemes_quota_goal_node_mem_used_free
sysfs/schemes_quota_goal_node_memcg_used_free
sysfs/schemes_quota_goal_some_psi
sysfs/schemes_quota_goals
sysfs/schemes_size_quota
sysfs/schemes_stat_qt_exceed
sysfs/schemes_stat_succ
sysfs/schemes_time_quota
sysfs/schemes_tried_regions
sysfs/schemes_tried_regions_sz
sysfs/schemes_wmarks
sysfs/sz_ops_filter_passed
sysfs/vaddr
trace/damon_aggregated
trace/damon_monitor_intervals_tune
trace/damon_region_aggregated
trace/damos_before_apply
trace/damos_esz
trace/damos_stat_after_apply_interval
'''.split()
MIN_FEATURES = 72


def test(damo):
    ram = dh.biggest_system_ram()
    dh.stage([dh.kdamond(dh.context('paddr', [dh.target(None, [ram])], [
        dh.scheme('stat', sz=(4096, 1 << 30), age=(3, 100))],
        sample_us=4000, aggr_us=80000, nr_regions=(20, 300)))])
    before = dh.read_tree()
    # damo's HOME is new, so there is no feature cache: a full probe
    _, out = damo.run('features', 'supported')
    supported = out.split()
    _, out = damo.run('features', 'unsupported', quiet=True)
    unsupported = out.split()
    after = dh.read_tree()

    print('# %d features supported, %d not' % (len(supported),
                                              len(unsupported)))
    print('# unsupported: %s' % ' '.join(unsupported))
    new = sorted(set(supported) - set(EXPECTED))
    if new:
        print('# supported but not in EXPECTED yet: %s' % ' '.join(new))
    lost = sorted(set(EXPECTED) - set(supported))
    changed = sorted(p for p in set(before) | set(after)
                     if before.get(p) != after.get(p))
    for p in changed[:20]:
        print('# %s: %r before the probe, %r after' % (p, before.get(p),
                                                      after.get(p)))
    if lost:
        dh.fail('features no longer found: %s' % ' '.join(lost))
    if len(supported) < MIN_FEATURES:
        dh.fail('only %d features, expected at least %d' %
                (len(supported), MIN_FEATURES))
    if changed:
        dh.fail('the probe did not restore %d files' % len(changed))


if __name__ == '__main__':
    _damo.main_wrapper(test, _damo.Damo().require())
    sys.exit(dh.KSFT_PASS)
