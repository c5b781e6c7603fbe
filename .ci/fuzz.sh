#!/usr/bin/env bash
# Runs every fuzz target of ./kernels/ briefly: FUZZTIME each (default 5s),
# one after the other (go test -fuzz takes one target at a time). A failure
# leaves the input that caused it in kernels/testdata/fuzz/FuzzXxx/; commit
# it with the fix so that plain `go test` keeps checking it.
#
#   .ci/fuzz.sh                 # every target, 5s each
#   FUZZTIME=1m .ci/fuzz.sh Gemv DenseBackward
set -euo pipefail
cd "$(dirname "$0")/.."
command -v go >/dev/null || export PATH=$PATH:/usr/local/go/bin

fuzztime=${FUZZTIME:-5s}
if [ $# -gt 0 ]; then
	targets=$(printf 'Fuzz%s\n' "$@")
else
	targets=$(go test -list '^Fuzz' ./kernels/ | grep '^Fuzz')
fi

for target in $targets; do
	echo "== $target ($fuzztime)"
	go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" ./kernels/
done
