# SPDX-License-Identifier: GPL-2.0
"""Helpers of the data attribute probe selftests (probes_*.py)."""

import os
import re
import subprocess
import time

import _damon_helpers as dh

PROBES = os.path.join(dh.CTX, 'monitoring_attrs', 'probes')
dh.NR_FILES['probes'] = 'nr_probes'


def probes_spec(probes):
    """The probes/ tree of (weight, [(type, matching, allow, path), ...])."""
    spec = []
    for weight, filters in probes:
        fs = []
        for ftype, matching, allow, path in filters:
            f = {'type': ftype, 'matching': 'Y' if matching else 'N',
                 'allow': 'Y' if allow else 'N'}
            if path is not None:
                f['path'] = path
            fs.append(f)
        spec.append({'weight': weight, 'filters': fs})
    return spec


def start(ops, targets, probes):
    """Starts kdamond 0 (the only one) on @targets, a list of (pid or None,
    [(start, end), ...]), with @probes as set_probes() takes them."""
    ctx = dh.context(ops, [dh.target(pid, regions)
                           for pid, regions in targets])
    ctx['monitoring_attrs']['probes'] = probes_spec(probes)
    dh.stop()
    dh.stage([dh.kdamond(ctx)])
    dh.write(os.path.join(dh.KDAMOND, 'state'), 'on')


def set_probes(probes):
    """Write probes/ of kdamond 0's context.

    @probes is a list of (weight, [(type, matching, allow, path), ...]).
    """
    dh.write(os.path.join(PROBES, 'nr_probes'), len(probes))
    for i, (weight, filters) in enumerate(probes):
        pdir = os.path.join(PROBES, str(i))
        dh.write(os.path.join(pdir, 'weight'), weight)
        fdir = os.path.join(pdir, 'filters')
        dh.write(os.path.join(fdir, 'nr_filters'), len(filters))
        for j, (ftype, matching, allow, path) in enumerate(filters):
            f = os.path.join(fdir, str(j))
            dh.write(os.path.join(f, 'type'), ftype)
            dh.write(os.path.join(f, 'matching'), 'Y' if matching else 'N')
            dh.write(os.path.join(f, 'allow'), 'Y' if allow else 'N')
            if path is not None:
                dh.write(os.path.join(f, 'path'), path)


class RegionTrace:
    """Collects damon_region_aggregated events in the tracefs ring buffer."""

    LINE = re.compile(r'damon_region_aggregated: target_id=(\d+) '
                      r'nr_regions=(\d+) (\d+)-(\d+): (\d+) (\d+) '
                      r'probe_hits=([0-9a-f ]*)$')

    def __init__(self, buffer_kb=16384):
        self.tracefs = dh.tracefs()
        if self.tracefs is None:
            dh.skip('no tracefs')
        self.event = os.path.join(self.tracefs, 'events', 'damon',
                                  'damon_region_aggregated', 'enable')
        if not os.path.exists(self.event):
            dh.fail('no damon_region_aggregated tracepoint')
        dh.write(os.path.join(self.tracefs, 'buffer_size_kb'), buffer_kb)

    def start(self):
        dh.write(os.path.join(self.tracefs, 'trace'), '')
        dh.write(self.event, 1)

    def stop(self):
        dh.write(self.event, 0)

    def lines(self):
        """[(target_id, start, end, nr_accesses, [hits...])]"""
        out = []
        with open(os.path.join(self.tracefs, 'trace')) as f:
            for line in f:
                m = self.LINE.search(line.rstrip('\n'))
                if not m:
                    continue
                tid, _, s, e, acc, _ = [int(x) for x in m.groups()[:6]]
                hits = [int(h, 16) for h in m.group(7).split()]
                out.append((tid, s, e, acc, hits))
        return out


def collect(trace, secs):
    trace.start()
    time.sleep(secs)
    trace.stop()
    return trace.lines()


def sums(lines, target_id, probe):
    """Size-weighted sums of nr_accesses and of a probe's hits of a target."""
    acc = hits = 0
    for tid, s, e, a, h in lines:
        if tid != target_id:
            continue
        acc += (e - s) * a
        hits += (e - s) * (h[probe] if probe < len(h) else 0)
    return acc, hits


def spawn_in_cgroup(cgroup, args):
    """An ops_access Workload whose task (and memory) is in @cgroup."""
    prog = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        'ops_access')
    if not os.path.exists(prog):
        dh.skip('ops_access not built')
    cmdline = 'echo $$ > %s/cgroup.procs && exec %s %s' % (
        cgroup, prog, ' '.join(str(a) for a in args))
    wl = dh.Workload.__new__(dh.Workload)
    wl.proc = subprocess.Popen(['sh', '-c', cmdline], stdout=subprocess.PIPE,
                               text=True)
    line = wl.proc.stdout.readline().split()
    if len(line) != 4 or line[0] != 'ready':
        wl.proc.wait()
        raise RuntimeError('workload failed: %s' % line)
    wl.pid, wl.start, wl.end = int(line[1]), int(line[2]), int(line[3])
    return wl
