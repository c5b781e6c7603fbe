#!/usr/bin/env bash
# Runs every fuzz target of kernels, nn and internal/safetensors briefly: FUZZTIME each
# (default 20000x: twenty thousand inputs), one after the other (go test -fuzz
# takes one target at a time). A failure leaves the input that caused it in
# the package's testdata/fuzz/FuzzXxx/; commit it with the fix so that plain
# `go test` keeps checking it.
#
# The default is a count, not a duration: with a duration, Go 1.26's fuzzing
# coordinator can report "context deadline exceeded" as a failure when the
# time runs out while a worker is mid-input (go.dev/issue/75804, fixed in Go
# 1.27), which on this shared 2-core machine made CI flaky.
#
#   .ci/fuzz.sh                 # every target, 20000 inputs each
#   FUZZTIME=1m .ci/fuzz.sh Gemv DenseBackward Load
set -euo pipefail
cd "$(dirname "$0")/.."
command -v go >/dev/null || export PATH=$PATH:/usr/local/go/bin

fuzztime=${FUZZTIME:-20000x}
for pkg in ./kernels/ ./nn/ ./internal/safetensors/; do
	for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz'); do
		if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "${target#Fuzz}"; then
			continue
		fi
		echo "== $pkg $target ($fuzztime)"
		go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg"
	done
done
