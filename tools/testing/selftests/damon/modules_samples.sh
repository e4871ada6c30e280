#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The samples under samples/damon: each one, switched by its enabled
# parameter, does its job on a test process and stops cleanly.

ksft_skip=4
mod=/sys/module
ran=0

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: not root"
	exit $ksft_skip
fi

fail() {
	echo "FAIL: $*"
	exit 1
}

# Run on any exit, a failure or the runner's SIGTERM included: leave no
# sample running and no swap device behind for the tests that follow.
cleanup() {
	local s

	for s in wsse prcl mtier; do
		s=$mod/damon_sample_$s/parameters/enabled
		[ -f "$s" ] && echo N > "$s" 2> /dev/null
	done
	[ -n "$child" ] && kill -9 "$child" 2> /dev/null
	if [ -n "$zram" ]; then
		swapoff "$zram"
		echo 1 > /sys/block/zram0/reset
	fi
	[ -n "$stat_enabled" ] && echo "$stat_enabled" > "$stat"
}

nr_kdamonds() {
	grep -l '^kdamond\.' /proc/[0-9]*/comm 2> /dev/null | wc -l
}

# A process with 64 MiB of memory touched once and then left idle, or, with
# "busy", with 4 MiB of it touched over and over.
start_child() {
	python3 -c '
import mmap, sys, time
m = mmap.mmap(-1, 64 << 20, mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
for off in range(0, 64 << 20, 4096):
    m[off] = 1
print("ready", flush=True)
end = time.time() + 1000
while sys.argv[1] == "busy" and time.time() < end:
    for off in range(0, 4 << 20, 4096):
        m[off] = (m[off] + 1) & 0xff
time.sleep(1000)' "$1" > /tmp/damon_sample_child.$$ &
	child=$!
	for _ in $(seq 100); do
		grep -q ready /tmp/damon_sample_child.$$ && break
		sleep 0.1
	done
	rm -f /tmp/damon_sample_child.$$
}

vmswap_kb() {
	awk '/^VmSwap:/ {print $2}' "/proc/$1/status"
}

# DAMON_STAT runs as an exclusive DAMON user; get it out of the way.
stat=$mod/damon_stat/parameters/enabled
stat_enabled=""
if [ -f "$stat" ]; then
	stat_enabled=$(cat "$stat")
	echo N > "$stat"
fi
child=""
zram=""
trap cleanup EXIT

before=$(nr_kdamonds)

# wsse: periodic working set size reports while enabled, none after.
p=$mod/damon_sample_wsse/parameters
if [ -d "$p" ]; then
	ran=1
	start_child busy
	echo -1 > "$p/target_pid"
	echo Y > "$p/enabled" 2> /dev/null && fail "wsse: started on pid -1"
	[ "$(cat "$p/enabled")" = N ] || fail "wsse: enabled after failure"
	echo "$child" > "$p/target_pid"
	mark=$(dmesg | grep -c 'damon_sample_wsse: wss:')
	echo Y > "$p/enabled" || fail "wsse: enabling failed"
	[ "$(nr_kdamonds)" -eq $((before + 1)) ] || fail "wsse: no kdamond"
	sleep 4
	sleep 4
	nr=$(($(dmesg | grep -c 'damon_sample_wsse: wss:') - mark))
	[ "$nr" -ge 3 ] || fail "wsse: $nr reports in 8 s"
	max=$(dmesg | grep 'damon_sample_wsse: wss:' | tail -n "$nr" | \
		awk '{print $NF}' | sort -n | tail -1)
	[ "$max" -gt 0 ] || fail "wsse: the busy child had no working set"
	echo N > "$p/enabled" || fail "wsse: disabling failed"
	[ "$(nr_kdamonds)" -eq "$before" ] || fail "wsse: kdamond left"
	mark=$(dmesg | grep -c 'damon_sample_wsse: wss:')
	sleep 2
	[ "$(dmesg | grep -c 'damon_sample_wsse: wss:')" -eq "$mark" ] || \
		fail "wsse: reports after disabling"
	echo "ok: wsse ($nr reports, largest wss $max bytes)"
	kill -9 "$child"
	wait "$child" 2> /dev/null
	child=""
fi

# prcl: the idle memory of the child gets paged out.
p=$mod/damon_sample_prcl/parameters
if [ -d "$p" ]; then
	if [ "$(wc -l < /proc/swaps)" -le 1 ] && [ -e /sys/block/zram0 ]; then
		echo 1G > /sys/block/zram0/disksize && \
			mkswap /dev/zram0 > /dev/null && swapon /dev/zram0 && \
			zram=/dev/zram0
	fi
	if [ "$(wc -l < /proc/swaps)" -gt 1 ]; then
		ran=1
		start_child idle
		echo "$child" > "$p/target_pid"
		echo Y > "$p/enabled" || fail "prcl: enabling failed"
		for _ in $(seq 60); do
			[ "$(vmswap_kb "$child")" -ge 32768 ] && break
			sleep 1
		done
		swapped=$(vmswap_kb "$child")
		echo N > "$p/enabled" || fail "prcl: disabling failed"
		[ "$(nr_kdamonds)" -eq "$before" ] || fail "prcl: kdamond left"
		kill -9 "$child"
		wait "$child" 2> /dev/null
		child=""
		[ "$swapped" -ge 32768 ] || fail "prcl: only $swapped kB paged out"
		echo "ok: prcl ($swapped kB of 65536 kB paged out)"
	else
		echo "prcl: skipped, no swap"
	fi
	if [ -n "$zram" ]; then
		swapoff "$zram"
		echo 1 > /sys/block/zram0/reset
		zram=""
	fi
fi

# mtier: two kdamonds while enabled, on a system with two nodes.
p=$mod/damon_sample_mtier/parameters
if [ -d "$p" ] && [ -d /sys/devices/system/node/node1 ]; then
	ran=1
	echo Y > "$p/enabled" || fail "mtier: enabling failed"
	[ "$(nr_kdamonds)" -eq $((before + 2)) ] || fail "mtier: not 2 kdamonds"
	sleep 2
	echo N > "$p/enabled" || fail "mtier: disabling failed"
	[ "$(nr_kdamonds)" -eq "$before" ] || fail "mtier: kdamonds left"
	echo "ok: mtier"
fi

if [ "$ran" -eq 0 ]; then
	echo "SKIP: no sample could run"
	exit $ksft_skip
fi
echo "PASS"
exit 0
