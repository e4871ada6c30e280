#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Self-test of bench/run's scoring on synthetic workload logs and snapshots.

    python3 bench/test_score.py [-v]     (or: bench/run --selftest)

Boots nothing and needs no raw results: every log, trace and expected figure
is made here.  Attributes are bench/run's (sample 5 ms, aggregation 100 ms:
20 samples, "reported hot" from nr_accesses 10).  The synthetic workload maps
8 MiB, four 2 MiB chunks:

    chunk 0  touched all the time            -> hot
    chunk 1  touched once a second           -> cold (1 of 21 intervals or none)
    chunk 2  touched every 20 ms             -> warm (5 of 21 intervals)
    chunk 3  never touched                   -> cold

Snapshots every 100 ms from go + 0.1 s; a window is 105 ms (21 sampling
intervals): it starts one sampling interval before the previous snapshot.
Touches fall mid-interval so that no count depends on rounding.
"""
import importlib.machinery
import importlib.util
import json
import os
import random
import sys
import tempfile
import unittest

BENCH = os.path.dirname(os.path.abspath(__file__))
_loader = importlib.machinery.SourceFileLoader('bench_run', os.path.join(BENCH, 'run'))
_spec = importlib.util.spec_from_loader('bench_run', _loader)
run = importlib.util.module_from_spec(_spec)
_loader.exec_module(run)

MiB = run.MiB
BASE = 0x7f0000000000
SIZE = 8 * MiB
GO = 100.0
NSNAP = 40          # snapshots at GO + 0.1 .. GO + 4.0
END = GO + 4.05
ATTRS = run.ATTRS


def ns(t):
    return int(round(t * 1e9))


def workload_log():
    """the log format of bench/workloads/wl.c"""
    L = ['wl synth', 'base %d size %d' % (BASE, SIZE),
         'zone 0 0 %d 0 0.000 1e9 hot' % (2 * MiB),
         'zone 1 %d %d 1000 0.000 1e9 once-a-second' % (2 * MiB, 4 * MiB),
         'zone 2 %d %d 20 0.000 1e9 every-20ms' % (4 * MiB, 6 * MiB),
         'go %d' % ns(GO), 'end %d' % ns(END),
         'R %d 0' % ns(GO), 'R %d 1000000' % ns(END)]
    # one interval the whole run: passes closer than 5 ms merge into one
    L.append('T 0 %d %d %d 400000' % (2 * MiB, ns(GO), ns(END)))
    for k in range(4):
        t = GO + 0.5025 + k
        L.append('T %d %d %d %d 1' % (2 * MiB, 4 * MiB, ns(t), ns(t + 0.0001)))
    for k in range(int((END - GO) / 0.02)):
        t = GO + 0.0025 + 0.02 * k
        L.append('T %d %d %d %d 1' % (4 * MiB, 6 * MiB, ns(t), ns(t + 0.0001)))
    return '\n'.join(L + ['done']) + '\n'


def trace(regions):
    """damon_aggregated events of NSNAP snapshots of the same regions
    (start, end, nr_accesses), offsets relative to the mapping"""
    L = []
    for k in range(1, NSNAP + 1):
        ts = GO + 0.1 * k
        for s, e, n in regions:
            L.append('  kdamond.0-99 [001] ..... %.6f: damon_aggregated: target_id=0 '
                     'nr_regions=%d %d-%d: %d 3' % (ts, len(regions), BASE + s, BASE + e, n))
    return '\n'.join(L) + '\n'


# a region spanning hot and cold (chunks 0-1), one on the warm chunk, one
# idle, and one outside the mapping (clipped away)
REGIONS = [(-MiB, 0, 7), (0, 4 * MiB, 20), (4 * MiB, 6 * MiB, 5), (6 * MiB, 8 * MiB, 0)]
# the same, split at the hot/cold edge
EXACT = [(0, 2 * MiB, 20), (2 * MiB, 4 * MiB, 0), (4 * MiB, 6 * MiB, 5),
         (6 * MiB, 8 * MiB, 0)]


def write_case(d, regions, cpu_s, ops='vaddr'):
    os.makedirs(d)
    with open(os.path.join(d, 'mon.log'), 'w') as f:
        f.write(workload_log())
    with open(os.path.join(d, 'trace.txt'), 'w') as f:
        f.write(trace(regions))
    with open(os.path.join(d, 'info.json'), 'w') as f:
        json.dump({'ops': ops, 'cpu_t0': GO, 'cpu_t1': END, 'kdamond_cpu_s': cpu_s}, f)


def load(tmp, regions):
    write_case(os.path.join(tmp, 'c'), regions, 0.2)
    wl = run.parse_wlog(os.path.join(tmp, 'c', 'mon.log'))
    snaps = run.parse_trace(os.path.join(tmp, 'c', 'trace.txt'))
    return wl, snaps


def brute_points(cuts, freqs, dr):
    """chunk by chunk: overlap-weighted nr_accesses, true frequency"""
    xs, ys = [], []
    for i in range(len(cuts) - 1):
        a, b = cuts[i], cuts[i + 1]
        xs.append(sum(n * max(0, min(e, b) - max(s, a)) for s, e, n in dr) / (b - a))
        ys.append(freqs.get(i, 0.0))
    return xs, ys


class Spearman(unittest.TestCase):
    def test_known(self):
        self.assertAlmostEqual(run.spearman([1, 2, 3, 4], [10, 20, 30, 40]), 1.0)
        self.assertAlmostEqual(run.spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1.0)
        # monotone but not linear: still 1
        self.assertAlmostEqual(run.spearman([1, 2, 3, 4], [1, 8, 27, 1000]), 1.0)

    def test_ties(self):
        # x ranks 1 2.5 2.5 4, y ranks 1 3 2 4: 4.5 / sqrt(4.5 * 5)
        self.assertAlmostEqual(run.spearman([1, 2, 2, 3], [1, 3, 2, 4]), 0.9 ** 0.5)
        self.assertEqual(run.avg_ranks([5, 1, 5, 5], [1, 1, 1, 1]), [3.0, 1.0, 3.0, 3.0])
        # both sides tied: x ranks 1.5 1.5 3.5 3.5, y ranks 1.5 3.5 1.5 3.5
        self.assertAlmostEqual(run.spearman([0, 0, 1, 1], [0, 1, 0, 1]), 0.0)

    def test_constant(self):
        self.assertIsNone(run.spearman([3, 3, 3], [1, 2, 3]))
        self.assertIsNone(run.spearman([1, 2, 3], [0, 0, 0]))

    def test_weights_are_repeats(self):
        rnd = random.Random(1)
        for _ in range(200):
            n = rnd.randint(2, 8)
            x = [rnd.randint(0, 3) for _ in range(n)]
            y = [rnd.randint(0, 3) for _ in range(n)]
            w = [rnd.randint(1, 4) for _ in range(n)]
            ex = [v for v, c in zip(x, w) for _ in range(c)]
            ey = [v for v, c in zip(y, w) for _ in range(c)]
            a, b = run.spearman(x, y, w), run.spearman(ex, ey)
            if b is None:
                self.assertIsNone(a)
            else:
                self.assertAlmostEqual(a, b)


class Classes(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.wl, self.snaps = load(self.tmp.name, REGIONS)

    def tearDown(self):
        self.tmp.cleanup()

    def test_chunks(self):
        self.assertEqual(run.chunk_cuts(self.wl), [0, 2 * MiB, 4 * MiB, 6 * MiB, 8 * MiB])

    def test_window_freqs(self):
        cuts = run.chunk_cuts(self.wl)
        wins = run.windows_of(self.snaps, ATTRS)
        self.assertEqual(len(wins), NSNAP)
        samp = ATTRS['sample_us'] / 1e6
        seen_once = 0
        for (ws, we, _r), recs in zip(wins[1:], run.window_records(self.wl, wins)[1:]):
            self.assertAlmostEqual(we - ws, 0.105)
            f = run.window_freqs(recs, cuts, ws, we, samp)
            self.assertEqual(f[0], 1.0)
            self.assertAlmostEqual(f[2], 5 / 21)
            self.assertNotIn(3, f)
            self.assertIn(f.get(1, 0.0), (0.0, 1 / 21))
            seen_once += 1 in f
            self.assertEqual([run.class_of(f.get(i, 0.0)) for i in range(4)],
                             ['hot', 'cold', 'warm', 'cold'])
        self.assertEqual(seen_once, 4)     # at 0.5025 s, 1.5025 s...: one window each

    def test_boundaries(self):
        self.assertEqual(run.class_of(0.5), 'hot')
        self.assertEqual(run.class_of(0.4999), 'warm')
        self.assertEqual(run.class_of(0.05), 'warm')
        self.assertEqual(run.class_of(0.0499), 'cold')
        # window [1.0, 1.1]: 20 intervals of 5 ms
        recs = [(0, 2, 1.0021, 1.0071, 2),      # intervals 0 and 1
                (0, 2, 1.0072, 1.0073, 1),      # 1 again: counted once
                (2, 4, 0.9, 1.0001, 30),        # from before the window: 0
                (2, 4, 1.0999, 1.2, 30),        # into the next window: 19
                (4, 6, 1.1001, 1.2, 30)]        # after the window: none
        f = run.window_freqs(recs, [0, 2, 4, 6], 1.0, 1.1, 0.005)
        self.assertEqual(f, {0: 2 / 20, 1: 2 / 20})

    def test_scores_spanning_region(self):
        res = run.score(self.wl, self.snaps, {'ops': 'vaddr', 'cpu_t1': END,
                                              'cpu_t0': GO, 'kdamond_cpu_s': 0.2}, ATTRS)
        # scored windows: start >= go + 2 s, i.e. snapshots at 102.2 .. 104.0
        self.assertEqual(res['windows'], 19)
        self.assertEqual(res['rho_windows'], 19)
        self.assertEqual(res['hot_r'], 1.0)
        self.assertEqual(res['warm_r'], 1.0)
        self.assertEqual(res['cold_r'], 0.5)        # chunk 1 of chunks 1 and 3
        self.assertEqual(res['hot_p'], 0.5)         # 4 MiB reported hot, 2 MiB hot
        self.assertEqual(res['hot_r_half'], 1.0)
        self.assertEqual(res['class_mib'], {'hot': 2.0, 'warm': 2.0, 'cold': 4.0})
        # DAMON 20 20 5 0 against truth 1 0 5/21 0 (ranks 3.5 3.5 2 1 and 4 1.5 3 1.5):
        # 1.75 / 4.5; in the 2 windows where chunk 1 was touched (102.6, 103.6)
        # truth 1 1/21 5/21 0 (ranks 4 2 3 1): 3 / sqrt(4.5 * 5)
        rho_a, rho_b = 1.75 / 4.5, 3 / (4.5 * 5) ** 0.5
        self.assertAlmostEqual(res['rho'], (17 * rho_a + 2 * rho_b) / 19)

    def test_scores_exact_regions(self):
        wl, snaps = load(os.path.join(self.tmp.name, 'x'), EXACT)
        res = run.score(wl, snaps, {'ops': 'vaddr', 'cpu_t1': END, 'cpu_t0': GO,
                                    'kdamond_cpu_s': 0.2}, ATTRS)
        self.assertEqual((res['hot_p'], res['hot_r'], res['warm_r'], res['cold_r']),
                         (1.0, 1.0, 1.0, 0.0))
        # DAMON 20 0 5 0 against truth 1 0 5/21 0: ranks agree, rho 1; where
        # chunk 1 was touched: ranks 4 1.5 3 1.5 and 4 2 3 1: 4.5 / sqrt(4.5 * 5)
        self.assertAlmostEqual(res['rho'], (17 + 2 * (4.5 / 22.5 ** 0.5)) / 19)

    def test_nothing_reported_hot(self):
        wl, snaps = load(os.path.join(self.tmp.name, 'y'),
                         [(0, 8 * MiB, 3)])
        res = run.score(wl, snaps, {'ops': 'vaddr', 'cpu_t1': END, 'cpu_t0': GO,
                                    'kdamond_cpu_s': 0.2}, ATTRS)
        self.assertIsNone(res['hot_p'])             # no byte reported hot
        self.assertEqual(res['hot_r_half'], 0.0)
        self.assertEqual((res['hot_r'], res['cold_r']), (1.0, 1.0))
        self.assertIsNone(res['rho'])               # DAMON constant: no ranking
        self.assertEqual(res['rho_windows'], 0)


class ChunkPoints(unittest.TestCase):
    def test_partial_chunk(self):
        cuts = [0, 2, 4, 6, 8]
        pts = run.chunk_points(cuts, {0: 1.0, 2: 0.25}, [(0, 3, 20), (3, 8, 0)])
        self.assertEqual(sorted(pts), sorted([(20, 1.0, 1), (10.0, 0.0, 1),
                                              (0, 0.25, 1), (0, 0.0, 1)]))

    def test_against_brute_force(self):
        rnd = random.Random(2)
        for _ in range(300):
            cuts = sorted(set([0, 64] + [rnd.randrange(1, 64) for _ in range(rnd.randint(0, 12))]))
            edges = sorted(set([rnd.randrange(0, 65) for _ in range(rnd.randint(2, 8))]))
            # disjoint regions, some gaps left uncovered
            dr = [(a, b, rnd.randint(0, 20)) for a, b in zip(edges, edges[1:])
                  if rnd.random() < 0.8]
            freqs = {i: rnd.choice([0.05, 0.5, 1.0, 0.3])
                     for i in range(len(cuts) - 1) if rnd.random() < 0.4}
            pts = run.chunk_points(cuts, freqs, dr)
            self.assertEqual(sum(w for _x, _y, w in pts), len(cuts) - 1)
            xs, ys = brute_points(cuts, freqs, dr)
            a, b = run.spearman(*zip(*pts)), run.spearman(xs, ys)
            if b is None:
                self.assertIsNone(a)
            else:
                self.assertAlmostEqual(a, b)


class Paddr(unittest.TestCase):
    def test_universe(self):
        """paddr: only bytes with a logged frame are scored; regions map back
        through the frames (here chunks 0 and 2 swapped in physical memory,
        chunk 3 absent)"""
        with tempfile.TemporaryDirectory() as tmp:
            wl, _ = load(tmp, [])
            pfn = 0x10000
            wl['P'] = [(0, pfn + 1024, 512), (2 * MiB, pfn + 512, 512),
                       (4 * MiB, pfn, 512)]
            phys = [(pfn * 4096 + s, pfn * 4096 + e, n) for s, e, n in
                    [(0, 2 * MiB, 5), (2 * MiB, 4 * MiB, 0), (4 * MiB, 6 * MiB, 20)]]
            with open(os.path.join(tmp, 't'), 'w') as f:
                f.write(trace([(s - BASE, e - BASE, n) for s, e, n in phys]))
            snaps = run.parse_trace(os.path.join(tmp, 't'))
            res = run.score(wl, snaps, {'ops': 'paddr', 'cpu_t1': END, 'cpu_t0': GO,
                                        'kdamond_cpu_s': 0.2}, ATTRS)
            self.assertEqual((res['hot_p'], res['hot_r'], res['warm_r'], res['cold_r']),
                             (1.0, 1.0, 1.0, 0.0))
            self.assertEqual(res['class_mib'], {'hot': 2.0, 'warm': 2.0, 'cold': 2.0})


def report(ours, stock):
    """analyse() and report() end to end, two kernels, three cases; ours and
    stock: (regions, kdamond CPU seconds, the same in the scale-4G case)"""
    with tempfile.TemporaryDirectory() as raw:
        cases = [{'name': n, 'ops': 'vaddr', 'secs': 30} for n in
                 ('static', 'scale-256M', 'scale-4G')]
        with open(os.path.join(raw, 'cases.json'), 'w') as f:
            json.dump(cases, f)
        for n in ('static', 'scale-256M', 'scale-4G'):
            for k, (regions, cpu, cpu4g) in (('ours', ours), ('stock', stock)):
                write_case(os.path.join(raw, k, n), regions, cpu4g if n == 'scale-4G' else cpu)
        cs, results = run.analyse(raw, ['ours', 'stock'], False)
        return run.report(cs, results, ['ours', 'stock'], False)


class Report(unittest.TestCase):
    def test_misses(self):
        lines = report((REGIONS, 0.3, 0.4), (EXACT, 0.2, 0.24))
        self.assertEqual(lines[-1], 'targets met: 1 of 5')
        i = lines.index('  [MISS] hot-class precision >= 0.95 on every workload (ours)')
        self.assertEqual(lines[i + 1].split(),
                         'below: static 0.500, scale-256M 0.500, scale-4G 0.500'.split())
        self.assertEqual(lines[i + 2], '  [MET ] hot-class recall >= 0.95 on every workload '
                                       '(ours)')
        self.assertIn('  [MISS] hot-class precision and recall >= stock on every workload',
                      lines)
        self.assertIn('  [MISS] overhead at 4 GiB <= 1.25 x overhead at 256 MiB (ours)', lines)

    def test_report(self):
        lines = report((EXACT, 0.2, 0.24), (REGIONS, 0.3, 0.3))
        txt = '\n'.join(lines)
        if '-v' in sys.argv or os.environ.get('SELFTEST_SHOW'):
            print('\n' + txt)
        self.assertEqual(lines[-1], 'targets met: 5 of 5')
        self.assertIn('earlier targets met: ', txt)
        row = next(x for x in lines if x.startswith('static') and ' stock ' in x)
        self.assertTrue(row.endswith('|  0.500  1.000  1.000  0.500  0.415    2.0'), row)
        ratio_row = lines[lines.index(row) + 1]
        self.assertTrue(ratio_row.endswith('|   2.00   1.00   1.00   0.00   2.40'), ratio_row)
        head = next(x for x in lines if x.startswith('case'))
        self.assertEqual(head.index('|'), row.index('|'))
        self.assertEqual(head.index('|'), ratio_row.index('|'))


def appearing_case(d, found_at):
    """a 2 MiB hot set appearing at GO + 1 s in the 8 MiB mapping; DAMON
    reports the whole mapping accessed from GO + 1.5 s (recall 1, precision
    0.25), then exactly the hot set from found_at on (None: never)"""
    os.makedirs(d)
    L = ['wl synth', 'base %d size %d' % (BASE, SIZE),
         'zone 0 0 %d 0 1.000 1e9 hot' % (2 * MiB),
         'go %d' % ns(GO), 'end %d' % ns(END), 'phase %d 0 hot' % ns(GO + 1),
         'R %d 0' % ns(GO), 'R %d 1000000' % ns(END),
         'T 0 %d %d %d 300000' % (2 * MiB, ns(GO + 1), ns(END)), 'done']
    with open(os.path.join(d, 'mon.log'), 'w') as f:
        f.write('\n'.join(L) + '\n')
    T = []
    for k in range(1, NSNAP + 1):
        ts = GO + 0.1 * k
        if found_at is not None and ts >= found_at - 1e-9:
            regs = [(0, 2 * MiB, 20), (2 * MiB, SIZE, 0)]
        else:
            regs = [(0, SIZE, 5 if ts >= GO + 1.5 - 1e-9 else 0)]
        for s, e, n in regs:
            T.append('  kdamond.0-99 [001] ..... %.6f: damon_aggregated: target_id=0 '
                     'nr_regions=%d %d-%d: %d 3' % (ts, len(regs), BASE + s, BASE + e, n))
    with open(os.path.join(d, 'trace.txt'), 'w') as f:
        f.write('\n'.join(T) + '\n')
    with open(os.path.join(d, 'info.json'), 'w') as f:
        json.dump({'ops': 'vaddr', 'cpu_t0': GO, 'cpu_t1': END, 'kdamond_cpu_s': 0.1}, f)


class Find(unittest.TestCase):
    """the sparse cases' time to find a hot set that appears"""

    def score(self, found_at):
        with tempfile.TemporaryDirectory() as tmp:
            appearing_case(os.path.join(tmp, 'c'), found_at)
            wl = run.parse_wlog(os.path.join(tmp, 'c', 'mon.log'))
            snaps = run.parse_trace(os.path.join(tmp, 'c', 'trace.txt'))
            return run.score(wl, snaps, {'ops': 'vaddr', 'cpu_t0': GO, 'cpu_t1': END,
                                         'kdamond_cpu_s': 0.1}, ATTRS)

    def test_found(self):
        # recall reaches 0.9 at GO + 1.5 s (conv), precision 0.5 only at GO + 2.5 s
        res = self.score(GO + 2.5)
        self.assertFalse(res['find_censored'])
        self.assertAlmostEqual(res['find_s'], 1.5, places=6)
        self.assertAlmostEqual(res['conv_s'], 0.5, places=6)

    def test_never(self):
        res = self.score(None)
        self.assertTrue(res['find_censored'])
        self.assertAlmostEqual(res['find_s'], 3.0, places=6)

    def test_report_only(self):
        """a report-only case has its own table and stays out of the targets"""
        with tempfile.TemporaryDirectory() as raw:
            cases = [{'name': n, 'ops': 'vaddr', 'secs': 30} for n in
                     ('static', 'scale-256M', 'scale-4G')]
            cases.append({'name': 'sparse-1T', 'ops': 'vaddr', 'secs': 30,
                          'report_only': True})
            with open(os.path.join(raw, 'cases.json'), 'w') as f:
                json.dump(cases, f)
            for k in ('ours', 'stock'):
                for n in ('static', 'scale-256M', 'scale-4G'):
                    write_case(os.path.join(raw, k, n), EXACT, 0.2 if k == 'ours' else 0.3)
            appearing_case(os.path.join(raw, 'ours', 'sparse-1T'), GO + 2.5)
            appearing_case(os.path.join(raw, 'stock', 'sparse-1T'), None)
            cs, results = run.analyse(raw, ['ours', 'stock'], False)
            lines = run.report(cs, results, ['ours', 'stock'], False)
        self.assertEqual(lines[-1], 'targets met: 5 of 5')
        i = next(i for i, x in enumerate(lines) if x.startswith('Sparse mappings'))
        # cpu ms/s: 0.1 s over 4.05 s; regions: the mean over scored windows
        self.assertEqual([x.split() for x in lines[i + 3:i + 5]],
                         [['sparse-1T', 'ours', '24.7', '1.50', '2'],
                          ['sparse-1T', 'stock', '24.7', '>3.00', '1']])



