//go:build amd64 && gc && !purego

package kernels

import (
	"golang.org/x/sys/cpu"

	"github.com/simdnn/simdnn/internal/impl"
)

// useAVX2 enables the generated AVX2/FMA assembly in kernels_amd64.s.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

func init() {
	impl.Register("kernels", "avx2", &useAVX2)
}

// Each function below runs one kernel on the selected implementation, for
// either element type, through direct calls: a call through a function value
// would make every slice argument escape to the heap.

// axpyKernel: y += αx.
func axpyKernel[T Float](alpha T, x, y []T) {
	if useAVX2 {
		if isFloat32[T]() {
			saxpyAVX2(float32(alpha), f32s(x), f32s(y))
		} else {
			daxpyAVX2(float64(alpha), f64s(x), f64s(y))
		}
		return
	}
	axpyGeneric(alpha, x, y)
}

// dotKernel: xᵀy.
func dotKernel[T Float](x, y []T) T {
	if useAVX2 {
		if isFloat32[T]() {
			return T(sdotAVX2(f32s(x), f32s(y)))
		}
		return T(ddotAVX2(f64s(x), f64s(y)))
	}
	return dotGeneric(x, y)
}

// scalKernel: x = αx.
func scalKernel[T Float](alpha T, x []T) {
	if useAVX2 {
		if isFloat32[T]() {
			sscalAVX2(float32(alpha), f32s(x))
		} else {
			dscalAVX2(float64(alpha), f64s(x))
		}
		return
	}
	scalGeneric(alpha, x)
}

// gemvKernel: y = αAx + βy.
func gemvKernel[T Float](a []T, lda int, x, y []T, alpha, beta T) {
	if useAVX2 {
		if isFloat32[T]() {
			sgemvAVX2(f32s(a), lda, f32s(x), f32s(y), float32(alpha), float32(beta))
		} else {
			dgemvAVX2(f64s(a), lda, f64s(x), f64s(y), float64(alpha), float64(beta))
		}
		return
	}
	gemvGeneric(a, lda, x, y, alpha, beta)
}

// gemvTKernel: y += αAᵀx.
func gemvTKernel[T Float](a []T, lda int, x, y []T, alpha T) {
	if useAVX2 {
		if isFloat32[T]() {
			sgemvTAVX2(f32s(a), lda, f32s(x), f32s(y), float32(alpha))
		} else {
			dgemvTAVX2(f64s(a), lda, f64s(x), f64s(y), float64(alpha))
		}
		return
	}
	gemvTGeneric(a, lda, x, y, alpha)
}

// gerKernel: A += αxyᵀ.
func gerKernel[T Float](a []T, lda int, x, y []T, alpha T) {
	if useAVX2 {
		if isFloat32[T]() {
			sgerAVX2(f32s(a), lda, f32s(x), f32s(y), float32(alpha))
		} else {
			dgerAVX2(f64s(a), lda, f64s(x), f64s(y), float64(alpha))
		}
		return
	}
	gerGeneric(a, lda, x, y, alpha)
}

// sigmoidKernel: dst = σ(x).
func sigmoidKernel[T Float](dst, x []T) {
	if useAVX2 {
		if isFloat32[T]() {
			ssigmoidAVX2(f32s(dst), f32s(x))
		} else {
			dsigmoidAVX2(f64s(dst), f64s(x))
		}
		return
	}
	if isFloat32[T]() {
		sigmoidGeneric32(f32s(dst), f32s(x))
		return
	}
	sigmoidGeneric64(f64s(dst), f64s(x))
}

// reluKernel: dst = max(x, 0).
func reluKernel[T Float](dst, x []T) {
	if useAVX2 {
		if isFloat32[T]() {
			sreluAVX2(f32s(dst), f32s(x))
		} else {
			dreluAVX2(f64s(dst), f64s(x))
		}
		return
	}
	reluGeneric(dst, x)
}

// sigmoidBackwardKernel: dst = g·a·(1−a).
func sigmoidBackwardKernel[T Float](dst, g, a []T) {
	if useAVX2 {
		if isFloat32[T]() {
			ssigmoidBackwardAVX2(f32s(dst), f32s(g), f32s(a))
		} else {
			dsigmoidBackwardAVX2(f64s(dst), f64s(g), f64s(a))
		}
		return
	}
	sigmoidBackwardGeneric(dst, g, a)
}

// reluBackwardKernel: dst = g·[a > 0].
func reluBackwardKernel[T Float](dst, g, a []T) {
	if useAVX2 {
		if isFloat32[T]() {
			sreluBackwardAVX2(f32s(dst), f32s(g), f32s(a))
		} else {
			dreluBackwardAVX2(f64s(dst), f64s(g), f64s(a))
		}
		return
	}
	reluBackwardGeneric(dst, g, a)
}

// denseBackwardKernel: dx += Wᵀδ, dW += δxᵀ.
func denseBackwardKernel[T Float](w []T, ldw int, dw []T, lddw int, delta, x, dx []T) {
	if useAVX2 {
		if isFloat32[T]() {
			sdenseBackwardAVX2(f32s(w), ldw, f32s(dw), lddw, f32s(delta), f32s(x), f32s(dx))
		} else {
			ddenseBackwardAVX2(f64s(w), ldw, f64s(dw), lddw, f64s(delta), f64s(x), f64s(dx))
		}
		return
	}
	denseBackwardGeneric(w, ldw, dw, lddw, delta, x, dx)
}

// denseBackwardSGDKernel: dx += Wᵀδ, then W += αδxᵀ.
func denseBackwardSGDKernel[T Float](w []T, ldw int, delta, x, dx []T, alpha T) {
	if useAVX2 {
		if isFloat32[T]() {
			sdenseBackwardSGDAVX2(f32s(w), ldw, f32s(delta), f32s(x), f32s(dx), float32(alpha))
		} else {
			ddenseBackwardSGDAVX2(f64s(w), ldw, f64s(delta), f64s(x), f64s(dx), float64(alpha))
		}
		return
	}
	denseBackwardSGDGeneric(w, ldw, delta, x, dx, alpha)
}
