package bench

import (
	"fmt"
	"math"
	"testing"

	"github.com/simdnn/simdnn/internal/benchshape"
)

// The benchmarks compare like with like only if every implementation
// computes the same thing from the same arguments: these tests check each one
// against a float64 reference, within the error bound of a sum of k products
// accumulated in T, (k+2)·ε·Σ|terms|, that kernels states for its routines.

// agreeShapes are small shapes with ragged edges, and the benchmarks' own.
var agreeShapes = []benchshape.Shape{{M: 1, N: 1}, {M: 3, N: 5}, {M: 7, N: 13}, {M: 17, N: 9}, {M: 64, N: 64}, {M: 10, N: 256}, {M: 33, N: 70}}

// eps returns the unit roundoff of T.
func eps[T benchshape.Float]() float64 {
	if isFloat32[T]() {
		return 0x1p-24
	}
	return 0x1p-53
}

// near checks got against want within (k+2)·ε·mag.
func near[T benchshape.Float](t *testing.T, what string, got T, want, mag float64, k int) {
	t.Helper()
	if tol := float64(k+2) * eps[T]() * mag; math.Abs(float64(got)-want) > tol {
		t.Errorf("%s = %v, want %v within %.3g", what, got, want, tol)
	}
}

func TestBLASImplementationsAgree(t *testing.T) {
	for _, impl := range blasImpls {
		t.Run(impl.name, func(t *testing.T) {
			if impl.use != nil {
				undo, err := impl.use()
				if err != nil {
					t.Fatal(err)
				}
				defer undo()
			}
			t.Run("f32", func(t *testing.T) { testAgree(t, pick[float32](impl)) })
			t.Run("f64", func(t *testing.T) { testAgree(t, pick[float64](impl)) })
			if impl.f32.gemm != nil {
				t.Run("gemm/f32", func(t *testing.T) { testAgreeGemm(t, pick[float32](impl)) })
				t.Run("gemm/f64", func(t *testing.T) { testAgreeGemm(t, pick[float64](impl)) })
			}
		})
	}
}

func testAgree[T benchshape.Float](t *testing.T, r routines[T]) {
	const alpha, beta = benchshape.Alpha, benchshape.Beta
	for _, s := range agreeShapes {
		m, n := s.M, s.N
		lda := n + 3 // a leading dimension larger than n catches a swapped m and n.
		a := benchshape.Rand[T](m*lda, 1)
		for _, trans := range []bool{false, true} {
			lenX, lenY := n, m
			if trans {
				lenX, lenY = m, n
			}
			x := benchshape.Rand[T](lenX, 2)
			y := benchshape.Rand[T](lenY, 3)
			y0 := append([]T(nil), y...)
			r.gemv(trans, m, n, alpha, a, lda, x, beta, y)
			for i := range lenY {
				want, mag := beta*float64(y0[i]), math.Abs(beta*float64(y0[i]))
				for j := range lenX {
					row, col := i, j
					if trans {
						row, col = j, i
					}
					aij := a[row*lda+col]
					p := float64(T(alpha)) * float64(aij) * float64(x[j])
					want += p
					mag += math.Abs(p)
				}
				near(t, fmt.Sprintf("gemv(trans=%t) %dx%d: y[%d]", trans, m, n, i), y[i], want, mag, lenX)
			}
		}

		x := benchshape.Rand[T](m, 4)
		y := benchshape.Rand[T](n, 5)
		a0 := append([]T(nil), a...)
		r.ger(m, n, alpha, x, y, a, lda)
		for i := range m {
			for j := range lda {
				want := float64(a0[i*lda+j])
				if j >= n {
					if a[i*lda+j] != a0[i*lda+j] {
						t.Fatalf("ger %dx%d wrote a[%d][%d] past column n", m, n, i, j)
					}
					continue
				}
				p := float64(T(alpha)) * float64(x[i]) * float64(y[j])
				near(t, fmt.Sprintf("ger %dx%d: a[%d][%d]", m, n, i, j), a[i*lda+j], want+p, math.Abs(want)+math.Abs(p), 1)
			}
		}

		v := benchshape.Rand[T](m*n, 6)
		w := benchshape.Rand[T](m*n, 7)
		want, mag := 0.0, 0.0
		for i := range v {
			want += float64(v[i]) * float64(w[i])
			mag += math.Abs(float64(v[i]) * float64(w[i]))
		}
		near(t, fmt.Sprintf("dot n=%d", len(v)), r.dot(v, w), want, mag, len(v))

		w0 := append([]T(nil), w...)
		r.axpy(alpha, v, w)
		for i := range w {
			p := float64(T(alpha)) * float64(v[i])
			near(t, fmt.Sprintf("axpy n=%d: y[%d]", len(v), i), w[i], float64(w0[i])+p, math.Abs(float64(w0[i]))+math.Abs(p), 1)
		}
	}
}

func TestActivationImplementationsAgree(t *testing.T) {
	for _, c := range []struct {
		name  string
		impls []unaryImpl
		f     func(float64) float64
		ulps  float64
	}{
		{"sigmoid", sigmoidImpls, sigmoidRef, 4},
		{"relu", reluImpls, func(v float64) float64 { return max(v, 0) }, 0},
	} {
		for _, impl := range c.impls {
			t.Run(c.name+"/"+impl.name, func(t *testing.T) {
				if impl.use != nil {
					undo, err := impl.use()
					if err != nil {
						t.Fatal(err)
					}
					defer undo()
				}
				testUnary(t, pickUnary[float32](impl), c.f, c.ulps)
				if f := pickUnary[float64](impl); f != nil {
					testUnary(t, f, c.f, c.ulps)
				}
			})
		}
	}
}

func testUnary[T benchshape.Float](t *testing.T, f func(dst, x []T), ref func(float64) float64, ulps float64) {
	x := benchshape.Rand[T](1000, 8)
	for i := range x {
		x[i] *= 20
	}
	dst := make([]T, len(x))
	f(dst, x)
	for i, v := range x {
		want := ref(float64(v))
		if tol := ulps * eps[T]() * math.Abs(want); math.Abs(float64(dst[i])-want) > tol+eps[T]()*math.Abs(want) {
			t.Errorf("f(%v) = %v, want %v", v, dst[i], want)
		}
	}
}
