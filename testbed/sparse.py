#!/usr/bin/env python3
"""Run sparse on the checkout's DAMON C files, the way "make C=2" would.

usage: testbed/sparse.py [-v]

Kbuild runs "$(CHECK) $(CHECKFLAGS) $(c_flags) file.c" for C=2.  This runs
the same command with the c_flags that the last x86 build recorded in
$BUILD_X86/{mm,samples}/damon/.*.o.cmd, but on the files of this checkout
(its mm/damon/ and samples/damon/ and, ahead of the tree's, its include/linux/damon.h and
include/trace/events/damon.h), from the build directory.  It writes nothing
to the shared kernel tree or the build directory and compiles nothing, so
it needs neither the overlay nor the build lock; it only needs one earlier
"testbed/build-x86" for the generated headers and the flags.  The files
checked are those the test config builds.

Counts the warnings and errors sparse reports in mm/damon/ and in the
DAMON headers, and those it reports in other headers about a function of
ours (e.g. a lock context imbalance found in an inline helper), but not
the others, from the rest of the kernel.  Warnings that testbed/sparse-allow
lists (with the reason) are allowed.  Prints the warnings and a summary line
"N files, W warnings (A allowed)", and exits 1 if any warning is not
allowed, 0 if none, 77 if sparse or the build directory is missing.
"""
import fnmatch
import glob
import os
import re
import shlex
import shutil
import subprocess
import sys

TB = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(TB)
sys.path.insert(0, TB)
import paths  # noqa: E402
CACHE = paths.CACHE
BUILD = os.environ.get('DAMON_TESTBED_BUILD_X86',
                       os.path.join(CACHE, 'build-x86'))
CHECKFLAGS = ['-D__linux__', '-Dlinux', '-D__STDC__', '-Dunix', '-D__unix__',
              '-Wbitwise', '-Wno-return-void', '-Wno-unknown-attribute',
              '--arch=x86_64', '-mlittle-endian', '-m64', '-D__x86_64__']
OURS = re.compile(r'^(?:\S*/)?((?:mm|samples)/damon/\S+|include/\S*damon\S*)'
                  r':\d+:\d+: '
                  r'(warning|error):')


def allow_list():
    """[(source glob, message regex, max, reason)] of testbed/sparse-allow."""
    out = []
    for line in open(os.path.join(TB, 'sparse-allow')):
        if not line.strip() or line.startswith('#'):
            continue
        glob_, regex, mx, reason = line.rstrip('\n').split('\t', 3)
        out.append([glob_, re.compile(regex), int(mx), reason])
    return out


def ours(line, text):
    """Whether a sparse message about our source @text is ours to fix."""
    if OURS.match(line):
        return True
    m = re.search(r": (?:warning|error): .* in '(\w+)'", line)
    return bool(m and re.search(r'^\S.*\b%s\(' % m.group(1), text, re.M))


def c_flags(cmdfile):
    """The compiler flags of a .o.cmd, without compiler, -c/-o and source."""
    line = open(cmdfile).readline()
    cmd = line.split(':=', 1)[1].split(';')[0]
    args = shlex.split(cmd)
    while args and not args[0].startswith('-'):
        args.pop(0)		# "ccache gcc"
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
            continue
        if a == '-o':
            skip = True
            continue
        if a == '-c' or a.endswith('.c') or a.startswith('-Wp,'):
            continue
        out.append(a)
    return out


def main():
    verbose = '-v' in sys.argv[1:]
    if not shutil.which('sparse'):
        print('sparse not installed (testbed/deps installs it)')
        return 77
    cmds = sorted(glob.glob(os.path.join(BUILD, 'mm/damon/.*.o.cmd')) +
                  glob.glob(os.path.join(BUILD, 'samples/damon/.*.o.cmd')))
    cmds = [c for c in cmds if not os.path.basename(c).startswith('.built-in')]
    if not cmds:
        print('no x86 build in %s (run testbed/build-x86 once)' % BUILD)
        return 77
    # the checkout's headers first; "../internal.h" still from the tree
    inc = ['-I' + os.path.join(REPO, 'mm/damon'),
           '-I' + os.path.join(REPO, 'include')]
    nfiles, found = 0, []
    for c in cmds:
        name = os.path.join(os.path.relpath(os.path.dirname(c), BUILD),
                            os.path.basename(c)[1:-len('.o.cmd')] + '.c')
        src = os.path.join(REPO, name)
        if not os.path.exists(src):
            continue
        text = open(src).read()
        r = subprocess.run(['sparse'] + CHECKFLAGS + inc + c_flags(c) + [src],
                           cwd=BUILD, capture_output=True, text=True)
        nfiles += 1
        for line in (r.stdout + r.stderr).splitlines():
            if verbose:
                print(line)
            line = line.replace(REPO + '/', '')
            if ours(line, text) and (name, line) not in found:
                found.append((name, line))
        if r.returncode not in (0, 1):
            found.append((name, '%s: sparse exited with %d' %
                          (src, r.returncode)))
    allow = allow_list()
    bad, allowed = [], []
    for name, line in found:
        rule = [a for a in allow if fnmatch.fnmatch(name, a[0])
                and a[1].search(line)]
        if rule and rule[0][2] > 0:
            rule[0][2] -= 1
            allowed.append(line)
        else:
            bad.append(line)
    for line in allowed:
        print('allowed: ' + line)
    for line in bad:
        print(line)
    print('%d files, %d warnings (%d allowed)' %
          (nfiles, len(found), len(allowed)))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
