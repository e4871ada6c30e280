#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DAMON_RECLAIM and DAMON_LRU_SORT parameter handling: every parameter damo
# needs exists, enabled/kdamond_pid follow each other, commit_inputs is reset
# after it is applied, invalid input is refused without changing the state,
# and switching a module on and off many times leaves no kernel warning.

ksft_skip=4

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: not root"
	exit $ksft_skip
fi

fail() {
	echo "FAIL: $*"
	[ -n "$params" ] && echo N > "$params/enabled" 2> /dev/null
	exit 1
}

reclaim_params="kdamond_pid enabled min_age quota_ms quota_sz
	quota_reset_interval_ms wmarks_interval wmarks_high wmarks_mid wmarks_low
	sample_interval aggr_interval min_nr_regions max_nr_regions
	monitor_region_start monitor_region_end nr_reclaim_tried_regions
	nr_reclaimed_regions bytes_reclaim_tried_regions bytes_reclaimed_regions
	nr_quota_exceeds skip_anon quota_mem_pressure_us quota_autotune_feedback
	commit_inputs addr_unit"
lru_sort_params="kdamond_pid enabled hot_thres_access_freq cold_min_age
	quota_ms quota_reset_interval_ms wmarks_interval wmarks_high wmarks_mid
	wmarks_low sample_interval aggr_interval min_nr_regions max_nr_regions
	monitor_region_start monitor_region_end nr_lru_sort_tried_hot_regions
	nr_lru_sorted_hot_regions bytes_lru_sort_tried_hot_regions
	bytes_lru_sorted_hot_regions nr_lru_sort_tried_cold_regions
	nr_lru_sorted_cold_regions bytes_lru_sort_tried_cold_regions
	bytes_lru_sorted_cold_regions commit_inputs addr_unit
	autotune_monitoring_intervals"

wait_for() {
	local file=$1 want=$2 i

	for i in $(seq 50); do
		[ "$(cat "$file")" = "$want" ] && return 0
		sleep 0.1
	done
	return 1
}

test_module() {
	local name=$1 list=$2 p pid old i

	params=/sys/module/damon_$name/parameters
	if [ ! -d "$params" ]; then
		echo "SKIP: damon_$name is not built in"
		return $ksft_skip
	fi
	for p in $list; do
		[ -f "$params/$p" ] || fail "$name: no $p"
	done

	echo N > "$params/enabled" || fail "$name: disabling failed"
	[ "$(cat "$params/kdamond_pid")" = -1 ] || fail "$name: pid not -1"

	# Malformed values are refused and leave the old value.
	old=$(cat "$params/min_nr_regions")
	echo abc > "$params/min_nr_regions" 2> /dev/null && \
		fail "$name: 'abc' accepted"
	[ "$(cat "$params/min_nr_regions")" = "$old" ] || \
		fail "$name: bad write changed min_nr_regions"
	echo maybe > "$params/enabled" 2> /dev/null && \
		fail "$name: 'maybe' accepted as enabled"
	[ "$(cat "$params/enabled")" = N ] || fail "$name: enabled changed"

	# Invalid attributes: starting fails cleanly.
	echo 0 > "$params/addr_unit"
	echo Y > "$params/enabled" 2> /dev/null && fail "$name: addr_unit 0 ran"
	[ "$(cat "$params/enabled")" = N ] || fail "$name: failed start shows Y"
	[ "$(cat "$params/kdamond_pid")" = -1 ] || fail "$name: pid after failure"
	echo 1 > "$params/addr_unit"

	echo Y > "$params/enabled" || fail "$name: enabling failed"
	pid=$(cat "$params/kdamond_pid")
	[ "$pid" -gt 0 ] || fail "$name: pid $pid when on"
	grep -q '^kdamond\.' "/proc/$pid/comm" || fail "$name: $pid not kdamond"

	# A valid commit is applied and commit_inputs goes back to N.
	echo 200000 > "$params/aggr_interval"
	printf Y > "$params/commit_inputs"
	wait_for "$params/commit_inputs" N || fail "$name: commit_inputs stuck"
	[ "$(cat "$params/kdamond_pid")" = "$pid" ] || fail "$name: restarted"

	# An invalid commit is refused by the kdamond, which keeps running.
	echo 2000 > "$params/min_nr_regions"
	echo 100 > "$params/max_nr_regions"
	printf Y > "$params/commit_inputs"
	wait_for "$params/commit_inputs" N || fail "$name: bad commit stuck"
	[ "$(cat "$params/kdamond_pid")" = "$pid" ] || fail "$name: bad commit killed it"
	grep -q '^kdamond\.' "/proc/$pid/comm" || fail "$name: kdamond died"
	echo 10 > "$params/min_nr_regions"
	echo 1000 > "$params/max_nr_regions"
	echo 100000 > "$params/aggr_interval"

	for i in $(seq 100); do
		echo N > "$params/enabled" || fail "$name: off #$i failed"
		echo Y > "$params/enabled" || fail "$name: on #$i failed"
	done
	[ "$(cat "$params/kdamond_pid")" -gt 0 ] || fail "$name: not running"
	echo N > "$params/enabled"
	[ "$(cat "$params/kdamond_pid")" = -1 ] || fail "$name: pid not reset"
	[ "$(cat "$params/monitor_region_end")" -gt 0 ] || \
		fail "$name: monitoring span not reported"
	echo "ok: $name"
	return 0
}

# DAMON_STAT is an exclusive user too; get it out of the way.
stat_enabled=""
if [ -f /sys/module/damon_stat/parameters/enabled ]; then
	stat_enabled=$(cat /sys/module/damon_stat/parameters/enabled)
	echo N > /sys/module/damon_stat/parameters/enabled
fi

dmesg_before=$(dmesg | grep -c -E 'WARNING:|BUG:|Oops')
rc=0
nr_skips=0
test_module reclaim "$reclaim_params" || { rc=$?; nr_skips=$((nr_skips + 1)); }
test_module lru_sort "$lru_sort_params" || { rc=$?; nr_skips=$((nr_skips + 1)); }

[ -n "$stat_enabled" ] && \
	echo "$stat_enabled" > /sys/module/damon_stat/parameters/enabled

dmesg_after=$(dmesg | grep -c -E 'WARNING:|BUG:|Oops')
[ "$dmesg_after" = "$dmesg_before" ] || fail "kernel warnings appeared"
[ "$nr_skips" -eq 2 ] && exit $ksft_skip
echo "PASS"
exit 0
