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

import _damon_sysfs as ds
import _damon_util as du

ADDR_UNIT = 8 << 20
DEADLINE_S = 20



def main():
    ds.require_sysfs()
    du.require_root_and_damon('paddr')
    ram = du.biggest_system_ram()
    if ram is None:
        du.skip('no System RAM resource')
    start = (ram[0] + ADDR_UNIT - 1) // ADDR_UNIT
    end = ram[1] // ADDR_UNIT
    if end - start < 4:
        du.skip('less than 32 MiB of contiguous RAM')
    ds.stop_all()
    ctx = ds.context('paddr', [ds.target(None, [(start, end)])],
                     [ds.scheme('stat')], nr_regions=(3, 100))
    ctx['addr_unit'] = ADDR_UNIT
    ds.stage([ds.kdamond(ctx)])
    state = ds.kd_path(0, 'state')
    ds.cmd(0, 'on')
    time.sleep(2)
    took = du.timed_write(state, 'update_schemes_stats', DEADLINE_S)
    if took is None:
        du.fail('update_schemes_stats blocked for %d s: kdamond stuck' %
                DEADLINE_S)
    tried = int(ds.read(ds.scheme_path(0, 0, 'stats', 'sz_tried')))
    took = du.timed_write(state, 'off', DEADLINE_S)
    if took is None:
        du.fail("'off' blocked for %d s: kdamond stuck" % DEADLINE_S)
    print('addr_unit %d: sz_tried %d bytes in 2 s, off took %.2f s' %
          (ADDR_UNIT, tried, took))
    ds.stop_all()
    if not tried:
        du.fail('the scheme was never tried')
    if took > 5:
        du.fail("'off' took %.1f s" % took)
    sys.exit(du.KSFT_PASS)


if __name__ == '__main__':
    main()
