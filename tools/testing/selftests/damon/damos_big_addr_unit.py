#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Schemes work with an address unit bigger than their apply chunk.

DAMOS hands big regions to the operations set in chunks of 4 MiB; with
addr_unit = 8 MiB the chunk, counted in address units, used to be 0, the
kdamond spun forever on its first scheme application, and 'off' blocked
in kthread_stop() with the sysfs lock held.  A paddr context with that
unit and one all-matching stat scheme runs for two seconds: its stats
must show the scheme tried, and 'off' must return promptly.  Every write
is done by a child process with a deadline, so a hang fails the test
instead of blocking it.
"""

import os
import subprocess
import sys
import time

import _damon_helpers as dh

ADDR_UNIT = 8 << 20
DEADLINE_S = 20


def timed_write(path, val):
    """Write @val to @path in a child; seconds it took, or None if it did
    not return within DEADLINE_S (the child is left blocked)."""
    begin = time.time()
    child = subprocess.Popen(['sh', '-c', 'printf %s "$1" > "$2"', 'sh',
                              str(val), path])
    try:
        rc = child.wait(DEADLINE_S)
    except subprocess.TimeoutExpired:
        return None
    if rc:
        dh.fail('writing %s to %s failed' % (val, path))
    return time.time() - begin


def main():
    dh.require()
    dh.require('paddr')
    ram = dh.biggest_system_ram()
    if ram is None:
        dh.skip('no System RAM resource')
    start = (ram[0] + ADDR_UNIT - 1) // ADDR_UNIT
    end = ram[1] // ADDR_UNIT
    if end - start < 4:
        dh.skip('less than 32 MiB of contiguous RAM')
    dh.stop()
    ctx = dh.context('paddr', [dh.target(None, [(start, end)])],
                     [dh.scheme('stat')], nr_regions=(3, 100))
    ctx['addr_unit'] = ADDR_UNIT
    dh.stage([dh.kdamond(ctx)])
    state = dh.kd_path(0, 'state')
    dh.cmd(0, 'on')
    time.sleep(2)
    took = timed_write(state, 'update_schemes_stats')
    if took is None:
        dh.fail('update_schemes_stats blocked for %d s: kdamond stuck' %
                DEADLINE_S)
    tried = int(dh.read(dh.scheme_path(0, 0, 'stats', 'sz_tried')))
    took = timed_write(state, 'off')
    if took is None:
        dh.fail("'off' blocked for %d s: kdamond stuck" % DEADLINE_S)
    print('addr_unit %d: sz_tried %d bytes in 2 s, off took %.2f s' %
          (ADDR_UNIT, tried, took))
    dh.stop()
    if not tried:
        dh.fail('the scheme was never tried')
    if took > 5:
        dh.fail("'off' took %.1f s" % took)
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
