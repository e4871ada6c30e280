#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""An anon probe tells anonymous from file-backed hot memory.

Two workloads keep accessing all of a 16 MiB mapping each, one anonymous,
one a shared file mapping (page cache).  fvaddr monitors both mappings, as
two targets, with one probe that allows anonymous pages.  In the
damon_region_aggregated trace, the probe's hits must be at least 90% of
the access count on the anonymous regions and at most 10% of it on the
file-backed ones (sums weighted by region size).  perf and trace-cmd (those
installed) must render the event as damo parses it: a one-byte
"probe_hits=XX" token per region of this one-probe context.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import _damon_helpers as dh
import _probes_util as pu


TOOL_LINE = re.compile(r'damon_region_aggregated:\s+target_id=(\d+) '
                       r'nr_regions=\d+ \d+-\d+: \d+ \d+ '
                       r'probe_hits=([0-9a-f]{2})\s*$')


def tool_check(tool):
    """Records the event with @tool; returns an error message or None."""
    out = os.path.join(tempfile.gettempdir(), 'probes-%s.data' % tool)
    ev = 'damon:damon_region_aggregated'
    if tool == 'perf':
        rec = ['perf', 'record', '-a', '-o', out, '-e', ev, '--', 'sleep', '1']
        rep = ['perf', 'script', '--force', '-i', out]
    else:
        rec = ['trace-cmd', 'record', '-o', out, '-e', ev, 'sleep', '1']
        rep = ['trace-cmd', 'report', '-i', out]
    try:
        subprocess.run(rec, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=60)
        text = subprocess.run(rep, check=True, capture_output=True,
                              text=True, timeout=60).stdout
    except (subprocess.SubprocessError, OSError) as e:
        return '%s failed: %s' % (tool, e)
    finally:
        if os.path.exists(out):
            os.remove(out)
    lines = [l for l in text.splitlines() if 'damon_region_aggregated' in l]
    bad = [l for l in lines if not TOOL_LINE.search(l)]
    if not lines or bad:
        return '%s: %d lines, unparsable: %r' % (tool, len(lines), bad[:1])
    anon_hits = [int(TOOL_LINE.search(l).group(2), 16) for l in lines
                 if TOOL_LINE.search(l).group(1) == '0']
    if not any(anon_hits):
        return '%s: no probe hits on the anonymous target' % tool
    print('%s: %d lines parsed' % (tool, len(lines)))
    return None


def main():
    dh.require('fvaddr')
    trace = pu.RegionTrace()
    # the file of the file-backed workload goes to the current directory
    os.chdir(tempfile.gettempdir())
    wls = dh.workloads(['-s', 16, '-t', 30], ['-s', 16, '-m', 'file', '-t', 30])
    try:
        pu.start('fvaddr', [(wl.pid, [(wl.start, wl.end)]) for wl in wls],
                 [(0, [('anon', True, True, None)])])
        time.sleep(1)
        lines = pu.collect(trace, 4)
        errors = [e for e in (tool_check(t) for t in ('perf', 'trace-cmd')
                              if shutil.which(t)) if e]
        dh.stop()
    finally:
        for wl in wls:
            wl.kill()
        dh.stop()
    if not lines:
        dh.fail('no damon_region_aggregated event')
    if errors:
        dh.fail('; '.join(errors))
    anon_acc, anon_hits = pu.sums(lines, 0, 0)
    file_acc, file_hits = pu.sums(lines, 1, 0)
    print('anon: accesses %d hits %d; file: accesses %d hits %d (x bytes)'
          % (anon_acc, anon_hits, file_acc, file_hits))
    if not anon_acc or not file_acc:
        dh.fail('the hot workloads were not seen accessed')
    if anon_hits < 0.9 * anon_acc:
        dh.fail('anon probe hits %.2f of the accesses on anon memory'
                % (anon_hits / anon_acc))
    if file_hits > 0.1 * file_acc:
        dh.fail('anon probe hits %.2f of the accesses on file memory'
                % (file_hits / file_acc))
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
