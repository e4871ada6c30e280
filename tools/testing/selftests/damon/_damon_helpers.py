# SPDX-License-Identifier: GPL-2.0
"""Helpers of the DAMON selftests written in python.

Drives the sysfs interface (/sys/kernel/mm/damon/admin), reads the
damon_aggregated tracepoint from tracefs and runs the ops_access workload.
One read(), write(), require() and stop() serve every test.

A tree is described with plain Python values: a dict is a directory (keys
are file or directory names, written in order), a list is a directory of
numbered children whose count goes to its nr_* file first (only when it
differs, like damo does), anything else is written to a file with str().

    import _damon_helpers as dh
    dh.require()
    dh.stage([dh.kdamond(dh.context('vaddr', [dh.target(pid)],
                                    [dh.scheme('stat')]))])
    dh.cmd(0, 'on')
    ...
    dh.stop()

start() is a shorter way to run one kdamond of one context without
schemes.  Additions welcome; keep existing functions compatible.
"""

import os
import re
import signal
import subprocess
import sys
import time

KSFT_PASS = 0
KSFT_FAIL = 1
KSFT_SKIP = 4

ADMIN = '/sys/kernel/mm/damon/admin'
KDAMONDS = os.path.join(ADMIN, 'kdamonds')
KDAMOND = os.path.join(KDAMONDS, '0')
CTX = os.path.join(KDAMOND, 'contexts', '0')
ULONG_MAX = 2**64 - 1
UINT_MAX = 2**32 - 1

NR_FILES = {'kdamonds': 'nr_kdamonds', 'contexts': 'nr_contexts',
            'targets': 'nr_targets', 'regions': 'nr_regions',
            'schemes': 'nr_schemes', 'goals': 'nr_goals',
            'filters': 'nr_filters', 'core_filters': 'nr_filters',
            'ops_filters': 'nr_filters', 'dests': 'nr_dests'}

# The kselftest runner ends a test that overruns its timeout with SIGTERM.
# Turn that into SystemExit, so that the test's finally blocks still stop
# what it started and the tests after it do not find DAMON busy.
signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
# Line by line: a test killed while stuck in the kernel still shows how far
# it got.
sys.stdout.reconfigure(line_buffering=True)


def skip(msg):
    print('SKIP: %s' % msg)
    sys.exit(KSFT_SKIP)


def fail(msg):
    print('FAIL: %s' % msg)
    sys.exit(KSFT_FAIL)


def require(ops=None):
    """Exits with the skip code unless DAMON sysfs (and @ops) is usable.

    With @ops, also leaves one kdamond of one context, off, to check the
    operations set is available.
    """
    if os.geteuid() != 0:
        skip('needs root')
    if not os.path.isdir(KDAMONDS):
        skip('no DAMON sysfs interface')
    if ops is None:
        return
    ensure_kdamond()
    avail = os.path.join(CTX, 'avail_operations')
    if os.path.exists(avail):
        if ops not in read(avail).split():
            skip('operations set %s not available' % ops)


def read(path, strip=True):
    """Content of a file; without the surrounding whitespace unless
    @strip is False."""
    with open(path) as f:
        content = f.read()
    return content.strip() if strip else content


def write(path, val):
    """Write like damo: one write(2) of str(val), no newline (none at all
    for an empty string).

    Unbuffered: a buffered file that fails to flush writes the same bytes
    again when it is closed, and the second write's errno is then the one
    raised.  Truncating, as open(path, 'w') does: writing nothing to a
    tracefs "trace" file is how its buffer is cleared.
    """
    data = str(val).encode()
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
    try:
        if data:
            os.write(fd, data)
    finally:
        os.close(fd)


def try_write(path, val):
    """Write; return 0 or the errno of the failure."""
    try:
        write(path, val)
    except OSError as e:
        return e.errno
    return 0


def kd_path(idx, *names):
    return os.path.join(KDAMONDS, str(idx), *names)


def state(idx=0):
    return read(kd_path(idx, 'state'))


def kdamond_pid(idx=0):
    return int(read(kd_path(idx, 'pid')))


