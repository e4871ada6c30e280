# SPDX-License-Identifier: GPL-2.0
"""The testbed's machine-wide build lock, taken by the benchmarks.

A benchmark measures time and CPU: nothing else of the testbed (a kernel
build, a KUnit run, another VM) may run beside it, so it holds the lock
the testbed scripts take (testbed/common.sh) for as long as it boots or
builds anything.  TB_LOCK_HELD says a caller holds it already.
"""
import fcntl
import os
import sys
import time

LOCK = os.environ.get('DAMON_TESTBED_LOCK',
                      os.path.expanduser('~/.cache/damon-testbed/build.lock'))


def take():
    """The lock, held until the returned file is closed; None if the
    caller holds it already."""
    if os.environ.get('TB_LOCK_HELD'):
        return None
    os.makedirs(os.path.dirname(LOCK), exist_ok=True)
    fd = open(LOCK, 'a')
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print('[%s] waiting for the build lock %s' % (time.strftime('%H:%M:%S'), LOCK),
              file=sys.stderr, flush=True)
        fcntl.flock(fd, fcntl.LOCK_EX)
    return fd
