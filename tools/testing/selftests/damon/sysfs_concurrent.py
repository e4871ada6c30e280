#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Whole-tree reads, state commands and nr_* writes racing each other on a
running kdamond neither hang nor break it."""

import errno
import os
import sys
import threading
import time

import _damon_helpers as dh

SECONDS = 8
OK_ERRNOS = (errno.ENOENT, errno.ENODEV, errno.EBUSY)
errors = []


def loop(fn):
    def run():
        end = time.time() + SECONDS
        while time.time() < end and not errors:
            try:
                fn()
            except OSError as e:
                if e.errno not in OK_ERRNOS:
                    errors.append('%s: %s' % (fn.__name__, e))
    return threading.Thread(target=run)


def reader():
    for root, _, names in os.walk(dh.KDAMONDS):
        for n in names:
            dh.read(os.path.join(root, n))


def commander():
    for c in ('update_schemes_stats', 'update_schemes_tried_regions',
              'update_schemes_effective_quotas', 'update_tuned_intervals',
              'commit', 'clear_schemes_tried_regions',
              'update_schemes_tried_bytes', 'commit_schemes_quota_goals'):
        dh.cmd(0, c)


def restager():
    for nr in (2, 1):
        dh.write(dh.kd_path(0, 'contexts/0/schemes/nr_schemes'), nr)
        dh.write(dh.scheme_path(0, nr - 1, 'apply_interval_us'), 5000)


def main():
    dh.require()
    dh.stop()
    dh.stage([dh.kdamond(dh.context('vaddr', [dh.target(os.getpid())],
                                    [dh.scheme('stat',
                                               apply_interval_us=5000)]),
                         refresh_ms=50)])
    dh.cmd(0, 'on')
    threads = [loop(reader), loop(reader), loop(commander), loop(restager)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(SECONDS + 60)
        if t.is_alive():
            errors.append('a thread hangs')
            break
    if not errors and dh.state() != 'on':
        errors.append('kdamond stopped')
    if not errors:
        dh.cmd(0, 'off')
    if errors:
        print('FAIL:', errors[0])
        sys.exit(1)
    dh.stop()
    print('PASS')


if __name__ == '__main__':
    main()