class Runs(unittest.TestCase):
    """--runs N: medians and spreads of several runs"""

    def test_medians(self):
        runs = []
        with tempfile.TemporaryDirectory() as raw:
            cases = [{'name': n, 'ops': 'vaddr', 'secs': 30} for n in
                     ('static', 'scale-256M', 'scale-4G')]
            for i, (cpu, regions) in enumerate(((0.4, REGIONS), (0.2, EXACT),
                                                (0.3, EXACT))):
                rd = os.path.join(raw, 'run%d' % (i + 1))
                os.makedirs(rd)
                with open(os.path.join(rd, 'cases.json'), 'w') as f:
                    json.dump(cases, f)
                for n in ('static', 'scale-256M', 'scale-4G'):
                    write_case(os.path.join(rd, 'ours', n), regions, cpu)
                    write_case(os.path.join(rd, 'stock', n), REGIONS, 0.5)
                runs.append(run.analyse(rd, ['ours', 'stock'], False)[1])
        res = run.merge_runs(runs)
        ours = res['static']['ours']['res']
        self.assertEqual(ours['nr_runs'], 3)
        self.assertAlmostEqual(ours['kdamond_cpu_per_s'], 0.3 / 4.05)
        lo, hi = ours['spread']['kdamond_cpu_per_s']
        self.assertAlmostEqual(lo, 0.2 / 4.05)
        self.assertAlmostEqual(hi, 0.4 / 4.05)
        # hot precision: 0.5 with REGIONS, 1 with EXACT
        self.assertEqual((ours['hot_p'], ours['spread']['hot_p']), (1.0, (0.5, 1.0)))
        self.assertEqual(ours['class_mib'], {'hot': 2.0, 'warm': 2.0, 'cold': 4.0})
        lines = run.report(cases, res, ['ours', 'stock'], False)
        i = lines.index('Spread over the runs (median [min-max]):')
        row = lines[i + 3].split()
        self.assertEqual(row[:6], ['static', 'ours', '3', '74.1', '[49.4-98.8]', '1.000'])
        # on the medians: ours 0.3 s against stock's 0.5 s, hot precision 1
        self.assertEqual(lines[-1], 'targets met: 5 of 5')



