#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# WSS estimation accuracy of the vaddr operations set for a 10 MiB working
# set, sampled by page faults alone (see ops_wss.py).
exec python3 "$(dirname "$0")/ops_wss.py" vaddr --fault 10
