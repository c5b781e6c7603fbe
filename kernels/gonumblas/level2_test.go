package gonumblas_test

import (
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/blas"

	"github.com/simdnn/simdnn/internal/floattest"
	"github.com/simdnn/simdnn/internal/impltest"
	"github.com/simdnn/simdnn/kernels"
)

var transposes = []blas.Transpose{blas.NoTrans, blas.Trans, blas.ConjTrans}

// A gemv or ger shape: m×n with leading dimension n + ldExtra.
type shape struct{ m, n, ldExtra int }

// smallShapes are every m, n in 0…20, dense and with lda > n.
var smallShapes = shapes(func(yield func(int) bool) {
	for n := range 21 {
		if !yield(n) {
			return
		}
	}
})

// stridedShapes are fewer of them, for the calls with non-unit increments,
// which run gonum's code or copy to contiguous vectors.
var stridedShapes = shapes(slices.Values([]int{0, 1, 2, 3, 4, 7, 12, 20}))

// shapes returns every m×n for m and n in sizes, dense and with lda > n.
func shapes(sizes iter.Seq[int]) []shape {
	var s []shape
	for m := range sizes {
		for n := range sizes {
			s = append(s, shape{m, n, 0}, shape{m, n, 3})
		}
	}
	return s
}

// largeShapes are a few bigger ones: long rows, tall columns, odd sizes, and
// matrices over the kernels' per-call block size, cut by rows or by columns.
var largeShapes = []shape{
	{64, 100, 0}, {100, 64, 5}, {257, 129, 1}, {1, 1000, 0}, {1000, 1, 0},
	{800, 800, 0}, {2, 600_000, 7},
}

func TestGemv(t *testing.T) {
	forEachPrecision(t, testGemv[float32], testGemv[float64])
}

func testGemv[T kernels.Float](t *testing.T, r routines[T]) {
	rnd := rand.New(rand.NewPCG(1, 2))
	// Unit-stride calls run on the kernels: once per implementation of them.
	impltest.RunAll(t, "kernels", func(t *testing.T) {
		for _, tA := range transposes {
			for _, s := range smallShapes {
				for _, alpha := range scalars {
					for _, beta := range scalars {
						gemvCase(t, rnd, r, tA, s, 1, 1, T(alpha), T(beta))
					}
				}
			}
			if tA == blas.ConjTrans {
				continue // the same path as Trans
			}
			for _, s := range largeShapes {
				gemvCase(t, rnd, r, tA, s, 1, 1, 0.5, -1)
				gemvCase(t, rnd, r, tA, s, 1, 1, -1, 0)
			}
		}
	})
	// The others run gonum's code, after gonumblas' own handling.
	for _, tA := range transposes {
		for _, s := range stridedShapes {
			for _, incX := range incs {
				for _, incY := range incs {
					if incX == 1 && incY == 1 {
						continue
					}
					for _, alpha := range scalars {
						for _, beta := range scalars {
							gemvCase(t, rnd, r, tA, s, incX, incY, T(alpha), T(beta))
						}
					}
				}
			}
		}
		gemvCase(t, rnd, r, tA, shape{257, 129, 1}, 2, -1, 0.5, 0.5)
	}
}

