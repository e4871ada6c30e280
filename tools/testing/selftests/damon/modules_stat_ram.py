#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""DAMON_STAT monitors System RAM, not the holes between its resources.

DAMON_STAT is switched on with its default (all System RAM) and its
regions are read from the damon_aggregated tracepoint.  Every region must
lie inside one "System RAM" range of /proc/iomem (rounded out to whole
pages), and the regions together must cover all of them.  A hole (the x86
legacy area below 1 MiB, the PCI hole below 4 GiB) holds no memory: a
region there would age forever and count as idle memory.
"""

import os
import sys

import _damon_helpers as dh

PARAMS = '/sys/module/damon_stat/parameters'
PAGE = os.sysconf('SC_PAGE_SIZE')
SNAPSHOTS = 3


def param(name):
    return dh.read(os.path.join(PARAMS, name))


def ram_ranges():
    """Every System RAM resource, nested ones included, page aligned."""
    ranges = []
    with open('/proc/iomem') as f:
        for line in f:
            span, _, name = line.strip().partition(' : ')
            if name != 'System RAM':
                continue
            s, e = (int(x, 16) for x in span.split('-'))
            ranges.append((s // PAGE * PAGE, -(-(e + 1) // PAGE) * PAGE))
    merged = []
    for s, e in sorted(ranges):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def main():
    if os.geteuid() != 0:
        dh.skip('not root')
    if not os.path.isdir(PARAMS):
        dh.skip('DAMON_STAT is not built in')
    rams = ram_ranges()
    if all(e <= PAGE for _, e in rams):
        dh.skip('no System RAM addresses in /proc/iomem')
    print('System RAM: %s' % ', '.join('%#x-%#x' % r for r in rams))
    trace = dh.AggregatedTrace()
    orig = param('enabled')
    dh.stop()
    snaps = []
    try:
        dh.write(os.path.join(PARAMS, 'enabled'), 'N')
        trace.start()
        dh.write(os.path.join(PARAMS, 'enabled'), 'Y')
        if not trace.wait_snapshots(SNAPSHOTS, 40):
            dh.fail('fewer than %d snapshots in 40 s' % SNAPSHOTS)
        trace.stop()
        snaps = trace.snapshots().get(0, [])
    finally:
        trace.stop()
        dh.write(os.path.join(PARAMS, 'enabled'), orig)
    ram_bytes = sum(e - s for s, e in rams)
    for snap in snaps:
        for s, e, _, age in snap:
            if not any(rs <= s and e <= re for rs, re in rams):
                dh.fail('region %#x-%#x (age %d) is not inside one System '
                        'RAM range' % (s, e, age))
        covered = sum(e - s for s, e, _, _ in snap)
        if covered != ram_bytes:
            dh.fail('regions cover %d bytes, System RAM is %d bytes' %
                    (covered, ram_bytes))
    print('%d snapshots of %s regions, each inside System RAM, covering '
          'its %d bytes' % (len(snaps), '/'.join(str(len(s)) for s in snaps),
                            ram_bytes))
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
