#!/usr/bin/env python3
"""Check that the ABI file describes every file of the DAMON sysfs tree.

usage: testbed/abi_check.py [ABI_FILE]

The tree is read from the tables of mm/damon/sysfs*.c (every
struct damon_sysfs_file, damon_sysfs_subdir and damon_sysfs_type, from the
root type dsys_damon_type down; files under #ifdef count too), plus the
expectation tables of tools/testing/selftests/damon/sysfs_tree.py.  Every
file and directory under /sys/kernel/mm/damon/admin must be on a What: line
of Documentation/ABI/testing/sysfs-kernel-mm-damon, and every What: line
must name something of the tree.  Numbered directories are compared as a
wildcard, whatever their name in the ABI file (<K>, <C>, ...) or in the
tables ("0").

Prints "N files, M directories described" and exits 0, or lists what is
missing or stale and exits 1.
"""
import glob
import os
import re
import sys

sys.dont_write_bytecode = True

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ABI = os.path.join(REPO, 'Documentation/ABI/testing/sysfs-kernel-mm-damon')
ROOT = '/sys/kernel/mm/damon'
ADMIN = ROOT + '/admin'
NUM = '<N>'

FILE_MACROS = {
    # macro: index of the name among its arguments
    'DAMON_SYSFS_RW': 2, 'DAMON_SYSFS_RO': 2, 'DAMON_SYSFS_ENUM_RW': 1,
    'DAMON_SYSFS_STR_RW': 1, 'DAMON_SYSFS_NR_FILE': 0,
    'DAMON_SYSFS_CUSTOM_FILE': 0,
}


def die(msg):
    print('abi_check: ' + msg, file=sys.stderr)
    sys.exit(2)


def c_arrays(src, ctype):
    """{name: body} of the "const struct ctype name[] = {...};" arrays."""
    pat = (r'(?:static\s+)?const\s+struct\s+%s\s+(\w+)\s*(\[\])?\s*=\s*\{'
           r'(.*?)\n\};' % ctype)
    return {m.group(1): m.group(3) for m in re.finditer(pat, src, re.S)}


def tree_from_c():
    src = ''
    for p in sorted(glob.glob(os.path.join(REPO, 'mm/damon/sysfs*.c'))):
        src += open(p).read() + '\n'
    if not src:
        die('no mm/damon/sysfs*.c')
    files = {}
    for name, body in c_arrays(src, 'damon_sysfs_file').items():
        names = []
        for m in re.finditer(r'\b(DAMON_SYSFS_\w+)\(([^()]*)', body):
            if m.group(1) not in FILE_MACROS:
                continue
            args = [a.strip() for a in m.group(2).split(',')]
            names.append(args[FILE_MACROS[m.group(1)]])
        # every entry of the array must have been understood
        if len(names) != len(re.findall(r'^\s*(?:DAMON_SYSFS_\w+\(|\{)',
                                        body, re.M)):
            die('cannot parse the files of ' + name)
        files[name] = names
    subdirs = {}
    for name, body in c_arrays(src, 'damon_sysfs_subdir').items():
        subdirs[name] = re.findall(r'\{\s*"(\w+)"\s*,\s*&(\w+)\s*\}', body)
        if len(subdirs[name]) != body.count('&'):
            die('cannot parse the subdirectories of ' + name)
    types = {}
    for name, body in c_arrays(src, 'damon_sysfs_type').items():
        f = re.search(r'\.files\s*=\s*(\w+)', body)
        s = re.search(r'\.subdirs\s*=\s*(\w+)', body)
        k = re.search(r'\.kid_type\s*=\s*&(\w+)', body)
        types[name] = (files[f.group(1)] if f else [],
                       subdirs[s.group(1)] if s else [],
                       k.group(1) if k else None)
    if 'dsys_damon_type' not in types:
        die('no dsys_damon_type in mm/damon/sysfs.c')
    out = set()

    def walk(tname, path):
        if tname not in types:
            die('unknown type ' + tname)
        fl, sl, kid = types[tname]
        out.add(path + '/')
        for f in fl:
            out.add(path + '/' + f)
        for d, t in sl:
            walk(t, path + '/' + d)
        if kid:
            walk(kid, path + '/' + NUM)
    walk('dsys_damon_type', ROOT)
    return set(p for p in out if p.startswith(ADMIN + '/'))


def tree_from_selftest():
    """Files the sysfs_tree.py selftest expects, perf events included."""
    d = os.path.join(REPO, 'tools/testing/selftests/damon')
    if not os.path.exists(os.path.join(d, 'sysfs_tree.py')):
        return set()
    sys.path.insert(0, d)
    try:
        import sysfs_tree as st
    finally:
        sys.path.pop(0)
    st.add_perf_events()
    return set(ADMIN + '/kdamonds/' + p for p in st.flatten(st.TREE))


def norm(path):
    parts = path.split('/')
    return '/'.join(NUM if re.fullmatch(r'\d+|<\w+>', x) else x
                    for x in parts)


def abi_paths(abi):
    out = {}
    for i, line in enumerate(open(abi), 1):
        m = re.match(r'What:\s*(\S+)\s*$', line)
        if m:
            out[norm(m.group(1))] = i
    return out


def main():
    abi = sys.argv[1] if len(sys.argv) > 1 else ABI
    if not os.path.exists(abi):
        print('abi_check: no ' + abi)
        return 1
    tree = tree_from_c()
    extra = set(norm(p) for p in tree_from_selftest())
    only_test = set(p for p in extra - tree if '/tried_regions/' not in p)
    if only_test:
        print('abi_check: note: sysfs_tree.py expects files the C tables '
              'lack: ' + ' '.join(sorted(only_test)), file=sys.stderr)
    tree |= extra
    described = abi_paths(abi)
    missing = sorted(tree - set(described))
    stale = sorted(p for p in described if p not in tree)
    for p in missing:
        print('abi_check: not described: ' + p)
    for p in stale:
        print('abi_check: %s:%d: not in the tree: %s' %
              (os.path.relpath(abi, REPO), described[p], p))
    nf = len([p for p in tree if not p.endswith('/')])
    print('%d files, %d directories described' % (nf, len(tree) - nf))
    return 1 if missing or stale else 0


if __name__ == '__main__':
    sys.exit(main())
