#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Bad input to the probes/ files fails cleanly and changes nothing.

Writes to probes/ files (too many probes or filters, unknown filter type,
bad booleans and numbers) must fail with EINVAL and leave the tree as it
was.  A memcg filter path that names no cgroup and a weight above UINT_MAX
must make "on" and "commit" fail with EINVAL: the kdamond stays off, or
stays on with its probes, and no kernel warning is printed.
"""

import errno
import os
import subprocess
import sys
import time

import _damon_helpers as dh
import _probes_util as pu

P = pu.PROBES
F0 = os.path.join(P, '0', 'filters', '0')
BAD_WRITES = [
    (os.path.join(P, 'nr_probes'), '5'),
    (os.path.join(P, 'nr_probes'), 'x'),
    (os.path.join(P, '0', 'filters', 'nr_filters'), '17'),
    (os.path.join(F0, 'type'), 'young'),
    (os.path.join(F0, 'type'), 'anonx'),
    (os.path.join(F0, 'matching'), 'maybe'),
    (os.path.join(F0, 'allow'), '2'),
    (os.path.join(P, '0', 'weight'), '-1'),
    (os.path.join(P, '0', 'weight'), 'heavy'),
]


def dmesg_warnings():
    out = subprocess.run(['dmesg'], capture_output=True, text=True).stdout
    return [l for l in out.splitlines()
            if 'WARNING:' in l or 'BUG:' in l or 'Call Trace' in l]


def main():
    dh.require('paddr')
    warnings_before = len(dmesg_warnings())
    dh.ensure_kdamond()
    pu.set_probes([(0, [('anon', True, True, None)])])
    before = dh.read_tree(P)
    for path, val in BAD_WRITES:
        err = dh.try_write(path, val)
        if err != errno.EINVAL:
            dh.fail('%s <- %r: errno %s, not EINVAL' % (path, val, err))
        if dh.read_tree(P) != before:
            dh.fail('%s <- %r changed the tree' % (path, val))
    print('ok: %d bad writes refused' % len(BAD_WRITES))

    start, end = dh.biggest_system_ram()
    for bad in ([(0, [('memcg', True, True, '/no/such/cgroup')])],
                [(2**32, [('anon', True, True, None)])]):
        try:
            pu.start('paddr', [(None, [(start, end)])], bad)
            dh.fail('on with probes %r succeeded' % (bad,))
        except OSError as e:
            if e.errno != errno.EINVAL:
                dh.fail('on with probes %r: errno %d' % (bad, e.errno))
        if dh.state() != 'off':
            dh.fail('kdamond on after a failed start')
    print('ok: bad memcg path and weight refused by on')

    pu.start('paddr', [(None, [(start, end)])],
             [(0, [('anon', True, True, None)])])
    try:
        for bad in ([(0, [('memcg', True, True, '/no/such/cgroup')])],
                    [(2**32, [])]):
            pu.set_probes(bad)
            err = dh.try_write(dh.kd_path(0, 'state'), 'commit')
            if err != errno.EINVAL:
                dh.fail('commit with probes %r: errno %s' % (bad, err))
            if dh.state() != 'on':
                dh.fail('kdamond stopped by a failed commit')
        # a good commit still works afterwards
        pu.set_probes([(1, [('anon', False, True, None)])])
        dh.cmd(0, 'commit')
        time.sleep(0.5)
        if dh.state() != 'on':
            dh.fail('kdamond stopped after a commit')
    finally:
        dh.stop()
    print('ok: bad commits refused, the kdamond kept running')
    if len(dmesg_warnings()) != warnings_before:
        dh.fail('kernel warnings: %s' % dmesg_warnings()[warnings_before:])
    sys.exit(dh.KSFT_PASS)


if __name__ == '__main__':
    main()
