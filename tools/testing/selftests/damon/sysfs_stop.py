#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""'off' returns only once the kdamond thread is gone; a kdamond that ended
by itself (its target exited) can be turned on again from the same tree."""

import os
import subprocess
import sys
import time

import _damon_helpers as dh


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
    dh.stop()
    sys.exit(1)


def main():
    dh.require()
    dh.stop()
    if kdamond_threads():
        print('SKIP: other kdamonds are running')
        sys.exit(dh.KSFT_SKIP)
    sleeper = subprocess.Popen(['sleep', '600'])
    dh.stage([dh.kdamond(dh.context('vaddr', [dh.target(sleeper.pid)]))])
    for i in range(5):
        dh.cmd(0, 'on')
        kpid = dh.kdamond_pid()
        if dh.state() != 'on' or kpid not in kdamond_threads():
            fail('round %d: kdamond not running after on' % i)
        dh.cmd(0, 'off')
        if kdamond_threads():
            fail('round %d: kdamond still exists after off' % i)
        if dh.state() != 'off' or dh.kdamond_pid() != -1:
            fail('round %d: state/pid after off' % i)
    if dh.try_write(dh.kd_path(0, 'state'), 'off') == 0:
        fail('off of a stopped kdamond succeeded')

    # self-termination when the only target exits, then a new 'on'
    dh.cmd(0, 'on')
    sleeper.kill()
    sleeper.wait()
    deadline = time.time() + 20
    while dh.state() == 'on' and time.time() < deadline:
        time.sleep(0.2)
    if dh.state() != 'off' or dh.kdamond_pid() != -1:
        fail('kdamond did not stop after its target exited')
    sleeper = subprocess.Popen(['sleep', '600'])
    dh.write(dh.kd_path(0, 'contexts/0/targets/0/pid_target'), sleeper.pid)
    dh.cmd(0, 'on')
    if dh.state() != 'on':
        fail('on after self-termination')
    dh.cmd(0, 'off')
    sleeper.kill()

    # paddr without regions monitors the biggest System RAM block
    avail = dh.read(dh.kd_path(0, 'contexts/0/avail_operations')).split()
    if 'paddr' in avail:
        dh.stage([dh.kdamond(dh.context('paddr', [dh.target()],
                                        [dh.scheme('stat')]))])
        dh.cmd(0, 'on')
        dh.cmd(0, 'update_schemes_tried_bytes')
        total = int(dh.read(dh.scheme_path(0, 0, 'tried_regions',
                                           'total_bytes')))
        if total < 64 << 20:
            fail('paddr default region too small: %d' % total)
        dh.cmd(0, 'off')
        if kdamond_threads():
            fail('paddr kdamond still exists after off')
    dh.stop()
    print('PASS')


if __name__ == '__main__':
    main()
