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

import _damon_helpers as dh
import _damos_util as dsu

RESET_MS = 100


def goal_path(*names):
    return dh.scheme_path(0, 0, 'quotas', 'goals', '0', *names)


def main():
    dh.require()
    dh.require('vaddr')
    wl = dh.Workload(['-s', 16, '-t', dh.UNTIL_KILLED])
    goal = {'target_metric': 'user_input', 'target_value': 10000,
            'current_value': 1000}
    try:
        dh.stop()
        dh.stage([dh.kdamond(dh.context('vaddr', [dh.target(wl.pid)], [
            dh.scheme('stat', quotas=dsu.quotas(
                reset_interval_ms=RESET_MS, goals=[goal]))]))])
        dh.cmd(0, 'on')
        dsu.wait_passes(2, 20)
        first = dsu.effective_bytes()
        dsu.wait_passes(5, 30)
        grown = dsu.effective_bytes()
        print('current < target: effective_bytes %d -> %d' % (first, grown))
        if grown <= first:
            dh.fail('effective quota did not grow')

        dh.write(goal_path('current_value'), 12000)
        dh.cmd(0, 'commit_schemes_quota_goals')
        dsu.wait_passes(2, 20)
        before = dsu.effective_bytes()
        dsu.wait_passes(3, 30)
        shrunk = dsu.effective_bytes()
        print('current > target: effective_bytes %d -> %d' %
              (before, shrunk))
        if shrunk >= before:
            dh.fail('effective quota did not shrink')

        dh.write(dh.scheme_path(0, 0, 'quotas', 'goal_tuner'), 'temporal')
        dh.cmd(0, 'commit')
        dsu.wait_passes(2, 20)
        met = dsu.effective_bytes()
        print('temporal, goal met: effective_bytes %d' % met)
        if met != 0:
            dh.fail('temporal tuner did not stop the scheme')
        dh.stop()
    finally:
        wl.kill()
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