// gemvCase runs one gemv call on random data through gonumblas and gonum and
// compares them. With α = 0, A and x are NaN, which neither may read; with
// β = 0, so is y.
func gemvCase[T kernels.Float](t *testing.T, rnd *rand.Rand, r routines[T], tA blas.Transpose, s shape, incX, incY int, alpha, beta T) {
	m, n, lda := s.m, s.n, max(1, s.n)+s.ldExtra
	lenX, lenY := n, m
	if tA != blas.NoTrans {
		lenX, lenY = m, n
	}
	lenA := 0
	if m > 0 && n > 0 {
		lenA = (m-1)*lda + n
	}
	a := random[T](rnd, lenA+guard)
	x := random[T](rnd, span(lenX, incX)+guard)
	y := random[T](rnd, span(lenY, incY)+guard)
	if alpha == 0 {
		fill(a, nan[T]())
		fill(x, nan[T]())
	}
	if beta == 0 {
		fill(y, nan[T]())
	}
	desc := func() string {
		return fmt.Sprintf("gemv(%c, m=%d, n=%d, α=%v, lda=%d, incX=%d, β=%v, incY=%d)",
			tA, m, n, alpha, lda, incX, beta, incY)
	}

	aGot, xGot, yGot := slices.Clone(a), slices.Clone(x), slices.Clone(y)
	r.gemv(tA, m, n, alpha, aGot, lda, xGot, incX, beta, yGot, incY)
	yWant := slices.Clone(y)
	r.gemvRef(tA, m, n, alpha, slices.Clone(a), lda, slices.Clone(x), incX, beta, yWant, incY)

	checkUnchanged(t, desc, "a", aGot, a)
	checkUnchanged(t, desc, "x", xGot, x)

	// ref is the result accumulated in float64, mag the same sum of absolute
	// values.
	idx := vecIdx(lenY, incY)
	ref, mag := make([]float64, lenY), make([]float64, lenY)
	for i := range lenY {
		var sum, abs float64
		if alpha != 0 {
			for j := range lenX {
				k := j*lda + i // element (j, i) of A: (i, j) of Aᵀ
				if tA == blas.NoTrans {
					k = i*lda + j
				}
				aij := a[k]
				p := float64(aij) * float64(x[at(j, lenX, incX)])
				sum += p
				abs += math.Abs(p)
			}
			sum *= float64(alpha)
			abs *= math.Abs(float64(alpha))
		}
		if beta != 0 {
			p := float64(beta) * float64(y[idx[i]])
			sum += p
			abs += math.Abs(p)
		}
		ref[i], mag[i] = sum, abs
		if m == 0 || n == 0 {
			// The quick return leaves y as it was, even with β = 0.
			ref[i], mag[i] = float64(y[idx[i]]), 0
		}
	}
	// Each yᵢ is a sum of lenX products: gonumblas, gonum and the float64
	// reference are each within (lenX+2)·ε·mag of the exact result (the
	// kernels' bound; gonum's loops meet it too), so within twice that of
	// each other.
	tol := func(i int) float64 { return 2 * float64(lenX+2) * floattest.Eps[T]() * mag[i] }
	checkOut(t, desc, "y", idx, yGot, y, ref, "float64 reference", tol, false)
	// Calls that are not unit-stride run gonum's own code: same result, bit
	// for bit.
	delegated := incX != 1 || incY != 1
	checkOut(t, desc, "y", idx, yGot, y, pick(yWant, idx), "gonum's", tol, delegated)
}

// TestGemvBetaZeroIgnoresNaN checks the β = 0 rule on its own: NaN and Inf in
// y do not reach the result, for both transposes, on the kernels' path and on
// gonum's, and y past its vector is left alone.
func TestGemvBetaZeroIgnoresNaN(t *testing.T) {
	a := []float64{
		1, 2, 3, 99,
		4, 5, 6, 99,
	}
	for _, tc := range []struct {
		tA         blas.Transpose
		x          []float64
		incX, incY int
		want       []float64
	}{
		{blas.NoTrans, []float64{1, 1, 1}, 1, 1, []float64{6, 15, math.NaN()}},
		{blas.Trans, []float64{1, 1}, 1, 1, []float64{5, 7, 9, math.NaN()}},
		{blas.NoTrans, []float64{1, 0, 1, 0, 1}, 2, 1, []float64{6, 15, math.NaN()}},
		{blas.Trans, []float64{1, 1}, -1, 1, []float64{5, 7, 9, math.NaN()}},
		{blas.NoTrans, []float64{1, 1, 1}, 1, 2, []float64{6, math.Inf(1), 15, math.NaN()}},
	} {
		t.Run(fmt.Sprintf("%c/incX=%d/incY=%d", tc.tA, tc.incX, tc.incY), func(t *testing.T) {
			y := make([]float64, len(tc.want))
			for i := range y {
				y[i] = []float64{math.NaN(), math.Inf(1)}[i%2]
			}
			y[len(y)-1] = math.NaN()
			y32 := make([]float32, len(y))
			for i, v := range y {
				y32[i] = float32(v)
			}
			a32, x32 := to32(a), to32(tc.x)

			ours.Dgemv(tc.tA, 2, 3, 1, a, 4, tc.x, tc.incX, 0, y, tc.incY)
			ours.Sgemv(tc.tA, 2, 3, 1, a32, 4, x32, tc.incX, 0, y32, tc.incY)
			for i, w := range tc.want {
				if !same(y[i], w) || !same(float64(y32[i]), w) {
					t.Fatalf("y = %v (float64), %v (float32), want %v", y, y32, tc.want)
				}
			}
		})
	}
}

