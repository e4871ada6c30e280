#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""DAMON_STAT sees memory go idle, and memory traffic.

A workload keeps 1 GiB busy for a while, then is stopped (SIGSTOP) and
leaves it idle.  DAMON_STAT's idle time percentiles are weighted by
memory size, so the percentile below the workload's share of memory
reflects the workload: it must be under a second while the workload runs,
and over 20 s after 30 s of idleness.  The estimated memory bandwidth
must be higher while the workload runs than once it is stopped.  The CPU
time of DAMON_STAT's kdamond while the workload is stopped is reported.

When the kernel was booted with damon_stat.enabled=Y, DAMON_STAT must be
running before the test does anything.
"""

import os
import signal
import sys
import time

import _damon_helpers as dh

PARAMS = '/sys/module/damon_stat/parameters'
WL_MIB = 1024
BUSY_S = 8          # DAMON_STAT refreshes its results every second
IDLE_S = 30
MIN_IDLE_MS = 20000


def param(name):
    with open(os.path.join(PARAMS, name)) as f:
        return f.read().strip()


def set_enabled(val):
    with open(os.path.join(PARAMS, 'enabled'), 'w') as f:
        f.write(val)


def percentiles():
    return [int(v) for v in param('memory_idle_ms_percentiles').split(',')]


def cpu_ticks(pid):
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return int(fields[11]) + int(fields[12])


def mem_total_kb():
    return dh.proc_kb('/proc/meminfo', 'MemTotal')


def main():
    if os.geteuid() != 0:
        dh.skip('not root')
    if not os.path.isdir(PARAMS):
        dh.skip('DAMON_STAT is not built in')
    orig = param('enabled')
    with open('/proc/cmdline') as f:
        booted_on = 'damon_stat.enabled=Y' in f.read().split()
    if booted_on:
        if orig != 'Y' or int(param('kdamond_pid')) <= 0:
            dh.fail('booted with damon_stat.enabled=Y, but not running')
        print('running since boot: kdamond_pid %s' % param('kdamond_pid'))
    set_enabled('Y')
    kdamond = int(param('kdamond_pid'))
    # the percentile under the workload's share of the memory
    share = WL_MIB * 1024 * 100 // mem_total_kb()
    pct = max(share // 2, 1)
    wl = dh.Workload(['-s', WL_MIB, '-t', 120])
    try:
        time.sleep(BUSY_S)
        busy, busy_bw = percentiles(), int(param('estimated_memory_bandwidth'))
        os.kill(wl.pid, signal.SIGSTOP)
        ticks = cpu_ticks(kdamond)
        time.sleep(IDLE_S)
        ticks = cpu_ticks(kdamond) - ticks
        idle, idle_bw = percentiles(), int(param('estimated_memory_bandwidth'))
    finally:
        wl.kill()
        set_enabled(orig)
    hz = os.sysconf('SC_CLK_TCK')
    print('busy: p%d %d ms, p50 %d ms, p100 %d ms, bandwidth %d' %
          (pct, busy[pct], busy[50], busy[100], busy_bw))
    print('idle %d s: p%d %d ms, p50 %d ms, p100 %d ms, bandwidth %d' %
          (IDLE_S, pct, idle[pct], idle[50], idle[100], idle_bw))
    print('kdamond CPU while idle: %.1f%% (%d MiB of RAM)' %
          (100.0 * ticks / hz / IDLE_S, mem_total_kb() // 1024))
    for name, vals in (('busy', busy), ('idle', idle)):
        if any(a > b for a, b in zip(vals, vals[1:])):
            dh.fail('%s percentiles are not ascending' % name)
    if busy[pct] >= 1000:
        dh.fail('busy memory shows idle for %d ms' % busy[pct])
    if idle[pct] <= MIN_IDLE_MS:
        dh.fail('memory idle for %d s shows idle for %d ms' %
                (IDLE_S, idle[pct]))
    if busy_bw <= idle_bw:
        dh.fail('bandwidth %d while busy, %d while idle' % (busy_bw, idle_bw))
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
