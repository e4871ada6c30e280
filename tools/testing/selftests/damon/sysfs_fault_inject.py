#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Allocation failures injected into DAMON sysfs writes give a clean errno
and leave DAMON as it was; failures injected into the kdamond's own
allocations while it applies a scheme leave it running.

Each write below is repeated with /proc/thread-self/fail-nth set to 1, 2,
3, ... so that the first, second, third... slab or page allocation made by
the writing task fails (failslab, and fail_page_alloc when the kernel has
it: order 0 and sleeping allocations included), until the write no longer
reaches the Nth allocation: every allocation point of the write has then
failed once.  After each failed write the test checks that the tree and the
kdamond are in the state they were in before it, and that the same write
succeeds without injection.

Then a kdamond applies a scheme that allocates (migrate_cold to node 1 on
a two-node machine, pageout otherwise) to a 32 MiB process while a fifth
of its slab and page allocations fail, for a few seconds: it must keep
running, keep applying the scheme and take state commands, and apply it
again once the failures stop."""

import errno
import os
import subprocess
import sys
import time

import _damon_helpers as dh

DEBUGFS = '/sys/kernel/debug'
FAILSLAB = os.path.join(DEBUGFS, 'failslab')
FAIL_PAGE = os.path.join(DEBUGFS, 'fail_page_alloc')
# fail_page_alloc knobs: count order-0 and sleeping allocations too
PAGE_KNOBS = {'ignore-gfp-wait': 'N', 'ignore-gfp-highmem': 'N',
              'min-order': '0', 'verbose': '0'}
# failslab and fail_page_alloc knobs of the kdamond phase, in the order
# they are set: the task filter first and the probability last, so that no
# other task ever fails (restored in the reverse order)
KDAMOND_KNOBS = {'task-filter': 'Y', 'interval': '1', 'times': '1000000',
                 'space': '0', 'probability': '20'}
KDAMOND_FAIL_S = 4
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


def memory_holder():
    """A process with 32 MiB of anonymous memory written once."""
    code = ('import mmap, sys, time\n'
            'm = mmap.mmap(-1, 32 << 20)\n'
            'for off in range(0, 32 << 20, 4096):\n'
            '    m[off] = 1\n'
            'print("ready", flush=True)\n'
            'time.sleep(600)\n')
    p = subprocess.Popen([sys.executable, '-c', code], stdout=subprocess.PIPE,
                         text=True)
    if p.stdout.readline().strip() != 'ready':
        dh.fail('the memory holder did not start')
    return p


def scheme_stats():
    dh.write(STATE, 'update_schemes_stats')
    stats = os.path.join(SCHEMES, '0', 'stats')
    return {k: int(dh.read(os.path.join(stats, k)))
            for k in ('nr_tried', 'nr_applied', 'sz_applied')}


def kdamond_under_failures(dirs):
    """Fail a fifth of the kdamond's allocations while it applies a scheme
    that allocates; it must keep working."""
    holder = memory_holder()
    try:
        dh.stop()
        dh.start('vaddr', [(holder.pid, [])], sample_us=5000, aggr_us=50000)
        two_nodes = os.path.isdir('/sys/devices/system/node/node1')
        action = 'migrate_cold' if two_nodes else 'pageout'
        dh.write(STATE, 'off')
        dh.write(os.path.join(SCHEMES, 'nr_schemes'), 1)
        extra = {'target_nid': 1} if two_nodes else {}
        dh.write_tree(os.path.join(SCHEMES, '0'), dh.scheme(
            action, apply_interval_us=50000,
            quotas={'bytes': 4 << 20, 'reset_interval_ms': 200}, **extra))
        dh.write(STATE, 'on')
        pid = dh.kdamond_pid()
        # monitoring set up and the scheme applied once, before failures
        deadline = time.time() + 20
        while scheme_stats()['nr_tried'] == 0:
            if time.time() > deadline:
                dh.fail('%s never applied without failures' % action)
            time.sleep(0.2)
        saved = {d: {k: dh.read(os.path.join(d, k)) for k in KDAMOND_KNOBS}
                 for d in dirs}
        try:
            for d in dirs:
                for k, v in KDAMOND_KNOBS.items():
                    dh.write(os.path.join(d, k), v)
            dh.write('/proc/%d/make-it-fail' % pid, 1)
            t0 = time.time()
            before = scheme_stats()
            while time.time() - t0 < KDAMOND_FAIL_S:
                time.sleep(0.5)
                if dh.state() != 'on':
                    dh.fail('the kdamond stopped under allocation failures')
            during = scheme_stats()
        finally:
            try:
                dh.write('/proc/%d/make-it-fail' % pid, 0)
            except OSError:
                pass
            # each injected failure took one off 'times'
            injected = {os.path.basename(d): int(KDAMOND_KNOBS['times']) -
                        int(dh.read(os.path.join(d, 'times'))) for d in dirs}
            for d, knobs in saved.items():
                for k in reversed(list(knobs)):
                    dh.write(os.path.join(d, k), knobs[k])
        if not sum(injected.values()):
            dh.fail('no allocation of the kdamond failed: %s' % injected)
        if during['nr_tried'] <= before['nr_tried']:
            dh.fail('no scheme application under failures: %s -> %s' %
                    (before, during))
        deadline = time.time() + 20
        after = scheme_stats()
        while after['nr_tried'] <= during['nr_tried'] and \
                time.time() < deadline:
            time.sleep(0.5)
            after = scheme_stats()
        if after['nr_tried'] <= during['nr_tried']:
            dh.fail('no scheme application after the failures: %s' % after)
        print('kdamond, %s with %s%% of its allocations failing for %d s '
              '(failures injected: %s): still on; scheme stats %s -> %s -> '
              '%s' % (action, KDAMOND_KNOBS['probability'], KDAMOND_FAIL_S,
                      injected, before, during, after))
    finally:
        dh.stop()
        holder.kill()
        holder.wait()


def main():
    dh.require('vaddr')
    if not os.path.exists(FAIL_NTH):
        dh.skip('no fault injection (CONFIG_FAULT_INJECTION)')
    if not os.path.isdir(FAILSLAB):
        dh.skip('no failslab in debugfs (CONFIG_FAILSLAB, '
                'CONFIG_FAULT_INJECTION_DEBUG_FS)')
    knobs = {os.path.join(FAILSLAB, k): v for k, v in
             {'ignore-gfp-wait': 'N', 'verbose': '0'}.items()}
    dirs = [FAILSLAB]
    if os.path.isdir(FAIL_PAGE):
        knobs.update({os.path.join(FAIL_PAGE, k): v
                      for k, v in PAGE_KNOBS.items()})
        dirs.append(FAIL_PAGE)
    print('injecting into: %s' % ', '.join(os.path.basename(d)
                                            for d in dirs))
    saved = {k: dh.read(k) for k in knobs}
    target = subprocess.Popen(['sleep', '600'])
    nth_fd = os.open(FAIL_NTH, os.O_WRONLY)
    tally = {}
    points = {}
    try:
        for k, v in knobs.items():
            dh.write(k, v)

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
        set_fail_nth(nth_fd, 0)
        kdamond_under_failures(dirs)
    finally:
        set_fail_nth(nth_fd, 0)
        os.close(nth_fd)
        dh.stop()
        for k, v in saved.items():
            dh.write(k, v)
        target.kill()
        target.wait()
    print('PASS')
    return dh.KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
