# SPDX-License-Identifier: GPL-2.0
"""Runs the real user-space tool, damo, for the damo_*.py selftests.

damo is not part of the kernel: it is found through the DAMO environment
variable (the "damo" launcher, or the directory holding it), else at
../shared/clients/damo/damo beside the source tree these tests come from,
else at /work/shared/clients/damo/damo.  Without it the tests skip.

Each test gets its own writable directory (under /tmp), used as the working
directory and as HOME of damo, so that damo's output files and its feature
cache (~/.damo.sysinfo) of one test never leak into another.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

import _damon_helpers as dh

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PATHS = (
    os.path.join(HERE, '..', '..', '..', '..', '..', 'shared', 'clients',
                 'damo', 'damo'),
    '/work/shared/clients/damo/damo',
)
MODULES = ('damon_reclaim', 'damon_lru_sort', 'damon_stat')


def find_damo():
    """Path of the damo launcher, or None."""
    env = os.environ.get('DAMO')
    cands = [env] if env else list(DEFAULT_PATHS)
    for c in cands:
        if os.path.isdir(c):
            c = os.path.join(c, 'damo')
        if os.path.isfile(c) and os.access(c, os.X_OK):
            return os.path.abspath(c)
    return None


class Damo:
    """One test's damo: require() it first, cleanup() when done."""

    def __init__(self):
        self.path = None
        self.dir = None
        self.disabled_modules = []

    def require(self):
        """Exits with the skip code unless root, DAMON sysfs and damo are
        available; then stops every kdamond and DAMON module, so that damo
        (which refuses to probe features while DAMON runs) starts clean."""
        if os.geteuid() != 0:
            dh.skip('needs root')
        if not os.path.isdir(dh.KDAMONDS):
            dh.skip('no DAMON sysfs interface')
        self.path = find_damo()
        if self.path is None:
            dh.skip('damo not found: set DAMO to the damo launcher (looked '
                    'at %s)' % ', '.join(
                        os.path.normpath(p) for p in DEFAULT_PATHS))
        if shutil.which('python3') is None:
            dh.skip('damo needs python3')
        if dh.tracefs() is None:
            dh.skip('damo needs tracefs mounted')
        self.dir = tempfile.mkdtemp(prefix='damo-test-', dir='/tmp')
        os.chdir(self.dir)
        for m in MODULES:
            p = '/sys/module/%s/parameters/enabled' % m
            if os.path.exists(p) and dh.read(p) == 'Y':
                dh.write(p, 'N')
                self.disabled_modules.append(p)
        dh.stop()
        return self

    def cleanup(self):
        """Stops what the test left running and restores the modules."""
        try:
            dh.stop()
        except OSError as e:
            print('# cleanup: %s' % e)
        for p in ('/sys/module/damon_reclaim/parameters/enabled',
                  '/sys/module/damon_lru_sort/parameters/enabled'):
            if os.path.exists(p) and p not in self.disabled_modules:
                try:
                    dh.write(p, 'N')
                except OSError:
                    pass
        for p in self.disabled_modules:
            try:
                dh.write(p, 'Y')
            except OSError as e:
                print('# cleanup: re-enabling %s: %s' % (p, e))
        os.chdir('/')
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)

    def env(self):
        """damo's environment: its own HOME; python's bytecode of damo
        (whose directory may be read-only) cached under /tmp, for all the
        tests of a run, as compiling it takes seconds in an emulated VM."""
        env = dict(os.environ, HOME=self.dir,
                   PYTHONPYCACHEPREFIX=os.path.join(tempfile.gettempdir(),
                                                    'damo-test-pycache'))
        env.pop('PYTHONDONTWRITEBYTECODE', None)
        return env

    def run(self, *args, timeout=60, check=True, quiet=False):
        """Runs "damo ARGS"; returns (exit status, stdout).  With @check,
        a non-zero exit fails the test, showing what damo said."""
        args = [str(a) for a in args]
        t0 = time.time()
        try:
            p = subprocess.run([self.path] + args, cwd=self.dir,
                               env=self.env(),
                               stdin=subprocess.DEVNULL, capture_output=True,
                               text=True, timeout=timeout)
        except subprocess.TimeoutExpired as e:
            print('# damo %s: no end in %d s; output:' % (' '.join(args),
                                                          timeout))
            print_indented((e.stdout or b'').decode(errors='replace') if
                           isinstance(e.stdout, bytes) else e.stdout or '')
            dh.fail('damo %s hangs' % args[0])
        secs = time.time() - t0
        if not quiet:
            print('# damo %s: status %d, %.1f s' % (' '.join(args),
                                                   p.returncode, secs))
        if check and p.returncode != 0:
            print_indented(p.stdout)
            print_indented(p.stderr)
            dh.fail('damo %s exited with %d' % (' '.join(args),
                                                p.returncode))
        return p.returncode, p.stdout

    def popen(self, *args):
        """Starts "damo ARGS" in the background (stdout to a pipe)."""
        return subprocess.Popen([self.path] + [str(a) for a in args],
                                cwd=self.dir, env=self.env(),
                                stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)


