#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Guest side of the DAMON benchmark (runs inside the test VM as root).

usage: guest.py CASES.json OUTDIR

For every case of CASES.json (written by bench/run): run the workload once
without monitoring (its throughput is the baseline), then once under DAMON
configured through /sys/kernel/mm/damon/admin with the same attributes on
every kernel, recording the damon:damon_aggregated tracepoint with the
CLOCK_MONOTONIC trace clock (the clock of the workload's own log) and the
kdamond's CPU time.  Everything lands in OUTDIR/<case>/.
"""
import json
import os
import signal
import subprocess
import sys
import time
import traceback

ADMIN = '/sys/kernel/mm/damon/admin'
KD = ADMIN + '/kdamonds'
TR = '/sys/kernel/tracing'
# the workload runs alone on CPU 0; this script and the kdamond share the
# last CPU, so that the workload's throughput only sees the monitoring's
# interference, not scheduling noise
WORKLOAD_CPU = 0
OTHER_CPU = max(0, (os.cpu_count() or 1) - 1)


def w(path, val):
    with open(path, 'w') as f:
        f.write(str(val))


def r(path):
    with open(path) as f:
        return f.read().strip()


def log(*a):
    print('guest:', *a, flush=True)


def kdamond_cpu_s(pid):
    """utime + stime of a task, in seconds"""
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def pin(cpu, pid=0):
    try:
        os.sched_setaffinity(pid, {cpu})
    except OSError:
        pass


def ram_span():
    """[lowest, highest) physical address of System RAM"""
    lo, hi = None, None
    with open('/proc/iomem') as f:
        for line in f:
            if line.startswith(' ') or 'System RAM' not in line:
                continue
            s, e = line.split(':')[0].strip().split('-')
            s, e = int(s, 16), int(e, 16) + 1
            lo = s if lo is None else min(lo, s)
            hi = e if hi is None else max(hi, e)
    return lo, hi


def other_kdamonds():
    names = []
    for p in os.listdir('/proc'):
        if p.isdigit():
            try:
                c = r('/proc/%s/comm' % p)
            except OSError:
                continue
            if c.startswith('kdamond'):
                names.append('%s:%s' % (p, c))
    return names


def damon_off():
    if os.path.exists(KD + '/0/state') and r(KD + '/0/state') == 'on':
        try:
            w(KD + '/0/state', 'off')
        except OSError:     # it may have stopped by itself meanwhile
            pass
        for _ in range(100):
            if r(KD + '/0/state') == 'off':
                break
            time.sleep(0.05)
    w(KD + '/nr_kdamonds', 0)


def damon_setup(case, pid):
    a = case['attrs']
    w(KD + '/nr_kdamonds', 1)
    c = KD + '/0/contexts'
    w(c + '/nr_contexts', 1)
    c += '/0'
    w(c + '/operations', case['ops'])
    m = c + '/monitoring_attrs'
    w(m + '/intervals/sample_us', a['sample_us'])
    w(m + '/intervals/aggr_us', a['aggr_us'])
    w(m + '/intervals/update_us', a['update_us'])
    w(m + '/nr_regions/max', a['max_nr_regions'])
    w(m + '/nr_regions/min', a['min_nr_regions'])
    if case.get('primitives'):
        prim = m + '/sample/primitives'
        w(prim + '/page_fault', case['primitives'][1])
        w(prim + '/page_table', case['primitives'][0])
    w(c + '/targets/nr_targets', 1)
    t = c + '/targets/0'
    if case['ops'] == 'vaddr':
        w(t + '/pid_target', pid)
        return None
    lo, hi = ram_span()
    w(t + '/regions/nr_regions', 1)
    w(t + '/regions/0/end', hi)
    w(t + '/regions/0/start', lo)
    return [lo, hi]


def start_workload(case, logpath, dur):
    cmd = [case['bin'], '-d', str(dur), '-o', logpath] + case.get('args', [])
    if case['ops'] == 'paddr':
        cmd.append('-p')
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True,
                         preexec_fn=lambda: pin(WORKLOAD_CPU))
    line = p.stdout.readline()
    if not line.startswith('ready'):
        p.kill()
        raise RuntimeError('workload %s did not start: %r' % (cmd, line))
    return p


def start_profile(kpid, out):
    """perf record of the kdamond alone: cpu-clock samples (no PMU under
    TCG) with kernel call chains, only while it runs"""
    with open(out + '/perf.err', 'w') as err:
        return subprocess.Popen(['perf', 'record', '-q', '-e', 'cpu-clock', '-F', '1000',
                                 '-g', '-t', str(kpid), '-o', out + '/perf.data'],
                                stdout=err, stderr=err)


def stop_profile(prof, out):
    """stop perf record; its samples' call chains, symbolized here (the
    guest's kernel), go to perf.txt for bench/run to sort into phases"""
    prof.send_signal(signal.SIGINT)
    try:
        prof.wait(60)
    except subprocess.TimeoutExpired:
        prof.kill()
        prof.wait()
    with open(out + '/perf.txt', 'w') as f, open(out + '/perf.err', 'a') as err:
        subprocess.run(['perf', 'script', '-i', out + '/perf.data', '-F', 'ip,sym'],
                       stdout=f, stderr=err)
    os.unlink(out + '/perf.data')


def run_case(case, out):
    os.makedirs(out, exist_ok=True)
    info = {'case': case['name'], 'ops': case['ops']}
    # baseline, unmonitored
    if case.get('base_secs'):
        p = start_workload(case, out + '/base.log', case['base_secs'])
        p.send_signal(signal.SIGUSR1)
        p.wait()
    # monitored
    p = start_workload(case, out + '/mon.log', case['secs'] + 60)
    damon_off()
    info['paddr_region'] = damon_setup(case, p.pid)
    w(TR + '/tracing_on', 0)
    w(TR + '/trace', '')
    w(TR + '/events/damon/damon_aggregated/enable', 1)
    w(TR + '/tracing_on', 1)
    t_on = time.monotonic()
    w(KD + '/0/state', 'on')
    kpid = int(r(KD + '/0/pid'))
    pin(OTHER_CPU, kpid)
    prof = start_profile(kpid, out) if case.get('profile') else None
    cpu0 = kdamond_cpu_s(kpid)
    t0 = time.monotonic()
    p.send_signal(signal.SIGUSR1)
    time.sleep(case['secs'])
    # read the kdamond's CPU time before the workload exits: a vaddr
    # kdamond stops by itself when its target process is gone
    cpu1 = kdamond_cpu_s(kpid)
    t1 = time.monotonic()
    if prof:
        stop_profile(prof, out)
    w(TR + '/tracing_on', 0)
    w(TR + '/events/damon/damon_aggregated/enable', 0)
    attrs = {}
    m = KD + '/0/contexts/0/monitoring_attrs'
    for k in ('intervals/sample_us', 'intervals/aggr_us', 'intervals/update_us',
              'nr_regions/min', 'nr_regions/max'):
        attrs[k] = r(m + '/' + k)
    info['attrs_readback'] = attrs
    p.send_signal(signal.SIGTERM)
    p.wait()
    damon_off()
    info.update(kdamond_pid=kpid, damon_on=t_on, cpu_t0=t0, cpu_t1=t1,
                kdamond_cpu_s=cpu1 - cpu0, workload_rc=p.returncode)
    overrun = 0
    for cpu in os.listdir(TR + '/per_cpu'):
        for line in open(TR + '/per_cpu/%s/stats' % cpu):
            if line.startswith('overrun:'):
                overrun += int(line.split()[1])
    info['trace_overrun'] = overrun
    with open(TR + '/trace') as src, open(out + '/trace.txt', 'w') as dst:
        for line in src:
            if 'damon_aggregated' in line:
                dst.write(line)
    w(TR + '/trace', '')
    damon_off()
    with open(out + '/info.json', 'w') as f:
        json.dump(info, f, indent=1)
    log('%s: %.1f s monitored, kdamond %.2f s CPU, trace overrun %d' % (
        case['name'], t1 - t0, cpu1 - cpu0, overrun))


def has_sample_primitives():
    """Whether contexts have sample/primitives (the page fault primitive)."""
    damon_off()
    w(KD + '/nr_kdamonds', 1)
    w(KD + '/0/contexts/nr_contexts', 1)
    ok = os.path.isdir(KD + '/0/contexts/0/monitoring_attrs/sample/primitives')
    w(KD + '/nr_kdamonds', 0)
    return ok


def main():
    cases = json.load(open(sys.argv[1]))
    outdir = sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    if not os.path.isdir(KD) or not os.path.isdir(TR + '/events/damon/damon_aggregated'):
        log('no DAMON sysfs or damon_aggregated tracepoint')
        return 1
    pin(OTHER_CPU)
    stat = '/sys/module/damon_stat/parameters/enabled'
    if os.path.exists(stat):
        w(stat, 'N')
    time.sleep(0.5)
    w(TR + '/trace_clock', 'mono')
    w(TR + '/buffer_size_kb', 32768)
    sysinfo = {'uname': os.uname().release, 'other_kdamonds': other_kdamonds(),
               'trace_clock': r(TR + '/trace_clock'),
               'ram_span': ram_span(), 'ncpus': os.cpu_count()}
    with open(outdir + '/sysinfo.json', 'w') as f:
        json.dump(sysinfo, f, indent=1)
    log('kernel', sysinfo['uname'], 'other kdamonds:', sysinfo['other_kdamonds'])
    rc = 0
    primitives = has_sample_primitives()
    for case in cases:
        if case.get('primitives') and not primitives:
            log('%s: skipped, no sample primitives in this kernel' % case['name'])
            continue
        try:
            run_case(case, os.path.join(outdir, case['name']))
        except Exception as e:   # keep going with the other cases
            log("%s: FAILED: %r" % (case["name"], e))
            traceback.print_exc(file=sys.stdout)
            rc = 1
            try:
                damon_off()
            except OSError:
                pass
    return rc


if __name__ == '__main__':
    sys.exit(main())
