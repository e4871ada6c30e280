#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Bad perf_events setups fail cleanly.

- bad writes to the perf_events files fail with EINVAL and leave the
  tree as it was;
- "on" with an invalid setup (no event, precise_ip 4, a type over 32
  bits, no sample_freq or sample_period, paddr without physical
  addresses) fails with EINVAL and the kdamond stays off;
- "on" with a hardware event, which the PMU-less test machine can't
  count, alone or after a software event that every CPU can count, fails
  with the perf error, leaves the kdamond off and, repeated, leaks no
  perf event (slab objects) and no memory;
- a second kdamond asking for perf events while one owns them gets EBUSY
  on "on" and on "commit", and keeps running unchanged in the latter case;
  once the owner stops, the commit succeeds;
- "commit" of a hardware event to the owner fails and the owner keeps
  sampling with its software event.
"""

import errno
import os
import sys
import time

import _damon_helpers as dh
import _damon_perf as pe

E = errno.EINVAL
REPEAT = 60


def path(rel, kd=0):
    return os.path.join(pe.sample_dir(kd), rel)


def fail(msg):
    print('FAIL:', msg)
    dh.stop()
    sys.exit(1)


def check_bad_writes(pid):
    pe.stage(pid, [pe.SW])
    ev = 'perf_events/0/'
    cases = [('perf_events/nr_perf_events', '65'),
             ('perf_events/nr_perf_events', '-1'),
             ('perf_events/nr_perf_events', 'x'),
             (ev + 'type', 'foo'), (ev + 'type', '-1'),
             (ev + 'config', 'zz'), (ev + 'config1', '0x1g'),
             (ev + 'config2', '0x'),
             (ev + 'freq', 'maybe'), (ev + 'sample_phys_addr', '2'),
             (ev + 'exclude_kernel', 'x'), (ev + 'exclude_hv', '-1'),
             (ev + 'sample_freq', 'x'), (ev + 'sample_period', '-1'),
             (ev + 'wakeup_events', '1.5'), (ev + 'precise_ip', 'two'),
             ('primitives/perf_events', 'maybe')]
    before = dh.read_tree()
    for rel, val in cases:
        err = dh.try_write(path(rel), val)
        if err != E:
            fail('%s <- %r: errno %s, expected EINVAL' % (rel, val, err))
        if dh.read_tree() != before:
            fail('%s <- %r changed the tree' % (rel, val))
    return len(cases)


def on_fails(what, want=None):
    err = dh.try_write(dh.kd_path(0, 'state'), 'on')
    if not err or (want is not None and err != want):
        fail('on with %s: errno %s, expected %s' % (what, err,
                                                    want or 'an error'))
    if dh.state(0) != 'off':
        fail('on with %s left the kdamond %s' % (what, dh.state(0)))
    return err


def check_bad_setups(pid):
    setups = [
        ('no event', []),
        ('precise_ip 4', [dict(pe.SW, precise_ip=4)]),
        ('type over 32 bits', [dict(pe.SW, type=0x100000001)]),
        ('freq without sample_freq', [dict(pe.SW, freq=1)]),
        ('no sample_period', [dict(pe.SW, sample_period=0)]),
        ('wakeup_events over 32 bits',
         [dict(pe.SW, wakeup_events=2**32)]),
    ]
    for what, events in setups:
        pe.stage(pid, events)
        on_fails(what, E)
    # the default event (freq=1, sample_freq=0) is not a valid setup
    pe.stage(pid, [{}])
    on_fails('default event', E)
    # paddr needs physical addresses
    dh.stop()
    dh.stage([dh.kdamond(dh.context('paddr', [dh.target(None, [
        dh.biggest_system_ram()])]))])
    pe.set_events([pe.SW])
    on_fails('paddr without sample_phys_addr', E)
    return len(setups) + 2


def perf_event_objs():
    """Active perf_event slab objects, or None if the cache is merged."""
    try:
        with open('/proc/slabinfo') as f:
            for line in f:
                if line.startswith('perf_event '):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def check_hw_event(pid):
    errs = set()
    for events in ([pe.HW], [pe.SW, pe.HW]):
        pe.stage(pid, events)
        errs.add(on_fails('hardware event %s' % events))
    # Repeated: no leak.  Perf events are freed after an RCU grace period
    # and slabinfo counts whole per-CPU slabs as active, so warm up, let
    # the frees land, and allow less than one object per failed start: the
    # leak of the software counters would be one per CPU per start.
    for _ in range(REPEAT // 3):
        on_fails('hardware event, again')
    time.sleep(1)
    objs0, slab0 = perf_event_objs(), dh.proc_kb('/proc/meminfo', 'Slab')
    for _ in range(REPEAT):
        on_fails('hardware event, again')
    time.sleep(1)
    objs1, slab1 = perf_event_objs(), dh.proc_kb('/proc/meminfo', 'Slab')
    print('hardware event: errno %s; %d failed starts: perf_event objects '
          '%s -> %s, Slab %d -> %d kB' % (
              sorted(errno.errorcode[e] for e in errs), REPEAT, objs0,
              objs1, slab0, slab1))
    if objs0 is not None and objs1 - objs0 >= REPEAT:
        fail('perf_event objects leaked')
    if slab1 - slab0 > 2048:
        fail('slab grew by %d kB' % (slab1 - slab0))


def check_exclusive(pid):
    pe.stage(pid, [pe.SW], nr_kdamonds=2)
    pe.set_events([pe.SW], kd=1)
    dh.cmd(0, 'on')
    err = dh.try_write(dh.kd_path(1, 'state'), 'on')
    if err != errno.EBUSY or dh.state(1) != 'off':
        fail('second owner "on": errno %s, state %s' % (err, dh.state(1)))
    # kdamond 1 runs with page tables only, then asks for perf events
    pe.set_events([pe.SW], kd=1, page_table='Y', perf_events='N')
    dh.cmd(1, 'on')
    kpid = dh.kdamond_pid(1)
    pe.set_events([pe.SW], kd=1, page_table='N', perf_events='Y')
    err = dh.try_write(dh.kd_path(1, 'state'), 'commit')
    if err != errno.EBUSY or dh.state(1) != 'on' or \
            dh.kdamond_pid(1) != kpid:
        fail('second owner "commit": errno %s, state %s' % (
            err, dh.state(1)))
    # the owner can't take a hardware event, and keeps its counters
    before = pe.stats(0)['pushed']
    pe.set_events([pe.HW], kd=0)
    err = dh.try_write(dh.kd_path(0, 'state'), 'commit')
    if not err or dh.state(0) != 'on':
        fail('owner commit of a hardware event: errno %s, state %s' % (
            err, dh.state(0)))
    time.sleep(1)
    after = pe.stats(0)['pushed']
    if after <= before:
        fail('owner stopped sampling after a failed commit (%d -> %d)' %
             (before, after))
    # once the owner is gone, kdamond 1 may take perf events
    dh.cmd(0, 'off')
    dh.cmd(1, 'commit')
    time.sleep(1)
    if pe.stats(1)['pushed'] == 0:
        fail('new owner takes no report')
    dh.cmd(1, 'off')


def main():
    pe.require()
    wl = dh.Workload(['-s', 16, '-w', 4, '-D', '-t', dh.UNTIL_KILLED])
    try:
        nr_writes = check_bad_writes(wl.pid)
        nr_setups = check_bad_setups(wl.pid)
        check_hw_event(wl.pid)
        check_exclusive(wl.pid)
    finally:
        dh.stop()
        wl.kill()
    print('ok: %d bad writes, %d bad setups refused; hardware event '
          'fails cleanly; second owner gets EBUSY' % (nr_writes, nr_setups))
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
