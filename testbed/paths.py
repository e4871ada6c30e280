# SPDX-License-Identifier: GPL-2.0
"""testbed/paths for the python scripts of testbed/: CACHE and OWNED."""
import os

_vals = {}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       'paths')) as _f:
    for _line in _f:
        if _line.strip() and not _line.startswith('#'):
            _key, *_rest = _line.split()
            _vals[_key] = _rest

CACHE = os.environ.get('DAMON_TESTBED_CACHE',
                       os.path.expanduser(_vals['cache'][0]))
OWNED = _vals['owned']
