#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A vaddr target exiting while monitored.

Two processes are monitored; the first exits early.  The kdamond must keep
reporting the second one, and stop by itself once the second exits too,
without any kernel warning.
"""

import subprocess
import sys
import time

import _damon_helpers as dh


def kernel_log():
    return subprocess.run(['dmesg'], capture_output=True,
                          text=True).stdout.splitlines()


def main():
    dh.require('vaddr')
    log_before = len(kernel_log())
    short = dh.Workload(['-s', 16, '-t', 2])
    long = dh.Workload(['-s', 16, '-t', 6])
    trace = dh.AggregatedTrace()
    dh.start('vaddr', [(short.pid, []), (long.pid, [])])
    short.finish()
    time.sleep(1)
    trace.start()
    time.sleep(1.5)
    trace.stop()
    if dh.state() != 'on':
        dh.fail('kdamond stopped while a target was alive')
    snaps = trace.snapshots()
    if len(snaps.get(1, [])) < 3:
        dh.fail('live target not reported after the other exited: %s' %
                {k: len(v) for k, v in snaps.items()})
    long.finish()
    if not dh.wait_off(5):
        dh.stop()
        dh.fail('kdamond did not stop after all targets exited')
    splat = [l for l in kernel_log()[log_before:]
             if any(w in l for w in ('WARNING', 'BUG', 'Oops',
                                     'Call Trace'))]
    if splat:
        dh.fail('kernel splat: %s' % splat[:5])
    # the same directory must be able to start again
    again = dh.Workload(['-s', 16, '-t', 2])
    dh.start('vaddr', [(again.pid, [])])
    again.finish()
    if not dh.wait_off(5):
        dh.stop()
        dh.fail('restarted kdamond did not stop by itself')
    print('ok: kdamond served the live target and stopped by itself')
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
