package kernels

// Funcs holds the kernels of one element type under type-free names, for
// code that is generic in T: For[float32]().Gemv is Sgemv, For[float64]().Gemv
// is Dgemv, and so on. A call through a Funcs field is an indirect call, so
// the compiler moves the slices it is given to the heap; code that keeps its
// operands on the stack calls the S and D functions directly.
type Funcs[T Float] struct {
	Axpy               func(alpha T, x, y []T)
	Dot                func(x, y []T) T
	Scal               func(alpha T, x []T)
	Gemv               func(m, n int, alpha T, a []T, lda int, x []T, beta T, y []T)
	GemvT              func(m, n int, alpha T, a []T, lda int, x []T, beta T, y []T)
	Ger                func(m, n int, alpha T, x, y []T, a []T, lda int)
	Sigmoid            func(dst, x []T)
	Relu               func(dst, x []T)
	Tanh               func(dst, x []T)
	SigmoidBackward    func(dst, g, a []T)
	ReluBackward       func(dst, g, a []T)
	TanhBackward       func(dst, g, a []T)
	DenseForward       func(h Activation, m, n int, w []T, ldw int, x, b, out []T)
	DenseBackward      func(m, n int, w []T, ldw int, delta, x, dx, dw []T, lddw int, db []T)
	DenseBackwardSGD   func(m, n int, lr, decay T, w []T, ldw int, delta, x, dx, b []T)
	Gemm               func(tA, tB Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)
	DenseForwardBatch  func(h Activation, batch, m, n int, w []T, ldw int, x []T, ldx int, b, out []T, ldout int)
	DenseBackwardBatch func(h Activation, batch, m, n int, w []T, ldw int, a []T, lda int, g []T, ldg int, x []T, ldx int, dx []T, lddx int, dw []T, lddw int, db []T)
	Adam               func(c AdamCoefs[T], w, g, m, v []T)
}

var funcs32 = Funcs[float32]{
	Axpy:               Saxpy,
	Dot:                Sdot,
	Scal:               Sscal,
	Gemv:               Sgemv,
	GemvT:              SgemvT,
	Ger:                Sger,
	Sigmoid:            Ssigmoid,
	Relu:               Srelu,
	Tanh:               Stanh,
	SigmoidBackward:    SsigmoidBackward,
	ReluBackward:       SreluBackward,
	TanhBackward:       StanhBackward,
	DenseForward:       SdenseForward,
	DenseBackward:      SdenseBackward,
	DenseBackwardSGD:   SdenseBackwardSGD,
	Gemm:               Sgemm,
	DenseForwardBatch:  SdenseForwardBatch,
	DenseBackwardBatch: SdenseBackwardBatch,
	Adam:               Sadam,
}

var funcs64 = Funcs[float64]{
	Axpy:               Daxpy,
	Dot:                Ddot,
	Scal:               Dscal,
	Gemv:               Dgemv,
	GemvT:              DgemvT,
	Ger:                Dger,
	Sigmoid:            Dsigmoid,
	Relu:               Drelu,
	Tanh:               Dtanh,
	SigmoidBackward:    DsigmoidBackward,
	ReluBackward:       DreluBackward,
	TanhBackward:       DtanhBackward,
	DenseForward:       DdenseForward,
	DenseBackward:      DdenseBackward,
	DenseBackwardSGD:   DdenseBackwardSGD,
	Gemm:               Dgemm,
	DenseForwardBatch:  DdenseForwardBatch,
	DenseBackwardBatch: DdenseBackwardBatch,
	Adam:               Dadam,
}

// For returns the kernels of element type T.
func For[T Float]() *Funcs[T] {
	if isFloat32[T]() {
		return any(&funcs32).(*Funcs[T])
	}
	return any(&funcs64).(*Funcs[T])
}
