#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Working set size estimation accuracy of an operations set.

A workload keeps accessing W MiB of a bigger mapping, for W in 10, 100 and
1000.  The median, over aggregation snapshots, of the bytes DAMON reports as
accessed must be within 20% of W.  The aggregation interval is set to a few
times the time the workload takes to access its W MiB once, as the working
set is only defined at the time scale of a full pass.

A pause between passes (default 10 ms) leaves the working set small and
idle in between, like real programs, so that stale cached translations
would hide accesses if the Accessed bit handling did not deal with them.

usage: ops_wss.py vaddr|paddr [--pause USEC] [W ...]
"""

import sys
import time

import _damon_util as du

MIB = 1 << 20
TOLERANCE = 0.2
# aggregations to let the regions adapt, then aggregations measured;
# paddr starts from regions spread over all the memory of the machine, 300
# times the 10 MiB working set here, and takes longer to isolate it
WARM_AGGRS = {'vaddr': 10, 'paddr': 20}
AGGRS = 10
# wall time limit of one measurement
BUDGET_S = 40


def calibrate(sz_mib, w_mib, pause_us):
    """Seconds one pass over w_mib MiB takes, without DAMON."""
    wl = du.Workload(['-s', sz_mib, '-w', w_mib, '-t', 1, '-p', pause_us])
    rate = wl.finish()
    if not rate:
        du.fail('calibration run failed')
    return 1.0 / rate


def measure(ops, w_mib, pause_us):
    warm = WARM_AGGRS[ops]
    sz_mib = w_mib * 2 if w_mib < 1000 else w_mib + 256
    pass_s = calibrate(sz_mib, w_mib, pause_us)
    aggr_us = int(max(100000, pass_s * 4 * 1e6))
    aggr_us = (aggr_us + 99999) // 100000 * 100000
    sample_us = aggr_us // 20

    # Count in aggregations, not seconds: a loaded host slows the VM down.
    wl = du.Workload(['-s', sz_mib, '-w', w_mib, '-p', pause_us, '-t',
                      BUDGET_S + 5])
    t0 = time.time()
    try:
        if ops == 'paddr':
            ram = du.biggest_system_ram()
            targets = [(None, [ram])]
        else:
            targets = [(wl.pid, [])]
        trace = du.AggregatedTrace()
        trace.start()
        du.start(ops, targets, sample_us=sample_us, aggr_us=aggr_us)
        while time.time() - t0 < BUDGET_S:
            time.sleep(1)
            if len(trace.snapshots().get(0, [])) >= warm + AGGRS:
                break
        trace.stop()
        du.stop()
    finally:
        wl.kill()
    snaps = trace.snapshots().get(0, [])
    if len(snaps) < warm + 3:
        print('FAIL: %s W=%d: only %d aggregations in %d s' %
              (ops, w_mib, len(snaps), BUDGET_S))
        return 1
    snaps = snaps[warm:warm + AGGRS]
    est = du.median([du.wss(s) for s in snaps]) / MIB
    err = abs(est - w_mib) / w_mib
    print('%s W=%d MiB: estimate %.1f MiB (error %.1f%%), median of %d '
          'aggregations after %d, sample %d us aggr %d us, '
          'pass+pause %.1f ms' %
          (ops, w_mib, est, err * 100, len(snaps), warm, sample_us,
           aggr_us, pass_s * 1000))
    return err


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ('vaddr', 'paddr'):
        print(__doc__)
        sys.exit(du.KSFT_FAIL)
    ops = sys.argv[1]
    args = sys.argv[2:]
    pause_us = 10000
    if len(args) >= 2 and args[0] == '--pause':
        pause_us = int(args[1])
        args = args[2:]
    sizes = [int(x) for x in args] or [10, 100, 1000]
    du.require_root_and_damon(ops)
    failed = False
    for w in sizes:
        if measure(ops, w, pause_us) > TOLERANCE:
            print('FAIL: %s W=%d beyond %d%%' % (ops, w, TOLERANCE * 100))
            failed = True
    sys.exit(du.KSFT_FAIL if failed else du.KSFT_PASS)


if __name__ == '__main__':
    main()
