package gonumblas

import (
	"gonum.org/v1/gonum/blas"

	"github.com/simdnn/simdnn/kernels"
)

// Sgemv computes
//
//	y = αAx + βy   if tA = blas.NoTrans
//	y = αAᵀx + βy  if tA = blas.Trans or blas.ConjTrans
//
// for a row-major m×n float32 matrix A with leading dimension lda ≥ max(1, n)
// and vectors x and y with increments incX and incY (x has n elements and y m
// for NoTrans, the other way round for Trans). m = 0, n = 0, and α = 0 with
// β = 1 return without touching y; α = 0 reads neither A nor x; β = 0 sets y
// without reading it.
//
// With incX = incY = 1 it runs kernels.Sgemv (NoTrans) or kernels.SgemvT
// (Trans); other increments run gonum's Sgemv, cut to write only the vector
// y when incY = 1.
func (impl Implementation) Sgemv(tA blas.Transpose, m, n int, alpha float32, a []float32, lda int, x []float32, incX int, beta float32, y []float32, incY int) {
	gemv(impl.Implementation.Sgemv, kernels.Sgemv, kernels.SgemvT, tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
}

// Dgemv computes y = αAx + βy or y = αAᵀx + βy for a row-major m×n float64
// matrix; see Sgemv.
func (impl Implementation) Dgemv(tA blas.Transpose, m, n int, alpha float64, a []float64, lda int, x []float64, incX int, beta float64, y []float64, incY int) {
	gemv(impl.Implementation.Dgemv, kernels.Dgemv, kernels.DgemvT, tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
}

// Sger computes the rank-one update A += αxyᵀ for a row-major m×n float32
// matrix A with leading dimension lda ≥ max(1, n), a vector x of m elements
// with increment incX and a vector y of n elements with increment incY.
// m = 0, n = 0 and α = 0 return without touching A.
//
// It always runs kernels.Sger; vectors with non-unit increments are first
// copied to contiguous ones. (gonum v0.17.0's own Sger and Dger compute wrong
// results for negative increments on amd64, gonum/gonum#2105.)
func (impl Implementation) Sger(m, n int, alpha float32, x []float32, incX int, y []float32, incY int, a []float32, lda int) {
	ger(impl.Implementation.Sger, kernels.Sger, m, n, alpha, x, incX, y, incY, a, lda)
}

// Dger computes A += αxyᵀ for a row-major m×n float64 matrix; see Sger.
func (impl Implementation) Dger(m, n int, alpha float64, x []float64, incX int, y []float64, incY int, a []float64, lda int) {
	ger(impl.Implementation.Dger, kernels.Dger, m, n, alpha, x, incX, y, incY, a, lda)
}

// shortA is gonum's panic message for a matrix slice that is too short.
const shortA = "blas: insufficient length of a"

// gemvFunc is the signature of gonum's Sgemv and Dgemv.
type gemvFunc[T kernels.Float] func(tA blas.Transpose, m, n int, alpha T, a []T, lda int, x []T, incX int, beta T, y []T, incY int)

// gemvKernel is the signature of kernels.Sgemv, SgemvT, Dgemv and DgemvT.
type gemvKernel[T kernels.Float] func(m, n int, alpha T, a []T, lda int, x []T, beta T, y []T)

// gemv runs a gemv call on kernel (NoTrans) or kernelT (Trans, ConjTrans)
// when gemvFast allows it, and on gonum's Sgemv or Dgemv, native, otherwise.
func gemv[T kernels.Float](native gemvFunc[T], kernel, kernelT gemvKernel[T],
	tA blas.Transpose, m, n int, alpha T, a []T, lda int, x []T, incX int, beta T, y []T, incY int) {
	lenX, lenY, ok := gemvFast(tA, m, n, len(a), lda, len(x), incX, len(y), incY)
	if !ok {
		// With α = 0 and β = 1, gonum makes all its argument checks,
		// panicking with its messages, and returns without touching y.
		native(tA, m, n, 0, a, lda, x, incX, 1, y, incY)
		if m == 0 || n == 0 {
			return
		}
		if !matrixFits(m, n, len(a), lda) {
			panic(shortA) // gonum's check of len(a) overflowed.
		}
		if incY == 1 {
			// gonum's Trans path with β = 0 zeroes all of a unit-stride y,
			// not only its lenY elements.
			y = y[:lenY]
		}
		native(tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
		return
	}
	a, x, y = a[:(m-1)*lda+n], x[:lenX], y[:lenY]
	if tA == blas.NoTrans {
		kernel(m, n, alpha, a, lda, x, beta, y)
		return
	}
	kernelT(m, n, alpha, a, lda, x, beta, y)
}

// gemvFast returns the lengths of the vectors x and y of a gemv call, and
// whether the call may run on the kernels: unit increments, m, n ≥ 1 and
// every argument valid, so that gonum would neither panic nor return before
// computing.
func gemvFast(tA blas.Transpose, m, n, lenA, lda, lenX, incX, lenY, incY int) (vecX, vecY int, ok bool) {
	vecX, vecY = n, m
	if tA != blas.NoTrans {
		vecX, vecY = m, n
	}
	ok = (tA == blas.NoTrans || tA == blas.Trans || tA == blas.ConjTrans) &&
		incX == 1 && incY == 1 && m >= 1 && n >= 1 && lda >= n &&
		lenX >= vecX && lenY >= vecY && matrixFits(m, n, lenA, lda)
	return vecX, vecY, ok
}

// gerFunc is the signature of gonum's Sger and Dger.
type gerFunc[T kernels.Float] func(m, n int, alpha T, x []T, incX int, y []T, incY int, a []T, lda int)

// gerKernel is the signature of kernels.Sger and Dger.
type gerKernel[T kernels.Float] func(m, n int, alpha T, x, y []T, a []T, lda int)

// ger runs a ger call on kernel, after gonum's Sger or Dger, native, has
// checked the arguments when gerFast does not vouch for them.
func ger[T kernels.Float](native gerFunc[T], kernel gerKernel[T],
	m, n int, alpha T, x []T, incX int, y []T, incY int, a []T, lda int) {
	if !gerFast(m, n, len(x), incX, len(y), incY, len(a), lda) {
		// With α = 0, gonum makes all its argument checks, panicking with
		// its messages, and returns without touching A.
		native(m, n, 0, x, incX, y, incY, a, lda)
		if m == 0 || n == 0 || alpha == 0 {
			return
		}
		if !matrixFits(m, n, len(a), lda) {
			panic(shortA) // gonum's check of len(a) overflowed.
		}
		x, y = contiguous(x, m, incX), contiguous(y, n, incY)
	}
	kernel(m, n, alpha, x[:m], y[:n], a[:(m-1)*lda+n], lda)
}

// gerFast reports whether a ger call may run on the kernels as it is: unit
// increments, m, n ≥ 1 and every argument valid, so that gonum would neither
// panic nor return before computing.
func gerFast(m, n, lenX, incX, lenY, incY, lenA, lda int) bool {
	return incX == 1 && incY == 1 && m >= 1 && n >= 1 && lda >= n &&
		lenX >= m && lenY >= n && matrixFits(m, n, lenA, lda)
}

// contiguous returns the vector of n ≥ 1 elements with increment inc ≠ 0 held
// in v as a unit-stride slice: v[:n] itself for inc = 1, a copy otherwise,
// element i taken from v[i·inc], or from v[(n-1-i)·|inc|] for inc < 0 as the
// reference BLAS numbers them.
func contiguous[T kernels.Float](v []T, n, inc int) []T {
	if inc == 1 {
		return v[:n]
	}
	c := make([]T, n)
	for i := range c {
		if inc > 0 {
			c[i] = v[i*inc]
		} else {
			c[i] = v[(n-1-i)*-inc]
		}
	}
	return c
}
