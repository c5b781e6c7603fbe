package kernels_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/simdnn/simdnn/internal/floattest"
	"github.com/simdnn/simdnn/kernels"
)

// adamWant is one element of Sadam's step as documented, each operation in
// float64 and rounded to T at once: for float32 operands that is the
// correctly rounded float32 operation (53 ≥ 2·24 + 2 bits make the double
// rounding harmless for +, ×, ÷ and √).
func adamWant[T floattest.Float](c kernels.AdamCoefs[T], w, g, m, v T) (T, T, T) {
	r := func(x float64) T { return T(x) }
	f := func(x T) float64 { return float64(x) }
	wi := r(f(c.Decay) * f(w))
	gi := r(f(g) + f(r(f(c.L2)*f(wi))))
	mi := r(f(r(f(c.Beta1)*f(m))) + f(r(f(r(1-f(c.Beta1)))*f(gi))))
	vi := r(f(r(f(c.Beta2)*f(v))) + f(r(f(r(f(r(1-f(c.Beta2)))*f(gi)))*f(gi))))
	den := r(f(r(f(r(math.Sqrt(f(vi))))*f(c.InvBias2))) + f(c.Eps))
	return r(f(wi) - f(r(f(r(f(c.StepSize)*f(mi)))/f(den)))), mi, vi
}

// adamCoefs are the steps the tests take: Adam at its first and a late
// step, with an L2 penalty, and AdamW's decoupled decay.
func adamCoefs[T floattest.Float]() []kernels.AdamCoefs[T] {
	return []kernels.AdamCoefs[T]{
		{Decay: 1, Beta1: 0.9, Beta2: 0.999, StepSize: T(1e-3 / (1 - 0.9)), InvBias2: T(1 / math.Sqrt(1-0.999)), Eps: 1e-8},
		{Decay: 1, L2: 0.01, Beta1: 0.9, Beta2: 0.999, StepSize: 1.0e-3, InvBias2: 1.0005, Eps: 1e-8},
		{Decay: T(1 - 1e-3*0.01), Beta1: 0.8, Beta2: 0.99, StepSize: 0.05, InvBias2: 3.7, Eps: 0},
	}
}

// TestAdam checks Sadam and Dadam against adamWant bit for bit on every
// implementation: every length up to three vectors past the widest
// register, at every offset, and lengths the wrapper cuts into several
// calls; g must come back unchanged, and nothing around the slices may be
// written.
func TestAdam(t *testing.T) {
	runTypes(t, testAdam[float32], testAdam[float64])
}

func testAdam[T floattest.Float](t *testing.T) {
	rng := newRand(41)
	chunk := kernels.MaxCallBytes / elemSize[T]() / 7
	lens := []int{chunk - 1, chunk, 2*chunk + 17}
	for n := range 3*64/elemSize[T]() + 2 {
		lens = append(lens, n)
	}
	for _, c := range adamCoefs[T]() {
		for _, n := range lens {
			for off := range maxOffset {
				if n > 1000 && off > 1 {
					break
				}
				buf := func(scale float64) []T {
					s := make([]T, off+n+maxOffset)
					for i := range s {
						s[i] = T(scale * (2*rng.Float64() - 1))
					}
					return s
				}
				w, g, m, v := buf(1), buf(0.1), buf(0.01), buf(1e-4)
				for i := range v {
					v[i] = T(math.Abs(float64(v[i])))
				}
				w0, g0, m0, v0 := slices.Clone(w), slices.Clone(g), slices.Clone(m), slices.Clone(v)
				s := func(b []T) []T { return b[off : off+n] }
				kernels.For[T]().Adam(c, s(w), s(g), s(m), s(v))
				for i := range w {
					ww, wm, wv := w0[i], m0[i], v0[i]
					if i >= off && i < off+n {
						ww, wm, wv = adamWant(c, w0[i], g0[i], m0[i], v0[i])
					}
					if !sameOrNaN(w[i], ww, false) || !sameOrNaN(m[i], wm, false) || !sameOrNaN(v[i], wv, false) {
						t.Fatalf("%+v n=%d off=%d: element %d: w, m, v = %v, %v, %v, want %v, %v, %v (from w=%v g=%v m=%v v=%v)",
							c, n, off, i, w[i], m[i], v[i], ww, wm, wv, w0[i], g0[i], m0[i], v0[i])
					}
				}
				if !sameBits(g, g0) {
					t.Fatalf("%+v n=%d off=%d: g changed", c, n, off)
				}
			}
		}
	}
}

// TestAdamSpecialValues checks every combination of the special values of
// specials (zeros of both signs, subnormals, the largest finite value,
// infinities and NaNs) in w, g, m and v, v's negative ones included, against
// adamWant: the same bits, or a NaN where adamWant gives one.
func TestAdamSpecialValues(t *testing.T) {
	runTypes(t, testAdamSpecialValues[float32], testAdamSpecialValues[float64])
}

func testAdamSpecialValues[T floattest.Float](t *testing.T) {
	sp := specials[T]()
	var w, g, m, v []T
	for _, a := range sp {
		for _, b := range sp {
			for _, c := range sp {
				for _, d := range sp {
					w, g, m, v = append(w, a), append(g, b), append(m, c), append(v, d)
				}
			}
		}
	}
	for _, c := range adamCoefs[T]() {
		gw, gm, gv := slices.Clone(w), slices.Clone(m), slices.Clone(v)
		kernels.For[T]().Adam(c, gw, g, gm, gv)
		for i := range w {
			ww, wm, wv := adamWant(c, w[i], g[i], m[i], v[i])
			if !sameOrNaN(gw[i], ww, true) || !sameOrNaN(gm[i], wm, true) || !sameOrNaN(gv[i], wv, true) {
				t.Fatalf("%+v: from w=%v g=%v m=%v v=%v: w, m, v = %v, %v, %v, want %v, %v, %v",
					c, w[i], g[i], m[i], v[i], gw[i], gm[i], gv[i], ww, wm, wv)
			}
		}
	}
}

// ExampleSadam takes one Adam step on two parameters, as torch.optim.Adam
// would at its first step with lr = 0.001.
func ExampleSadam() {
	const lr, beta1, beta2, t = 1e-3, 0.9, 0.999, 1
	c := kernels.AdamCoefs[float32]{
		Decay: 1, Beta1: beta1, Beta2: beta2, Eps: 1e-8,
		StepSize: float32(lr / (1 - math.Pow(beta1, t))),
		InvBias2: float32(1 / math.Sqrt(1-math.Pow(beta2, t))),
	}
	w, g := []float32{0.5, -0.25}, []float32{0.1, -2}
	m, v := make([]float32, 2), make([]float32, 2)
	kernels.Sadam(c, w, g, m, v)
	fmt.Printf("%.4f %.4f\n", w[0], w[1])
	// Output: 0.4990 -0.2490
}
