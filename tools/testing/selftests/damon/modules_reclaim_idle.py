#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""DAMON_RECLAIM does its job: the size quota bounds it, without limits it
pages out an idle anonymous range while leaving a hot one resident, and
watermarks stop it."""

import mmap
import os
import signal
import sys
import time

import _damos_util as dsu

KSFT_SKIP = 4
PARAMS = '/sys/module/damon_reclaim/parameters'
MIB = 1 << 20
IDLE_SZ = 256 * MIB
HOT_SZ = 32 * MIB


def wr(name, val):
    with open(os.path.join(PARAMS, name), 'w') as f:
        f.write(str(val))


def rd(name):
    with open(os.path.join(PARAMS, name)) as f:
        return f.read().strip()


def commit():
    wr('commit_inputs', 'Y')
    for _ in range(300):
        if rd('commit_inputs') == 'N':
            return
        time.sleep(0.1)
    raise Exception('commit_inputs was not reset')


def child(wfd):
    """Make an idle and a hot range, report their addresses, keep the hot
    range accessed."""
    flags = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS
    idle = mmap.mmap(-1, IDLE_SZ, flags)
    hot = mmap.mmap(-1, HOT_SZ, flags)
    for m, sz in ((idle, IDLE_SZ), (hot, HOT_SZ)):
        for off in range(0, sz, 4096):
            m[off] = 1
    import ctypes
    addr = lambda m: ctypes.addressof(ctypes.c_char.from_buffer(m))
    os.write(wfd, b'%x %x\n' % (addr(idle), addr(hot)))
    os.close(wfd)
    while True:
        for off in range(0, HOT_SZ, 4096):
            hot[off] = (hot[off] + 1) & 0xff
        time.sleep(0.02)


def mapping_kb(pid, start, sz):
    """Resident and swapped out kB of [start, start + sz) of pid, from
    /proc/pid/pagemap (adjacent mappings may have merged in smaps)."""
    entries = dsu.pagemap_entries(pid, start, sz)
    present = sum(1 for e in entries if e & dsu.PM_PRESENT)
    swapped = sum(1 for e in entries if e & dsu.PM_SWAP)
    return present * 4, swapped * 4


def main():
    if os.geteuid() != 0 or not os.path.isdir(PARAMS):
        print('SKIP: needs root and DAMON_RECLAIM')
        return KSFT_SKIP
    zram = dsu.swap_ready()
    if zram is None:
        print('SKIP: no swap device')
        return KSFT_SKIP

    stat_enabled = None
    stat_file = '/sys/module/damon_stat/parameters/enabled'
    if os.path.exists(stat_file):
        with open(stat_file) as f:
            stat_enabled = f.read().strip()
        with open(stat_file, 'w') as f:
            f.write('N')

    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(rfd)
        child(wfd)
        os._exit(0)
    os.close(wfd)
    idle_addr, hot_addr = [int(x, 16) for x in
                           os.fdopen(rfd).readline().split()]

    # Only the physical range of the test's memory: on a guest that earlier
    # tests left with gigabytes of idle page cache and free memory, the
    # whole of it takes DAMON_RECLAIM a minute or more to go through.
    span = dsu.phys_span(pid, ((idle_addr, IDLE_SZ), (hot_addr, HOT_SZ)))
    print('monitoring physical range [%#x, %#x), %d MiB' %
          (span[0], span[1], (span[1] - span[0]) // MIB))

    saved = {p: rd(p) for p in ['min_age', 'quota_ms', 'quota_sz',
                                'quota_reset_interval_ms', 'wmarks_interval',
                                'wmarks_high', 'wmarks_mid', 'wmarks_low',
                                'skip_anon', 'monitor_region_start',
                                'monitor_region_end']}
    ret = 1
    try:
        wr('enabled', 'N')
        wr('monitor_region_start', span[0])
        wr('monitor_region_end', span[1])
        wr('min_age', int(os.environ.get('MIN_AGE_US', 3000000)))
        wr('skip_anon', 'N')
        wr('wmarks_interval', 100000)
        wr('wmarks_high', 1000)
        wr('wmarks_mid', 999)
        wr('wmarks_low', 0)
        wr('quota_ms', 0)
        wr('quota_reset_interval_ms', 1000)

        # Phase 1: at most 4 MiB per second.  The range holds other cold
        # memory (free memory, idle since boot, is tried first), so check
        # the bytes tried (what the quota charges) rather than our range.
        quota = 4 * MIB
        wr('quota_sz', quota)
        wr('enabled', 'Y')
        t0 = time.time()
        while time.time() < t0 + 20:
            if int(rd('nr_quota_exceeds')):
                break
            time.sleep(0.5)
        print('first quota exceed after %.1f s' % (time.time() - t0))
        start = time.time()
        base = int(rd('bytes_reclaim_tried_regions'))
        time.sleep(8)
        elapsed = time.time() - start
        tried = int(rd('bytes_reclaim_tried_regions')) - base
        exceeds = int(rd('nr_quota_exceeds'))
        print('4 MiB/s quota: %d bytes tried in %.1f s, %d exceeds' %
              (tried, elapsed, exceeds))
        if not exceeds:
            raise Exception('the quota was never reached')
        if tried > quota * (elapsed + 2):
            raise Exception('the size quota was not honoured')

        # Phase 2: no size limit; the idle range goes, the hot one stays.
        # Half of each second at most, so that the kdamond stays responsive
        # even on a slow emulated machine.
        wr('quota_sz', 0)
        wr('quota_ms', 500)
        commit()
        started = time.time()
        while time.time() < started + 40:
            rss, swap = mapping_kb(pid, idle_addr, IDLE_SZ)
            if swap * 1024 >= IDLE_SZ * 3 // 4:
                break
            if int(time.time() - started) % 5 == 0:
                print('  %4.1f s: idle swap %d kB, tried %s B, reclaimed %s B'
                      % (time.time() - started, swap,
                         rd('bytes_reclaim_tried_regions'),
                         rd('bytes_reclaimed_regions')))
            time.sleep(1)
        hot_rss, hot_swap = mapping_kb(pid, hot_addr, HOT_SZ)
        print('unlimited: idle range rss %d kB swap %d kB after %.1f s; '
              'hot range rss %d kB swap %d kB' %
              (rss, swap, time.time() - started, hot_rss, hot_swap))
        if swap * 1024 < IDLE_SZ * 3 // 4:
            raise Exception('the idle range was not paged out')
        if hot_rss * 1024 < HOT_SZ * 3 // 4:
            raise Exception('the hot range was paged out')

        # Phase 3: free memory is above wmarks_high, so it stops.
        wr('wmarks_high', 10)
        wr('wmarks_mid', 5)
        commit()
        time.sleep(1)
        before = int(rd('bytes_reclaim_tried_regions'))
        time.sleep(4)
        after = int(rd('bytes_reclaim_tried_regions'))
        print('watermarks off: tried %d bytes in 4 s' % (after - before))
        if after != before:
            raise Exception('worked while the watermarks say no')
        print('PASS')
        ret = 0
    except Exception as e:
        print('FAIL: %s' % e)
    finally:
        wr('enabled', 'N')
        for p, v in saved.items():
            wr(p, v)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        dsu.swap_off(zram)
        if stat_enabled is not None:
            with open(stat_file, 'w') as f:
                f.write(stat_enabled)
    return ret


if __name__ == '__main__':
    sys.exit(main())
