// Package impltest runs a test or benchmark once per implementation of a
// package that registers its accelerated paths with internal/impl, modelled on
// the Go standard library's crypto/internal/cryptotest.
package impltest

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/simdnn/simdnn/internal/impl"
)

// RequireAsmEnv names the environment variable that lists, comma-separated,
// the implementations that must be available (SIMDNN_REQUIRE_ASM=avx2):
// RunAll fails when one of them is unknown or not available. CI derives the
// list from the CPU's flags, so that a broken CPU check cannot silently turn
// every test into a test of another path, nor one ISA hide behind another.
const RequireAsmEnv = "SIMDNN_REQUIRE_ASM"

// RequiredAsm returns the implementations RequireAsmEnv names, or none.
func RequiredAsm() []string {
	var names []string
	for _, n := range strings.Split(os.Getenv(RequireAsmEnv), ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	return names
}

// checkRequired fails tb unless every implementation RequireAsmEnv names is
// registered for pkg and available on this machine.
func checkRequired(tb testing.TB, pkg string) {
	tb.Helper()
	var registered []string
	for _, i := range impl.List(pkg) {
		registered = append(registered, i.Name)
	}
	for _, name := range RequiredAsm() {
		switch {
		case !slices.Contains(registered, name):
			tb.Fatalf("%s names %q, which package %s does not have (it has %v)", RequireAsmEnv, name, pkg, registered)
		case !slices.Contains(impl.Names(pkg), name):
			tb.Fatalf("%s names %q, but package %s finds it unavailable on this machine (available: %v)", RequireAsmEnv, name, pkg, impl.Names(pkg))
		}
	}
}

// RunAll runs f as a subtest once for each implementation of pkg available
// on this machine and once for the pure-Go fallback, with that
// implementation selected. Subtests must not call t.Parallel.
func RunAll(t *testing.T, pkg string, f func(t *testing.T)) {
	t.Helper()
	defer impl.Reset(pkg)
	checkRequired(t, pkg)
	for _, name := range impl.Names(pkg) {
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
