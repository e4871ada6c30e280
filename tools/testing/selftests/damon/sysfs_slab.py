#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Creating and removing the whole DAMON sysfs tree over and over does not
grow slab usage."""

import os
import sys
import time

import _damon_helpers as dh

CYCLES = int(os.environ.get('DAMON_SYSFS_SLAB_CYCLES', 1000))
# A cycle takes about 15 ms in an idle TCG guest; stay under a minute.
TIME_LIMIT = float(os.environ.get('DAMON_SYSFS_SLAB_SECONDS', 55))
# A leaked tree is well over 100 KiB; allow for allocator noise.
MAX_GROWTH_KB = 1024

TREE = [dh.kdamond(dh.context('paddr', [dh.target(regions=[(0, 4096)])],
                              [dh.scheme(
                                  'stat',
                                  filters=[{'type': 'memcg',
                                            'memcg_path': '/a/b'}],
                                  core_filters=[{'type': 'addr'}],
                                  ops_filters=[{'type': 'anon'}],
                                  dests=[{'id': 0}],
                                  quotas={'goals': [{'path': '/x'}]})]))]


def slab_kb():
    with open('/proc/meminfo') as f:
        for line in f:
            if line.startswith('Slab:'):
                return int(line.split()[1])
    raise RuntimeError('no Slab in /proc/meminfo')


def settle():
    with open('/proc/sys/vm/drop_caches', 'w') as f:
        f.write('2')
    time.sleep(1)   # kernfs nodes are freed after an RCU grace period


def cycle():
    dh.stage(TREE)
    dh.write(os.path.join(dh.KDAMONDS, 'nr_kdamonds'), 0)


def main():
    dh.require()
    dh.stop()
    for _ in range(20):
        cycle()
    settle()
    before = slab_kb()
    start = time.time()
    done = 0
    while done < CYCLES and time.time() - start < TIME_LIMIT:
        cycle()
        done += 1
    secs = time.time() - start
    settle()
    growth = slab_kb() - before
    print('%d cycles in %.1f s, slab %+d kB' % (done, secs, growth))
    if done < CYCLES:
        print('FAIL: only %d of %d cycles within %d s' %
              (done, CYCLES, TIME_LIMIT))
        sys.exit(1)
    if growth > MAX_GROWTH_KB:
        print('FAIL: slab grew by %d kB' % growth)
        sys.exit(1)
    print('PASS')


if __name__ == '__main__':
    main()
