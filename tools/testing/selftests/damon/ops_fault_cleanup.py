#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The page fault primitive leaves no page armed behind it.

NUMA balancing is off (kernel.numa_balancing 0), so every NUMA hinting
fault the guest takes is one taken on a page that DAMON armed; the
damon:damon_report_page_fault tracepoint counts them, per thread.  A
workload keeps accessing 8 MiB of a 64 MiB mapping, the other 56 MiB
staying untouched, while DAMON samples it with the page_fault primitive
alone:
- while it runs, it takes hinting faults (the primitive works);
- after "commit" of page_fault N (page_table Y), then after "off", and
  after the exit of a second target of a running kdamond, the workload
  reads every page of its mapping (SIGUSR1) and takes no hinting fault:
  no page, hot or idle, was left armed.
"""

import os
import signal
import sys
import time

import _damon_helpers as dh

NB = '/proc/sys/kernel/numa_balancing'


FAULTS = None


def hint_faults():
    return len(FAULTS.take())


def set_primitives(page_table, page_fault):
    prim = dh.kd_path(0, 'contexts', '0', 'monitoring_attrs', 'sample',
                      'primitives')
    dh.write(os.path.join(prim, 'page_table'), page_table)
    dh.write(os.path.join(prim, 'page_fault'), page_fault)


def touch_all(wl):
    """Has @wl read all of its mapping; the hinting faults it took."""
    hint_faults()
    wl.proc.send_signal(signal.SIGUSR1)
    line = wl.proc.stdout.readline().strip()
    if line != 'touched':
        dh.fail('workload answered %r to SIGUSR1' % line)
    return hint_faults()


def armed_while_running(secs=2):
    hint_faults()
    time.sleep(secs)
    return hint_faults()


def check_left(what, wl):
    # an interval that was going on at the change ends within 5 ms
    time.sleep(0.2)
    left = touch_all(wl)
    print('%s: %d hinting faults on reading the whole mapping' % (what, left))
    if left:
        dh.fail('%s: %d pages left armed' % (what, left))


def main():
    global FAULTS

    dh.require('vaddr')
    nb_saved = dh.read(NB) if os.path.exists(NB) else None
    if nb_saved not in (None, '0'):
        dh.write(NB, 0)
    wl = dh.Workload(['-s', 64, '-w', 8, '-t', dh.UNTIL_KILLED])
    other = None
    try:
        FAULTS = dh.PageFaults(wl.pid)
        FAULTS.on()
        # 1. primitive turned off by a commit
        dh.start('vaddr', [(wl.pid, [])], primitives=('N', 'Y'))
        n = armed_while_running()
        print('page_fault on: %d hinting faults in 2 s' % n)
        if not n:
            dh.fail('the page_fault primitive took no fault')
        set_primitives('Y', 'N')
        dh.cmd(0, 'commit')
        check_left('page_fault committed off', wl)
        if armed_while_running(1):
            dh.fail('hinting faults with page_fault off')

        # 2. kdamond turned off
        set_primitives('N', 'Y')
        dh.cmd(0, 'commit')
        if not armed_while_running(1):
            dh.fail('page_fault committed on took no fault')
        dh.stop()
        check_left('kdamond off', wl)

        # 3. a target exits while the kdamond goes on with another
        other = dh.Workload(['-s', 64, '-w', 8, '-t', dh.UNTIL_KILLED])
        dh.start('vaddr', [(other.pid, []), (wl.pid, [])],
                 primitives=('N', 'Y'))
        time.sleep(1)
        other.kill()
        time.sleep(1)
        if dh.state() != 'on':
            dh.fail('kdamond stopped with a target left')
        dh.stop()
        check_left('target exit, then off', wl)
    finally:
        if other:
            other.kill()
        wl.kill()
        dh.stop()
        if FAULTS:
            FAULTS.off()
        if nb_saved not in (None, '0'):
            dh.write(NB, nb_saved)
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