def stop():
    """Turns every kdamond off and removes the kdamonds.

    A vaddr kdamond stops by itself once its targets exited, so a failed
    "off" is fine if the kdamond is off by then.
    """
    if not os.path.isdir(KDAMONDS):
        return
    for i in range(int(read(os.path.join(KDAMONDS, 'nr_kdamonds')))):
        if state(i) != 'on':
            continue
        err = try_write(kd_path(i, 'state'), 'off')
        if err and state(i) == 'on':
            raise OSError(err, 'kdamond %d does not turn off' % i)
    write(os.path.join(KDAMONDS, 'nr_kdamonds'), 0)


def ensure_kdamond():
    """Leaves exactly one kdamond, off, with one context."""
    stop()
    write(os.path.join(KDAMONDS, 'nr_kdamonds'), 1)
    write(os.path.join(KDAMOND, 'contexts', 'nr_contexts'), 1)


def start(ops, targets, sample_us=5000, aggr_us=100000, update_us=1000000,
          min_nr_regions=10, max_nr_regions=1000, primitives=None):
    """Starts kdamond 0 monitoring @targets.

    @targets is a list of (pid or None, [(start, end), ...]) tuples.
    @primitives, if given, is a (page_table, page_fault) pair of 'Y'/'N'.
    """
    ensure_kdamond()
    write(os.path.join(CTX, 'operations'), ops)
    intervals = os.path.join(CTX, 'monitoring_attrs', 'intervals')
    write(os.path.join(intervals, 'sample_us'), sample_us)
    write(os.path.join(intervals, 'aggr_us'), aggr_us)
    write(os.path.join(intervals, 'update_us'), update_us)
    nr_regions = os.path.join(CTX, 'monitoring_attrs', 'nr_regions')
    # keep min <= max at every step
    write(os.path.join(nr_regions, 'max'), max(max_nr_regions, 1000))
    write(os.path.join(nr_regions, 'min'), min_nr_regions)
    write(os.path.join(nr_regions, 'max'), max_nr_regions)
    tdir = os.path.join(CTX, 'targets')
    write(os.path.join(tdir, 'nr_targets'), 0)
    write(os.path.join(tdir, 'nr_targets'), len(targets))
    for i, (pid, regions) in enumerate(targets):
        t = os.path.join(tdir, '%d' % i)
        if pid is not None:
            write(os.path.join(t, 'pid_target'), pid)
        rdir = os.path.join(t, 'regions')
        write(os.path.join(rdir, 'nr_regions'), len(regions))
        for j, (s, e) in enumerate(regions):
            write(os.path.join(rdir, '%d' % j, 'start'), s)
            write(os.path.join(rdir, '%d' % j, 'end'), e)
    write(os.path.join(CTX, 'schemes', 'nr_schemes'), 0)
    if primitives is not None:
        prim = os.path.join(CTX, 'monitoring_attrs', 'sample', 'primitives')
        # page_fault first: both off would be refused at "on" only, but
        # keep every intermediate setup a valid one anyway
        write(os.path.join(prim, 'page_fault'), primitives[1])
        write(os.path.join(prim, 'page_table'), primitives[0])
    write(os.path.join(KDAMOND, 'state'), 'on')


