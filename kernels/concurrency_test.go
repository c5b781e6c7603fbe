package kernels_test

// Concurrent use: the kernels keep no state of their own (no scratch
// buffers, no caches), so calls from many goroutines that share their
// inputs and write disjoint outputs must give each the result it would get
// alone, bit for bit. Under -race the pure-Go path is also checked for data
// races (the race detector does not see inside assembly).

import (
	"slices"
	"sync"
	"testing"

	"github.com/simdnn/simdnn/internal/impltest"
	"github.com/simdnn/simdnn/kernels"
)

// TestConcurrentCalls runs a mix of kernels from several goroutines at once,
// all reading the same W, x and b, each writing its own outputs, and
// compares every output with the same call made alone.
func TestConcurrentCalls(t *testing.T) {
	const (
		goroutines = 4
		rounds     = 20
		m, n       = 67, 131 // not multiples of any block or vector width
	)
	rng := newRand(77)
	w, x, b, delta := make([]float32, m*n), make([]float32, n), make([]float32, m), make([]float32, m)
	for _, s := range [][]float32{w, x, b, delta} {
		fillUniform(rng, s)
	}
	w0, x0, b0, delta0 := slices.Clone(w), slices.Clone(x), slices.Clone(b), slices.Clone(delta)

	// One call of each kernel, writing into out (which it allocates).
	type outputs struct{ y, yt, act, dense, dx, dw, db, wSGD, bSGD []float32 }
	call := func() outputs {
		var o outputs
		o.y = make([]float32, m)
		kernels.Sgemv(m, n, 0.5, w, n, x, 0, o.y)
		o.yt = make([]float32, n)
		kernels.SgemvT(m, n, 0.5, w, n, delta, 0, o.yt)
		o.act = make([]float32, n)
		kernels.Ssigmoid(o.act, x)
		o.dense = make([]float32, m)
		kernels.SdenseForward(kernels.ReLU, m, n, w, n, x, b, o.dense)
		o.dx, o.dw, o.db = make([]float32, n), make([]float32, m*n), make([]float32, m)
		kernels.SdenseBackward(m, n, w, n, delta, x, o.dx, o.dw, n, o.db)
		// The SGD step writes W and b, so each call updates its own copies.
		o.wSGD, o.bSGD = slices.Clone(w), slices.Clone(b)
		kernels.SdenseBackwardSGD(m, n, 0.01, 0.9999, o.wSGD, n, delta, x, nil, o.bSGD)
		return o
	}

	impltest.RunAll(t, "kernels", func(t *testing.T) {
		want := call()
		got := make([][]outputs, goroutines)
		var wg sync.WaitGroup
		for g := range goroutines {
			wg.Go(func() {
				for range rounds {
					got[g] = append(got[g], call())
				}
			})
		}
		wg.Wait()
		for g := range got {
			for r, o := range got[g] {
				for _, c := range []struct {
					name      string
					got, want []float32
				}{
					{"Sgemv y", o.y, want.y}, {"SgemvT y", o.yt, want.yt}, {"Ssigmoid", o.act, want.act},
					{"SdenseForward", o.dense, want.dense}, {"SdenseBackward dx", o.dx, want.dx},
					{"SdenseBackward dW", o.dw, want.dw}, {"SdenseBackward db", o.db, want.db},
					{"SdenseBackwardSGD W", o.wSGD, want.wSGD}, {"SdenseBackwardSGD b", o.bSGD, want.bSGD},
				} {
					if !sameBits(c.got, c.want) {
						t.Fatalf("goroutine %d, round %d: %s differs from the same call made alone", g, r, c.name)
					}
				}
			}
		}
		for _, c := range []struct{ got, want []float32 }{{w, w0}, {x, x0}, {b, b0}, {delta, delta0}} {
			if !sameBits(c.got, c.want) {
				t.Fatal("a shared input changed")
			}
		}
	})
}
