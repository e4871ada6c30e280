#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""'off' returns only once the kdamond thread is gone; a kdamond that ended
by itself (its target exited) can be turned on again from the same tree."""

import os
import subprocess
import sys
import time

import _damon_sysfs as ds


def kdamond_threads():
    pids = []
    for p in os.listdir('/proc'):
        if not p.isdigit():
            continue
        try:
            with open('/proc/%s/comm' % p) as f:
                if f.read().startswith('kdamond.'):
                    pids.append(int(p))
        except OSError:
            pass
    return pids


def fail(msg):
    print('FAIL:', msg)
    ds.stop_all()
    sys.exit(1)


def main():
    ds.require_sysfs()
    ds.stop_all()
    if kdamond_threads():
        print('SKIP: other kdamonds are running')
        sys.exit(ds.KSFT_SKIP)
    sleeper = subprocess.Popen(['sleep', '600'])
    ds.stage([ds.kdamond(ds.context('vaddr', [ds.target(sleeper.pid)]))])
    for i in range(5):
        ds.cmd(0, 'on')
        kpid = ds.kdamond_pid()
        if ds.state() != 'on' or kpid not in kdamond_threads():
            fail('round %d: kdamond not running after on' % i)
        ds.cmd(0, 'off')
        if kdamond_threads():
            fail('round %d: kdamond still exists after off' % i)
        if ds.state() != 'off' or ds.kdamond_pid() != -1:
            fail('round %d: state/pid after off' % i)
    if ds.try_write(ds.kd_path(0, 'state'), 'off') == 0:
        fail('off of a stopped kdamond succeeded')

    # self-termination when the only target exits, then a new 'on'
    ds.cmd(0, 'on')
    sleeper.kill()
    sleeper.wait()
    deadline = time.time() + 20
    while ds.state() == 'on' and time.time() < deadline:
        time.sleep(0.2)
    if ds.state() != 'off' or ds.kdamond_pid() != -1:
        fail('kdamond did not stop after its target exited')
    sleeper = subprocess.Popen(['sleep', '600'])
    ds.write(ds.kd_path(0, 'contexts/0/targets/0/pid_target'), sleeper.pid)
    ds.cmd(0, 'on')
    if ds.state() != 'on':
        fail('on after self-termination')
    ds.cmd(0, 'off')
    sleeper.kill()

    # paddr without regions monitors the biggest System RAM block
    avail = ds.read(ds.kd_path(0, 'contexts/0/avail_operations')).split()
    if 'paddr' in avail:
        ds.stage([ds.kdamond(ds.context('paddr', [ds.target()],
                                        [ds.scheme('stat')]))])
        ds.cmd(0, 'on')
        ds.cmd(0, 'update_schemes_tried_bytes')
        total = int(ds.read(ds.scheme_path(0, 0, 'tried_regions',
                                           'total_bytes')))
        if total < 64 << 20:
            fail('paddr default region too small: %d' % total)
        ds.cmd(0, 'off')
        if kdamond_threads():
            fail('paddr kdamond still exists after off')
    ds.stop_all()
    print('PASS')


if __name__ == '__main__':
    main()
