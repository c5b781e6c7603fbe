// Package gonumblas is a BLAS backend for gonum that runs on simdnn's
// kernels: Implementation satisfies gonum's blas.Float32 and blas.Float64 (as
// gonum's own gonum.Implementation and netlib's netlib.Implementation do), so
// a Use call at program start makes gonum's blas32, blas64 and mat packages
// use simdnn's AVX2/FMA assembly for matrix-vector work, without cgo:
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
// After that, mat.VecDense.MulVec computes y = Ax through kernels.Dgemv, and
// y = Aᵀx through kernels.DgemvT.
//
// Implementation embeds gonum's native gonum.Implementation and overrides the
// routines simdnn accelerates, in float32 and float64: Sgemv/Dgemv for every
// transpose, Sger/Dger, Saxpy/Daxpy, Sdot/Ddot and Sscal/Dscal. Every other
// routine (Dgemm, Dtrsv, Dnrm2, the complex ones, …) is gonum's own.
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
// Calls with unit increments and valid arguments run on simdnn's kernels,
// with the slices cut to exactly the lengths the kernels take (gonum accepts
// longer ones). For every other call gonum checks the arguments first,
// panicking as it always does, and then:
//   - Sgemv/Dgemv with a non-unit increment run gonum's code;
//   - Sger/Dger copy a strided x or y to a contiguous vector and run the
//     kernels, because gonum v0.17.0's Sger and Dger compute wrong results for
//     negative increments on amd64 (gonum/gonum#2105);
//   - the level-1 routines run gonum's code.
//
// Results on the kernels differ from gonum's only by rounding, within the
// error bounds the kernels package states for each routine.
//
// Two deliberate differences from gonum's own implementation, both where
// gonum strays from the reference BLAS: its Sgemv with blas.Trans, β = 0 and
// incY = 1 zeroes all of y, even the elements past the n-th (so does its
// Dgemv in builds with gonum's noasm tag), where Implementation writes only
// the n elements of the vector; and where gonum's check of len(a) against
// lda·(m-1)+n overflows and lets a call through, Implementation panics with
// gonum's message for a short a.
package gonumblas
