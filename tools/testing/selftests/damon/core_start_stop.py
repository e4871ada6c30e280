#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Start and stop eight kdamonds at once, many times.

Checks that every cycle works, that no memory is leaked (damon_region slab
objects and total slab usage stay flat), and that `off` returns quickly:
within two sampling intervals, measured with a 500 ms sampling interval so
that the emulated guest's own slowness does not dominate.
"""

import os
import sys
import time

import _damon_helpers as dh

ADMIN = '/sys/kernel/mm/damon/admin/kdamonds'
NR_KDAMONDS = 8
NR_CYCLES = int(os.environ.get('DAMON_TEST_CYCLES', '200'))
# Emulated guests on a loaded host can be slow: stop cycling after this long.
CYCLE_SECONDS = 20


def write(path, val):
    with open(path, 'w') as f:
        f.write(val)


def read(path):
    with open(path) as f:
        return f.read().strip()


def shrink_slabs():
    """Free what the slab caches hold but nobody uses.

    Shrinking a cache also releases the freed objects that KASAN keeps in
    its quarantine (they count as in use until then), so the numbers below
    mean the same on a KASAN kernel (testbed/debug) as on a plain one.
    """
    top = '/sys/kernel/slab'
    if not os.path.isdir(top):
        return
    for name in os.listdir(top):
        try:
            with open(os.path.join(top, name, 'shrink'), 'w') as f:
                f.write('1')
        except OSError:
            pass


def slab_kb():
    shrink_slabs()
    return dh.proc_kb('/proc/meminfo', 'Slab')


def region_objs():
    shrink_slabs()
    try:
        with open('/proc/slabinfo') as f:
            for line in f:
                if line.startswith('damon_region '):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def kdamond_threads():
    nr = 0
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            if read('/proc/%s/comm' % pid).startswith('kdamond.'):
                nr += 1
        except OSError:
            pass
    return nr


def stop_all():
    for k in range(int(read(ADMIN + '/nr_kdamonds'))):
        if read('%s/%d/state' % (ADMIN, k)) == 'on':
            write('%s/%d/state' % (ADMIN, k), 'off')
    write(ADMIN + '/nr_kdamonds', '0')


def setup(sample_us):
    stop_all()
    write(ADMIN + '/nr_kdamonds', str(NR_KDAMONDS))
    for k in range(NR_KDAMONDS):
        ctxs = '%s/%d/contexts' % (ADMIN, k)
        write(ctxs + '/nr_contexts', '1')
        write(ctxs + '/0/operations', 'paddr')
        intervals = ctxs + '/0/monitoring_attrs/intervals'
        write(intervals + '/sample_us', str(sample_us))
        write(intervals + '/aggr_us', str(sample_us * 20))
        write(ctxs + '/0/targets/nr_targets', '1')


def turn(state):
    for k in range(NR_KDAMONDS):
        write('%s/%d/state' % (ADMIN, k), state)


def main():
    if not os.path.isdir(ADMIN):
        print('DAMON sysfs interface not found')
        return 4
    try:
        return run()
    finally:
        stop_all()


def run():
    failures = 0

    setup(5000)
    deadline = time.monotonic() + CYCLE_SECONDS
    slab0, objs0 = slab_kb(), region_objs()
    for cycle in range(NR_CYCLES):
        if cycle > 10 and time.monotonic() > deadline:
            break
        turn('on')
        states = [read('%s/%d/state' % (ADMIN, k))
                  for k in range(NR_KDAMONDS)]
        if states != ['on'] * NR_KDAMONDS:
            print('cycle %d: states after on: %s' % (cycle, states))
            return 1
        if cycle == 0 and kdamond_threads() != NR_KDAMONDS:
            print('expected %d kdamond threads, found %d' %
                  (NR_KDAMONDS, kdamond_threads()))
            failures += 1
        turn('off')
        if cycle == 9:
            slab0, objs0 = slab_kb(), region_objs()
    if kdamond_threads():
        print('kdamond threads left after off: %d' % kdamond_threads())
        failures += 1
    slab1, objs1 = slab_kb(), region_objs()
    print('slab: %d kB after 10 cycles, %d kB after %d' %
          (slab0, slab1, cycle + 1))
    if slab1 - slab0 > 2048:
        print('slab usage grew by %d kB' % (slab1 - slab0))
        failures += 1
    if objs0 is not None:
        print('damon_region objects: %d then %d' % (objs0, objs1))
        if objs1 > objs0 + 64 * NR_KDAMONDS:
            print('damon_region objects leaked')
            failures += 1

    # Stop latency, with a sampling interval long enough to measure.
    sample_us = 500000
    setup(sample_us)
    worst = 0.0
    for _ in range(3):
        turn('on')
        time.sleep(1.2)
        for k in range(NR_KDAMONDS):
            t0 = time.monotonic()
            write('%s/%d/state' % (ADMIN, k), 'off')
            worst = max(worst, time.monotonic() - t0)
    print('worst stop latency: %.1f ms (sampling interval %d ms)' %
          (worst * 1000, sample_us // 1000))
    if worst * 1e6 >= 2 * sample_us:
        print('stop took two sampling intervals or more')
        failures += 1
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
