#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DAMON_STAT: runtime switching, kdamond_pid, the format of the results, and
# rejection of bad input.

ksft_skip=4
params=/sys/module/damon_stat/parameters

fail() {
	echo "FAIL: $*"
	restore
	exit 1
}

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: not root"
	exit $ksft_skip
fi
if [ ! -d "$params" ]; then
	echo "SKIP: DAMON_STAT is not built in"
	exit $ksft_skip
fi

orig_enabled=$(cat "$params/enabled")
restore() {
	echo "$orig_enabled" > "$params/enabled" 2> /dev/null
}

# Off: no kdamond.
echo N > "$params/enabled" || fail "disabling failed"
[ "$(cat "$params/enabled")" = N ] || fail "enabled is not N"
[ "$(cat "$params/kdamond_pid")" = -1 ] || fail "kdamond_pid is not -1 when off"

# Bad input is rejected and changes nothing.
for bad in 2 x abc; do
	if { printf '%s' "$bad" > "$params/enabled"; } 2> /dev/null; then
		fail "'$bad' accepted as enabled"
	fi
done
[ "$(cat "$params/enabled")" = N ] || fail "bad input changed enabled"
for ro in estimated_memory_bandwidth memory_idle_ms_percentiles \
	aggr_interval_us kdamond_pid; do
	if { echo 1 > "$params/$ro"; } 2> /dev/null; then
		fail "read-only $ro is writable"
	fi
done

# On: a kdamond that exists.
echo Y > "$params/enabled" || fail "enabling failed"
pid=$(cat "$params/kdamond_pid")
[ "$pid" -gt 0 ] || fail "kdamond_pid is $pid when on"
grep -q '^kdamond\.' "/proc/$pid/comm" || fail "pid $pid is not a kdamond"
# Enabling again is a no-op.
echo Y > "$params/enabled" || fail "re-enabling failed"
[ "$(cat "$params/kdamond_pid")" = "$pid" ] || fail "re-enabling restarted"

# Results appear within about five seconds.
for _ in $(seq 20); do
	[ "$(cat "$params/aggr_interval_us")" -gt 0 ] && break
	sleep 1
done
aggr=$(cat "$params/aggr_interval_us")
[ "$aggr" -gt 0 ] || fail "no aggr_interval_us"
[ "$(cat "$params/estimated_memory_bandwidth")" -ge 0 ] || \
	fail "bad estimated_memory_bandwidth"

pcts=$(cat "$params/memory_idle_ms_percentiles")
IFS=, read -r -a vals <<< "$pcts"
[ "${#vals[@]}" -eq 101 ] || fail "${#vals[@]} percentiles, not 101"
prev=${vals[0]}
for v in "${vals[@]}"; do
	[[ "$v" =~ ^-?[0-9]+$ ]] || fail "percentile '$v' is not an integer"
	[ "$v" -ge "$prev" ] || fail "percentiles are not ascending: $pcts"
	prev=$v
done

# Off again: the kdamond goes away.
echo N > "$params/enabled" || fail "disabling failed"
[ "$(cat "$params/kdamond_pid")" = -1 ] || fail "kdamond_pid not reset"
[ -d "/proc/$pid" ] && grep -q '^kdamond\.' "/proc/$pid/comm" 2> /dev/null && \
	fail "kdamond $pid still alive"

restore
echo "PASS: aggr_interval_us $aggr, p0 ${vals[0]} p50 ${vals[50]} p100 ${vals[100]}"
exit 0
