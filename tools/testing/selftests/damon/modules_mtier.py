#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""samples/damon/mtier on a two-node system: memory that is accessed on
node 1 is promoted to node 0, memory left idle on node 0 is demoted to node
1, and disabling the sample stops both kdamonds."""

import ctypes
import mmap
import os
import signal
import sys
import time

import _damon_helpers  # noqa: F401 (cleans up on the runner's SIGTERM)

KSFT_SKIP = 4
PARAMS = '/sys/module/damon_sample_mtier/parameters'
SZ = 16 << 20
PAGE = 4096
NR_SET_MEMPOLICY = 238
NR_MOVE_PAGES = 279
MPOL_BIND = 2

libc = ctypes.CDLL(None, use_errno=True)


def child(wfd, node, busy):
    """Bind to node, fill SZ bytes, report the address, then keep them
    accessed (busy) or leave them idle."""
    mask = ctypes.c_ulong(1 << node)
    if libc.syscall(NR_SET_MEMPOLICY, MPOL_BIND, ctypes.byref(mask), 64):
        os._exit(1)
    m = mmap.mmap(-1, SZ, mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    for off in range(0, SZ, PAGE):
        m[off] = 1
    addr = ctypes.addressof(ctypes.c_char.from_buffer(m))
    os.write(wfd, b'%x\n' % addr)
    os.close(wfd)
    while busy:
        for off in range(0, SZ, PAGE):
            m[off] = (m[off] + 1) & 0xff
    time.sleep(1000)


def spawn(node, busy):
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(rfd)
        child(wfd, node, busy)
        os._exit(0)
    os.close(wfd)
    line = os.fdopen(rfd).readline()
    if not line:
        raise Exception('child failed to bind to node %d' % node)
    return pid, int(line, 16)


def nodes_of(pid, addr):
    """{node: number of pages} of [addr, addr + SZ) of pid (move_pages())."""
    nr = SZ // PAGE
    pages = (ctypes.c_void_p * nr)(*[addr + i * PAGE for i in range(nr)])
    status = (ctypes.c_int * nr)()
    if libc.syscall(NR_MOVE_PAGES, pid, ctypes.c_ulong(nr), pages, None,
                    status, 0):
        raise Exception('move_pages failed: %d' % ctypes.get_errno())
    count = {}
    for s in status:
        count[s] = count.get(s, 0) + 1
    return count


def wait_for(pid, addr, node, nr, timeout):
    """Wait until more than nr pages of the range are on node."""
    deadline = time.time() + timeout
    while True:
        count = nodes_of(pid, addr)
        if count.get(node, 0) > nr or time.time() > deadline:
            return count
        time.sleep(2)


def nr_kdamonds():
    nr = 0
    for p in os.listdir('/proc'):
        try:
            with open('/proc/%s/comm' % p) as f:
                nr += f.read().startswith('kdamond.')
        except (OSError, ValueError):
            pass
    return nr


def main():
    if os.geteuid() != 0 or not os.path.isdir(PARAMS):
        print('SKIP: needs root and the mtier sample')
        return KSFT_SKIP
    if not os.path.isdir('/sys/devices/system/node/node1'):
        print('SKIP: needs two NUMA nodes')
        return KSFT_SKIP

    stat_file = '/sys/module/damon_stat/parameters/enabled'
    stat_enabled = None
    if os.path.exists(stat_file):
        with open(stat_file) as f:
            stat_enabled = f.read().strip()
        with open(stat_file, 'w') as f:
            f.write('N')

    pids = []
    ret = 1
    try:
        # Demotion first, alone: promoted hot pages landing next to the
        # idle ones would make their regions look accessed.
        cold_pid, cold_addr = spawn(0, False)
        pids.append(cold_pid)
        before = nr_kdamonds()
        with open(os.path.join(PARAMS, 'enabled'), 'w') as f:
            f.write('Y')
        if nr_kdamonds() != before + 2:
            raise Exception('not two kdamonds')
        half = SZ // PAGE // 2
        cold = wait_for(cold_pid, cold_addr, 1, half, 45)
        print('idle memory of node 0: %s' % cold)
        if cold.get(1, 0) <= half:
            raise Exception('cold memory was not demoted to node 1')

        hot_pid, hot_addr = spawn(1, True)
        pids.append(hot_pid)
        hot = wait_for(hot_pid, hot_addr, 0, half, 45)
        print('busy memory of node 1: %s' % hot)
        if hot.get(0, 0) <= half:
            raise Exception('hot memory was not promoted to node 0')

        with open(os.path.join(PARAMS, 'enabled'), 'w') as f:
            f.write('N')
        if nr_kdamonds() != before:
            raise Exception('kdamonds left after disabling')
        print('PASS')
        ret = 0
    except Exception as e:
        print('FAIL: %s' % e)
    finally:
        with open(os.path.join(PARAMS, 'enabled'), 'w') as f:
            f.write('N')
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        if stat_enabled is not None:
            with open(stat_file, 'w') as f:
                f.write(stat_enabled)
    return ret


if __name__ == '__main__':
    sys.exit(main())
