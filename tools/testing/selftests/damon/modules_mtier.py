#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""samples/damon/mtier on a two-node system: memory that is accessed on
node 1 is promoted to node 0, memory left idle on node 0 is demoted to node
1, and disabling the sample stops both kdamonds."""

import ctypes
import mmap
import os
import re
import signal
import sys
import time

import _damon_helpers as dh  # also cleans up on the runner's SIGTERM
import _damos_util as dsu

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
    if not busy and hasattr(mmap, 'MADV_HUGEPAGE'):
        # The sample watches physical address ranges, and a region is
        # idle only if all it holds is: 4 KiB pages scattered among pages
        # in use (as they are once other tests have run and freed memory)
        # share their regions with accessed memory.  A 2 MiB huge page is
        # contiguous and holds nothing else.
        m.madvise(mmap.MADV_HUGEPAGE)
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


class SchemeTrace:
    """damos_before_apply and damos_stat_after_apply_interval events of
    the sample's kdamonds, in a trace instance of their own, to say why
    memory did not move when a check fails."""

    EVENTS = ('damos_before_apply', 'damos_stat_after_apply_interval')
    APPLY = re.compile(r'damos_before_apply: ctx_idx=(\d+) scheme_idx=\d+ '
                       r'target_idx=\d+ nr_regions=\d+ (\d+)-(\d+): '
                       r'(\d+) (\d+)')

    def __init__(self):
        self.dir = None
        top = dh.tracefs()
        if top is None or not os.path.isdir(
                os.path.join(top, 'events', 'damon', 'damos_before_apply')):
            return
        self.dir = os.path.join(top, 'instances', 'damon_mtier')
        if not os.path.isdir(self.dir):
            os.mkdir(self.dir)
        dh.write(os.path.join(self.dir, 'buffer_size_kb'), 8192)
        for e in self.EVENTS:
            dh.write(os.path.join(self.dir, 'events', 'damon', e, 'enable'),
                     1)

    def report(self, pid, addr):
        """Prints the last statistics of each scheme, and the regions
        holding frames of [addr, addr + SZ) of @pid the schemes were
        applied to."""
        if self.dir is None:
            return
        span = dsu.phys_span(pid, [(addr, SZ)])
        if span is None:
            return
        lo, hi = span
        stats = {}
        nr_apply = {}
        hits = []
        with open(os.path.join(self.dir, 'trace')) as f:
            for line in f:
                if 'damos_stat_after_apply_interval' in line:
                    ctx = re.search(r'ctx_idx=(\d+)', line).group(1)
                    stats[ctx] = line.split(': ', 1)[-1].strip()
                    continue
                m = self.APPLY.search(line)
                if not m:
                    continue
                ctx, start, end, acc, age = [int(x) for x in m.groups()]
                nr_apply[ctx] = nr_apply.get(ctx, 0) + 1
                if start < hi and end > lo:
                    hits.append((ctx, start, end, acc, age))
        for ctx, line in sorted(stats.items()):
            print('# last stats: %s' % line)
        print('# applications traced per context: %s' % nr_apply)
        print('# of which on regions holding the memory: %d' % len(hits))
        for h in hits[-5:]:
            print('#   ctx %d %#x-%#x nr_accesses %d age %d' % h)

    def close(self):
        if self.dir is None:
            return
        for e in self.EVENTS:
            dh.write(os.path.join(self.dir, 'events', 'damon', e, 'enable'),
                     0)
        os.rmdir(self.dir)


def anon_huge_kb(pid):
    """AnonHugePages of @pid, in kB."""
    with open('/proc/%d/smaps_rollup' % pid) as f:
        for line in f:
            if line.startswith('AnonHugePages:'):
                return int(line.split()[1])
    return 0


def defragment():
    """Drops clean caches and compacts memory, so that huge pages can be
    had for the idle memory (see child())."""
    for path, val in (('/proc/sys/vm/drop_caches', '3'),
                      ('/proc/sys/vm/compact_memory', '1')):
        try:
            with open(path, 'w') as f:
                f.write(val)
        except OSError:
            pass


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
    trace = SchemeTrace()
    try:
        # Demotion first, alone: promoted hot pages landing next to the
        # idle ones would make their regions look accessed.
        defragment()
        cold_pid, cold_addr = spawn(0, False)
        pids.append(cold_pid)
        lo, hi = dsu.phys_span(cold_pid, [(cold_addr, SZ)])
        print('# idle memory in frames %#x-%#x (%d MiB apart), %d kB in '
              'huge pages' % (lo, hi, (hi - lo) >> 20,
                              anon_huge_kb(cold_pid)))
        before = nr_kdamonds()
        with open(os.path.join(PARAMS, 'enabled'), 'w') as f:
            f.write('Y')
        if nr_kdamonds() != before + 2:
            raise Exception('not two kdamonds')
        half = SZ // PAGE // 2
        cold = wait_for(cold_pid, cold_addr, 1, half, 45)
        print('idle memory of node 0: %s' % cold)
        if cold.get(1, 0) <= half:
            trace.report(cold_pid, cold_addr)
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
        trace.close()
    return ret


if __name__ == '__main__':
    sys.exit(main())
