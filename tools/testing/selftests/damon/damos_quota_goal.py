#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A user_input quota goal moves the effective quota.

With the consist tuner, a current value below the target must make the
effective quota grow over the next reset intervals (counted as
applications of the scheme, whose apply interval is longer); after the
current value is set above the target and committed with
commit_schemes_quota_goals, it must shrink.  With the temporal tuner, a
met goal must give an effective quota of zero.
"""

import sys

import _damon_sysfs as ds
import _damon_util as du
import _damos_util as dsu

RESET_MS = 100


def goal_path(*names):
    return ds.scheme_path(0, 0, 'quotas', 'goals', '0', *names)


def main():
    ds.require_sysfs()
    du.require_root_and_damon('vaddr')
    wl = du.Workload(['-s', 16, '-t', du.UNTIL_KILLED])
    goal = {'target_metric': 'user_input', 'target_value': 10000,
            'current_value': 1000}
    try:
        ds.stop_all()
        ds.stage([ds.kdamond(ds.context('vaddr', [ds.target(wl.pid)], [
            ds.scheme('stat', quotas=dsu.quotas(
                reset_interval_ms=RESET_MS, goals=[goal]))]))])
        ds.cmd(0, 'on')
        dsu.wait_passes(2, 20)
        first = dsu.effective_bytes()
        dsu.wait_passes(5, 30)
        grown = dsu.effective_bytes()
        print('current < target: effective_bytes %d -> %d' % (first, grown))
        if grown <= first:
            du.fail('effective quota did not grow')

        ds.write(goal_path('current_value'), 12000)
        ds.cmd(0, 'commit_schemes_quota_goals')
        dsu.wait_passes(2, 20)
        before = dsu.effective_bytes()
        dsu.wait_passes(3, 30)
        shrunk = dsu.effective_bytes()
        print('current > target: effective_bytes %d -> %d' %
              (before, shrunk))
        if shrunk >= before:
            du.fail('effective quota did not shrink')

        ds.write(ds.scheme_path(0, 0, 'quotas', 'goal_tuner'), 'temporal')
        ds.cmd(0, 'commit')
        dsu.wait_passes(2, 20)
        met = dsu.effective_bytes()
        print('temporal, goal met: effective_bytes %d' % met)
        if met != 0:
            du.fail('temporal tuner did not stop the scheme')
        ds.stop_all()
    finally:
        wl.kill()
    sys.exit(du.KSFT_PASS)


if __name__ == '__main__':
    main()
