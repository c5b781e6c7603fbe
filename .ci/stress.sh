#!/usr/bin/env bash
# Runs the README's test command (make test) N times while two busy loops
# keep both cores of the machine loaded, and prints how many runs passed: the
# tests must not depend on time or load. Usage: .ci/stress.sh [N] (default 10).
# The logs of failed runs stay in $TMPDIR/simdnn-stress.*.
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}

hogs=()
for _ in 1 2; do
	bash -c 'while :; do :; done' &
	hogs+=($!)
done
trap 'kill "${hogs[@]}" 2>/dev/null' EXIT

logdir=$(mktemp -d "${TMPDIR:-/tmp}/simdnn-stress.XXXXXX")
passed=0
for i in $(seq "$runs"); do
	# -count=1: run the tests every time instead of replaying cached results.
	if GOFLAGS=-count=1 make test >"$logdir/run$i.log" 2>&1; then
		passed=$((passed + 1))
		rm "$logdir/run$i.log"
		echo "run $i: pass"
	else
		echo "run $i: FAIL (log: $logdir/run$i.log)"
	fi
done
echo "$passed of $runs runs of make test passed under two busy loops"
[ "$passed" -eq "$runs" ]
