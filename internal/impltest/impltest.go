// Package impltest runs a test or benchmark once per implementation of a
// package that registers its accelerated paths with internal/impl, modelled on
// the Go standard library's crypto/internal/cryptotest.
package impltest

import (
	"os"
	"testing"

	"github.com/simdnn/simdnn/internal/impl"
)

// RequireAsmEnv names the environment variable that, when set to 1, makes
// RunAll fail if no accelerated implementation of the package is available:
// CI sets it on machines known to have AVX2 and FMA, so that a broken CPU
// check cannot silently turn every test into a test of the fallback.
const RequireAsmEnv = "SIMDNN_REQUIRE_ASM"

// RunAll runs f as a subtest once for each implementation of pkg available
// on this machine and once for the pure-Go fallback, with that
// implementation selected. Subtests must not call t.Parallel.
func RunAll(t *testing.T, pkg string, f func(t *testing.T)) {
	t.Helper()
	defer impl.Reset(pkg)
	names := impl.Names(pkg)
	if os.Getenv(RequireAsmEnv) == "1" && len(names) == 1 {
		t.Fatalf("%s=1 but package %s has no accelerated implementation available on this machine", RequireAsmEnv, pkg)
	}
	for _, name := range names {
		selectOrFail(t, pkg, name)
		t.Run(name, f)
	}
}

// BenchAll runs f as a sub-benchmark once for each implementation of pkg
// available on this machine and once for the pure-Go fallback, with that
// implementation selected.
//
// Unlike RunAll's subtests, which are named by the bare implementation name,
// each sub-benchmark is named "impl=NAME" (e.g. BenchmarkGemv/impl=avx2): the
// key=value form that benchstat reads as a configuration key, so that
// `benchstat -col /impl` puts the implementations side by side and
// `-bench 'Gemv/impl=go'` selects one of them.
func BenchAll(b *testing.B, pkg string, f func(b *testing.B)) {
	b.Helper()
	defer impl.Reset(pkg)
	for _, name := range impl.Names(pkg) {
		selectOrFail(b, pkg, name)
		b.Run(BenchKey+"="+name, f)
	}
}

// BenchKey is the key BenchAll's sub-benchmark names give the
// implementation: "impl", as in impl=avx2.
const BenchKey = "impl"

func selectOrFail(tb testing.TB, pkg, name string) {
	tb.Helper()
	if !impl.Select(pkg, name) {
		tb.Fatalf("impl.Select(%q, %q) failed", pkg, name)
	}
}
