package bench

import (
	"math"
	"runtime"
	"unsafe"

	"github.com/viterin/vek/vek32"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/simdnn/simdnn/internal/benchshape"
	"github.com/simdnn/simdnn/kernels"
)

// routines is one implementation's BLAS routines for element type T, with
// unit increments and row-major matrices of leading dimension lda.
type routines[T benchshape.Float] struct {
	// gemm computes C = α·op(A)·op(B) + βC for op(A) m×k and op(B) k×n,
	// op(X) = Xᵀ when tA (tB) is set; nil where the implementation has no
	// GEMM worth timing.
	gemm func(tA, tB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)
	// gemv computes y = αAx + βy, or y = αAᵀx + βy when trans, for an m×n A.
	gemv func(trans bool, m, n int, alpha T, a []T, lda int, x []T, beta T, y []T)
	// ger computes A += αxyᵀ for an m×n A.
	ger func(m, n int, alpha T, x, y, a []T, lda int)
	// axpy computes y += αx.
	axpy func(alpha T, x, y []T)
	// dot returns xᵀy.
	dot func(x, y []T) T
}

// blasImpl is one implementation of the BLAS routines the suite compares.
type blasImpl struct {
	name string
	// use, when not nil, makes the implementation current before its
	// sub-benchmark runs and returns the function that undoes that.
	use func() (undo func(), err error)
	f32 routines[float32]
	f64 routines[float64]
}

// blasImpls are the implementations of the BLAS benchmarks, in the order
// they run: simdnn's (its assembly first where the CPU has it, then its pure
// Go), gonum's native one, the textbook loops, and, with the openblas tag,
// OpenBLAS (appended by openblas_test.go).
var blasImpls = append(simdnnImpls(), gonumImpl, naiveImpl)

// naiveImpl is the textbook double loop a Go programmer writes first: one
// running sum per output, the baseline simdnn's pure-Go path must beat by at
// least 2×. It has no GEMM: its triple loop at 1024³ would take seconds per
// call and say nothing the double loops do not.
var naiveImpl = blasImpl{
	name: "naive",
	f32:  routines[float32]{gemv: naiveGemv[float32], ger: naiveGer[float32], axpy: naiveAxpy[float32], dot: naiveDot[float32]},
	f64:  routines[float64]{gemv: naiveGemv[float64], ger: naiveGer[float64], axpy: naiveAxpy[float64], dot: naiveDot[float64]},
}

func naiveGemv[T benchshape.Float](trans bool, m, n int, alpha T, a []T, lda int, x []T, beta T, y []T) {
	if trans {
		for j := range n {
			var s T
			for i := range m {
				s += a[i*lda+j] * x[i]
			}
			y[j] = alpha*s + beta*y[j]
		}
		return
	}
	for i := range m {
		var s T
		for j := range n {
			s += a[i*lda+j] * x[j]
		}
		y[i] = alpha*s + beta*y[i]
	}
}

func naiveGer[T benchshape.Float](m, n int, alpha T, x, y, a []T, lda int) {
	for i := range m {
		for j := range n {
			a[i*lda+j] += alpha * x[i] * y[j]
		}
	}
}

func naiveAxpy[T benchshape.Float](alpha T, x, y []T) {
	for i := range x {
		y[i] += alpha * x[i]
	}
}

func naiveDot[T benchshape.Float](x, y []T) T {
	var s T
	for i := range x {
		s += x[i] * y[i]
	}
	return s
}

