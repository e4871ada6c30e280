#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""damo's "schemes" scenario: stat scheme statistics, then a size quota.

As damo's own test suite does (abi.md section 7), twice without "damo
stop" in between:

  damo start <pid> --damos_action stat --damos_sz_region 4K max
      --damos_access_rate 0% 0% --damos_age 1s max
      --damos_quotas 0s <limit> 1s 100% 100% 100%

then "damo report damon --damos_stats --damos_stat_fields sz_tried --raw"
every second while the workload runs (16 hot and 48 cold MiB).  After four
good reports the workload is killed and, before it is reaped, reported on
once more.  Every report must give a number from a running kdamond,
including that last one (the pid still names a task, so the vaddr kdamond
still runs, as upstream does), and sz_tried must grow.  Once the workload
is reaped, the kdamond stops by itself.  Counting reports rather than
seconds keeps the test independent of how slow damo is in the guest.  The
first run has no size limit (0); the second limits the tried bytes to half
the speed measured in the first, which must keep the measured speed within
1.1 times the limit.
"""

import sys
import time

import _damo
import _damon_helpers as dh
import _damos_util as dsu

KIB = 1024
# reports while the workload runs, then one after it exited
NR_REPORTS = 4
# damo takes 3 to 13 s per command in an emulated VM
MAX_REPORTS = 30


def zombie(pid):
    return dh.task_state(pid).split()[1:2] == ['Z']


def run(damo, limit):
    wl = dh.Workload(['-s', 64, '-w', 16, '-t', dh.UNTIL_KILLED])
    samples = []
    failures = []
    nr_reports = 0
    try:
        damo.run('start', wl.pid, '--damos_action', 'stat',
                 '--damos_sz_region', '4K', 'max',
                 '--damos_access_rate', '0%', '0%',
                 '--damos_age', '1s', 'max',
                 '--damos_quotas', '0s', limit, '1s', '100%', '100%', '100%')
        while True:
            # exited but not reaped yet: the pid still resolves to a task
            dead = zombie(wl.pid)
            rc, out = damo.run('report', 'damon', '--damos_stats',
                               '--damos_stat_fields', 'sz_tried', '--raw',
                               check=False, quiet=True)
            nr_reports += 1
            now = time.time()
            when = 'after the exit' if dead else 'while running'
            try:
                samples.append((now, int(out.strip())))
            except ValueError:
                failures.append('%s: status %d, %r' % (
                    when, rc, out.strip()[-200:]))
            # else the number is a stale one from a stopped kdamond
            if _damo.state() != 'on':
                failures.append('%s: kdamond %s before its target was '
                                'reaped' % (when, _damo.state()))
            if dead:
                break
            if nr_reports >= MAX_REPORTS:
                dh.fail('no %d good reports in %d' % (NR_REPORTS,
                                                      nr_reports))
            if len(samples) >= NR_REPORTS:
                # SIGKILL without wait(): a zombie until reaped below
                wl.proc.kill()
                if not dsu.wait_for(lambda: zombie(wl.pid), 10):
                    dh.fail('killed workload did not become a zombie')
                continue
            time.sleep(1)
        wl.proc.wait()
        if not dh.wait_off(15):
            dh.fail('kdamond still on 15 s after its target was reaped')
    finally:
        wl.kill()
    for f in failures:
        print('# report failed %s' % f)
    if failures:
        dh.fail('%d failures in %d reports' % (len(failures), nr_reports))
    if len(samples) < 3:
        dh.fail('only %d good reports' % len(samples))
    (t0, s0), (t1, s1) = samples[0], samples[-1]
    speed = (s1 - s0) / (t1 - t0)
    print('# limit %d B/s: %d reports, sz_tried %d -> %d, %.0f KiB/s' %
          (limit, len(samples), s0, s1, speed / KIB))
    if s1 <= 0:
        dh.fail('sz_tried stayed 0')
    return speed


def test(damo):
    speed = run(damo, 0)
    if speed < 400 * KIB:
        dh.skip('tried %d KiB/s, too slow to test a size quota' %
                (speed // KIB))
    limit = int(speed / 2)
    speed = run(damo, limit)
    if speed > limit * 1.1:
        dh.fail('%.0f KiB/s tried with a quota of %.0f KiB/s' %
                (speed / KIB, limit / KIB))


if __name__ == '__main__':
    _damo.main_wrapper(test, _damo.Damo().require())
    sys.exit(dh.KSFT_PASS)
