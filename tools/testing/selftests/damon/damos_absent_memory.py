#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A paddr scheme over terabytes of absent memory stays responsive.

With addr_unit = 4096, a region written in bytes instead of pages covers
4096 times the range meant: the biggest System RAM resource of a 1 GiB
guest, from address 0 (so that all of its RAM is inside), becomes about
4 TiB of physical addresses, nearly all of it with no memory map.  Applying a scheme to it used to look every page frame up, in
millions of 4 MiB pieces: one application took far longer than the test
(in the TCG guest, hours), so every damon_call() user, like
update_schemes_stats, waited for it, and the fuzzer saw soft lockups.
Absent sections are now skipped in one step each, and a region goes to the
ops set in a bounded number of pieces.

The test runs an lru_deprio scheme on such a region for a few seconds:
update_schemes_stats must keep returning within DEADLINE_S, the scheme
must have been tried on (and applied to) the real memory inside, and
'off' must return promptly.  Writes are done by a child with a deadline,
so a hang fails the test instead of blocking it.
"""

import sys
import time

import _damon_helpers as dh

ADDR_UNIT = 4096
DEADLINE_S = 10
RUN_S = 4


def main():
    dh.require('paddr')
    ram = dh.biggest_system_ram()
    if ram is None:
        dh.skip('no System RAM resource')
    # Bytes written as if they were pages, from 0 to cover all the RAM.
    start, end = 0, ram[1]
    dh.stop()
    ctx = dh.context('paddr', [dh.target(None, [(start, end)])],
                     [dh.scheme('lru_deprio', apply_interval_us=100000)],
                     sample_us=5000, aggr_us=100000, nr_regions=(10, 100))
    ctx['addr_unit'] = ADDR_UNIT
    dh.stage([dh.kdamond(ctx)])
    state = dh.kd_path(0, 'state')
    print('region [%#x, %#x) in %d-byte units: %.1f TiB of physical '
          'addresses' %
          (start, end, ADDR_UNIT, (end - start) * ADDR_UNIT / 2**40))
    dh.cmd(0, 'on')
    try:
        worst = 0
        deadline = time.time() + RUN_S
        nr = 0
        while time.time() < deadline or nr < 3:
            took = dh.timed_write(state, 'update_schemes_stats',
                                  DEADLINE_S)
            if took is None:
                dh.fail('update_schemes_stats blocked for %d s: the '
                        'scheme application never ends' % DEADLINE_S)
            worst = max(worst, took)
            nr += 1
            time.sleep(0.3)
        stat = {n: int(dh.read(dh.scheme_path(0, 0, 'stats', n)))
                for n in ('nr_tried', 'sz_tried', 'sz_applied')}
        took = dh.timed_write(state, 'off', DEADLINE_S)
        if took is None:
            dh.fail("'off' blocked for %d s" % DEADLINE_S)
    finally:
        dh.stop()
    print('%d update_schemes_stats, the slowest %.2f s; off took %.2f s; '
          'nr_tried %d, sz_tried %d, sz_applied %d (units)' %
          (nr, worst, took, stat['nr_tried'], stat['sz_tried'],
           stat['sz_applied']))
    if not stat['nr_tried']:
        dh.fail('the scheme was never tried')
    if not stat['sz_applied']:
        dh.fail('the scheme was applied to nothing: the RAM was skipped')
    if worst > 5:
        dh.fail('update_schemes_stats took %.1f s' % worst)
    if took > 5:
        dh.fail("'off' took %.1f s" % took)
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
