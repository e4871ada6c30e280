#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""damo's start sequence, online commits (attributes, targets, schemes) and
live snapshots through a stat scheme's tried_regions, against a workload
with a known hot and cold buffer."""

import os
import subprocess
import sys
import time

import _damon_helpers as dh

MB = 1 << 20
WORKLOAD = r'''
import ctypes, mmap, sys
hot = mmap.mmap(-1, %d)
cold = mmap.mmap(-1, %d)
for m in (hot, cold):
    for i in range(0, len(m), 4096):
        m[i] = 1
addr = lambda m: ctypes.addressof(ctypes.c_char.from_buffer(m))
print(addr(hot), len(hot), addr(cold), len(cold), flush=True)
while True:
    for i in range(0, len(hot), 4096):
        hot[i] = 2
''' % (8 * MB, 32 * MB)


def fail(msg):
    print('FAIL:', msg)
    dh.stop()
    sys.exit(1)


def ctx_path(*names):
    return dh.kd_path(0, 'contexts', '0', *names)


def commit(kdamonds):
    """damo's commit: stage everything while running, then 'commit'."""
    dh.stage(kdamonds)
    dh.cmd(0, 'commit')


def snapshot():
    """damo's live snapshot refresh sequence (abi.md 2.7)."""
    dh.cmd(0, 'update_schemes_stats')
    dh.cmd(0, 'update_tuned_intervals')
    dh.cmd(0, 'update_schemes_tried_regions')
    return dh.tried_regions()


def overlap(r, start, end):
    return r[0] < end and start < r[1]


def tried_bytes_until(cond):
    """total_bytes of scheme 0 once cond(total_bytes), or the last one.

    New vaddr targets get their regions at the next ops update."""
    for _ in range(100):
        dh.cmd(0, 'update_schemes_tried_bytes')
        total = int(dh.read(dh.scheme_path(0, 0, 'tried_regions',
                                           'total_bytes')))
        if cond(total):
            break
        time.sleep(0.2)
    return total


def check_snapshot(hot, cold):
    """Regions cover the buffers; hot ones are accessed, cold ones not."""
    for _ in range(10):
        regions, total = snapshot()
        if total != sum(r[1] - r[0] for r in regions):
            fail('total_bytes %d != sum of regions' % total)
        if any(a[1] > b[0] for a, b in zip(regions, regions[1:])):
            fail('tried regions overlap or are unsorted')
        hot_acc = max((r[2] for r in regions if overlap(r, *hot)), default=0)
        cold_acc = [r[2] for r in regions
                    if r[0] >= cold[0] and r[1] <= cold[1]]
        covered = sum(min(r[1], cold[1]) - max(r[0], cold[0])
                      for r in regions if overlap(r, *cold))
        if hot_acc > 0 and cold_acc and max(cold_acc) == 0 and \
                covered == cold[1] - cold[0]:
            return len(regions), hot_acc
        time.sleep(1)
    fail('snapshot does not match the workload: hot %d, cold %s' % (
        hot_acc, cold_acc))


def main():
    dh.require()
    dh.stop()
    wl = subprocess.Popen([sys.executable, '-c', WORKLOAD],
                          stdout=subprocess.PIPE, text=True)
    h, hl, c, cl = (int(x) for x in wl.stdout.readline().split())
    hot, cold = (h, h + hl), (c, c + cl)
    other = subprocess.Popen(['sleep', '600'])
    try:
        run(wl.pid, other.pid, hot, cold)
    finally:
        wl.kill()
        other.kill()
        dh.stop()


