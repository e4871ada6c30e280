#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""damo reclaim drives DAMON_RECLAIM.

Through damo's front-end only (abi.md section 5):
- "damo reclaim enable" with a 1 s min_age and always-on watermarks starts
  the module's kdamond and pages out the cold 80 MiB of a workload that
  keeps using only 16 of its 96 MiB: its RssAnon must drop by 40 MiB
  within 20 s, and "damo reclaim status" must show reclaimed bytes;
- "damo reclaim commit --min_age 3000000" applies the new value to the
  running module (commit_inputs goes back to N, the kdamond keeps going);
- "damo reclaim disable" stops the kdamond (kdamond_pid reads -1).
The module parameters are restored afterwards.  Needs swap.

(With damo_lru_sort.py, this was one test, damo_modules.py, that ran out
of the kselftest timeout of 90 s once: with no quota the module also pages
out the rest of the guest's cold memory, and a commit waited 19.8 s for
the kdamond.)
"""

import sys

import _damo
import _damon_helpers as dh
import _damos_util as dsu

MIB = 1 << 20
MODULE = 'damon_reclaim'


def test_reclaim(damo):
    wl = dh.Workload(['-s', 96, '-w', 16, '-t', dh.UNTIL_KILLED])
    try:
        before = dsu.rss_anon_kb(wl.pid) * 1024
        damo.run('reclaim', 'enable', '--min_age', 1000000,
                 '--quota', 0, 0, 1000,
                 '--wmarks', 100000, 1000, 999, 0,
                 '--monitor_intervals', 5000, 100000,
                 '--nr_regions', 10, 1000)
        st = _damo.module_status(damo, 'reclaim')
        pid = int(st.get('kdamond_pid', '-1'))
        if pid <= 0 or st.get('enabled') != 'Y':
            dh.fail('reclaim enable: enabled %s, kdamond_pid %d' %
                    (st.get('enabled'), pid))
        dsu.wait_for(lambda: before - dsu.rss_anon_kb(wl.pid) * 1024 >=
                     40 * MIB, 20, interval=0.5)
        after = dsu.rss_anon_kb(wl.pid) * 1024
        st = _damo.module_status(damo, 'reclaim')
        print('# reclaim: RssAnon %d -> %d MiB, %s bytes reclaimed' %
              (before // MIB, after // MIB,
               st.get('bytes_reclaimed_regions')))
        if before - after < 40 * MIB:
            dh.fail('cold memory not reclaimed in 20 s')
        if int(st.get('bytes_reclaimed_regions', 0)) <= 0:
            dh.fail('damo reclaim status shows nothing reclaimed')
    finally:
        wl.kill()

    damo.run('reclaim', 'commit', '--min_age', 3000000)
    st = _damo.module_status(damo, 'reclaim')
    if st.get('min_age') != '3000000' or int(st['kdamond_pid']) != pid:
        dh.fail('reclaim commit: min_age %s, kdamond_pid %s (was %d)' %
                (st.get('min_age'), st.get('kdamond_pid'), pid))
    if dh.read(_damo.module_param_path(MODULE, 'commit_inputs')) != 'N':
        dh.fail('commit_inputs not reset to N')

    _damo.module_disable(damo, 'reclaim', pid)


def test(damo):
    if dsu.swap_ready() is None:
        dh.skip('no swap')
    _damo.module_test(damo, MODULE, test_reclaim)


if __name__ == '__main__':
    _damo.main_wrapper(test, _damo.Damo().require())
    sys.exit(dh.KSFT_PASS)
