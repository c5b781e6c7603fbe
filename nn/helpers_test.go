package nn

import (
	"math/rand/v2"
	"testing"

	"github.com/simdnn/simdnn/kernels"
)

// forEachImpl runs f as a subtest once per kernel implementation this
// machine has ("avx2" where the CPU allows, and always "go"), so that the
// network is tested on every path the kernels can take.
func forEachImpl(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	forImpls(t, kernels.Implementations(), f)
}

// forEachImplLong is forEachImpl for the long training tests: with -short
// (as under the race detector, which slows the pure-Go kernels tenfold) it
// runs the default implementation only.
func forEachImplLong(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	names := kernels.Implementations()
	if testing.Short() {
		names = names[:1]
	}
	forImpls(t, names, f)
}

func forImpls(t *testing.T, names []string, f func(t *testing.T)) {
	t.Helper()
	defer kernels.UseImplementation("")
	for _, name := range names {
		if err := kernels.UseImplementation(name); err != nil {
			t.Fatal(err)
		}
		t.Run(name, f)
	}
}

// randSlice returns n values uniform in [lo, hi) from rng.
func randSlice[T Float](rng *rand.Rand, n int, lo, hi float64) []T {
	s := make([]T, n)
	for i := range s {
		s[i] = T(lo + (hi-lo)*rng.Float64())
	}
	return s
}

// mustNew returns New's network or fails the test.
func mustNew[T Float](tb testing.TB, arch Architecture, seed uint64) *Network[T] {
	tb.Helper()
	n, err := New[T](arch, seed)
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// arch is shorthand for an Architecture literal.
func arch(loss Loss, sizes []int, acts ...Activation) Architecture {
	return Architecture{Sizes: sizes, Activations: acts, Loss: loss}
}

// newRand returns a PCG generator seeded with seed.
func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 1))
}
