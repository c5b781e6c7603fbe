package gonumblas_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/simdnn/simdnn/kernels"
	"github.com/simdnn/simdnn/kernels/gonumblas"
)

// Signatures of the routines under test, shared by gonumblas and gonum.
type (
	gemmFunc[T kernels.Float] func(tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)
	gemvFunc[T kernels.Float] func(tA blas.Transpose, m, n int, alpha T, a []T, lda int, x []T, incX int, beta T, y []T, incY int)
	gerFunc[T kernels.Float]  func(m, n int, alpha T, x []T, incX int, y []T, incY int, a []T, lda int)
	axpyFunc[T kernels.Float] func(n int, alpha T, x []T, incX int, y []T, incY int)
	dotFunc[T kernels.Float]  func(n int, x []T, incX int, y []T, incY int) T
	scalFunc[T kernels.Float] func(n int, alpha T, x []T, incX int)
)

// routines holds one precision's overrides as gonumblas and gonum's native
// implementation provide them.
type routines[T kernels.Float] struct {
	gemm, gemmRef gemmFunc[T]
	gemv, gemvRef gemvFunc[T]
	ger, gerRef   gerFunc[T]
	axpy, axpyRef axpyFunc[T]
	dot, dotRef   dotFunc[T]
	scal, scalRef scalFunc[T]
}

var (
	ours   gonumblas.Implementation
	native gonum.Implementation
)

var routines32 = routines[float32]{
	gemm: ours.Sgemm, gemmRef: native.Sgemm,
	gemv: ours.Sgemv, gemvRef: native.Sgemv,
	ger: ours.Sger, gerRef: native.Sger,
	axpy: ours.Saxpy, axpyRef: native.Saxpy,
	dot: ours.Sdot, dotRef: native.Sdot,
	scal: ours.Sscal, scalRef: native.Sscal,
}

var routines64 = routines[float64]{
	gemm: ours.Dgemm, gemmRef: native.Dgemm,
	gemv: ours.Dgemv, gemvRef: native.Dgemv,
	ger: ours.Dger, gerRef: native.Dger,
	axpy: ours.Daxpy, axpyRef: native.Daxpy,
	dot: ours.Ddot, dotRef: native.Ddot,
	scal: ours.Dscal, scalRef: native.Dscal,
}

// forEachPrecision runs f as the subtests "float32" and "float64".
func forEachPrecision(t *testing.T, f32 func(t *testing.T, r routines[float32]), f64 func(t *testing.T, r routines[float64])) {
	t.Run("float32", func(t *testing.T) { f32(t, routines32) })
	t.Run("float64", func(t *testing.T) { f64(t, routines64) })
}

// Values of α and β every routine is tried with: the special cases 0 and 1
// of the BLAS rules and two ordinary ones.
var scalars = []float64{0, 1, -1, 0.5}

// Increments every routine is tried with; -1 walks its vector backwards.
var incs = []int{1, 2, -1}

// span returns how many slice elements a vector of n elements with increment
// inc covers.
func span(n, inc int) int {
	if n == 0 {
		return 0
	}
	return 1 + (n-1)*abs(inc)
}

// at returns the slice index of element i of a vector of n elements with
// increment inc, numbered backwards from the end when inc < 0 as the
// reference BLAS does.
func at(i, n, inc int) int {
	if inc > 0 {
		return i * inc
	}
	return (n - 1 - i) * -inc
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

// guard is how many elements past the end of each slice the tests add, to
// check that nothing beyond what the arguments describe is written.
const guard = 3

// random returns a slice of n values uniform in [-1, 1).
func random[T kernels.Float](rnd *rand.Rand, n int) []T {
	s := make([]T, n)
	for i := range s {
		s[i] = T(2*rnd.Float64() - 1)
	}
	return s
}

// fill sets every element of s to v.
func fill[T kernels.Float](s []T, v T) {
	for i := range s {
		s[i] = v
	}
}

func nan[T kernels.Float]() T { return T(math.NaN()) }

// same reports whether a and b are the same value, NaN equal to NaN.
func same[T kernels.Float](a, b T) bool {
	return a == b || (a != a && b != b)
}

// vecIdx returns the slice indices of the elements of a vector of n
// elements with increment inc, in the vector's order.
func vecIdx(n, inc int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = at(i, n, inc)
	}
	return idx
}

// matIdx returns the slice indices of the elements of a row-major m×n matrix
// with leading dimension lda, row by row.
func matIdx(m, n, lda int) []int {
	idx := make([]int, 0, m*n)
	for i := range m {
		for j := range n {
			idx = append(idx, i*lda+j)
		}
	}
	return idx
}

// checkOut checks the result got of a routine whose output argument was orig
// before the call and whose outputs are the elements of got at the indices
// idx: output k must be within tol(k) of want[k], or equal to it when exact
// is set, and every element of got that is not an output must be untouched.
// from names where want comes from.
func checkOut[T kernels.Float](t *testing.T, desc func() string, name string, idx []int, got, orig []T, want []float64, from string, tol func(k int) float64, exact bool) {
	out := make([]bool, len(got))
	for _, i := range idx {
		out[i] = true
	}
	for i := range got {
		if !out[i] && !same(got[i], orig[i]) {
			t.Fatalf("%s: %s[%d], not an output, changed from %v to %v", desc(), name, i, orig[i], got[i])
		}
	}
	for k, i := range idx {
		g, w := float64(got[i]), want[k]
		if same(g, w) {
			continue
		}
		if exact {
			t.Fatalf("%s: %s[%d] = %v, want %v exactly (%s)", desc(), name, i, g, w, from)
		}
		if d := math.Abs(g - w); !(d <= tol(k)) {
			t.Fatalf("%s: %s[%d] = %v, want %v ± %.3g (%s), off by %.3g", desc(), name, i, g, w, tol(k), from, d)
		}
	}
}

// pick returns the elements of s at the indices idx, as float64.
func pick[T kernels.Float](s []T, idx []int) []float64 {
	r := make([]float64, len(idx))
	for k, i := range idx {
		r[k] = float64(s[i])
	}
	return r
}

// checkUnchanged fails unless the read-only argument got still equals orig.
func checkUnchanged[T kernels.Float](t *testing.T, desc func() string, name string, got, orig []T) {
	for k := range got {
		if !same(got[k], orig[k]) {
			t.Fatalf("%s: read-only %s[%d] changed from %v to %v", desc(), name, k, orig[k], got[k])
		}
	}
}
