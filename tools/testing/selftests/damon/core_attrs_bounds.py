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

import _damon_sysfs as ds
import _damon_util as du

MAX_AGGR_SAMPLES = 100000
MAX_NR_REGIONS = 1000000
INTERVALS = 'contexts/0/monitoring_attrs/intervals/'
NR_REGIONS = 'contexts/0/monitoring_attrs/nr_regions/'
DEADLINE_S = 30


def stage(pid, **kw):
    ds.stop_all()
    ds.stage([ds.kdamond(ds.context('vaddr', [ds.target(pid)],
                                    [ds.scheme('stat')], **kw))])


def expect_einval(desc, setup, command):
    """Write @setup ({path under kdamond 0: value}), then @command: it must
    fail with EINVAL and leave the tree and the state as they were."""
    for rel, val in setup:
        ds.write(ds.kd_path(0, rel), val)
    before = ds.read_tree()
    state = ds.state()
    err = ds.try_write(ds.kd_path(0, 'state'), command)
    if err != errno.EINVAL:
        du.fail('%s with %s: errno %s, expected EINVAL' %
                (command, desc, err and errno.errorcode[err]))
    if ds.read_tree() != before or ds.state() != state:
        du.fail('failed %s with %s changed something' % (command, desc))


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
    ds.cmd(0, 'on')
    ds.cmd(0, 'off')
    for desc, setup in BAD:
        stage(pid)
        ds.cmd(0, 'on')
        good = [(rel, ds.read(ds.kd_path(0, rel))) for rel, _ in setup]
        expect_einval(desc, setup, 'commit')
        # the running kdamond still takes valid commits
        for rel, val in reversed(good):
            ds.write(ds.kd_path(0, rel), val)
        ds.cmd(0, 'commit')
        if ds.state() != 'on':
            du.fail('kdamond stopped after a failed commit of %s' % desc)
        ds.cmd(0, 'off')
        nr += 1
    return nr



def check_many_regions():
    ram = du.biggest_system_ram()
    if ram is None:
        print('# no System RAM resource, many regions not checked')
        return
    nr = 50000
    ds.stop_all()
    ds.stage([ds.kdamond(ds.context('paddr', [ds.target(None, [ram])], [],
                                    nr_regions=(nr, nr)))])
    ds.cmd(0, 'on')
    time.sleep(3)
    took = du.timed_write(ds.kd_path(0, 'state'), 'off', DEADLINE_S)
    if took is None:
        du.fail("min_nr_regions %d: 'off' blocked for %d s" %
                (nr, DEADLINE_S))
    print("min_nr_regions %d: 'off' after 3 s took %.2f s" % (nr, took))
    ds.stop_all()
    if took > 10:
        du.fail("'off' took %.1f s" % took)


def main():
    """Runs both parts, or the one named by the first argument ("bounds"
    or "regions")."""
    part = sys.argv[1] if len(sys.argv) > 1 else None
    ds.require_sysfs()
    du.require_root_and_damon('vaddr')
    if part in (None, 'bounds'):
        sleeper = subprocess.Popen(['sleep', '600'])
        try:
            nr = check_bounds(sleeper.pid)
        finally:
            ds.stop_all()
            sleeper.kill()
            sleeper.wait()
        print('%d out-of-bound on/commit refused with EINVAL, nothing '
              'changed' % nr)
    if part in (None, 'regions'):
        check_many_regions()
    sys.exit(du.KSFT_PASS)


if __name__ == '__main__':
    main()
