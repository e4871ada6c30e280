#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Seeded random writes to the whole DAMON sysfs tree and module parameters.

usage: sysfs_fuzz.py [--seed N] [--ops N] [--secs S] [--avoid-known LIST]
                     [--timeout S] [--kdamond-wait S] [--verbose]

One writer thread writes random valid and invalid values to every file of
/sys/kernel/mm/damon/admin (paths drawn from the sysfs_tree.py table, with
random indexes, so that missing ones fail with ENOENT), random state
commands, nr_* files grown and shrunk while kdamonds run, vaddr targets
(ops_access workloads) started and exiting, valid configurations staged
and started now and then, and the parameters of damon_reclaim,
damon_lru_sort and damon_stat toggled.  Reader threads walk and read the
whole tree and the parameters, like damo does, at the same time.

Every write and read runs under a watchdog: one taking more than --timeout
seconds (2 by default) is a failure, and the operation is printed; state
commands, which wait for the kdamond to take them, get --kdamond-wait
seconds more (10 by default).  The longest time per file kind is printed.  At the
end everything is stopped, the module parameters restored, and the kernel
log checked for splats; no kdamond thread may be left.

The writer's choices depend only on the seed, so "--seed N --ops M" replays
a run up to its M-th operation (timing-dependent outcomes, like a kdamond
that stopped because its target exited, aside).

Under the kselftest runner, which passes no arguments, options can be
given in the environment: SYSFS_FUZZ_ARGS="--secs 1800 --seed 3".

