#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# WSS estimation accuracy of the paddr operations set for a 100 MiB working
# set (see ops_wss.py).
exec python3 "$(dirname "$0")/ops_wss.py" paddr 100