def run(pid, pid2, hot, cold):
    # abi.md 2.3: stage, 'on', state reads 'on' at once, a kdamond.N runs
    kd = dh.kdamond(dh.context('vaddr', [dh.target(pid)], update_us=100000))
    dh.stage([kd])
    dh.cmd(0, 'on')
    if dh.state() != 'on':
        fail('state is not on right after on')
    kpid = dh.kdamond_pid()
    with open('/proc/%d/comm' % kpid) as f:
        comm = f.read().strip()
    if not comm.startswith('kdamond.'):
        fail('kdamond comm %s' % comm)

    # attrs commit: the running context takes the new aggr_us
    kd['contexts'][0]['monitoring_attrs']['intervals']['aggr_us'] = 200000
    commit([kd])
    dh.write(ctx_path('monitoring_attrs/intervals/aggr_us'), 100000)
    dh.cmd(0, 'update_tuned_intervals')
    got = int(dh.read(ctx_path('monitoring_attrs/intervals/aggr_us')))
    if got != 200000:
        fail('committed aggr_us not in effect: %d' % got)

    # scheme addition: a snapshot-style stat scheme
    ctx = kd['contexts'][0]
    ctx['schemes'] = [dh.scheme('stat', apply_interval_us=5000)]
    commit([kd])
    if int(dh.read(ctx_path('schemes/nr_schemes'))) != 1:
        fail('nr_schemes')
    nr_regions, hot_acc = check_snapshot(hot, cold)
    one_target_bytes = tried_bytes_until(lambda b: b > 0)

    # target addition, then removal through obsolete_target
    ctx['targets'].append(dh.target(pid2))
    commit([kd])
    two = tried_bytes_until(lambda b: b > one_target_bytes)
    if two <= one_target_bytes:
        fail('added target not monitored: %d <= %d' % (two,
                                                      one_target_bytes))
    dh.write(ctx_path('targets/1/obsolete_target'), 'Y')
    dh.cmd(0, 'commit')
    del ctx['targets'][1]
    dh.stage([kd])
    again = tried_bytes_until(lambda b: b < two)
    if again >= two:
        fail('obsolete target still monitored: %d >= %d' % (again, two))

    # a second scheme, then back to none
    ctx['schemes'].append(dh.scheme('stat', sz=(4096, dh.ULONG_MAX)))
    commit([kd])
    for _ in range(50):
        dh.cmd(0, 'update_schemes_stats')
        tried = [int(dh.read(dh.scheme_path(0, s, 'stats', 'nr_tried')))
                 for s in (0, 1)]
        if min(tried) > 0:
            break
        time.sleep(0.2)
    if min(tried) == 0:
        fail('schemes never tried: nr_tried %s' % tried)
    ctx['schemes'] = ctx['schemes'][:1]
    commit([kd])
    dh.cmd(0, 'update_schemes_tried_regions')
    ctx['schemes'] = []
    commit([kd])
    dh.cmd(0, 'update_schemes_tried_regions')
    dh.cmd(0, 'update_schemes_stats')
    dh.cmd(0, 'update_schemes_effective_quotas')

    # refresh_ms: the kernel refreshes stats and intervals by itself
    ctx['schemes'] = [dh.scheme('stat')]
    kd['refresh_ms'] = 100
    commit([kd])
    dh.write(ctx_path('monitoring_attrs/intervals/aggr_us'), 1)
    for _ in range(100):
        tried = int(dh.read(dh.scheme_path(0, 0, 'stats', 'nr_tried')))
        aggr = int(dh.read(ctx_path('monitoring_attrs/intervals/aggr_us')))
        if tried and aggr != 1:
            break
        time.sleep(0.2)
    if not tried or aggr == 1:
        fail('not refreshed with refresh_ms: nr_tried %d, aggr_us %d' %
             (tried, aggr))
    # a paused context still serves commands, walks included
    dh.write(ctx_path('pause'), 'Y')
    dh.cmd(0, 'commit')
    dh.cmd(0, 'update_schemes_tried_regions')
    dh.cmd(0, 'update_schemes_stats')
    dh.write(ctx_path('pause'), 'N')
    dh.cmd(0, 'commit')
    if dh.state() != 'on':
        fail('kdamond stopped during commits')
    dh.cmd(0, 'off')
    print('PASS: on, commits and snapshots (%d regions, hot nr_accesses %d)'
          % (nr_regions, hot_acc))


if __name__ == '__main__':
    main()
