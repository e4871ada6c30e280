#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""update_schemes_tried_regions waits for the next application of every
scheme, which can be far away (apply_interval_us).  Meanwhile the writer can
be killed, and 'off' works at once and ends the wait."""

import errno
import os
import signal
import sys
import threading
import time

import _damon_helpers as dh

APPLY_US = 60 * 1000 * 1000
OFF_LIMIT_S = 2
RETURN_LIMIT_S = 5


def fail(msg):
    print('FAIL:', msg)
    sys.exit(1)


def spawn_writer(cmd):
    """Fork a child that writes cmd to the state file; its exit code is
    the errno of the write."""
    pid = os.fork()
    if pid == 0:
        # One write(2): a buffered file object writes again at close after
        # a failed flush, and the kdamond is off by then (EINVAL).
        fd = os.open(dh.kd_path(0, 'state'), os.O_WRONLY)
        try:
            os.write(fd, cmd.encode())
        except OSError as e:
            os._exit(e.errno)
        os._exit(0)
    return pid


def wait_exit(pid, limit):
    """Exit code of pid if it exits within limit seconds, else None."""
    deadline = time.time() + limit
    while time.time() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.05)
    return None


def main():
    dh.require()
    dh.stop()
    start, _ = dh.biggest_system_ram()
    dh.stage([dh.kdamond(dh.context(
        'paddr', [dh.target(regions=[(start, start + (16 << 20))])],
        [dh.scheme('stat', apply_interval_us=APPLY_US)]))])
    dh.cmd(0, 'on')

    # A killed writer returns at once.
    pid = spawn_writer('update_schemes_tried_regions')
    time.sleep(0.5)
    if wait_exit(pid, 0) is not None:
        fail('the walk ended before any application of the scheme')
    t0 = time.time()
    os.kill(pid, signal.SIGKILL)
    if wait_exit(pid, RETURN_LIMIT_S) is None:
        fail('writer not gone %d s after SIGKILL' % RETURN_LIMIT_S)
    print('# killed writer gone in %.2f s' % (time.time() - t0))

    # 'off' during a walk works, and ends the walk.
    pid = spawn_writer('update_schemes_tried_regions')
    time.sleep(0.5)
    if wait_exit(pid, 0) is not None:
        fail('second walk ended early (withdrawn walk still pending?)')
    t0 = time.time()
    err = dh.try_write(dh.kd_path(0, 'state'), 'off')
    took = time.time() - t0
    if err:
        fail("'off' during a walk: %s" % errno.errorcode[err])
    if took > OFF_LIMIT_S:
        fail("'off' during a walk took %.1f s" % took)
    code = wait_exit(pid, RETURN_LIMIT_S)
    if code is None:
        fail('writer still waiting %d s after off' % RETURN_LIMIT_S)
    if code not in (0, errno.ECANCELED):
        fail('walk ended by off: %s' % errno.errorcode.get(code, code))
    print('# off in %.2f s, writer got %s' % (
        took, errno.errorcode.get(code, 'success')))
    if dh.state() != 'off':
        fail('kdamond still on')
    dh.stop()
    print('PASS')


if __name__ == '__main__':
    main()
