package nn

import "github.com/simdnn/simdnn/kernels"

// Float is the set of element types a Network can hold: float32 for speed,
// float64 for checking (gradient checks, reference runs).
type Float interface {
	float32 | float64
}

// ops is the table of kernels a Network[T] calls: the float32 or float64
// variant of each, picked once when the network is made, so no call boxes
// its arguments or switches on the type.
type ops[T Float] struct {
	denseForward     func(h kernels.Activation, m, n int, w []T, ldw int, x, b, out []T)
	denseBackward    func(m, n int, w []T, ldw int, delta, x, dx, dw []T, lddw int, db []T)
	denseBackwardSGD func(m, n int, lr, decay T, w []T, ldw int, delta, x, dx, b []T)
	sigmoid          func(dst, x []T)
	sigmoidBackward  func(dst, g, a []T)
	reluBackward     func(dst, g, a []T)
	axpy             func(alpha T, x, y []T)
	scal             func(alpha T, x []T)
}

var ops32 = ops[float32]{
	denseForward:     kernels.SdenseForward,
	denseBackward:    kernels.SdenseBackward,
	denseBackwardSGD: kernels.SdenseBackwardSGD,
	sigmoid:          kernels.Ssigmoid,
	sigmoidBackward:  kernels.SsigmoidBackward,
	reluBackward:     kernels.SreluBackward,
	axpy:             kernels.Saxpy,
	scal:             kernels.Sscal,
}

var ops64 = ops[float64]{
	denseForward:     kernels.DdenseForward,
	denseBackward:    kernels.DdenseBackward,
	denseBackwardSGD: kernels.DdenseBackwardSGD,
	sigmoid:          kernels.Dsigmoid,
	sigmoidBackward:  kernels.DsigmoidBackward,
	reluBackward:     kernels.DreluBackward,
	axpy:             kernels.Daxpy,
	scal:             kernels.Dscal,
}

// opsFor returns the kernel table of T.
func opsFor[T Float]() *ops[T] {
	var zero T
	if _, ok := any(zero).(float32); ok {
		return any(&ops32).(*ops[T])
	}
	return any(&ops64).(*ops[T])
}

// dtypeSize returns the size of T in bytes.
func dtypeSize[T Float]() int {
	var zero T
	if _, ok := any(zero).(float32); ok {
		return 4
	}
	return 8
}