--avoid-known keeps away from the defects of issue 13 that are not fixed
yet (by number, comma-separated, or "none"); the default run avoids those
listed in AVOID_DEFAULT.  Drop a number from it once its fix is merged.
"""

import argparse
import collections
import errno
import os
import random
import re
import shlex
import subprocess
import sys
import threading
import time

import _damon_helpers as dh
from sysfs_tree import TREE, flatten

KNOWN_DEFECTS = {
    1: 'addr_unit above 4 MiB with a paddr scheme: the kdamond spins, '
       'off hangs',
    2: 'huge min_nr_regions: O(n^2) split without resched, soft lockup',
    3: 'update_schemes_tried_{regions,bytes} wait one apply interval '
       'uninterruptibly (unbounded)',
    4: '>~29k schemes or >64k tried regions: allocations past the page '
       'allocator maximum order WARN',
    13: 'aggr/sample ratio >= 2^32: the merge threshold loop spins',
}
# Defects of issue 13 to keep away from by default.  4's WARN is fixed, but
# writing tens of thousands to an nr_* file creates as many directories:
# 4.6 s for nr_filters 65536 in the TCG guest (seed 1), past --timeout.
AVOID_DEFAULT = '4'

MODULES = ('damon_reclaim', 'damon_lru_sort', 'damon_stat')
ULONG_MAX = 2**64 - 1
SPLAT_RE = re.compile(
    r'(BUG: |WARNING: |Oops|general protection fault|KASAN|UBSAN|'
    r'possible recursive locking|possible circular locking|'
    r'inconsistent lock state|INFO: task|INFO: rcu|suspicious RCU usage|'
    r'self-detected stall|detected stall|hung_task|blocked for more than|'
    r'soft lockup|hard LOCKUP|Kernel panic|kernel BUG at|unreferenced object|'
    r'Call Trace:|list_add corruption|list_del corruption|wrong timeout)')

COMMANDS = ['on', 'off', 'commit', 'commit_schemes_quota_goals',
            'update_schemes_stats', 'update_schemes_tried_regions',
            'update_schemes_tried_bytes', 'clear_schemes_tried_regions',
            'update_schemes_effective_quotas', 'update_tuned_intervals']
WALK_COMMANDS = ('update_schemes_tried_regions', 'update_schemes_tried_bytes')
ENUMS = {
    'operations': ['vaddr', 'fvaddr', 'paddr'],
    'action': ['willneed', 'cold', 'pageout', 'hugepage', 'nohugepage',
               'collapse', 'lru_prio', 'lru_deprio', 'migrate_hot',
               'migrate_cold', 'stat'],
    'target_metric': ['user_input', 'some_mem_psi_us', 'node_mem_used_bp',
                      'node_mem_free_bp', 'node_memcg_used_bp',
                      'node_memcg_free_bp', 'active_mem_bp',
                      'inactive_mem_bp', 'node_eligible_mem_bp'],
    'goal_tuner': ['consist', 'temporal'],
    'metric': ['none', 'free_mem_rate'],
    'type': ['anon', 'active', 'memcg', 'young', 'hugepage_size', 'unmapped',
             'addr', 'target'],
    'state': COMMANDS,
}
BOOLS = ('pause', 'obsolete_target', 'matching', 'allow', 'enabled',
         'commit_inputs', 'skip_anon', 'autotune_monitoring_intervals')
NR_FILES = ('nr_kdamonds', 'nr_contexts', 'nr_targets', 'nr_regions',
            'nr_schemes', 'nr_goals', 'nr_filters', 'nr_dests')
GARBAGE = ['', ' ', '\n', 'abc', '0x', '0x10', '010', '08', '1e3', '+1', '-0',
           '1 2', '1\n', ' 1', '1\n2', '\x00', '1\x00', 'Y', 'N', 'on',
           '\xff', '\u0661', 'a' * 4095, 'a' * 5000, '9' * 30, '-' * 3,
           '%s%n', '../..', '18446744073709551616', '-9223372036854775809',
           '4294967296', '0b101', '1.5', 'nan', 'inf']
NUMBERS = [0, 1, 2, 3, 4, 5, 10, 100, 1000, 4096, 5000, 65535, 65536, 65537,
           2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**32 + 1, 2**63 - 1, 2**63,
           ULONG_MAX, ULONG_MAX + 1, -1, -2, -2**31, -2**63]
SANE = {
    'sample_us': [1000, 5000, 10000, 100000],
    'aggr_us': [10000, 100000, 200000, 1000000],
    'update_us': [100000, 1000000],
    'sample_interval': [1000, 5000, 10000, 100000],
    'aggr_interval': [10000, 100000, 1000000],
    'apply_interval_us': [0, 0, 5000, 100000, 1000000],
    'refresh_ms': [0, 0, 10, 100, 1000],
    'addr_unit': [1, 1, 1, 2, 1024, 4096, 4194304, 8388608, 2**32, 2**63],
    'access_bp': [0, 0, 10, 400, 10000, 10001],
    'aggrs': [0, 0, 1, 3, 100],
    'min_sample_us': [0, 1000, 5000],
    'max_sample_us': [0, 10000, 100000, 10000000],
    'interval_us': [0, 1000, 100000, 5000000],
    'high': [0, 300, 500, 1000, 1001], 'mid': [0, 200, 500, 1000],
    'low': [0, 50, 100, 1000],
    'ms': [0, 1, 10, 1000], 'bytes': [0, 4096, 1 << 20, 1 << 30],
    'reset_interval_ms': [0, 10, 1000], 'target_value': [0, 1, 500, 10000],
    'current_value': [0, 1, 500, 10000],
    'sz_permil': [0, 1, 1000], 'nr_accesses_permil': [0, 1, 1000],
    'age_permil': [0, 1, 1000], 'fail_charge_num': [0, 1, 100],
    'fail_charge_denom': [0, 1, 100],
    'target_nid': [-1, 0, 1, 2, 1023, 1024], 'nid': [-1, 0, 1, 1024],
    'id': [-1, 0, 1, 2, 1024], 'weight': [0, 1, 100, 10000],
    'max_nr_snapshots': [0, 1, 10], 'damon_target_idx': [0, 1, 2],
    'min_nr_regions': [3, 10, 100, 1000, 200000],
    'max_nr_regions': [10, 100, 1000, 200000],
    'min_age': [0, 1000000, 120000000], 'quota_ms': [0, 10, 1000],
    'quota_sz': [0, 1 << 20, 1 << 30], 'quota_reset_interval_ms': [0, 1000],
    'wmarks_interval': [1000, 5000000], 'wmarks_high': [0, 500, 1000],
    'wmarks_mid': [0, 400, 1000], 'wmarks_low': [0, 200, 1000],
    'hot_thres_access_freq': [0, 500, 1000, 1001],
    'cold_min_age': [0, 1000000, 120000000], 'active_mem_bp': [0, 5000, 10000],
    'quota_mem_pressure_us': [0, 1000], 'quota_autotune_feedback': [0, 1],
}
PATHS = ['', '/', '/sys/fs/cgroup', '/nonexistent', '/' + 'a' * 300,
         'a' * 4095, 'relative']


class Stats:
    """errno counts and the longest time per file kind."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = collections.defaultdict(collections.Counter)
        self.slowest = collections.defaultdict(float)

    def add(self, kind, err, took):
        name = 'ok' if not err else errno.errorcode.get(err, str(err))
        with self.lock:
            self.counts[kind][name] += 1
            self.slowest[kind] = max(self.slowest[kind], took)

    def show(self):
        with self.lock:
            for kind in sorted(self.counts):
                c = self.counts[kind]
                print('#   %-40s %s max %.2f s' % (kind, ' '.join(
                    '%s=%d' % kv for kv in sorted(c.items())),
                    self.slowest[kind]))