// gonumImpl is gonum's native BLAS, held to one goroutine's worth of
// parallelism (GOMAXPROCS = 1) while it runs, like every other
// implementation: its Sgemm and Dgemm otherwise split large products over
// GOMAXPROCS goroutines.
var gonumImpl = blasImpl{
	name: "gonum",
	use: func() (func(), error) {
		procs := runtime.GOMAXPROCS(1)
		return func() { runtime.GOMAXPROCS(procs) }, nil
	},
	f32: routines[float32]{
		gemm: func(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
			gonum.Implementation{}.Sgemm(gonumTranspose(tA), gonumTranspose(tB), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		},
		gemv: func(trans bool, m, n int, alpha float32, a []float32, lda int, x []float32, beta float32, y []float32) {
			gonum.Implementation{}.Sgemv(gonumTranspose(trans), m, n, alpha, a, lda, x, 1, beta, y, 1)
		},
		ger: func(m, n int, alpha float32, x, y, a []float32, lda int) {
			gonum.Implementation{}.Sger(m, n, alpha, x, 1, y, 1, a, lda)
		},
		axpy: func(alpha float32, x, y []float32) { gonum.Implementation{}.Saxpy(len(x), alpha, x, 1, y, 1) },
		dot:  func(x, y []float32) float32 { return gonum.Implementation{}.Sdot(len(x), x, 1, y, 1) },
	},
	f64: routines[float64]{
		gemm: func(tA, tB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
			gonum.Implementation{}.Dgemm(gonumTranspose(tA), gonumTranspose(tB), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		},
		gemv: func(trans bool, m, n int, alpha float64, a []float64, lda int, x []float64, beta float64, y []float64) {
			gonum.Implementation{}.Dgemv(gonumTranspose(trans), m, n, alpha, a, lda, x, 1, beta, y, 1)
		},
		ger: func(m, n int, alpha float64, x, y, a []float64, lda int) {
			gonum.Implementation{}.Dger(m, n, alpha, x, 1, y, 1, a, lda)
		},
		axpy: func(alpha float64, x, y []float64) { gonum.Implementation{}.Daxpy(len(x), alpha, x, 1, y, 1) },
		dot:  func(x, y []float64) float64 { return gonum.Implementation{}.Ddot(len(x), x, 1, y, 1) },
	},
}

func gonumTranspose(trans bool) blas.Transpose {
	if trans {
		return blas.Trans
	}
	return blas.NoTrans
}

// simdnnImpls returns one implementation per path of simdnn's kernels that
// this machine can run ("avx512", "avx2", then "go"), each selected with
// kernels.UseImplementation.
func simdnnImpls() []blasImpl {
	var out []blasImpl
	for _, name := range kernels.Implementations() {
		out = append(out, blasImpl{
			name: name,
			use:  useKernels(name),
			f32:  simdnnRoutines[float32](),
			f64:  simdnnRoutines[float64](),
		})
	}
	return out
}

// simdnnRoutines returns simdnn's kernels of element type T as routines.
func simdnnRoutines[T benchshape.Float]() routines[T] {
	k := kernels.For[T]()
	return routines[T]{
		gemm: func(tA, tB bool, m, n, kk int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
			k.Gemm(kernelsTranspose(tA), kernelsTranspose(tB), m, n, kk, alpha, a, lda, b, ldb, beta, c, ldc)
		},
		gemv: func(trans bool, m, n int, alpha T, a []T, lda int, x []T, beta T, y []T) {
			if trans {
				k.GemvT(m, n, alpha, a, lda, x, beta, y)
			} else {
				k.Gemv(m, n, alpha, a, lda, x, beta, y)
			}
		},
		ger:  k.Ger,
		axpy: k.Axpy,
		dot:  k.Dot,
	}
}

func kernelsTranspose(trans bool) kernels.Transpose {
	if trans {
		return kernels.Trans
	}
	return kernels.NoTrans
}

// useKernels returns the use function that selects simdnn's implementation
// name.
func useKernels(name string) func() (func(), error) {
	return func() (func(), error) {
		if err := kernels.UseImplementation(name); err != nil {
			return nil, err
		}
		return func() { _ = kernels.UseImplementation("") }, nil
	}
}

// pick returns impl's routines for element type T.
func pick[T benchshape.Float](impl blasImpl) routines[T] {
	if isFloat32[T]() {
		return any(impl.f32).(routines[T])
	}
	return any(impl.f64).(routines[T])
}

// unaryImpl is one implementation of an elementwise function dst = f(x) for
// float32 and float64, such as the sigmoid; f64 is nil where the
// implementation has no float64 version.
type unaryImpl struct {
	name string
	use  func() (func(), error)
	f32  func(dst, x []float32)
	f64  func(dst, x []float64)
}

// sigmoidImpls are simdnn's sigmoid paths, the loop a Go programmer writes
// without them (1/(1+math.Exp(−x)), in float64 for both types), and the same
// formula in vek's float32 vector operations (vek has no float64 Exp).
var sigmoidImpls = append(simdnnUnary(kernels.Ssigmoid, kernels.Dsigmoid), unaryImpl{
	name: "naive",
	f32: func(dst, x []float32) {
		for i, v := range x {
			dst[i] = float32(sigmoidRef(float64(v)))
		}
	},
	f64: func(dst, x []float64) {
		for i, v := range x {
			dst[i] = sigmoidRef(v)
		}
	},
}, unaryImpl{
	name: "vek",
	f32: func(dst, x []float32) {
		vek32.Neg_Into(dst, x)
		vek32.Exp_Inplace(dst)
		vek32.AddNumber_Inplace(dst, 1)
		vek32.Inv_Inplace(dst)
	},
})

// sigmoidRef is σ(x) = 1/(1+e^(−x)) in float64: the naive loop, and the
// reference the float32 sigmoids are measured against.
func sigmoidRef(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// tanhImpls are simdnn's tanh paths and the loop a Go programmer writes
// without them, math.Tanh in float64 for both types (vek has no tanh).
var tanhImpls = append(simdnnUnary(kernels.Stanh, kernels.Dtanh), unaryImpl{
	name: "naive",
	f32: func(dst, x []float32) {
		for i, v := range x {
			dst[i] = float32(math.Tanh(float64(v)))
		}
	},
	f64: func(dst, x []float64) {
		for i, v := range x {
			dst[i] = math.Tanh(v)
		}
	},
})

// reluImpls are simdnn's ReLU paths and a plain Go loop.
var reluImpls = append(simdnnUnary(kernels.Srelu, kernels.Drelu), unaryImpl{
	name: "naive",
	f32:  naiveReLU[float32],
	f64:  naiveReLU[float64],
})

func naiveReLU[T benchshape.Float](dst, x []T) {
	for i, v := range x {
		if v > 0 {
			dst[i] = v
		} else {
			dst[i] = 0
		}
	}
}

// simdnnUnary returns one unaryImpl per path of simdnn's kernels.
func simdnnUnary(f32 func(dst, x []float32), f64 func(dst, x []float64)) []unaryImpl {
	var out []unaryImpl
	for _, name := range kernels.Implementations() {
		out = append(out, unaryImpl{name: name, use: useKernels(name), f32: f32, f64: f64})
	}
	return out
}

// pickUnary returns impl's function for element type T, or nil.
func pickUnary[T benchshape.Float](impl unaryImpl) func(dst, x []T) {
	if isFloat32[T]() {
		return any(impl.f32).(func(dst, x []T))
	}
	return any(impl.f64).(func(dst, x []T))
}

// isFloat32 reports whether T is float32; otherwise it is float64.
func isFloat32[T benchshape.Float]() bool { return unsafe.Sizeof(T(0)) == 4 }
