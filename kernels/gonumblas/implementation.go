package gonumblas

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Implementation is gonum's blas.Float32 and blas.Float64 (and, through the
// embedded gonum.Implementation, blas.Complex64 and blas.Complex128) with the
// level-1, level-2 and level-3 routines simdnn accelerates running on
// simdnn's kernels. Its zero value is ready to use: pass Implementation{} to
// blas32.Use and blas64.Use. It is safe for concurrent use under the same
// rule as any BLAS: calls must not write memory another call reads or writes
// at the same time.
type Implementation struct {
	// Implementation is gonum's native BLAS (Go and Go assembly, no cgo).
	// It computes every routine Implementation does not override, checks
	// the arguments of the calls the overrides do not send straight to the
	// kernels (and of every Sgemm and Dgemm call), and computes the level-1
	// and level-2 ones of those calls, but for Sger and Dger.
	gonum.Implementation
}

var (
	_ blas.Float32    = Implementation{}
	_ blas.Float64    = Implementation{}
	_ blas.Complex64  = Implementation{}
	_ blas.Complex128 = Implementation{}
)

const maxInt = int(^uint(0) >> 1)

// matrixFits reports whether a slice of lenA elements holds a row-major m×n
// matrix with leading dimension lda, for m, n ≥ 1 and lda ≥ n: whether
// lenA ≥ (m-1)·lda + n, computed without overflowing.
func matrixFits(m, n, lenA, lda int) bool {
	return m-1 <= (maxInt-n)/lda && (m-1)*lda+n <= lenA
}
