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

import sys
import time

import _damon_helpers as dh

ADDR_UNIT = 8 << 20
DEADLINE_S = 20



def main():
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
    took = dh.timed_write(state, 'update_schemes_stats', DEADLINE_S)
    if took is None:
        dh.fail('update_schemes_stats blocked for %d s: kdamond stuck' %
                DEADLINE_S)
    tried = int(dh.read(dh.scheme_path(0, 0, 'stats', 'sz_tried')))
    took = dh.timed_write(state, 'off', DEADLINE_S)
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
