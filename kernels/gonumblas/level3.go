package gonumblas

import (
	"gonum.org/v1/gonum/blas"

	"github.com/simdnn/simdnn/kernels"
)

// Sgemm computes
//
//	C = α·op(A)·op(B) + β·C
//
// for row-major float32 matrices, where op(X) is X for blas.NoTrans and Xᵀ
// for blas.Trans or blas.ConjTrans, op(A) is m×k, op(B) is k×n and C is m×n
// with leading dimension ldc ≥ max(1, n). A is stored m×k with
// lda ≥ max(1, k), or k×m with lda ≥ max(1, m) when transposed; B is stored
// k×n with ldb ≥ max(1, n), or n×k with ldb ≥ max(1, k) when transposed.
// m = 0, n = 0, and α = 0 or k = 0 with β = 1 return without touching C;
// α = 0 reads neither A nor B; β = 0 sets C without reading it. C must not
// overlap A or B.
//
// Every call with valid arguments runs kernels.Sgemm, whose result is
// within (k+2)·ε·(|α|·Σₗ|aᵢₗ||bₗⱼ| + |β||cᵢⱼ|) of the exact one and has the
// same bits on every implementation of the kernels. Arguments are checked by
// gonum's Sgemm first, panicking with its messages.
func (impl Implementation) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemm(impl.Implementation.Sgemm, kernels.Sgemm, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Dgemm computes C = α·op(A)·op(B) + β·C for row-major float64 matrices on
// kernels.Dgemm; see Sgemm. Unlike gonum's own Dgemm, it runs on the calling
// goroutine only.
func (impl Implementation) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	gemm(impl.Implementation.Dgemm, kernels.Dgemm, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Gonum's panic messages for the operands of gemm that are too short.
const (
	shortB = "blas: insufficient length of b"
	shortC = "blas: insufficient length of c"
)

// gemmFunc is the signature of gonum's Sgemm and Dgemm.
type gemmFunc[T kernels.Float] func(tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)

// gemmKernel is the signature of kernels.Sgemm and Dgemm.
type gemmKernel[T kernels.Float] func(tA, tB kernels.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)

// gemm runs a gemm call on kernel once gonum's Sgemm or Dgemm, native, has
// checked its arguments.
func gemm[T kernels.Float](native gemmFunc[T], kernel gemmKernel[T],
	tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	// With α = 0 and β = 1, gonum makes all its argument checks, panicking
	// with its messages, and returns without touching C. The checks are a
	// few comparisons: no call is too small for them.
	native(tA, tB, m, n, k, 0, a, lda, b, ldb, 1, c, ldc)
	if m == 0 || n == 0 || ((alpha == 0 || k == 0) && beta == 1) {
		return // gonum's quick returns.
	}
	kA, rowsA, colsA := operand(tA, m, k)
	kB, rowsB, colsB := operand(tB, k, n)
	a = fit(a, rowsA, colsA, lda, shortA)
	b = fit(b, rowsB, colsB, ldb, shortB)
	c = fit(c, m, n, ldc, shortC)
	kernel(kA, kB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// operand returns the kernels' form of an operand op(X) of r×s elements
// whose gonum transpose is t (one gonum has accepted), and the rows and
// columns of X as stored: r×s, or s×r when transposed.
func operand(t blas.Transpose, r, s int) (kt kernels.Transpose, rows, cols int) {
	if t == blas.NoTrans {
		return kernels.NoTrans, r, s
	}
	return kernels.Trans, s, r // blas.Trans or blas.ConjTrans: the same for real matrices.
}

// fit returns the elements of v that a row-major rows×cols matrix with
// leading dimension ld ≥ max(1, cols) spans, none for an empty one. It
// panics with msg when v is too short, a case gonum's check lets through
// when (rows-1)·ld overflows.
func fit[T kernels.Float](v []T, rows, cols, ld int, msg string) []T {
	if rows == 0 || cols == 0 {
		return v[:0]
	}
	if !matrixFits(rows, cols, len(v), ld) {
		panic(msg)
	}
	return v[:(rows-1)*ld+cols]
}