class Watchdog:
    """Times every sysfs access; reports those taking more than a limit."""

    GRACE = 15

    def __init__(self, limit, on_hang):
        self.limit = limit
        self.on_hang = on_hang
        self.lock = threading.Lock()
        self.busy = {}
        self.failures = []
        self.stop = False
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def call(self, desc, fn, limit=None):
        me = threading.get_ident()
        limit = limit or self.limit
        start = time.monotonic()
        with self.lock:
            self.busy[me] = [desc, start, limit, False]
        try:
            return fn()
        finally:
            took = time.monotonic() - start
            with self.lock:
                del self.busy[me]
            if took > limit:
                self.fail('SLOW: %s took %.1f s (limit %.1f s)' %
                          (desc, took, limit))

    def fail(self, msg):
        print('# ' + msg)
        with self.lock:
            self.failures.append(msg)

    def run(self):
        while not self.stop:
            time.sleep(0.2)
            now = time.monotonic()
            hung = None
            with self.lock:
                for tid, b in self.busy.items():
                    desc, start, limit, told = b
                    if not told and now - start > limit:
                        b[3] = True
                        print('# BLOCKED: %s for %.1f s so far; busy: %s' %
                              (desc, now - start, '; '.join(
                                  '%s (%.1f s)' % (o[0], now - o[1])
                                  for o in self.busy.values() if o != b)))
                    if now - start > limit + self.GRACE:
                        hung = (tid, desc, now - start)
            if hung:
                self.failures.append('HANG: %s blocked for %.0f s' %
                                     (hung[1], hung[2]))
                self.on_hang(hung)
                return


def as_ints(val):
    """What the kernel's kstrto*() may make of @val (base 0 or 10)."""
    out = []
    s = str(val).strip()
    for base in (0, 10):
        try:
            out.append(int(s, base))
        except ValueError:
            pass
    return out


def bigger(val, limit):
    return any(x > limit for x in as_ints(val))


