#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Slab allocation failures injected into DAMON sysfs writes give a clean
errno and leave DAMON as it was.

Each write below is repeated with /proc/thread-self/fail-nth set to 1, 2,
3, ... so that the first, second, third... slab allocation made by the
writing task fails (failslab), until the write no longer reaches the Nth
allocation: every allocation point of the write has then failed once.
After each failed write the test checks that the tree and the kdamond are
in the state they were in before it, and that the same write succeeds
without injection.  Allocations of the kdamond itself are not covered."""

import errno
import os
import subprocess
import sys
import time

import _damon_helpers as dh

DEBUGFS = '/sys/kernel/debug'
FAILSLAB = os.path.join(DEBUGFS, 'failslab')
KDS = os.path.join(dh.ADMIN, 'kdamonds')
STATE = os.path.join(dh.KDAMOND, 'state')
SCHEMES = os.path.join(dh.CTX, 'schemes')
# every write must reach all its allocation points within this many
MAX_POINTS = 2000
# errnos an allocation failure may give
CLEAN = {errno.ENOMEM}


FAIL_NTH = '/proc/thread-self/fail-nth'


def set_fail_nth(fd, n):
    os.write(fd, b'%d' % n)


def snapshot():
    """What a failed write must leave unchanged."""
    snap = {'nr_kdamonds': dh.read(os.path.join(KDS, 'nr_kdamonds'))}
    if os.path.isdir(dh.KDAMOND):
        snap['state'] = dh.state()
        snap['nr_contexts'] = dh.read(os.path.join(dh.KDAMOND, 'contexts',
                                                   'nr_contexts'))
    if os.path.isdir(SCHEMES):
        snap['nr_schemes'] = dh.read(os.path.join(SCHEMES, 'nr_schemes'))
        snap['dirs'] = sorted(os.listdir(SCHEMES))
    return snap


def inject(name, prepare, path, value, nth_fd, tally):
    """Fails each slab allocation of writing @value to @path once; returns
    the number of allocation points found."""
    n = 1
    while n <= MAX_POINTS:
        prepare()
        before = snapshot()
        # opened beforehand: opening allocates too (the file cannot seek,
        # so one descriptor per read)
        fd = os.open(path, os.O_WRONLY)
        left_fd = os.open(FAIL_NTH, os.O_RDONLY)
        err = None
        try:
            set_fail_nth(nth_fd, n)
            try:
                os.write(fd, value.encode())
            except OSError as e:
                err = e.errno
            left = int(os.read(left_fd, 32).strip() or 0)
        finally:
            set_fail_nth(nth_fd, 0)
            os.close(left_fd)
            os.close(fd)
        if err is not None:
            tally[err] = tally.get(err, 0) + 1
            if err not in CLEAN:
                dh.fail('%s: allocation %d failed the write with %s' %
                        (name, n, errno.errorcode.get(err, err)))
            after = snapshot()
            if after != before:
                dh.fail('%s: allocation %d failed the write but changed '
                        '%s into %s' % (name, n, before, after))
        if left:
            # the write made fewer than n allocations: all were failed
            prepare()
            dh.write(path, value)
            return n - 1
        n += 1
    dh.fail('%s: more than %d allocation points' % (name, MAX_POINTS))
    return 0


def main():
    dh.require('vaddr')
    if not os.path.exists(FAIL_NTH):
        dh.skip('no fault injection (CONFIG_FAULT_INJECTION)')
    if not os.path.isdir(FAILSLAB):
        dh.skip('no failslab in debugfs (CONFIG_FAILSLAB, '
                'CONFIG_FAULT_INJECTION_DEBUG_FS)')
    knobs = {'ignore-gfp-wait': 'N', 'verbose': '0'}
    saved = {k: dh.read(os.path.join(FAILSLAB, k)) for k in knobs}
    target = subprocess.Popen(['sleep', '600'])
    nth_fd = os.open(FAIL_NTH, os.O_WRONLY)
    tally = {}
    points = {}
    try:
        for k, v in knobs.items():
            dh.write(os.path.join(FAILSLAB, k), v)

        def no_kdamonds():
            dh.stop()

        def off():
            if dh.state() == 'on':
                dh.write(STATE, 'off')

        def one_context():
            if not os.path.isdir(dh.CTX):
                dh.write(os.path.join(KDS, 'nr_kdamonds'), 1)
                dh.write(os.path.join(dh.KDAMOND, 'contexts', 'nr_contexts'),
                         1)
            off()
            dh.write(os.path.join(SCHEMES, 'nr_schemes'), 0)

        def staged(nr_schemes=2):
            """A vaddr context on the sleeper with schemes that have a
            filter and a quota goal each, kdamond off."""
            one_context()
            dh.write(os.path.join(dh.CTX, 'operations'), 'vaddr')
            tdir = os.path.join(dh.CTX, 'targets')
            if dh.read(os.path.join(tdir, 'nr_targets')) != '1':
                dh.write(os.path.join(tdir, 'nr_targets'), 1)
            dh.write(os.path.join(tdir, '0', 'pid_target'), target.pid)
            dh.write(os.path.join(SCHEMES, 'nr_schemes'), nr_schemes)
            for i in range(nr_schemes):
                s = os.path.join(SCHEMES, str(i))
                dh.write(os.path.join(s, 'action'), 'stat')
                dh.write(os.path.join(s, 'filters', 'nr_filters'), 1)
                dh.write(os.path.join(s, 'filters', '0', 'type'), 'addr')
                dh.write(os.path.join(s, 'filters', '0', 'addr_start'), 0)
                dh.write(os.path.join(s, 'filters', '0', 'addr_end'),
                         1 << 40)
                dh.write(os.path.join(s, 'quotas', 'goals', 'nr_goals'), 1)

        def running():
            staged()
            dh.write(STATE, 'on')

        def running_three_staged():
            running()
            dh.write(os.path.join(SCHEMES, 'nr_schemes'), 3)
            dh.write(os.path.join(SCHEMES, '2', 'action'), 'stat')

        cases = [
            ('nr_kdamonds 0 -> 2', no_kdamonds,
             os.path.join(KDS, 'nr_kdamonds'), '2'),
            ('nr_schemes 0 -> 1', one_context,
             os.path.join(SCHEMES, 'nr_schemes'), '1'),
            ('on', staged, STATE, 'on'),
            ('commit', running_three_staged, STATE, 'commit'),
            ('update_schemes_stats', running, STATE,
             'update_schemes_stats'),
            ('update_schemes_tried_regions', running, STATE,
             'update_schemes_tried_regions'),
        ]
        for name, prepare, path, value in cases:
            t0 = time.time()
            points[name] = inject(name, prepare, path, value, nth_fd, tally)
            print('%s: %d allocation points, each failed once (%.1f s)' %
                  (name, points[name], time.time() - t0))
            if name == 'on' and dh.state() != 'on':
                dh.fail('on without injection did not start the kdamond')
        if not points['on'] or not points['nr_kdamonds 0 -> 2']:
            dh.fail('no allocation point found: injection not working')
        print('errnos: %s' % {errno.errorcode[e]: n for e, n in
                              tally.items()})
    finally:
        set_fail_nth(nth_fd, 0)
        os.close(nth_fd)
        dh.stop()
        for k, v in saved.items():
            dh.write(os.path.join(FAILSLAB, k), v)
        target.kill()
        target.wait()
    print('PASS')
    return dh.KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
