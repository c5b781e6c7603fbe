package gonumblas_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/simdnn/simdnn/internal/floattest"
	"github.com/simdnn/simdnn/internal/impltest"
	"github.com/simdnn/simdnn/kernels"
)

// level1Sizes are every n in 0…40, a few larger, and one over the kernels'
// per-call block size.
var level1Sizes = func() []int {
	s := make([]int, 0, 50)
	for n := range 41 {
		s = append(s, n)
	}
	return append(s, 100, 1000, 4097, 600_000)
}()

// level1Incs returns the increments to try for vectors of n elements: all of
// them for small n, unit ones only for the largest.
func level1Incs(n int) []int {
	if n > 10_000 {
		return []int{1}
	}
	return incs
}

func TestAxpy(t *testing.T) {
	forEachPrecision(t, testAxpy[float32], testAxpy[float64])
}

func testAxpy[T kernels.Float](t *testing.T, r routines[T]) {
	impltest.RunAll(t, "kernels", func(t *testing.T) {
		rnd := rand.New(rand.NewPCG(5, 6))
		for _, n := range level1Sizes {
			for _, incX := range level1Incs(n) {
				for _, incY := range level1Incs(n) {
					for _, alpha := range scalars {
						axpyCase(t, rnd, r, n, T(alpha), incX, incY)
					}
				}
			}
		}
	})
}

// axpyCase compares one axpy call of gonumblas and gonum on random data. With
// α = 0, x is NaN, which neither may read.
func axpyCase[T kernels.Float](t *testing.T, rnd *rand.Rand, r routines[T], n int, alpha T, incX, incY int) {
	x := random[T](rnd, span(n, incX)+guard)
	y := random[T](rnd, span(n, incY)+guard)
	if alpha == 0 {
		fill(x, nan[T]())
	}
	desc := func() string {
		return fmt.Sprintf("axpy(n=%d, α=%v, incX=%d, incY=%d)", n, alpha, incX, incY)
	}

	xGot, yGot := slices.Clone(x), slices.Clone(y)
	r.axpy(n, alpha, xGot, incX, yGot, incY)
	yWant := slices.Clone(y)
	r.axpyRef(n, alpha, slices.Clone(x), incX, yWant, incY)

	checkUnchanged(t, desc, "x", xGot, x)
	idx := vecIdx(n, incY)
	ref, mag := make([]float64, n), make([]float64, n)
	for i, k := range idx {
		ref[i], mag[i] = float64(y[k]), math.Abs(float64(y[k]))
		if alpha != 0 {
			p := float64(alpha) * float64(x[at(i, n, incX)])
			ref[i] += p
			mag[i] += math.Abs(p)
		}
	}
	// Each yᵢ is rounded at most twice by either implementation.
	tol := func(i int) float64 { return 2 * 2 * floattest.Eps[T]() * mag[i] }
	checkOut(t, desc, "y", idx, yGot, y, ref, "float64 reference", tol, false)
	checkOut(t, desc, "y", idx, yGot, y, pick(yWant, idx), "gonum's", tol, incX != 1 || incY != 1)
}

func TestDot(t *testing.T) {
	forEachPrecision(t, testDot[float32], testDot[float64])
}

func testDot[T kernels.Float](t *testing.T, r routines[T]) {
	impltest.RunAll(t, "kernels", func(t *testing.T) {
		rnd := rand.New(rand.NewPCG(7, 8))
		for _, n := range level1Sizes {
			for _, incX := range level1Incs(n) {
				for _, incY := range level1Incs(n) {
					x := random[T](rnd, span(n, incX)+guard)
					y := random[T](rnd, span(n, incY)+guard)
					desc := func() string {
						return fmt.Sprintf("dot(n=%d, incX=%d, incY=%d)", n, incX, incY)
					}

					xGot, yGot := slices.Clone(x), slices.Clone(y)
					got := r.dot(n, xGot, incX, yGot, incY)
					want := r.dotRef(n, slices.Clone(x), incX, slices.Clone(y), incY)

					checkUnchanged(t, desc, "x", xGot, x)
					checkUnchanged(t, desc, "y", yGot, y)
					var ref, mag float64
					for i := range n {
						p := float64(x[at(i, n, incX)]) * float64(y[at(i, n, incY)])
						ref += p
						mag += math.Abs(p)
					}
					// Each sum is within n·ε·Σ|xᵢyᵢ| of the exact one.
					tol := 2 * float64(n) * floattest.Eps[T]() * mag
					for _, w := range []struct {
						from  string
						v     float64
						exact bool
					}{
						{"float64 reference", ref, false},
						{"gonum's", float64(want), incX != 1 || incY != 1},
					} {
						d := math.Abs(float64(got) - w.v)
						if w.exact && d != 0 || !(d <= tol) {
							t.Fatalf("%s = %v, want %v (%s), tolerance %.3g", desc(), got, w.v, w.from, tol)
						}
					}
				}
			}
		}
	})
}

func TestScal(t *testing.T) {
	forEachPrecision(t, testScal[float32], testScal[float64])
}

func testScal[T kernels.Float](t *testing.T, r routines[T]) {
	impltest.RunAll(t, "kernels", func(t *testing.T) {
		rnd := rand.New(rand.NewPCG(9, 10))
		for _, n := range level1Sizes {
			incXs := level1Incs(n)
			if len(incXs) > 1 {
				// Scal ignores negative increments, as the reference BLAS
				// does.
				incXs = append(incXs, -2)
			}
			for _, incX := range incXs {
				for _, alpha := range append(scalars, 3) {
					x := random[T](rnd, span(n, incX)+guard)
					if alpha == 0 {
						fill(x, nan[T]()) // α = 0 sets x to zero without reading it
					}
					desc := func() string {
						return fmt.Sprintf("scal(n=%d, α=%v, incX=%d)", n, alpha, incX)
					}

					xGot := slices.Clone(x)
					r.scal(n, T(alpha), xGot, incX)
					xWant := slices.Clone(x)
					r.scalRef(n, T(alpha), xWant, incX)

					// One correctly rounded product per element: all agree
					// bit for bit.
					var idx []int
					if incX > 0 {
						idx = vecIdx(n, incX)
					}
					ref := make([]float64, len(idx))
					for k, i := range idx {
						if alpha != 0 {
							ref[k] = float64(x[i] * T(alpha))
						}
					}
					checkOut(t, desc, "x", idx, xGot, x, ref, "product", nil, true)
					checkOut(t, desc, "x", idx, xGot, x, pick(xWant, idx), "gonum's", nil, true)
				}
			}
		}
	})
}
