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

import _damon_helpers as dh

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
        dh.fail('workload did not start: %s' % line)
    dh.stage([dh.kdamond(dh.context('vaddr', [dh.target(child.pid)],
                                    [dh.scheme('stat')]))])
    dh.cmd(0, 'on')
    nr_queries = 0
    zombie_queries = 0
    t0 = time.time()
    try:
        # poll() reaps the child: until it says so, the pid is ours
        while child.poll() is None:
            time.sleep(0.1)
            zombie = dh.task_state(child.pid).startswith('State:\tZ')
            try:
                dh.write(dh.kd_path(0, 'state'), command)
            except OSError as e:
                dh.fail('%s failed at %.2f s (query %d, child %s): %s; '
                        'state %s' % (command, time.time() - t0,
                                      nr_queries, 'a zombie' if zombie
                                      else 'alive', e, dh.state()))
            nr_queries += 1
            zombie_queries += zombie
        # reaped: the kdamond must notice and stop by itself
        if not dh.wait_off(5):
            dh.fail('kdamond still %s 5 s after its target was reaped' %
                    dh.state())
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        dh.stop()
    print('ok: %s, %d queries (%d on a zombie child), stopped after reap' %
          (command, nr_queries, zombie_queries))


def main():
    dh.require('vaddr')
    for command in COMMANDS:
        one_round(command)
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