def wait_off(timeout):
    """Waits until the kdamond stops by itself; True if it did."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if state() == 'off':
            return True
        time.sleep(0.1)
    return False


def timed_write(path, val, deadline_s):
    """Write @val to @path in a child process, so that a write blocked in
    the kernel fails the test instead of blocking it.  Returns the seconds
    it took, or None if it did not return within @deadline_s (the child is
    then left blocked).  Fails the test if the write returned an error."""
    begin = time.time()
    child = subprocess.Popen(['sh', '-c', 'printf %s "$1" > "$2"', 'sh',
                              str(val), path])
    try:
        rc = child.wait(deadline_s)
    except subprocess.TimeoutExpired:
        return None
    if rc:
        fail('writing %s to %s failed' % (val, path))
    return time.time() - begin


def system_ram_ranges():
    """(start, end) of each System RAM resource, end exclusive."""
    ranges = []
    with open('/proc/iomem') as f:
        for line in f:
            if line.startswith(' ') or not line.strip().endswith(
                    ': System RAM'):
                continue
            span = line.split(':')[0].strip()
            s, e = span.split('-')
            ranges.append((int(s, 16), int(e, 16) + 1))
    return ranges


def biggest_system_ram():
    ranges = system_ram_ranges()
    if not ranges:
        return None
    return max(ranges, key=lambda r: r[1] - r[0])


def tracefs():
    for p in ('/sys/kernel/tracing', '/sys/kernel/debug/tracing'):
        if os.path.exists(os.path.join(p, 'trace')):
            return p
    os.makedirs('/sys/kernel/tracing', exist_ok=True)
    subprocess.call(['mount', '-t', 'tracefs', 'nodev',
                     '/sys/kernel/tracing'])
    if os.path.exists('/sys/kernel/tracing/trace'):
        return '/sys/kernel/tracing'
    return None


class CsdCalls:
    """Cross-CPU function calls run by CPUs but CPU 0, counted through the
    csd tracepoints of the tracefs instance @instance."""

    # "<task>-<pid> [<cpu>] <flags> <ts>: csd_function_entry: func=<sym>"
    LINE = re.compile(r'\[(\d+)\].*csd_function_entry: func=([^,+ ]+)')

    @staticmethod
    def available():
        """Whether the csd tracepoints can be used."""
        tfs = tracefs()
        return bool(tfs) and os.path.exists(os.path.join(tfs, 'events',
                                                         'csd'))

    def __init__(self, instance):
        if not self.available():
            skip('no tracefs or no csd tracepoints')
        tfs = tracefs()
        self.dir = os.path.join(tfs, 'instances', instance)
        if not os.path.isdir(self.dir):
            os.mkdir(self.dir)
        write(os.path.join(self.dir, 'buffer_size_kb'), 4096)
        write(os.path.join(self.dir, 'events', 'csd', 'csd_function_entry',
                           'enable'), 1)

    def take(self):
        """(TLB flush calls, other calls) on CPUs but 0 since the last
        take()."""
        with open(os.path.join(self.dir, 'trace')) as f:
            text = f.read()
        write(os.path.join(self.dir, 'trace'), '')
        flush = other = 0
        for cpu, func in self.LINE.findall(text):
            if int(cpu) == 0:
                continue
            if 'flush_tlb' in func:
                flush += 1
            else:
                other += 1
        return flush, other

    def close(self):
        write(os.path.join(self.dir, 'events', 'csd', 'csd_function_entry',
                           'enable'), 0)
        os.rmdir(self.dir)


class PageFaults:
    """damon_report_page_fault events of one thread, from tracefs.

    The event is enabled by on() and disabled by off(); take() returns the
    (vaddr, size) of the thread's events since the last take().
    """
    EVENT_RE = re.compile(r'damon_report_page_fault:\s+vaddr=(\d+) '
                          r'size=(\d+) cpu=\d+ tid=(\d+) ')

    def __init__(self, tid):
        self.tracefs = tracefs()
        if self.tracefs is None:
            skip('no tracefs')
        self.event = os.path.join(self.tracefs, 'events', 'damon',
                                  'damon_report_page_fault', 'enable')
        if not os.path.exists(self.event):
            skip('no damon_report_page_fault tracepoint')
        self.tid = tid
        write(os.path.join(self.tracefs, 'buffer_size_kb'), 4096)
        self.take()

    def take(self):
        path = os.path.join(self.tracefs, 'trace')
        events = []
        with open(path) as f:
            for line in f:
                m = self.EVENT_RE.search(line)
                if m and int(m.group(3)) == self.tid:
                    events.append((int(m.group(1)), int(m.group(2))))
        write(path, '')
        return events

    def on(self):
        write(self.event, 1)

    def off(self):
        write(self.event, 0)


class AggregatedTrace:
    """Collects damon_aggregated events in the tracefs ring buffer."""

    LINE = re.compile(r'damon_aggregated: target_id=(\d+) nr_regions=(\d+) '
                      r'(\d+)-(\d+): (\d+) (\d+)')

    def __init__(self, buffer_kb=16384):
        self.tracefs = tracefs()
        if self.tracefs is None:
            skip('no tracefs')
        self.event = os.path.join(self.tracefs, 'events', 'damon',
                                  'damon_aggregated', 'enable')
        if not os.path.exists(self.event):
            skip('no damon_aggregated tracepoint')
        write(os.path.join(self.tracefs, 'buffer_size_kb'), buffer_kb)

    def start(self):
        write(os.path.join(self.tracefs, 'trace'), '')
        write(self.event, 1)

    def stop(self):
        write(self.event, 0)

    def wait_snapshots(self, nr, budget_s, target_id=0):
        """Waits until @nr snapshots of a target are traced or @budget_s
        seconds passed; aggregations take longer on a slow machine."""
        deadline = time.time() + budget_s
        while time.time() < deadline:
            time.sleep(0.5)
            if len(self.snapshots().get(target_id, [])) >= nr:
                return True
        return False

    def snapshots(self):
        """Per target id, the list of aggregation snapshots.

        A snapshot is a list of (start, end, nr_accesses, age) tuples, one
        per region, complete (nr_regions of them).
        """
        snaps = {}
        pending = {}
        with open(os.path.join(self.tracefs, 'trace')) as f:
            for line in f:
                m = self.LINE.search(line)
                if not m:
                    continue
                tid, nr, s, e, acc, age = [int(x) for x in m.groups()]
                cur = pending.setdefault(tid, [])
                cur.append((s, e, acc, age))
                if len(cur) >= nr:
                    snaps.setdefault(tid, []).append(cur)
                    pending[tid] = []
        return snaps


def wss(snapshot):
    """Bytes of the regions that were accessed in a snapshot."""
    return sum(e - s for s, e, acc, _ in snapshot if acc > 0)


def proc_kb(path, name):
    """The kB value of the "@name:" line of a /proc file (0 if none), e.g.
    proc_kb('/proc/meminfo', 'Slab')."""
    with open(path) as f:
        for line in f:
            if line.startswith(name + ':'):
                return int(line.split()[1])
    return 0


def avg_nr_accesses(snap, start, end):
    """Size-weighted nr_accesses of [start, end) in a snapshot."""
    total = weighted = 0
    for s, e, acc, _ in snap:
        lo, hi = max(s, start), min(e, end)
        if lo >= hi:
            continue
        total += hi - lo
        weighted += (hi - lo) * acc
    return weighted / total if total else None


def hot_above_cold(snaps, start, mid, end):
    """Snapshots in which [start, mid) is accessed more than [mid, end)."""
    good = 0
    for snap in snaps:
        hot = avg_nr_accesses(snap, start, mid)
        cold = avg_nr_accesses(snap, mid, end)
        if hot is not None and cold is not None and hot > cold:
            good += 1
    return good


def median(vals):
    vals = sorted(vals)
    if not vals:
        return None
    n = len(vals)
    if n % 2:
        return vals[n // 2]
    return (vals[n // 2 - 1] + vals[n // 2]) / 2


# Run time of a workload the test kills when done with it: long enough that
# the target does not go away while the test still uses it, even when the
# emulated guest stalls for a minute (seen while migrating pages).
UNTIL_KILLED = 600


class Workload:
    """Runs the ops_access helper program and waits until it is ready."""

    def __init__(self, args):
        prog = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            'ops_access')
        if not os.path.exists(prog):
            skip('ops_access not built')
        self.proc = subprocess.Popen([prog] + [str(a) for a in args],
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().split()
        if len(line) != 4 or line[0] != 'ready':
            self.proc.wait()
            raise RuntimeError('workload failed: %s' % line)
        self.pid = int(line[1])
        self.start = int(line[2])
        self.end = int(line[3])

    def finish(self):
        """Waits for the end; returns passes per second."""
        out = self.proc.stdout.read().split()
        self.proc.wait()
        if len(out) >= 3 and out[0] == 'passes':
            return float(out[2])
        return None

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def workloads(*arg_lists):
    """Starts one Workload per argument list; if one fails to start, kills
    those already started before raising."""
    started = []
    try:
        for args in arg_lists:
            started.append(Workload(args))
    except BaseException:
        for wl in started:
            wl.kill()
        raise
    return started


def write_tree(base, spec):
    """Write the tree described by spec under directory base."""
    for name, val in spec.items():
        path = os.path.join(base, name)
        if isinstance(val, dict):
            write_tree(path, val)
        elif isinstance(val, list):
            nr_path = os.path.join(path, NR_FILES[name])
            if int(read(nr_path)) != len(val):
                write(nr_path, len(val))
            for i, child in enumerate(val):
                write_tree(os.path.join(path, str(i)), child)
        else:
            write(path, val)


def read_tree(base=KDAMONDS):
    """{relative path: content} of every file under base."""
    files = {}
    for root, _, names in os.walk(base):
        for n in names:
            p = os.path.join(root, n)
            files[os.path.relpath(p, base)] = read(p, strip=False)
    return files


def kdamond(*contexts, refresh_ms=0):
    return {'refresh_ms': refresh_ms, 'contexts': list(contexts)}


def context(ops='vaddr', targets=(), schemes=(), sample_us=5000,
            aggr_us=100000, update_us=1000000, nr_regions=(10, 1000)):
    return {'operations': ops,
            'monitoring_attrs': {
                'intervals': {'sample_us': sample_us, 'aggr_us': aggr_us,
                              'update_us': update_us},
                'nr_regions': {'min': nr_regions[0],
                               'max': nr_regions[1]}},
            'targets': list(targets), 'schemes': list(schemes)}


def target(pid=None, regions=()):
    t = {} if pid is None else {'pid_target': pid}
    t['regions'] = [{'start': s, 'end': e} for s, e in regions]
    return t


def scheme(action='stat', sz=(0, ULONG_MAX), nr_accesses=(0, UINT_MAX),
           age=(0, UINT_MAX), apply_interval_us=0, **extra):
    """A scheme; extra items (e.g. quotas={...}) are written after."""
    s = {'access_pattern': {
            'sz': {'min': sz[0], 'max': sz[1]},
            'nr_accesses': {'min': nr_accesses[0], 'max': nr_accesses[1]},
            'age': {'min': age[0], 'max': age[1]}},
         'action': action, 'apply_interval_us': apply_interval_us}
    s.update(extra)
    return s


def stage(kdamonds):
    """Write a list of kdamond() trees."""
    write_tree(ADMIN, {'kdamonds': kdamonds})




def cmd(idx, command):
    """Write a command to kdamond idx's state file; OSError on failure,
    after saying what the kdamond and its targets were doing."""
    try:
        write(kd_path(idx, 'state'), command)
    except OSError as e:
        print('# %r to kdamond %d failed: %s' % (command, idx, e))
        try:
            describe(idx)
        except (OSError, ValueError):
            pass
        raise


def describe(idx):
    """Print the state of kdamond idx and whether its targets live."""
    print('#   state %s, pid %s' % (state(idx),
                                   read(kd_path(idx, 'pid'))))
    targets = kd_path(idx, 'contexts', '0', 'targets')
    for i in range(int(read(os.path.join(targets, 'nr_targets')))):
        pid = read(os.path.join(targets, str(i), 'pid_target'))
        print('#   target %d: pid %s, %s' % (i, pid, task_state(pid)))


def task_state(pid):
    """The State line of /proc/PID/status (Z: exited, not yet reaped)."""
    try:
        with open('/proc/%s/status' % pid) as f:
            for line in f:
                if line.startswith('State:'):
                    return line.strip()
    except OSError as e:
        return 'no task (%s)' % e.strerror
    return 'no State line'






def scheme_path(kd=0, s=0, *names):
    return kd_path(kd, 'contexts', '0', 'schemes', str(s), *names)


def tried_regions(kd=0, s=0):
    """[(start, end, nr_accesses, age)] and total_bytes of a scheme."""
    base = scheme_path(kd, s, 'tried_regions')
    regions = []
    for d in sorted((n for n in os.listdir(base) if n.isdigit()), key=int):
        regions.append(tuple(int(read(os.path.join(base, d, f)))
                             for f in ('start', 'end', 'nr_accesses', 'age')))
    return regions, int(read(os.path.join(base, 'total_bytes')))
