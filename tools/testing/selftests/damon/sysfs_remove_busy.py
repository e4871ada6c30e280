#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Removing a kdamond directory while a command is being written to its
"state" file: no hang, no lockdep report.

kernfs tells lockdep about a removal only when a file of the removed
directory is in use (a show or store running on it).  Here two threads
write "off" to kdamonds/1/state over and over, so that one of them is
often waiting for the sysfs lock that the nr_kdamonds store holds while
it removes kdamonds/1.  Before that, kdamond 0 refreshed its tried
regions, the command that drops the sysfs lock while it waits for the
kdamond and takes it back with its own "state" file in use.  The two
orders of the same pair of locks (the sysfs lock, and the in-use count of
the "state" files, one lockdep class for all of them) once made lockdep
report a "possible circular locking dependency" in a 100k-operation run
of sysfs_fuzz.py; on a lockdep kernel this reproduces it in seconds.  On
other kernels it checks that nothing hangs and no command fails with an
unexpected errno.
"""

import errno
import os
import subprocess
import sys
import threading
import time

import _damon_helpers as dh

SECONDS = 8
OK_ERRNOS = (errno.ENOENT, errno.ENODEV, errno.EBUSY, errno.EINVAL)
errors = []


def writer(stop_at):
    path = dh.kd_path(1, 'state')
    while time.time() < stop_at and not errors:
        err = dh.try_write(path, 'off')
        if err and err not in OK_ERRNOS:
            errors.append('"off" to kdamond 1: %s' % os.strerror(err))


def dmesg():
    return subprocess.run(['dmesg'], capture_output=True, text=True,
                          errors='replace').stdout


def main():
    dh.require()
    dh.stop()
    log_start = len(dmesg())
    nr = os.path.join(dh.KDAMONDS, 'nr_kdamonds')

    # The tried-regions refresh: the lock taken back under "state".
    dh.stage([dh.kdamond(dh.context('vaddr', [dh.target(os.getpid())],
                                    [dh.scheme('stat')]))])
    dh.cmd(0, 'on')
    for _ in range(3):
        dh.cmd(0, 'update_schemes_tried_regions')
    dh.cmd(0, 'off')
    dh.wait_off(10)

    # The removal of a "state" file in use, under the lock.
    stop_at = time.time() + SECONDS
    threads = [threading.Thread(target=writer, args=(stop_at,))
               for _ in range(2)]
    for t in threads:
        t.start()
    removals = 0
    while time.time() < stop_at and not errors:
        for val in (2, 1):
            err = dh.try_write(nr, val)
            if err and err != errno.EBUSY:
                errors.append('nr_kdamonds %d: %s' % (val, os.strerror(err)))
            elif not err and val == 1:
                removals += 1
    for t in threads:
        t.join(SECONDS + 60)
        if t.is_alive():
            errors.append('a writer hangs')
            break
    print('# %d removals of kdamond 1' % removals)
    if not errors and not removals:
        errors.append('kdamond 1 was never removed')
    report = [line for line in dmesg()[log_start:].splitlines()
              if 'circular locking' in line or 'WARNING' in line]
    if report:
        errors.append('kernel report: %s' % report[0])
    dh.stop()
    if errors:
        print('FAIL:', errors[0])
        sys.exit(dh.KSFT_FAIL)
    print('PASS')


if __name__ == '__main__':
    main()
