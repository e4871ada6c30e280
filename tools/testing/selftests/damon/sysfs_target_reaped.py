#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""State commands while a monitored child exits, the way tools poll.

A tool starts a short workload, monitors it with one stat scheme, and then
loops "while my child is not reaped: sleep 0.1 s; ask DAMON".  Between the
child's exit and the tool's wait() the child is a zombie: its pid still
names a task, so the kdamond must still run and every query must succeed.
Once the tool has reaped the child, the kdamond must stop by itself.

Done for update_schemes_tried_bytes, update_schemes_stats and
update_schemes_tried_regions.
"""

import os
import subprocess
import sys
import time

import _damon_sysfs as ds
import _damon_util as du

COMMANDS = ('update_schemes_tried_bytes', 'update_schemes_stats',
            'update_schemes_tried_regions')


def one_round(command):
    prog = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        'ops_access')
    # two 10 MiB halves, the first hot; exits after 3 s
    child = subprocess.Popen([prog, '-s', '20', '-w', '10', '-t', '3'],
                             stdout=subprocess.PIPE, text=True)
    line = child.stdout.readline().split()
    if len(line) != 4 or line[0] != 'ready':
        child.kill()
        child.wait()
        du.fail('workload did not start: %s' % line)
    ds.stage([ds.kdamond(ds.context('vaddr', [ds.target(child.pid)],
                                    [ds.scheme('stat')]))])
    ds.cmd(0, 'on')
    nr_queries = 0
    zombie_queries = 0
    t0 = time.time()
    try:
        # poll() reaps the child: until it says so, the pid is ours
        while child.poll() is None:
            time.sleep(0.1)
            zombie = ds.task_state(child.pid).startswith('State:\tZ')
            try:
                ds.write(ds.kd_path(0, 'state'), command)
            except OSError as e:
                du.fail('%s failed at %.2f s (query %d, child %s): %s; '
                        'state %s' % (command, time.time() - t0,
                                      nr_queries, 'a zombie' if zombie
                                      else 'alive', e, ds.state()))
            nr_queries += 1
            zombie_queries += zombie
        # reaped: the kdamond must notice and stop by itself
        if not du.wait_off(5):
            du.fail('kdamond still %s 5 s after its target was reaped' %
                    ds.state())
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        ds.stop_all()
    print('ok: %s, %d queries (%d on a zombie child), stopped after reap' %
          (command, nr_queries, zombie_queries))


def main():
    du.require_root_and_damon('vaddr')
    for command in COMMANDS:
        one_round(command)
    sys.exit(du.KSFT_PASS)


if __name__ == '__main__':
    main()
