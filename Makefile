# The commands a developer and CI run. `make test` is the README's test command.

GO ?= go

.PHONY: test test-emulated test-cross generate vet race bench bench-report bench-python-deps fuzz

# All tests on every implementation this CPU has (assembly and pure Go), then
# the pure-Go build that arm64 and CPUs without AVX2/FMA compile, then the
# benchmark module's own tests (bench/ is a separate module).
test:
	$(GO) test ./...
	SIMDNN_REQUIRE_ASM= SIMDNN_EXPECT_IMPL=go $(GO) test -tags purego ./...
	cd bench && $(GO) test ./...

# The run-time choice on CPUs this machine is not: the kernels' tests, without
# the purego tag, under QEMU's user-mode emulation (apt-get install qemu-user)
# of a CPU with AVX2 and no AVX-512 (Haswell: the dispatcher must pick avx2)
# and one without AVX (Nehalem: go); TestExpectedImplementation checks the
# pick. Emulation is slow, so -short and a subset of the tests; guard-page
# tests skip (see guardmem.EmulatedEnv). A pass took 10 minutes on a busy
# machine, past go test's default timeout: hence -timeout 30m.
EMULATED_TESTS = TestExpectedImplementation|TestImplementations|TestAdam$$|TestTranspose8|TestAxpy|TestDot|TestScal|TestGemv$$|TestGemvT$$|TestGer$$|TestDense$$|TestSigmoidSpecialValues|TestReluSpecialValues|TestActivationBackwardSpecialValues|TestActivationImplementationsIdentical|TestGemmImplementationsAgree
test-emulated:
	for cpu in Haswell=avx2 Nehalem=go; do \
	  SIMDNN_EMULATED=1 SIMDNN_REQUIRE_ASM= SIMDNN_EXPECT_IMPL=$${cpu#*=} \
	    $(GO) test -short -timeout 30m -exec "qemu-x86_64 -cpu $${cpu%%=*}" -run '$(EMULATED_TESTS)' ./kernels/ || exit 1; \
	done

# The pure Go as the builds that fuse an unguarded a*b + c compile it: amd64
# from GOAMD64=v3 (where the CPU can run it) and arm64, under QEMU's
# user-mode emulation (apt-get install qemu-user). Each must give the bits
# the amd64 assembly recorded in kernels/testdata/digests.txt, Adam's
# reference's bits, and the accuracy the σ and tanh sweeps demand (-short:
# stripes of them).
CROSS_TESTS = TestDigests|TestAdam|TestSsigmoidSweep|TestStanhSweep|TestDexpTables|TestSigmoidSpecialValues|TestTanhSpecialValues|TestActivationBackwardSpecialValues
test-cross:
	if grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo; then \
	  SIMDNN_REQUIRE_ASM= SIMDNN_EXPECT_IMPL=go GOAMD64=v3 $(GO) test -short -tags purego -run '$(CROSS_TESTS)' ./kernels/; \
	else echo "test-cross: no AVX2 and FMA here, the GOAMD64=v3 pass is skipped"; fi
	SIMDNN_REQUIRE_ASM= SIMDNN_EXPECT_IMPL=go GOARCH=arm64 \
	  $(GO) test -short -timeout 30m -exec qemu-aarch64 -run '$(CROSS_TESTS)' ./kernels/

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
