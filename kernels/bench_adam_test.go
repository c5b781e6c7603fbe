package kernels_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/simdnn/simdnn/internal/benchshape"
	"github.com/simdnn/simdnn/kernels"
)

// BenchmarkAdam measures one Adam step (Sadam, Dadam) on n parameters: it
// reads w, g, m and v and writes w, m and v, 28 bytes per float32 element.
// n = 235146 is the 784-256-128-10 network's parameter count. For scale,
// the naive loop an optimizer would write in Go, with math.Sqrt in float64,
// runs as impl=naive.
func BenchmarkAdam(b *testing.B) {
	benchTypes(b,
		func(b *testing.B) { benchAdam(b, kernels.Sadam) },
		func(b *testing.B) { benchAdam(b, kernels.Dadam) })
}

// benchAdamLens are BenchmarkAdam's parameter counts: a vector in L1, the
// MNIST network, and a 4 Mi-parameter model, past L2 and L3 slices.
var benchAdamLens = []int{4096, 235146, 1 << 22}

func benchAdam[T benchshape.Float](b *testing.B, f func(c kernels.AdamCoefs[T], w, g, m, v []T)) {
	c := kernels.AdamCoefs[T]{Decay: 1, Beta1: 0.9, Beta2: 0.999, StepSize: 1e-3, InvBias2: 1.2, Eps: 1e-8}
	for _, n := range benchAdamLens {
		// Every array written before the clock starts, so that no
		// implementation pays for faulting in the pages of m and v.
		w, g, m, v := benchshape.Rand[T](n, 7), benchshape.Rand[T](n, 8), benchshape.Rand[T](n, 9), benchshape.Rand[T](n, 10)
		for i := range v {
			m[i] *= 0.01
			v[i] *= v[i] * 1e-4
		}
		run := func(step func()) func(b *testing.B) {
			return func(b *testing.B) {
				b.SetBytes(int64(benchshape.Size[T]() * 7 * n))
				b.ReportAllocs()
				for b.Loop() {
					step()
				}
				benchElemReport(b, n)
			}
		}
		benchImpls(b, fmt.Sprintf("n=%d", n), run(func() { f(c, w, g, m, v) }))
		b.Run(fmt.Sprintf("n=%d/impl=naive", n), run(func() { adamNaive(c, w, g, m, v) }))
	}
}

// adamNaive is the loop a Go optimizer would write for the same step.
func adamNaive[T benchshape.Float](c kernels.AdamCoefs[T], w, g, m, v []T) {
	for i := range w {
		wi := w[i] * c.Decay
		gi := g[i] + c.L2*wi
		m[i] = c.Beta1*m[i] + (1-c.Beta1)*gi
		v[i] = c.Beta2*v[i] + (1-c.Beta2)*gi*gi
		w[i] = wi - c.StepSize*m[i]/(T(math.Sqrt(float64(v[i])))*c.InvBias2+c.Eps)
	}
}
