#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""memcg probes tell apart the memory of two cgroups.

Two workloads, each in its own memory cgroup, keep accessing a 16 MiB
anonymous mapping.  fvaddr monitors both, with one probe per cgroup.  Each
probe must hit the memory of its own cgroup (hits at least 90% of the
samples of the region windows) and almost never (at most 10%) that of the
other.
"""

import os
import sys
import time

import _damon_helpers as dh
import _probes_util as pu

CGROOT = '/sys/fs/cgroup'
CGS = ('damon_probes_a', 'damon_probes_b')


def setup_cgroups():
    if not os.path.exists(os.path.join(CGROOT, 'cgroup.subtree_control')):
        dh.skip('no cgroup v2 at %s' % CGROOT)
    if 'memory' not in dh.read(os.path.join(CGROOT, 'cgroup.controllers')):
        dh.skip('no memory controller')
    try:
        dh.write(os.path.join(CGROOT, 'cgroup.subtree_control'), '+memory')
    except OSError as e:
        dh.skip('cannot enable the memory controller: %s' % e)
    for cg in CGS:
        os.makedirs(os.path.join(CGROOT, cg), exist_ok=True)


def remove_cgroups():
    for cg in CGS:
        try:
            os.rmdir(os.path.join(CGROOT, cg))
        except OSError:
            pass


def main():
    dh.require('fvaddr')
    trace = pu.RegionTrace()
    setup_cgroups()
    wls = []
    try:
        for cg in CGS:
            wls.append(pu.spawn_in_cgroup(os.path.join(CGROOT, cg),
                                          ['-s', 16, '-t', 30]))
        pu.start('fvaddr', [(wl.pid, [(wl.start, wl.end)]) for wl in wls],
                 [(0, [('memcg', True, True, '/' + cg)]) for cg in CGS])
        time.sleep(1)
        lines = pu.collect(trace, 4)
        dh.stop()
    finally:
        for wl in wls:
            wl.kill()
        dh.stop()
        remove_cgroups()
    if not lines:
        dh.fail('no damon_region_aggregated event')
    # samples per window: 100 ms / 5 ms
    for tid in (0, 1):
        samples = sum((e - s) * 20 for t, s, e, _, _ in lines if t == tid)
        own = pu.sums(lines, tid, tid)[1]
        other = pu.sums(lines, tid, 1 - tid)[1]
        print('target %d: own probe %.2f, other probe %.2f of the samples'
              % (tid, own / max(samples, 1), other / max(samples, 1)))
        if not samples:
            dh.fail('target %d has no region' % tid)
        if own < 0.9 * samples:
            dh.fail('memcg probe misses the memory of its cgroup')
        if other > 0.1 * samples:
            dh.fail('memcg probe hits the memory of the other cgroup')
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
