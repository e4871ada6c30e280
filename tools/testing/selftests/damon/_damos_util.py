# SPDX-License-Identifier: GPL-2.0
"""Helpers of the DAMOS selftests, on top of _damon_helpers."""

import os
import struct
import time

import _damon_helpers as dh

STAT_FILES = ('nr_tried', 'sz_tried', 'nr_applied', 'sz_applied',
              'sz_ops_filter_passed', 'qt_exceeds', 'nr_snapshots')


def stats(kd=0, s=0):
    """Fresh statistics of scheme s of kdamond kd, as a dict."""
    dh.cmd(kd, 'update_schemes_stats')
    return {f: int(dh.read(dh.scheme_path(kd, s, 'stats', f)))
            for f in STAT_FILES}


def wait_passes(nr, timeout, kd=0, s=0):
    """Waits until scheme s was applied nr more times; True if it was.

    Loaded machines run the kdamond much later than asked, so tests count
    applications rather than seconds where they can.
    """
    start = stats(kd, s)['nr_snapshots']
    return wait_for(lambda: stats(kd, s)['nr_snapshots'] >= start + nr,
                    timeout)


def effective_bytes(kd=0, s=0):
    dh.cmd(kd, 'update_schemes_effective_quotas')
    return int(dh.read(dh.scheme_path(kd, s, 'quotas', 'effective_bytes')))


def quotas(ms=0, sz=0, reset_interval_ms=1000, goals=(), tuner='consist'):
    return {'ms': ms, 'bytes': sz, 'reset_interval_ms': reset_interval_ms,
            'weights': {'sz_permil': 0, 'nr_accesses_permil': 0,
                        'age_permil': 0},
            'goals': list(goals), 'goal_tuner': tuner}


def watermarks(metric='none', interval_us=0, high=0, mid=0, low=0):
    return {'metric': metric, 'interval_us': interval_us, 'high': high,
            'mid': mid, 'low': low}


def free_mem_permil():
    """Free memory of the system, permil of the total, as the kernel sees."""
    info = {}
    with open('/proc/meminfo') as f:
        for line in f:
            k, v = line.split(':')
            info[k] = int(v.split()[0])
    return info['MemFree'] * 1000 // info['MemTotal']


def rss_anon_kb(pid):
    return dh.proc_kb('/proc/%d/status' % pid, 'RssAnon')


def wait_for(cond, timeout, interval=0.2):
    """Polls cond() until it is true or timeout seconds passed."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if cond():
            return True
        time.sleep(interval)
    return cond()


def swap_ready():
    """Makes sure some swap space is on, setting up a zram swap if needed.

    Returns the device it turned on (for swap_off()), '' if swap was on
    already, or None if there is no way to get swap.
    """
    with open('/proc/swaps') as f:
        if len(f.read().splitlines()) > 1:
            return ''
    if not os.path.exists('/sys/block/zram0'):
        if os.system('modprobe zram >/dev/null 2>&1') or \
                not os.path.exists('/sys/block/zram0'):
            return None
    try:
        dh.write('/sys/block/zram0/disksize', '1G')
    except OSError:
        pass
    if os.system('mkswap /dev/zram0 >/dev/null 2>&1') or \
            os.system('swapon /dev/zram0 >/dev/null 2>&1'):
        return None
    return '/dev/zram0'


def swap_off(dev):
    """Turns off and resets a zram swap that swap_ready() turned on."""
    if not dev:
        return
    os.system('swapoff %s >/dev/null 2>&1' % dev)
    try:
        dh.write('/sys/block/%s/reset' % os.path.basename(dev), '1')
    except OSError:
        pass


KPF_LRU = 5
KPF_ACTIVE = 6


PM_PFN_MASK = (1 << 55) - 1
PM_SWAP = 1 << 62
PM_PRESENT = 1 << 63


def pagemap_entries(pid, start, size):
    """The /proc/PID/pagemap entries of the pages of [start, start + size)
    of @pid; test them with PM_PRESENT and PM_SWAP, get frame numbers (root
    only) with PM_PFN_MASK."""
    page = os.sysconf('SC_PAGE_SIZE')
    nr = size // page
    with open('/proc/%d/pagemap' % pid, 'rb') as f:
        f.seek(start // page * 8)
        return struct.unpack('%dQ' % nr, f.read(nr * 8))


def phys_span(pid, ranges):
    """The physical address range holding the resident pages of @ranges,
    a list of (start, size), of @pid, from the page frame numbers of
    /proc/PID/pagemap (root sees them); None if none is resident."""
    page = os.sysconf('SC_PAGE_SIZE')
    pfns = [e & PM_PFN_MASK for start, sz in ranges
            for e in pagemap_entries(pid, start, sz) if e & PM_PRESENT]
    if not pfns:
        return None
    return min(pfns) * page, (max(pfns) + 1) * page


def active_ratio(pid, start, size):
    """Share of the resident LRU pages of [start, start + size) of @pid that
    are on an active list, from /proc/PID/pagemap and /proc/kpageflags."""
    entries = pagemap_entries(pid, start, size)
    nr_lru = nr_active = 0
    with open('/proc/kpageflags', 'rb') as f:
        for e in entries:
            if not e & PM_PRESENT:
                continue
            f.seek((e & PM_PFN_MASK) * 8)
            flags = struct.unpack('Q', f.read(8))[0]
            if flags & (1 << KPF_LRU):
                nr_lru += 1
                if flags & (1 << KPF_ACTIVE):
                    nr_active += 1
    return nr_active / nr_lru if nr_lru else 0.0


def swap_reads():
    """Read requests completed by the swap devices so far (swap-ins), from
    their block device statistics; works without VM event counters."""
    total = 0
    with open('/proc/swaps') as f:
        for line in f.readlines()[1:]:
            dev = os.path.basename(line.split()[0])
            try:
                with open('/sys/block/%s/stat' % dev) as st:
                    total += int(st.read().split()[0])
            except OSError:
                pass
    return total
