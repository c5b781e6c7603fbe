# The commands a developer and CI run. `make test` is the README's test command.

GO ?= go

.PHONY: test generate vet race bench bench-report bench-python-deps fuzz

# All tests on every implementation this CPU has (assembly and pure Go), then
# the pure-Go build that arm64 and CPUs without AVX2/FMA compile, then the
# benchmark module's own tests (bench/ is a separate module).
test:
	$(GO) test ./...
	SIMDNN_REQUIRE_ASM= $(GO) test -tags purego ./...
	cd bench && $(GO) test ./...

# Rebuild every .s file and its Go declarations from the Avo programs in asm/.
generate:
	$(GO) generate ./...
	cd bench && $(GO) generate ./...

vet:
	$(GO) vet ./...
	$(GO) vet -tags purego ./...
	GOARCH=arm64 $(GO) vet ./...
	cd asm && $(GO) vet ./...
	cd bench && $(GO) vet ./... && $(GO) vet -tags openblas ./...

# The race detector slows the numeric sweeps tenfold: on a loaded 2-core
# machine the kernels package needs more than go test's default 10 minutes.
race:
	$(GO) test -race -short -timeout 30m ./...

# Each fuzz target for 20000 inputs.
fuzz:
	bash .ci/fuzz.sh

# The kernel benchmarks, six runs each, compared per implementation by benchstat.
bench:
	$(GO) test -run '^$$' -bench . -count 6 ./kernels/ | tee bench.txt
	$(GO) run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da -col /impl bench.txt

# simdnn against gonum and OpenBLAS: writes bench/results/{report.md,gemv.png,gemv.svg,bench.txt}.
# Needs cgo and OpenBLAS (apt-get install libopenblas-dev).
bench-report:
	@echo '#include <cblas.h>' | $${CC:-cc} -E - >/dev/null 2>&1 || \
	  { echo "bench-report needs OpenBLAS: apt-get install libopenblas-dev (or: cd bench && $(GO) run ./cmd/report -tags '')"; exit 1; }
	cd bench && $(GO) run ./cmd/report

# PyTorch and numpy for the report's same-run comparison (bench/python/mlp_bench.py,
# run with /usr/bin/python3): Debian's packages, as root.
bench-python-deps:
	apt-get install -y python3-torch python3-numpy
