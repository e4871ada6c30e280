#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""DAMON_LRU_SORT moves hot pages to the active LRU list and pages that went
cold to the inactive list, checked page by page through /proc/kpageflags."""

import ctypes
import mmap
import os
import signal
import sys
import time

import _damos_util as dsu

KSFT_SKIP = 4
PARAMS = '/sys/module/damon_lru_sort/parameters'
MIB = 1 << 20
SZ = 32 * MIB
PAGE = os.sysconf('SC_PAGE_SIZE')


def wr(name, val):
    with open(os.path.join(PARAMS, name), 'w') as f:
        f.write(str(val))


def rd(name):
    with open(os.path.join(PARAMS, name)) as f:
        return f.read().strip()


def child(wfd, cold_touch_secs):
    flags = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS
    hot = mmap.mmap(-1, SZ, flags)
    cold = mmap.mmap(-1, SZ, flags)

    def addr(m):
        return ctypes.addressof(ctypes.c_char.from_buffer(m))
    os.write(wfd, b'%x %x\n' % (addr(hot), addr(cold)))
    os.close(wfd)
    stop_cold = time.time() + cold_touch_secs
    while True:
        ranges = [hot] + ([cold] if time.time() < stop_cold else [])
        for m in ranges:
            for off in range(0, SZ, PAGE):
                m[off] = (m[off] + 1) & 0xff
        time.sleep(0.02)


def active_ratio(pid, start):
    """Share of the resident LRU pages of [start, start + SZ) that are on an
    active list."""
    return dsu.active_ratio(pid, start, SZ)


def main():
    if os.geteuid() != 0 or not os.path.isdir(PARAMS):
        print('SKIP: needs root and DAMON_LRU_SORT')
        return KSFT_SKIP
    if not os.path.exists('/proc/kpageflags'):
        print('SKIP: no /proc/kpageflags')
        return KSFT_SKIP

    stat_file = '/sys/module/damon_stat/parameters/enabled'
    stat_enabled = None
    if os.path.exists(stat_file):
        with open(stat_file) as f:
            stat_enabled = f.read().strip()
        with open(stat_file, 'w') as f:
            f.write('N')

    cold_touch_secs = 20
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(rfd)
        child(wfd, cold_touch_secs)
        os._exit(0)
    os.close(wfd)
    hot_addr, cold_addr = [int(x, 16) for x in
                           os.fdopen(rfd).readline().split()]
    started = time.time()

    names = ['hot_thres_access_freq', 'cold_min_age', 'quota_ms',
             'sample_interval', 'aggr_interval',
             'wmarks_interval', 'wmarks_high', 'wmarks_mid', 'wmarks_low']
    saved = {p: rd(p) for p in names}
    ret = 1
    try:
        wr('enabled', 'N')
        # Slow loops under emulation touch a page only every second or so:
        # sample every 100 ms and call memory accessed in one of the ten
        # samples of an aggregation interval hot.
        wr('sample_interval', 100000)
        wr('aggr_interval', 1000000)
        wr('hot_thres_access_freq', 100)
        wr('cold_min_age', 3000000)
        wr('quota_ms', 0)
        wr('wmarks_interval', 100000)
        wr('wmarks_high', 1000)
        wr('wmarks_mid', 999)
        wr('wmarks_low', 0)
        wr('enabled', 'Y')

        # While both ranges are accessed, both become active.
        cold_max = hot1 = 0.0
        while time.time() < started + cold_touch_secs:
            time.sleep(2)
            hot1 = active_ratio(pid, hot_addr)
            cold_max = max(cold_max, active_ratio(pid, cold_addr))
        print('both accessed: active hot %.2f, cold up to %.2f' %
              (hot1, cold_max))

        # The cold range is no longer accessed; after cold_min_age it goes.
        deadline = time.time() + 40
        while time.time() < deadline:
            time.sleep(2)
            hot2 = active_ratio(pid, hot_addr)
            cold2 = active_ratio(pid, cold_addr)
            if hot2 > 0.8 and cold2 < 0.2:
                break
        print('cold idle: active hot %.2f cold %.2f' % (hot2, cold2))
        print('stats: hot %s/%s B sorted/tried, cold %s/%s B' %
              (rd('bytes_lru_sorted_hot_regions'),
               rd('bytes_lru_sort_tried_hot_regions'),
               rd('bytes_lru_sorted_cold_regions'),
               rd('bytes_lru_sort_tried_cold_regions')))
        if cold_max < 0.5:
            raise Exception('accessed pages were not activated')
        if hot2 < 0.8:
            raise Exception('hot pages left the active list')
        if cold2 > 0.2:
            raise Exception('cold pages stayed on the active list')
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
        if stat_enabled is not None:
            with open(stat_file, 'w') as f:
                f.write(stat_enabled)
    return ret


if __name__ == '__main__':
    sys.exit(main())
