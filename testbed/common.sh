# Shared settings for the testbed scripts; source it, don't run it.
# shellcheck shell=bash
set -euo pipefail

TB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$TB_DIR/.." && pwd)
# CACHE and OWNED (an array): testbed/paths
while read -r key vals; do
	case $key in
	cache) CACHE=${DAMON_TESTBED_CACHE:-${vals/#\~/$HOME}} ;;
	owned) read -ra OWNED <<< "$vals" ;;
	esac
done < "$TB_DIR/paths"
BASE=$CACHE/base            # git repo: tag "pristine" and branch "nodamon"; worktree = nodamon
KTREE=$CACHE/linux          # working kernel tree = nodamon + project overlay
STOCK=$CACHE/stock          # pristine Debian tree (worktree of $BASE at "pristine")
BUILD_KUNIT=${DAMON_TESTBED_BUILD_KUNIT:-$CACHE/build-kunit}
BUILD_X86=${DAMON_TESTBED_BUILD_X86:-$CACHE/build-x86}   # override for experiments
BUILD_STOCK=$CACHE/build-stock
KSFT_DIR=$CACHE/kselftest
# one machine-wide lock, even for a separate DAMON_TESTBED_CACHE
LOCK=${DAMON_TESTBED_LOCK:-$HOME/.cache/damon-testbed/build.lock}
export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-10G}
JOBS=${JOBS:-$(nproc)}
# per-run logs (testbed/test sets one directory for all its steps)
LOGDIR=${LOGDIR:-$CACHE/logs/$(date +%Y%m%d-%H%M%S)-$$}
export LOGDIR
mkdir -p "$CACHE" "$CCACHE_DIR" "$(dirname "$LOCK")" "$LOGDIR"
# keep the 30 most recent log directories
(cd "$CACHE/logs" && ls -1d */ 2>/dev/null | head -n -30 | xargs -r rm -rf) || true


log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# with_lock CMD...: run CMD holding the exclusive build lock (one kernel build at a time
# on this machine; other engineers call these scripts concurrently).
with_lock() {
	if [ -n "${TB_LOCK_HELD:-}" ]; then
		"$@"
		return
	fi
	local fd rc=0
	exec {fd}>>"$LOCK"
	if ! flock -x -n "$fd"; then
		log "waiting for build lock $LOCK (another build is running)"
		flock -x "$fd"
	fi
	# a subshell with errexit, so failures inside CMD still abort it
	set +e
	(export TB_LOCK_HELD=1; set -e; "$@")
	rc=$?
	set -e
	flock -u "$fd"
	exec {fd}>&-
	return $rc
}
