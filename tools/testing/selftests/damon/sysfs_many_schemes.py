#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tens of thousands of schemes: 'on', 'commit_schemes_quota_goals' and the
tried regions commands allocate per-scheme arrays that are larger than the
page allocator's biggest block.  They must work without a kernel warning
(the VM runner fails the run on any splat)."""

import os
import sys
import time

import _damon_helpers as dh

# struct damos_quota is ~150 bytes: 4 MiB (MAX_PAGE_ORDER) at ~28 k schemes.
NR_SCHEMES = int(os.environ.get('DAMON_NR_SCHEMES', 40000))


def fail(msg):
    print('FAIL:', msg)
    dh.stop()
    sys.exit(1)


def main():
    dh.require()
    dh.stop()
    start, end = dh.biggest_system_ram()
    dh.stage([dh.kdamond(dh.context('paddr', [dh.target(
        regions=[(start, start + (16 << 20))])]))])
    schemes = dh.kd_path(0, 'contexts', '0', 'schemes')
    t0 = time.time()
    dh.write(os.path.join(schemes, 'nr_schemes'), NR_SCHEMES)
    print('# %d scheme directories in %.1f s' % (NR_SCHEMES, time.time() - t0))
    for cmd in ('on', 'commit_schemes_quota_goals', 'commit',
                'update_schemes_tried_bytes', 'update_schemes_tried_regions'):
        t0 = time.time()
        err = dh.try_write(dh.kd_path(0, 'state'), cmd)
        print('# %s: %s in %.1f s' % (cmd, os.strerror(err) if err else 'ok',
                                      time.time() - t0))
        if err:
            fail('%s with %d schemes: %s' % (cmd, NR_SCHEMES, os.strerror(err)))
    dh.cmd(0, 'off')
    dh.stop()
    print('PASS')


if __name__ == '__main__':
    main()