REGION_FORMAT = ['--raw_number',
                 '--format', 'set', 'record_head', 'record',
                 '--format', 'set', 'snapshot_head', 'snapshot',
                 '--format', 'set', 'region',
                 'region <start address> <end address> <access rate> <age>',
                 '--format', 'set', 'snapshot_tail', '',
                 '--format', 'set', 'record_tail', '']


def report_access(damo, *args):
    """Runs "damo report access ARGS" with a machine-readable format;
    returns the snapshots, each a list of (start, end, access rate in
    percent, age in us) of its regions (of all its records)."""
    _, out = damo.run('report', 'access', *args, *REGION_FORMAT)
    snaps = []
    for line in out.splitlines():
        f = line.split()
        if f[:1] == ['snapshot']:
            snaps.append([])
        elif f[:1] == ['region'] and len(f) == 5 and snaps:
            snaps[-1].append((int(f[1]), int(f[2]), float(f[3]),
                              int(float(f[4]))))
    return snaps


def accessed_share(regions, start, end):
    """Share of [start, end) covered by regions with an access rate > 0,
    and share covered by any region."""
    seen = accessed = 0
    for s, e, rate, _ in regions:
        lo, hi = max(s, start), min(e, end)
        if lo >= hi:
            continue
        seen += hi - lo
        if rate > 0:
            accessed += hi - lo
    return accessed / (end - start), seen / (end - start)


def print_indented(text, limit=40):
    lines = (text or '').splitlines()
    for line in lines[:limit]:
        print('#   ' + line)
    if len(lines) > limit:
        print('#   ... (%d more lines)' % (len(lines) - limit))


def state():
    """State of kdamond 0, 'none' if there is no kdamond."""
    if int(dh.read(os.path.join(dh.KDAMONDS, 'nr_kdamonds'))) == 0:
        return 'none'
    return dh.state(0)


def kdamond_threads():
    """Pids of the kernel threads named kdamond.*."""
    pids = []
    for d in os.listdir('/proc'):
        if not d.isdigit():
            continue
        try:
            with open('/proc/%s/comm' % d) as f:
                if f.read().startswith('kdamond'):
                    pids.append(int(d))
        except OSError:
            pass
    return pids


MODULE_PARAMS = '/sys/module/%s/parameters'


def module_param_path(module, name):
    return os.path.join(MODULE_PARAMS % module, name)


def module_params(module):
    """The parameters of a DAMON module, as a dict, or None without it."""
    d = MODULE_PARAMS % module
    if not os.path.isdir(d):
        return None
    return {n: dh.read(os.path.join(d, n)) for n in sorted(os.listdir(d))}


def module_restore(module, saved):
    """Turns the module off and writes back the parameters of
    module_params() that changed."""
    dh.try_write(module_param_path(module, 'enabled'), 'N')
    time.sleep(0.1)
    for n, v in saved.items():
        if n in ('enabled', 'commit_inputs', 'kdamond_pid'):
            continue
        p = module_param_path(module, n)
        if os.access(p, os.W_OK) and dh.read(p) != v:
            dh.try_write(p, v)


def module_status(damo, module):
    """"damo <module> status" (module: reclaim or lru_sort) as a dict."""
    _, out = damo.run(module, 'status', quiet=True)
    st = {}
    for line in out.splitlines():
        k, _, v = line.partition(': ')
        st[k.strip()] = v.strip()
    return st


def module_disable(damo, front, pid):
    """"damo <front> disable": the module's kdamond (pid) must be gone and
    kdamond_pid read -1."""
    damo.run(front, 'disable')
    st = module_status(damo, front)
    if st.get('kdamond_pid') != '-1' or pid in kdamond_threads():
        dh.fail('%s disable: kdamond_pid %s' % (front, st.get('kdamond_pid')))


def module_test(damo, module, test_fn):
    """Runs test_fn(damo) with the module's parameters restored after;
    skips without the module."""
    saved = module_params(module)
    if saved is None:
        dh.skip('no %s module' % module)
    try:
        test_fn(damo)
    finally:
        module_restore(module, saved)


def main_wrapper(test, damo):
    """Runs test(damo) with the cleanup; exits with the kselftest code."""
    try:
        test(damo)
    finally:
        damo.cleanup()
    sys.exit(dh.KSFT_PASS)
