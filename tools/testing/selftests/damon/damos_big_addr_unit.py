#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Schemes work with an address unit bigger than their apply chunk.

DAMOS hands big regions to the operations set in chunks of 4 MiB; with
addr_unit = 8 MiB the chunk, counted in address units, used to be 0, the
kdamond spun forever on its first scheme application, and 'off' blocked
in kthread_stop() with the sysfs lock held.  A paddr context with that
unit and one all-matching stat scheme runs for two seconds: its stats
must show the scheme tried, and 'off' must return promptly.

With addr_unit = 2^63, the System RAM range given as address units lies
past 2^64 bytes, where nothing can be.  Such an address used to wrap
around to 0 or 2^63, so that every other piece of the regions walked the
whole of RAM from address 0: 31 s for one application of a stat scheme
with an anon filter (which walks the pages it is given), the state
commands waiting for it.  Now nothing is walked and the commands answer
promptly.

Every write is done by a child process with a deadline, so a hang fails
the test instead of blocking it.
"""

import sys
import time

import _damon_helpers as dh

ADDR_UNIT = 8 << 20
DEADLINE_S = 20
BEYOND_UNIT = 1 << 63


def run(addr_unit, regions, scheme, min_nr_regions):
    """Runs one paddr scheme for two seconds: its stats and the time
    'off' took."""
    dh.stop()
    ctx = dh.context('paddr', [dh.target(None, regions)], [scheme],
                     nr_regions=(min_nr_regions, 100))
    ctx['addr_unit'] = addr_unit
    dh.stage([dh.kdamond(ctx)])
    state = dh.kd_path(0, 'state')
    dh.cmd(0, 'on')
    time.sleep(2)
    took = dh.timed_write(state, 'update_schemes_stats', DEADLINE_S)
    if took is None:
        dh.fail('update_schemes_stats blocked for %d s: kdamond stuck' %
                DEADLINE_S)
    stats = {f: int(dh.read(dh.scheme_path(0, 0, 'stats', f)))
             for f in ('nr_tried', 'sz_tried', 'sz_ops_filter_passed')}
    took = dh.timed_write(state, 'off', DEADLINE_S)
    if took is None:
        dh.fail("'off' blocked for %d s: kdamond stuck" % DEADLINE_S)
    dh.stop()
    print('addr_unit %d: %s in 2 s, off took %.2f s' %
          (addr_unit, stats, took))
    if took > 5:
        dh.fail("'off' took %.1f s" % took)
    return stats


def main():
    dh.require('paddr')
    ram = dh.biggest_system_ram()
    if ram is None:
        dh.skip('no System RAM resource')
    start = (ram[0] + ADDR_UNIT - 1) // ADDR_UNIT
    end = ram[1] // ADDR_UNIT
    if end - start < 4:
        dh.skip('less than 32 MiB of contiguous RAM')
    stats = run(ADDR_UNIT, [(start, end)], dh.scheme('stat'), 3)
    if not stats['sz_tried']:
        dh.fail('the scheme was never tried')

    # each region in 4096 pieces, half of which used to wrap to 0: with
    # 10 regions, about 100 s per application
    stats = run(BEYOND_UNIT, [ram], dh.scheme(
        'stat', ops_filters=[{'type': 'anon', 'matching': 'Y',
                              'allow': 'Y'}]), 10)
    if not stats['nr_tried']:
        dh.fail('the scheme beyond 2^64 bytes was never tried')
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
