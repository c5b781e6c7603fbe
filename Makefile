# The commands a developer and CI run. `make test` is the README's test command.

GO ?= go

.PHONY: test generate bench vet race

# All tests on every implementation this CPU has (assembly and pure Go), then
# the pure-Go build that arm64 and CPUs without AVX2/FMA compile.
test:
	$(GO) test ./...
	SIMDNN_REQUIRE_ASM= $(GO) test -tags purego ./...

# Rebuild every .s file and its Go declarations from the Avo programs in asm/.
generate:
	$(GO) generate ./...

vet:
	$(GO) vet ./...
	$(GO) vet -tags purego ./...
	GOARCH=arm64 $(GO) vet ./...
	cd asm && $(GO) vet ./...

race:
	$(GO) test -race -short ./...

# The kernel benchmarks, six runs each, compared per implementation by benchstat.
bench:
	$(GO) test -run '^$$' -bench . -count 6 ./kernels/ | tee bench.txt
	$(GO) run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da -col /impl bench.txt
