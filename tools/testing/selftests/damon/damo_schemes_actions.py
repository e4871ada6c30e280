#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""damo schemes: tried regions, quota goals and a pageout scheme.

A workload keeps accessing the first 16 of its 96 MiB.  Through damo:
- a stat scheme for regions not accessed for 1 s: "damo report access -i
  tried_regions_of 0 0 0" (abi.md section 2.7 without the monitor scheme)
  must show tried regions covering most of the cold 80 MiB and little of
  the hot 16 MiB;
- a user_input quota goal (damo start --damos_quota_goal user_input 10000
  1000, reset every 100 ms): the effective quota damo reports must grow
  while the current value is below the target, and shrink once the
  current value (written to sysfs, as damo leaves it to the user) is above
  it and "damo tune --quota_goals_only" committed it;
- a pageout scheme for the same cold regions must bring the workload's
  RssAnon down by 50 MiB within 15 s, and damo must report sz_applied > 0.
Needs swap for the last part.
"""

import json
import os
import sys
import time

import _damo
import _damon_helpers as dh
import _damos_util as dsu

MIB = 1 << 20
HOT_MIB = 16
COLD = ['--damos_access_rate', '0%', '0%', '--damos_age', '1s', 'max']


def tried_regions(damo, wl):
    damo.run('start', wl.pid, '--damos_action', 'stat', *COLD)
    time.sleep(3)
    snaps = _damo.report_access(damo, '-i', 'tried_regions_of', 0, 0, 0)
    damo.run('stop')
    if len(snaps) != 1:
        dh.fail('%d snapshots of tried regions' % len(snaps))
    hot_end = wl.start + HOT_MIB * MIB
    _, hot = _damo.accessed_share(snaps[0], wl.start, hot_end)
    _, cold = _damo.accessed_share(snaps[0], hot_end, wl.end)
    print('# tried regions: %d, cover %.0f%% of the hot part, %.0f%% of '
          'the cold' % (len(snaps[0]), hot * 100, cold * 100))
    if cold < 0.75 or hot > 0.25:
        dh.fail('tried regions are not the cold ones')


def effective_bytes(damo):
    """The effective quota of scheme 0, as damo reports it."""
    _, out = damo.run('report', 'damon', '--format', 'json', '--raw',
                      quiet=True)
    kd = json.loads(out)
    return int(kd[0]['contexts'][0]['schemes'][0]['quotas'][
        'effective_sz_bytes'])


def quota_goal(damo, wl):
    damo.run('start', wl.pid, '--damos_action', 'stat',
             '--damos_quotas', '0s', 0, 100,
             '--damos_quota_goal', 'user_input', 10000, 1000)
    time.sleep(1)
    first = effective_bytes(damo)
    time.sleep(2)
    grown = effective_bytes(damo)
    print('# current < target: effective quota %d -> %d' % (first, grown))
    if grown <= first:
        dh.fail('effective quota did not grow')
    dh.write(dh.scheme_path(0, 0, 'quotas', 'goals', '0', 'current_value'),
             12000)
    damo.run('tune', '--quota_goals_only')
    time.sleep(1)
    before = effective_bytes(damo)
    time.sleep(2)
    shrunk = effective_bytes(damo)
    print('# current > target: effective quota %d -> %d' % (before, shrunk))
    if shrunk >= before:
        dh.fail('effective quota did not shrink')
    damo.run('stop')


def pageout(damo, wl):
    before = dsu.rss_anon_kb(wl.pid) * 1024
    damo.run('start', wl.pid, '--damos_action', 'pageout', *COLD)
    dsu.wait_for(lambda: before - dsu.rss_anon_kb(wl.pid) * 1024 >=
                 50 * MIB, 15, interval=0.5)
    after = dsu.rss_anon_kb(wl.pid) * 1024
    _, out = damo.run('report', 'damon', '--damos_stats',
                      '--damos_stat_fields', 'sz_applied', '--raw')
    damo.run('stop')
    print('# pageout: RssAnon %d -> %d MiB, sz_applied %s' %
          (before // MIB, after // MIB, out.strip()))
    if before - after < 50 * MIB:
        dh.fail('cold memory not paged out in 15 s')
    if int(out.strip()) <= 0:
        dh.fail('damo reports sz_applied %s' % out.strip())


def test(damo):
    wl = dh.Workload(['-s', 96, '-w', HOT_MIB, '-t', dh.UNTIL_KILLED])
    try:
        tried_regions(damo, wl)
        quota_goal(damo, wl)
        if dsu.swap_ready() is None:
            dh.skip('no swap for the pageout part')
        pageout(damo, wl)
    finally:
        wl.kill()


if __name__ == '__main__':
    _damo.main_wrapper(test, _damo.Damo().require())
    sys.exit(dh.KSFT_PASS)