class Fuzzer:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.avoid = set()
        if args.avoid_known != 'none':
            self.avoid = {int(x) for x in args.avoid_known.split(',') if x}
        self.stats = Stats()
        self.avoided = collections.Counter()
        self.nr_ops = 0
        self.history = collections.deque(maxlen=30)
        self.wd = Watchdog(args.timeout, self.on_hang)
        self.workloads = []
        self.dead_pids = []
        self.stop_readers = False
        self.readers = []
        self.reader_errors = []
        self.files = sorted(flatten(TREE['0']).items())
        self.params = {}
        for m in MODULES:
            d = '/sys/module/%s/parameters' % m
            if os.path.isdir(d):
                for n in sorted(os.listdir(d)):
                    p = os.path.join(d, n)
                    self.params[p] = os.stat(p).st_mode & 0o200 != 0
        self.saved_params = {p: dh.read(p) for p in self.params}
        self.ram = dh.system_ram_ranges() or [(1 << 20, 128 << 20)]

    # ---- low level -----------------------------------------------------

    def on_hang(self, hung):
        print('# HANG: %s blocked for %.0f s; op %d of seed %d' %
              (hung[1], hung[2], self.nr_ops, self.args.seed))
        self.show_history()
        self.show_kdamond_stacks()
        for c in 'wl':
            try:
                with open('/proc/sysrq-trigger', 'w') as f:
                    f.write(c)
            except OSError:
                pass
        self.summary()
        print('FAIL: a sysfs access hung')
        sys.stdout.flush()
        os._exit(dh.KSFT_FAIL)

    def show_kdamond_stacks(self, samples=5):
        """Where the kdamonds are, sampled a few times."""
        for i in range(samples):
            for t in self.kdamond_threads():
                pid = t[t.index('(') + 1:-1]
                try:
                    with open('/proc/%s/stack' % pid) as f:
                        frames = [line.split()[1].split('+')[0]
                                  for line in f if len(line.split()) > 1]
                except OSError:
                    continue
                print('# stack %d of %s: %s' % (i, t, ' < '.join(frames)))
            time.sleep(0.2)

    def show_history(self):
        print('# last operations:')
        for h in self.history:
            print('#   %s' % h)

    def raw_write(self, path, val, kind, limit=None):
        data = val.encode('utf-8', 'surrogateescape') \
            if isinstance(val, str) else val

        def do():
            fd = os.open(path, os.O_WRONLY)
            try:
                os.write(fd, data)
            finally:
                os.close(fd)
        desc = 'op %d: write %r to %s' % (self.nr_ops, val if len(str(val))
                                          < 40 else str(val)[:37] + '...',
                                          path)
        if kind != 'cleanup':
            self.history.append(desc)
        if self.args.verbose:
            print('# ' + desc)
        err = 0
        start = time.monotonic()
        try:
            self.wd.call(desc, do, limit)
        except OSError as e:
            err = e.errno
        self.stats.add(kind, err, time.monotonic() - start)
        return err

    def read(self, path, kind='read'):
        def do():
            with open(path) as f:
                return f.read()
        start = time.monotonic()
        try:
            return self.wd.call('read %s' % path, do)
        except OSError as e:
            self.stats.add(kind, e.errno, time.monotonic() - start)
            return None

    # ---- values --------------------------------------------------------

    def number(self):
        r = self.rng.random()
        if r < 0.7:
            return str(self.rng.choice(NUMBERS))
        if r < 0.9:
            return str(self.rng.getrandbits(self.rng.randint(1, 64)))
        return str(-self.rng.getrandbits(self.rng.randint(1, 64)))

    def value(self, name):
        r = self.rng.random()
        if r < 0.1:
            return self.rng.choice(GARBAGE)
        if name in ENUMS:
            if r < 0.8:
                return self.rng.choice(ENUMS[name])
            v = self.rng.choice(ENUMS[name])
            return self.rng.choice([v.upper(), v + 'x', v[:-1], ' ' + v,
                                    v + '\n', v + '\n\n', v * 2])
        if name in BOOLS:
            return self.rng.choice(['Y', 'N', 'y', 'n', '1', '0', 'yes',
                                    'no', 'on', 'off', 'true', 'false', '2',
                                    'Yes', 'N\n', '-1', 'x'])
        if name in ('memcg_path', 'path'):
            return self.rng.choice(PATHS)
        if name in NR_FILES:
            return str(self.nr_value())
        if name == 'pid_target':
            return str(self.pid_value())
        if name in ('start', 'end', 'addr_start', 'addr_end',
                    'monitor_region_start', 'monitor_region_end'):
            return str(self.addr_value())
        if name in ('min', 'max') and r < 0.6:
            return str(self.rng.choice([0, 1, 3, 10, 1000, 4096, 2 << 20,
                                        2**32 - 1, ULONG_MAX]))
        if name in SANE and r < 0.6:
            return str(self.rng.choice(SANE[name]))
        return self.number()

    def nr_value(self):
        r = self.rng.random()
        if r < 0.75:
            return self.rng.randint(0, 3)
        if r < 0.9:
            return self.rng.randint(4, 32)
        big = [65537, 2**32, 2**64, -1, 2**63]
        if 4 not in self.avoid:
            big += [1000, 29000, 40000, 65536]
        return self.rng.choice(big)

    def pid_value(self):
        r = self.rng.random()
        live = [w.pid for w in self.workloads]
        if live and r < 0.6:
            return self.rng.choice(live)
        if self.dead_pids and r < 0.75:
            return self.rng.choice(self.dead_pids)
        return self.rng.choice([os.getpid(), 0, 1, -1, 2**31, 4194305,
                                2**31 - 1])

    def addr_value(self):
        r = self.rng.random()
        if self.workloads and r < 0.3:
            w = self.rng.choice(self.workloads)
            return self.rng.choice([w.start, w.end, w.start + 4096,
                                    (w.start + w.end) // 2])
        if r < 0.6:
            s, e = self.rng.choice(self.ram)
            return self.rng.choice([s, e, (s + e) // 2, s + 4096])
        return int(self.number()) if r < 0.8 else self.rng.choice(
            [0, 4096, 1 << 30, 2**47, ULONG_MAX - 4095])

    # ---- the known defects ---------------------------------------------

    def sanitize(self, path, val):
        """A value that avoids the known defects of self.avoid."""
        name = os.path.basename(path)
        parent = os.path.basename(os.path.dirname(path))
        if 1 in self.avoid and name == 'addr_unit' and bigger(val, 4 << 20):
            self.avoided[1] += 1
            return '4096'
        if 2 in self.avoid and bigger(val, 1000) and (
                name == 'min_nr_regions' or
                (name == 'min' and parent == 'nr_regions')):
            self.avoided[2] += 1
            return '1000'
        if 4 in self.avoid:
            if name in NR_FILES and bigger(val, 1000):
                self.avoided[4] += 1
                return '1'
            if bigger(val, 20000) and (name == 'max_nr_regions' or (
                    name == 'max' and parent == 'nr_regions')):
                self.avoided[4] += 1
                return '20000'
        if 13 in self.avoid and name in ('sample_us', 'aggr_us',
                                         'sample_interval', 'aggr_interval'):
            other = {'sample_us': 'aggr_us', 'aggr_us': 'sample_us',
                     'sample_interval': 'aggr_interval',
                     'aggr_interval': 'sample_interval'}[name]
            cur = self.read(os.path.join(os.path.dirname(path), other))
            nums = as_ints(val)
            if cur is not None and nums and as_ints(cur):
                o = as_ints(cur)[0]
                s, a = (nums[0], o) if name.startswith('sample') else \
                    (o, nums[0])
                if s >= 0 and a >= 0 and a // max(s, 1) >= 2**31:
                    self.avoided[13] += 1
                    return str(o)
        if 3 in self.avoid and name in ('sample_us', 'aggr_us',
                                        'apply_interval_us', 'max_sample_us'
                                        ) and bigger(val, 500000):
            # a walk waits for a sample and an apply interval
            self.avoided[3] += 1
            return '500000'
        return val

    # ---- operations ----------------------------------------------------

    def rand_path(self):
        rel, mode = self.rng.choice(self.files)
        parts = []
        for p in rel.split('/'):
            if p == '0':
                p = str(self.rng.choice([0, 0, 0, 1, 1, 2, 3]))
            parts.append(p)
        kd = str(self.rng.choice([0, 0, 0, 0, 1, 2]))
        return os.path.join(dh.KDAMONDS, kd, *parts)

    def op_file(self):
        path = self.rand_path()
        name = os.path.basename(path)
        val = self.sanitize(path, self.value(name))
        if name == 'state':
            return self.op_cmd()
        self.raw_write(path, val, name)

    def op_nr(self):
        nr = self.rng.choice(['nr_kdamonds'] + [
            p for p, _ in self.files if os.path.basename(p) in NR_FILES])
        if nr == 'nr_kdamonds':
            path = os.path.join(dh.KDAMONDS, nr)
        else:
            path = self.rand_path_of(nr)
        val = self.sanitize(path, str(self.nr_value()))
        limit = None
        if bigger(val, 1000) and not bigger(val, 65536):
            limit = self.args.timeout + max(as_ints(val)) / 1000.0
        self.raw_write(path, val, os.path.basename(path), limit)

    def rand_path_of(self, rel):
        parts = [str(self.rng.choice([0, 0, 1, 2])) if p == '0' else p
                 for p in rel.split('/')]
        kd = str(self.rng.choice([0, 0, 0, 1]))
        return os.path.join(dh.KDAMONDS, kd, *parts)

    def op_cmd(self, kd=None, cmd=None):
        if kd is None:
            kd = self.rng.choice([0, 0, 0, 1, 2])
        if cmd is None:
            cmd = self.rng.choice(COMMANDS + ['on', 'commit', 'off'])
        if self.rng.random() < 0.05:
            cmd = self.value('state')
        path = dh.kd_path(kd, 'state')
        if cmd in WALK_COMMANDS and 3 in self.avoid and \
                self.walk_may_block(kd):
            self.avoided[3] += 1
            return
        # a command waits for the kdamond to get to it: one sampling
        # interval, one application of every scheme, or the end of the one
        # running (a big pageout, seconds in the TCG guest)
        limit = None
        if cmd in COMMANDS:
            limit = self.args.timeout + self.args.kdamond_wait
        self.raw_write(path, cmd, 'state:' + cmd.strip()[:30]
                       if cmd in COMMANDS else 'state:<bad>', limit)

    def walk_may_block(self, kd):
        """Whether a walk could wait long on kdamond @kd (defect 3): its
        staged intervals are long (sanitize() keeps them short, this is a
        second line)."""
        c = dh.kd_path(kd, 'contexts', '0', 'monitoring_attrs', 'intervals')
        for f in ('sample_us', 'aggr_us'):
            v = self.read(os.path.join(c, f))
            if v is not None and bigger(v, 500000):
                return True
        return False

    def op_param(self):
        if not self.params:
            return
        path = self.rng.choice(sorted(self.params))
        name = os.path.basename(path)
        val = self.sanitize(path, self.value(name))
        self.raw_write(path, val, 'param:%s.%s' % (
            path.split('/')[3], name))

    def op_workload(self):
        for w in list(self.workloads):
            if w.proc.poll() is not None:
                self.workloads.remove(w)
                self.dead_pids.append(w.pid)
        if len(self.workloads) < 3 and self.rng.random() < 0.7:
            args = ['-s', self.rng.choice([4, 8, 16]),
                    '-t', self.rng.choice([1, 2, 3, 5, 10])]
            self.history.append('op %d: start workload %s' %
                                (self.nr_ops, args))
            try:
                self.workloads.append(dh.Workload(args))
            except (RuntimeError, OSError) as e:
                print('# workload failed to start: %s' % e)
        elif self.workloads:
            w = self.rng.choice(self.workloads)
            self.history.append('op %d: kill workload %d' %
                                (self.nr_ops, w.pid))
            w.kill()
            self.workloads.remove(w)
            self.dead_pids.append(w.pid)
        self.dead_pids = self.dead_pids[-5:]

    def scheme_spec(self, ops):
        actions = ['stat', 'pageout', 'cold', 'willneed', 'hugepage',
                   'nohugepage', 'collapse'] if ops != 'paddr' else \
            ['stat', 'pageout', 'lru_prio', 'lru_deprio', 'migrate_hot',
             'migrate_cold']
        s = dh.scheme(self.rng.choice(actions),
                      apply_interval_us=self.rng.choice([0, 5000, 100000]))
        if self.rng.random() < 0.5:
            s['quotas'] = {'ms': self.rng.choice([0, 10]),
                           'bytes': self.rng.choice([0, 1 << 20]),
                           'reset_interval_ms': self.rng.choice([0, 100]),
                           'goals': [{'target_metric': 'user_input',
                                      'target_value': 100,
                                      'current_value':
                                          self.rng.choice([0, 50, 200])}]
                           [:self.rng.randint(0, 1)]}
        if s['action'] != 'stat':
            # A scheme acting on memory without a quota can page out the
            # guest's own file pages (the fuzzer's code among them, read
            # back over 9p) every apply interval; the run then measures
            # the guest thrashing, not DAMON.  Bound it to 1 MiB a second.
            q = s.setdefault('quotas', {'ms': 0, 'goals': []})
            q['bytes'] = 1 << 20
            q['reset_interval_ms'] = 1000
        if self.rng.random() < 0.3:
            s['watermarks'] = {'metric': 'free_mem_rate',
                               'interval_us': 100000, 'high': 1000,
                               'mid': self.rng.choice([0, 999]), 'low': 0}
        if self.rng.random() < 0.3:
            t = self.rng.choice(['anon', 'active', 'young', 'unmapped',
                                 'hugepage_size']
                                if ops == 'paddr' else ['anon'])
            s['ops_filters'] = [{'type': t, 'matching': 'Y',
                                 'allow': self.rng.choice(['Y', 'N'])}]
        if self.rng.random() < 0.3:
            s['core_filters'] = [{'type': 'addr', 'matching': 'N',
                                  'addr_start': 0, 'addr_end': 1 << 30}]
        if s['action'].startswith('migrate'):
            s['target_nid'] = self.rng.choice([0, 1])
        return s

    def op_stage(self):
        """A valid configuration, staged and started or committed."""
        kd = self.rng.choice([0, 0, 1])
        ops = self.rng.choice(['vaddr', 'vaddr', 'fvaddr', 'paddr'])
        if ops != 'paddr' and not self.workloads:
            self.op_workload()
            if not self.workloads:
                return
        if ops == 'vaddr':
            targets = [dh.target(w.pid) for w in self.rng.sample(
                self.workloads, self.rng.randint(1, len(self.workloads)))]
        elif ops == 'fvaddr':
            w = self.rng.choice(self.workloads)
            targets = [dh.target(regions=[(w.start, w.end)])]
        else:
            s, e = max(self.ram, key=lambda r: r[1] - r[0])
            targets = [dh.target(regions=[(s, e)] if
                                 self.rng.random() < 0.5 else [])]
        ctx = dh.context(ops, targets, [self.scheme_spec(ops) for _ in range(
            self.rng.randint(0, 3))],
            sample_us=self.rng.choice([1000, 5000]),
            aggr_us=self.rng.choice([20000, 100000]),
            nr_regions=(10, self.rng.choice([20, 1000])))
        ctx['addr_unit'] = self.rng.choice(SANE['addr_unit']) \
            if ops == 'paddr' else 1
        ctx['pause'] = 'N'
        ctx['monitoring_attrs']['intervals']['intervals_goal'] = {
            'access_bp': 0, 'aggrs': 0}
        spec = {'refresh_ms': self.rng.choice([0, 0, 100]), 'contexts': [ctx]}
        writes = []
        if kd == 1:
            writes.append((os.path.join(dh.KDAMONDS, 'nr_kdamonds'), 2))
        self.flatten_spec(dh.kd_path(kd), spec, writes)
        for path, val in writes:
            val = self.sanitize(path, str(val))
            self.raw_write(path, val, os.path.basename(path))
        self.op_cmd(kd, self.rng.choice(['on', 'on', 'commit']))

    def flatten_spec(self, base, spec, out):
        for name, val in spec.items():
            path = os.path.join(base, name)
            if isinstance(val, dict):
                self.flatten_spec(path, val, out)
            elif isinstance(val, list):
                out.append((os.path.join(path, dh.NR_FILES[name]), len(val)))
                for i, child in enumerate(val):
                    self.flatten_spec(os.path.join(path, str(i)), child, out)
            else:
                out.append((path, val))

    OPS = [('file', 45), ('cmd', 14), ('nr', 10), ('param', 10),
           ('workload', 4), ('stage', 4)]

    def one_op(self):
        self.nr_ops += 1
        kinds, weights = zip(*self.OPS)
        op = self.rng.choices(kinds, weights)[0]
        getattr(self, 'op_' + op)()

    # ---- readers -------------------------------------------------------

    def reader(self):
        while not self.stop_readers:
            try:
                for root, _, names in os.walk(dh.ADMIN):
                    for n in names:
                        if self.stop_readers:
                            return
                        self.read_one(os.path.join(root, n))
                for p in self.params:
                    self.read_one(p)
            except Exception as e:  # noqa: B902 (report any breakage)
                self.reader_errors.append(repr(e))
                return

    def read_one(self, path):
        def do():
            with open(path, 'rb') as f:
                return f.read()
        err = 0
        start = time.monotonic()
        try:
            self.wd.call('read %s' % path, do)
        except OSError as e:
            err = e.errno
        self.stats.add('read', err, time.monotonic() - start)

    # ---- the whole run -------------------------------------------------

    def cleanup(self):
        for w in self.workloads:
            w.kill()
        self.workloads = []
        for p in self.params:
            if p.endswith('/enabled'):
                self.raw_write(p, 'N', 'cleanup')
        for p, writable in self.params.items():
            if writable and not p.endswith(('/enabled', '/commit_inputs')):
                self.raw_write(p, self.saved_params[p].strip(), 'cleanup')
        for p in self.params:
            if p.endswith('/enabled') and \
                    self.saved_params[p].strip() == 'Y':
                self.raw_write(p, 'Y', 'cleanup')
        if os.path.exists(os.path.join(dh.KDAMONDS, 'nr_kdamonds')):
            nr = int(dh.read(os.path.join(dh.KDAMONDS, 'nr_kdamonds')))
            for i in range(nr):
                if dh.state(i) == 'on':
                    self.raw_write(dh.kd_path(i, 'state'), 'off', 'cleanup')
            self.raw_write(os.path.join(dh.KDAMONDS, 'nr_kdamonds'), '0',
                           'cleanup', limit=self.args.timeout + 70)

    def kdamond_threads(self):
        found = []
        for pid in os.listdir('/proc'):
            if not pid.isdigit():
                continue
            try:
                with open('/proc/%s/comm' % pid) as f:
                    comm = f.read().strip()
            except OSError:
                continue
            if comm.startswith('kdamond'):
                found.append('%s(%s)' % (comm, pid))
        return found

    def summary(self):
        print('# seed %d, %d operations' % (self.args.seed, self.nr_ops))
        print('# avoided known defects: %s' % (
            ', '.join('%d (%d times)' % (d, self.avoided[d])
                      for d in sorted(self.avoid)) or 'none'))
        print('# results per file kind:')
        self.stats.show()

    def main(self):
        dh.require()
        log_start = len(kernel_log())
        dh.stop()
        print('# seed %d, avoiding known defects %s' % (
            self.args.seed, sorted(self.avoid) or 'none'))
        for _ in range(self.args.readers):
            t = threading.Thread(target=self.reader, daemon=True)
            t.start()
            self.readers.append(t)
        start = time.monotonic()
        deadline = start + self.args.secs if self.args.secs else None
        try:
            while not self.args.ops or self.nr_ops < self.args.ops:
                if deadline and time.monotonic() > deadline:
                    break
                self.one_op()
        finally:
            elapsed = time.monotonic() - start
            self.stop_readers = True
            for t in self.readers:
                t.join(self.args.timeout + 30)
            self.cleanup()
        failures = list(self.wd.failures)
        failures += ['reader: %s' % e for e in self.reader_errors]
        left = []
        for _ in range(50):
            left = self.kdamond_threads()
            if not left:
                break
            time.sleep(0.1)
        enabled = [p for p in self.params if p.endswith('/enabled') and
                   self.saved_params[p].strip() == 'Y']
        if left and not enabled:
            failures.append('kdamond threads left: %s' % left)
        splats = [line for line in kernel_log()[log_start:]
                  if SPLAT_RE.search(line)]
        if splats:
            failures.append('kernel splats: %s' % splats[:10])
        self.summary()
        print('# %d operations in %.0f s: %.1f per second' % (
            self.nr_ops, elapsed, self.nr_ops / max(elapsed, 0.001)))
        if failures:
            self.show_history()
            for f in failures:
                print('# failure: %s' % f)
            print('FAIL: %d failures, seed %d' % (len(failures),
                                                   self.args.seed))
            return dh.KSFT_FAIL
        print('PASS: seed %d, %d operations, no hang, no splat' % (
            self.args.seed, self.nr_ops))
        return dh.KSFT_PASS


def kernel_log():
    return subprocess.run(['dmesg'], capture_output=True,
                          text=True, errors='replace').stdout.splitlines()


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--seed', type=int, default=1,
                   help='random seed (default 1; -1: from the time)')
    p.add_argument('--ops', type=int, default=0,
                   help='stop after this many operations (0: no limit)')
    p.add_argument('--secs', type=float, default=45,
                   help='stop after this many seconds (0: no limit)')
    p.add_argument('--timeout', type=float, default=2,
                   help='seconds a sysfs access may take')
    p.add_argument('--kdamond-wait', type=float, default=10,
                   help='seconds a state command may wait for the kdamond '
                   'on top of --timeout (default 10)')
    p.add_argument('--readers', type=int, default=1)
    p.add_argument('--avoid-known', default=AVOID_DEFAULT,
                   help='known defects to avoid, e.g. "1,13", or "none": %s'
                   % '; '.join('%d: %s' % kv for kv in KNOWN_DEFECTS.items()))
    p.add_argument('--verbose', action='store_true',
                   help='print every write')
    # run_kselftest.sh passes no arguments: the environment can
    args = p.parse_args(shlex.split(os.environ.get('SYSFS_FUZZ_ARGS', '')) +
                        sys.argv[1:])
    if args.seed < 0:
        args.seed = int(time.time()) % 100000
    if not args.ops and not args.secs:
        p.error('--ops or --secs needed')
    return args


if __name__ == '__main__':
    sys.exit(Fuzzer(parse_args()).main())
