# SPDX-License-Identifier: GPL-2.0
"""Small driver of the DAMON sysfs interface, for the selftests.

A tree is described with plain Python values: a dict is a directory (keys
are file or directory names, written in order), a list is a directory of
numbered children whose count goes to its nr_* file first (only when it
differs, like damo does), anything else is written to a file with str().

    import _damon_sysfs as ds
    ds.stage([ds.kdamond(ds.context('vaddr', [ds.target(pid)],
                                    [ds.scheme('stat')]))])
    ds.cmd(0, 'on')
    ...
    ds.cmd(0, 'off')
"""

import os

import _damon_util  # noqa: F401 (cleans up on the runner's SIGTERM)

ADMIN = '/sys/kernel/mm/damon/admin'
KDAMONDS = os.path.join(ADMIN, 'kdamonds')
ULONG_MAX = 2**64 - 1
UINT_MAX = 2**32 - 1
KSFT_SKIP = 4

NR_FILES = {'kdamonds': 'nr_kdamonds', 'contexts': 'nr_contexts',
            'targets': 'nr_targets', 'regions': 'nr_regions',
            'schemes': 'nr_schemes', 'goals': 'nr_goals',
            'filters': 'nr_filters', 'core_filters': 'nr_filters',
            'ops_filters': 'nr_filters', 'dests': 'nr_dests'}


def read(path):
    with open(path) as f:
        return f.read()


def write(path, val):
    """Write like damo: one write(2) of str(val), no newline."""
    with open(path, 'w') as f:
        f.write(str(val))


def try_write(path, val):
    """Write; return 0 or the errno of the failure."""
    try:
        write(path, val)
    except OSError as e:
        return e.errno
    return 0


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
            files[os.path.relpath(p, base)] = read(p)
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


def kd_path(idx, *names):
    return os.path.join(KDAMONDS, str(idx), *names)


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
                                   read(kd_path(idx, 'pid')).strip()))
    targets = kd_path(idx, 'contexts', '0', 'targets')
    for i in range(int(read(os.path.join(targets, 'nr_targets')))):
        pid = read(os.path.join(targets, str(i), 'pid_target')).strip()
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


def state(idx=0):
    return read(kd_path(idx, 'state')).strip()


def kdamond_pid(idx=0):
    return int(read(kd_path(idx, 'pid')))


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


def stop_all():
    """Turn every running kdamond off and remove the tree."""
    if not os.path.isdir(KDAMONDS):
        return
    for i in range(int(read(os.path.join(KDAMONDS, 'nr_kdamonds')))):
        if state(i) == 'on':
            try_write(kd_path(i, 'state'), 'off')
    write(os.path.join(KDAMONDS, 'nr_kdamonds'), 0)


def require_sysfs():
    """Exit with the kselftest skip code unless DAMON sysfs is usable."""
    if os.geteuid() != 0 or not os.path.isdir(KDAMONDS):
        print('SKIP: needs root and %s' % KDAMONDS)
        raise SystemExit(KSFT_SKIP)