func to32(s []float64) []float32 {
	r := make([]float32, len(s))
	for i, v := range s {
		r[i] = float32(v)
	}
	return r
}

func TestGer(t *testing.T) {
	forEachPrecision(t, testGer[float32], testGer[float64])
}

func testGer[T kernels.Float](t *testing.T, r routines[T]) {
	rnd := rand.New(rand.NewPCG(3, 4))
	// Every call runs on the kernels, those with non-unit increments on
	// contiguous copies of x and y.
	impltest.RunAll(t, "kernels", func(t *testing.T) {
		for _, incX := range incs {
			for _, incY := range incs {
				sizes := stridedShapes
				if incX == 1 && incY == 1 {
					sizes = smallShapes
				}
				for _, s := range sizes {
					for _, alpha := range scalars {
						gerCase(t, rnd, r, s, incX, incY, T(alpha))
					}
				}
			}
		}
		for _, s := range largeShapes {
			gerCase(t, rnd, r, s, 1, 1, -0.5)
		}
		gerCase(t, rnd, r, shape{257, 129, 1}, -1, 2, 0.5)
	})
}

// gerCase runs one ger call on random data through gonumblas and gonum and
// compares them. With α = 0, x and y are NaN, which neither may read.
func gerCase[T kernels.Float](t *testing.T, rnd *rand.Rand, r routines[T], s shape, incX, incY int, alpha T) {
	m, n, lda := s.m, s.n, max(1, s.n)+s.ldExtra
	lenA := 0
	if m > 0 && n > 0 {
		lenA = (m-1)*lda + n
	}
	a := random[T](rnd, lenA+guard)
	x := random[T](rnd, span(m, incX)+guard)
	y := random[T](rnd, span(n, incY)+guard)
	if alpha == 0 {
		fill(x, nan[T]())
		fill(y, nan[T]())
	}
	desc := func() string {
		return fmt.Sprintf("ger(m=%d, n=%d, α=%v, incX=%d, incY=%d, lda=%d)", m, n, alpha, incX, incY, lda)
	}

	aGot, xGot, yGot := slices.Clone(a), slices.Clone(x), slices.Clone(y)
	r.ger(m, n, alpha, xGot, incX, yGot, incY, aGot, lda)

	checkUnchanged(t, desc, "x", xGot, x)
	checkUnchanged(t, desc, "y", yGot, y)
	idx := matIdx(m, n, lda)
	ref, mag := make([]float64, len(idx)), make([]float64, len(idx))
	for k, i := range idx {
		ref[k], mag[k] = float64(a[i]), math.Abs(float64(a[i]))
		if alpha != 0 {
			p := float64(alpha) * float64(x[at(k/n, m, incX)]) * float64(y[at(k%n, n, incY)])
			ref[k] += p
			mag[k] += math.Abs(p)
		}
	}
	// Each aᵢⱼ is rounded at most three times by either implementation.
	tol := func(k int) float64 { return 2 * 3 * floattest.Eps[T]() * mag[k] }
	checkOut(t, desc, "a", idx, aGot, a, ref, "float64 reference", tol, false)
	if incX < 0 || incY < 0 {
		// gonum v0.17.0 computes these wrongly on amd64, reading past
		// the vectors (gonum/gonum#2105): only the reference is trusted.
		return
	}
	aWant := slices.Clone(a)
	r.gerRef(m, n, alpha, slices.Clone(x), incX, slices.Clone(y), incY, aWant, lda)
	checkOut(t, desc, "a", idx, aGot, a, pick(aWant, idx), "gonum's", tol, false)
}
