// Package gonumblas is a BLAS backend for gonum that runs on simdnn's
// kernels: Implementation satisfies gonum's blas.Float32 and blas.Float64 (as
// gonum's own gonum.Implementation and netlib's netlib.Implementation do), so
// a Use call at program start makes gonum's blas32, blas64 and mat packages
// use simdnn's AVX2/FMA assembly for matrix-matrix and matrix-vector work,
// without cgo:
//
//	import (
//		"gonum.org/v1/gonum/blas/blas32"
//		"gonum.org/v1/gonum/blas/blas64"
//
//		"github.com/simdnn/simdnn/kernels/gonumblas"
//	)
//
//	func init() {
//		blas32.Use(gonumblas.Implementation{})
//		blas64.Use(gonumblas.Implementation{})
//	}
//
// Implementation embeds gonum's native gonum.Implementation and overrides the
// routines simdnn accelerates, in float32 and float64: Sgemm/Dgemm and
// Sgemv/Dgemv for every transpose, Sger/Dger, Saxpy/Daxpy, Sdot/Ddot and
// Sscal/Dscal. Every other routine is gonum's own: the other level-3 ones
// (Dsymm, Dsyrk, Dsyr2k, Dtrmm, Dtrsm), the other level-2 ones (Dsymv, Dtrmv,
// Dtrsv, the banded and packed ones, …), the other level-1 ones (Dnrm2,
// Dasum, Idamax, Dcopy, Dswap, Drot, …) and every complex routine.
//
// So in package mat, after blas64.Use(Implementation{}), Dense.Mul (and
// Dense.Product, which is built on it):
//   - of two *Dense, either or both as transposed views (a.T()), runs Dgemm,
//     on kernels.Dgemm;
//   - of a *Dense and a *VecDense runs Dgemv (kernels.Dgemv or DgemvT), or
//     Dgemm for an outer product;
//   - with a *SymDense or *TriDense operand runs gonum's own Dsymm or Dtrmm;
//   - of other Matrix types runs gonum's element-by-element loop, no BLAS.
//
// VecDense.MulVec of a general matrix runs Dgemv (kernels.Dgemv for A,
// kernels.DgemvT for Aᵀ); Dense.RankOne runs Dger, on kernels.Dger;
// VecDense.AddScaledVec, mat.Dot and VecDense.ScaleVec run Daxpy, Ddot and
// Dscal, on the kernels when the vectors are contiguous. gonum's LAPACK
// (Cholesky, LU, QR, EigenSym, SVD, Dense.Inverse, Dense.Solve, …) stays
// gonum's code, calling back into this BLAS: its Dgemm, Dgemv and Dger
// calls run on the kernels, its Dtrsm, Dsyrk, Dnrm2, … on gonum.
//
// The same holds for blas32: blas32.Gemm runs kernels.Sgemm, and so on.
//
// The overrides keep the reference-BLAS contract that gonum's interface
// documents: row-major matrices with leading dimension lda, blas.Trans and
// blas.ConjTrans meaning the same for real matrices, the increments incX and
// incY, the quick returns for m = 0, n = 0 and (α = 0, β = 1), α = 0 reading
// neither A nor x, and β = 0 overwriting y without reading it, so NaN or Inf
// already in y does not reach the result. Arguments are checked as gonum
// checks them, in the same order, and bad ones panic with gonum's own
// messages ("blas: insufficient length of x", …).
//
// Every Sgemm or Dgemm call gonum accepts runs on the kernels, after gonum's
// own Sgemm or Dgemm has checked its arguments (with α = 0 and β = 1, which
// makes it check and return). Level-1 and level-2 calls with unit increments
// and valid arguments run on simdnn's kernels, with the slices cut to exactly
// the lengths the kernels take (gonum accepts longer ones). For every other
// call gonum checks the arguments first, panicking as it always does, and
// then:
//   - Sgemv/Dgemv with a non-unit increment run gonum's code;
//   - Sger/Dger copy a strided x or y to a contiguous vector and run the
//     kernels, because gonum v0.17.0's Sger and Dger compute wrong results for
//     negative increments on amd64 (gonum/gonum#2105);
//   - the level-1 routines run gonum's code.
//
// Results on the kernels differ from gonum's only by rounding, within the
// error bounds the kernels package states for each routine. Unlike gonum's
// Sgemm and Dgemm, which split large products over GOMAXPROCS goroutines,
// the kernels compute on the calling goroutine alone.
//
// Three deliberate differences from gonum's own implementation, all where
// gonum strays from the reference BLAS: its Sgemm and Dgemm with α = 0 and
// β ≠ 1 still multiply A by B, so NaN or Inf in them reaches C as NaN, where
// Implementation reads neither and sets C = β·C; its Sgemv with blas.Trans, β = 0 and
// incY = 1 zeroes all of y, even the elements past the n-th (so does its
// Dgemv in builds with gonum's noasm tag), where Implementation writes only
// the n elements of the vector; and where gonum's check of a matrix's
// length (len(a) against lda·(m-1)+n, and likewise for b and c) overflows and
// lets a call through, Implementation panics with gonum's message for that
// short slice.
package gonumblas
