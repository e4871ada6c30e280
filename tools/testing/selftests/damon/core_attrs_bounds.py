#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Monitoring attributes beyond the documented bounds are refused, and
attributes within them do not stall the kdamond.

- More than 100000 sampling intervals per aggregation interval (access
  counts in basis points would overflow; a ratio of 2^32 made the merge
  loop spin forever) and more than 1000000 regions: 'on' and 'commit'
  fail with EINVAL and change nothing.
- Growing a paddr context to min_nr_regions = 50000 used to take a search
  of the biggest region per split, minutes of soft lockup on an emulated
  guest, during which 'off' could not stop the kdamond: it must now stop
  within seconds.
"""

import errno
import subprocess
import sys
import time

import _damon_helpers as dh

MAX_AGGR_SAMPLES = 100000
MAX_NR_REGIONS = 1000000
INTERVALS = 'contexts/0/monitoring_attrs/intervals/'
NR_REGIONS = 'contexts/0/monitoring_attrs/nr_regions/'
DEADLINE_S = 30


def stage(pid, **kw):
    dh.stop()
    dh.stage([dh.kdamond(dh.context('vaddr', [dh.target(pid)],
                                    [dh.scheme('stat')], **kw))])


def expect_einval(desc, setup, command):
    """Write @setup ({path under kdamond 0: value}), then @command: it must
    fail with EINVAL and leave the tree and the state as they were."""
    for rel, val in setup:
        dh.write(dh.kd_path(0, rel), val)
    before = dh.read_tree()
    state = dh.state()
    err = dh.try_write(dh.kd_path(0, 'state'), command)
    if err != errno.EINVAL:
        dh.fail('%s with %s: errno %s, expected EINVAL' %
                (command, desc, err and errno.errorcode[err]))
    if dh.read_tree() != before or dh.state() != state:
        dh.fail('failed %s with %s changed something' % (command, desc))


BAD = [
    ('aggr/sample 2^32', [(INTERVALS + 'sample_us', 1),
                          (INTERVALS + 'aggr_us', 2**32)]),
    ('aggr/sample 2^32 - 1', [(INTERVALS + 'sample_us', 1),
                              (INTERVALS + 'aggr_us', 2**32 - 1)]),
    ('aggr/sample %d + 1' % MAX_AGGR_SAMPLES,
     [(INTERVALS + 'sample_us', 10),
      (INTERVALS + 'aggr_us', 10 * MAX_AGGR_SAMPLES + 10)]),
    ('aggr/sample 2^63', [(INTERVALS + 'sample_us', 2),
                          (INTERVALS + 'aggr_us', 2**64 - 1)]),
    ('max_nr_regions %d + 1' % MAX_NR_REGIONS,
     [(NR_REGIONS + 'max', MAX_NR_REGIONS + 1)]),
    ('min and max_nr_regions 2^40', [(NR_REGIONS + 'max', 2**40),
                                     (NR_REGIONS + 'min', 2**40)]),
]


def check_bounds(pid):
    nr = 0
    for desc, setup in BAD:
        stage(pid)
        expect_einval(desc, setup, 'on')
        nr += 1
    # the bounds themselves are fine
    stage(pid, sample_us=10, aggr_us=10 * MAX_AGGR_SAMPLES)
    dh.cmd(0, 'on')
    dh.cmd(0, 'off')
    for desc, setup in BAD:
        stage(pid)
        dh.cmd(0, 'on')
        good = [(rel, dh.read(dh.kd_path(0, rel))) for rel, _ in setup]
        expect_einval(desc, setup, 'commit')
        # the running kdamond still takes valid commits
        for rel, val in reversed(good):
            dh.write(dh.kd_path(0, rel), val)
        dh.cmd(0, 'commit')
        if dh.state() != 'on':
            dh.fail('kdamond stopped after a failed commit of %s' % desc)
        dh.cmd(0, 'off')
        nr += 1
    return nr



def check_many_regions():
    ram = dh.biggest_system_ram()
    if ram is None:
        print('# no System RAM resource, many regions not checked')
        return
    nr = 50000
    dh.stop()
    dh.stage([dh.kdamond(dh.context('paddr', [dh.target(None, [ram])], [],
                                    nr_regions=(nr, nr)))])
    dh.cmd(0, 'on')
    time.sleep(3)
    took = dh.timed_write(dh.kd_path(0, 'state'), 'off', DEADLINE_S)
    if took is None:
        dh.fail("min_nr_regions %d: 'off' blocked for %d s" %
                (nr, DEADLINE_S))
    print("min_nr_regions %d: 'off' after 3 s took %.2f s" % (nr, took))
    dh.stop()
    if took > 10:
        dh.fail("'off' took %.1f s" % took)


def main():
    """Runs both parts, or the one named by the first argument ("bounds"
    or "regions")."""
    part = sys.argv[1] if len(sys.argv) > 1 else None
    dh.require()
    dh.require('vaddr')
    if part in (None, 'bounds'):
        sleeper = subprocess.Popen(['sleep', '600'])
        try:
            nr = check_bounds(sleeper.pid)
        finally:
            dh.stop()
            sleeper.kill()
            sleeper.wait()
        print('%d out-of-bound on/commit refused with EINVAL, nothing '
              'changed' % nr)
    if part in (None, 'regions'):
        check_many_regions()
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