PERF_SCRIPT = """\
\tffffffff8110a1b0 csd_lock_wait
\tffffffff8110a9c0 smp_call_function_many_cond
\tffffffff81070c11 flush_tlb_mm_range
\tffffffff812d0f00 walk_pgd_range
\tffffffff81ab0000 kdamond_fn

\tffffffff812d0f00 walk_pmd_range
\tffffffff812d1000 walk_page_range
\tffffffff81ab0000 kdamond_fn

\tffffffff81ab1000 damon_merge_two_regions
\tffffffff81ab0000 kdamond_fn

\tffffffff81ab2000 get_random_u32
\tffffffff81ab0000 kdamond_fn
"""


class Profile(unittest.TestCase):
    def test_phases(self):
        with tempfile.TemporaryDirectory() as tmp:
            p = os.path.join(tmp, 'perf.txt')
            with open(p, 'w') as f:
                f.write(PERF_SCRIPT)
            stacks = run.parse_perf_script(p)
            self.assertEqual([len(s) for s in stacks], [5, 3, 2, 2])
            # a flush inside a walk counts as a flush
            self.assertEqual([run.phase_of(s) for s in stacks],
                             ['tlb flush', 'pt walk', 'split/merge', 'other'])
            share, n = run.profile_of(p)
        self.assertEqual(n, 4)
        self.assertEqual((share['tlb flush'], share['other'], share['sleep']), (0.25, 0.25, 0))


if __name__ == '__main__':
    unittest.main()
