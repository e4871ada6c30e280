#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Continuation lines that do not line up with their open parenthesis.

usage: align-check.py [-v] [FILE...]   (in testbed/)

Kernel style (checkpatch --strict "Alignment should match open parenthesis")
wants every continuation line of a call, a prototype or a condition to start
in the column after the innermost parenthesis still open, indented with tabs
then fewer than eight spaces.  checkpatch looks only at the line right after
one that opens the list and ends in ",", "&&" or "||"; this checks every line
of the list, at any depth.  A lined-up line must also end within 80 columns
(coding-style section 2): where it cannot, the call needs another break, not
a line at a tab stop.

Free, as the kernel's own code has them:
  - a line with no parenthesis open (a continuation after "=" or an
    operator);
  - a list whose "(" ends its line (TP_PROTO(, an argument list moved down
    whole), and a line inside "{...}" or "[...]" within the parentheses
    (statement expressions, compound literals);
  - a line that starts with ")";
  - preprocessor lines, and every line of a macro continued by "\\": their
    parentheses do not count either, so an #ifdef inside a list is fine.
Parentheses in strings, character constants and comments do not count.

A "}" alone at the start of a line (the end of a function or of a
definition) empties the bracket stack, so that braces left unbalanced by
#ifdef branches do not spill into the next function.

Without FILEs, checks the project's C files (the ones testbed/lint checks,
and the selftests' C programs).  Each finding prints as
  PATH:LINE: column C, want W: TEXT
  PATH:LINE: column C, but not tabs then spaces: TEXT
  PATH:LINE: lined up, but ends past column 80 (N): TEXT
testbed/align-allow lists the deliberate ones.  The last line is the
summary; exit status 1 on a finding the allow-list does not cover, or an
allow-list entry that matches nothing.
"""
import fnmatch
import glob
import os
import sys

TB = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(TB)
TABSIZE = 8
MAXCOL = 80
DEFAULT_GLOBS = ['mm/damon/*.[ch]', 'mm/damon/tests/*.[ch]',
                 'include/linux/damon.h', 'include/trace/events/damon.h',
                 'samples/damon/*.c', 'tools/testing/selftests/damon/*.c']


def width(text):
    """Visual width of TEXT, tabs expanded."""
    col = 0
    for ch in text:
        col = (col // TABSIZE + 1) * TABSIZE if ch == '\t' else col + 1
    return col


def indent_for(col):
    return '\t' * (col // TABSIZE) + ' ' * (col % TABSIZE)


def scan(lines):
    """Yield (lineno, actual col, wanted col, text) for each misaligned line,
    and each lined-up one that ends past MAXCOL.

    One pass over the file's characters keeps a stack of open brackets
    [(char, column after it, open-ended)], and the state of block comments
    and preprocessor directives across lines.
    """
    stack = []
    in_comment = False
    in_pp = False           # inside a directive continued by "\"
    for no, line in enumerate(lines, 1):
        body = line.rstrip('\n')
        stripped = body.lstrip(' \t')
        lead = body[:len(body) - len(stripped)]
        pp = in_pp or (not in_comment and stripped.startswith('#'))
        in_pp = pp and body.endswith('\\')
        if (stripped and not pp and not in_comment and stack and
                stack[-1][0] == '(' and not stack[-1][2] and
                not stripped.startswith(')')):
            want = stack[-1][1]
            if lead != indent_for(want) or width(body) > MAXCOL:
                yield no, width(lead), want, body
        if not pp and not in_comment and body.rstrip() in ('}', '};'):
            stack = []
            continue
        # tokenize the line
        i, n = 0, len(body)
        opened = []         # brackets opened on this line: their stack index
        last_code = -1      # index of the last character of code
        while i < n:
            ch = body[i]
            if in_comment:
                end = body.find('*/', i)
                if end < 0:
                    break
                in_comment = False
                i = end + 2
                continue
            if body.startswith('//', i):
                break
            if body.startswith('/*', i):
                in_comment = True
                i += 2
                continue
            if ch in '"\'':
                j = i + 1
                while j < n and body[j] != ch:
                    j += 2 if body[j] == '\\' else 1
                i = j + 1
                last_code = min(j, n - 1)
                continue
            if not ch.isspace():
                last_code = i
            if not pp:
                if ch in '([{':
                    stack.append([ch, width(body[:i + 1]), False])
                    opened.append(len(stack) - 1)
                elif ch in ')]}':
                    if stack:
                        stack.pop()
                    if opened and opened[-1] >= len(stack):
                        opened.pop()
            i += 1
        # an open bracket that is the line's last code opens a free list
        for k in opened:
            if k < len(stack):
                col = stack[k][1]
                if width(body[:last_code + 1]) == col:
                    stack[k][2] = True


def allow_list(path):
    out = []
    if not os.path.exists(path):
        return out
    for line in open(path):
        if line.strip() and not line.startswith('#'):
            parts = line.rstrip('\n').split('\t')
            if len(parts) < 3 or not parts[2].strip():
                sys.exit('%s: want "PATH-GLOB<tab>TEXT<tab>reason": %s'
                         % (path, line.rstrip()))
            out.append([parts[0], parts[1], 0])
    return out


def main():
    args = sys.argv[1:]
    verbose = '-v' in args
    files = [os.path.relpath(os.path.abspath(a), REPO)
             for a in args if a != '-v']
    os.chdir(REPO)
    if not files:
        files = sorted(f for g in DEFAULT_GLOBS for f in glob.glob(g))
    allow = allow_list(os.path.join(TB, 'align-allow'))
    bad = allowed = 0
    for path in files:
        with open(path) as f:
            lines = f.readlines()
        for no, col, want, text in scan(lines):
            rule = [a for a in allow if fnmatch.fnmatch(path, a[0]) and
                    a[1] in text]
            for a in rule:
                a[2] += 1
            if col != want:
                how = 'column %d, want %d' % (col, want)
            elif text[:len(text) - len(text.lstrip())] != indent_for(col):
                how = 'column %d, but not tabs then spaces' % col
            else:
                how = 'lined up, but ends past column %d (%d)' % (
                    MAXCOL, width(text))
            msg = '%s:%d: %s: %s' % (path, no, how, text.strip())
            if rule:
                allowed += 1
                if verbose:
                    print('allowed: ' + msg)
            else:
                bad += 1
                print(msg)
    stale = [a for a in allow if not a[2] and
             any(fnmatch.fnmatch(f, a[0]) for f in files)]
    for a in stale:
        print('testbed/align-allow: no line of %s has "%s"' % (a[0], a[1]))
    print('%d files, %d places (%d allowed)%s' %
          (len(files), bad, allowed,
           ', %d stale allow entries' % len(stale) if stale else ''))
    sys.exit(1 if bad or stale else 0)


if __name__ == '__main__':
    main()
