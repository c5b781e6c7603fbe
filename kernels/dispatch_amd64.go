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

func axpy32(alpha float32, x, y []float32) {
	if useAVX2 {
		saxpyAVX2(alpha, x, y)
		return
	}
	axpyGeneric(alpha, x, y)
}

func axpy64(alpha float64, x, y []float64) {
	if useAVX2 {
		daxpyAVX2(alpha, x, y)
		return
	}
	axpyGeneric(alpha, x, y)
}

func dot32(x, y []float32) float32 {
	if useAVX2 {
		return sdotAVX2(x, y)
	}
	return dotGeneric(x, y)
}

func dot64(x, y []float64) float64 {
	if useAVX2 {
		return ddotAVX2(x, y)
	}
	return dotGeneric(x, y)
}

func scal32(alpha float32, x []float32) {
	if useAVX2 {
		sscalAVX2(alpha, x)
		return
	}
	scaleGeneric(alpha, x)
}

func scal64(alpha float64, x []float64) {
	if useAVX2 {
		dscalAVX2(alpha, x)
		return
	}
	scaleGeneric(alpha, x)
}

func gemv32(a []float32, lda int, x, y []float32, alpha, beta float32) {
	if useAVX2 {
		sgemvAVX2(a, lda, x, y, alpha, beta)
		return
	}
	gemvGeneric(a, lda, x, y, alpha, beta)
}

func gemv64(a []float64, lda int, x, y []float64, alpha, beta float64) {
	if useAVX2 {
		dgemvAVX2(a, lda, x, y, alpha, beta)
		return
	}
	gemvGeneric(a, lda, x, y, alpha, beta)
}

func gemvT32(a []float32, lda int, x, y []float32, alpha float32) {
	if useAVX2 {
		sgemvTAVX2(a, lda, x, y, alpha)
		return
	}
	gemvTGeneric(a, lda, x, y, alpha)
}

func gemvT64(a []float64, lda int, x, y []float64, alpha float64) {
	if useAVX2 {
		dgemvTAVX2(a, lda, x, y, alpha)
		return
	}
	gemvTGeneric(a, lda, x, y, alpha)
}

func ger32(a []float32, lda int, x, y []float32, alpha float32) {
	if useAVX2 {
		sgerAVX2(a, lda, x, y, alpha)
		return
	}
	gerGeneric(a, lda, x, y, alpha)
}

func ger64(a []float64, lda int, x, y []float64, alpha float64) {
	if useAVX2 {
		dgerAVX2(a, lda, x, y, alpha)
		return
	}
	gerGeneric(a, lda, x, y, alpha)
}

func sigmoid32(dst, x []float32) {
	if useAVX2 {
		ssigmoidAVX2(dst, x)
		return
	}
	sigmoidGeneric32(dst, x)
}

func sigmoid64(dst, x []float64) {
	if useAVX2 {
		dsigmoidAVX2(dst, x)
		return
	}
	sigmoidGeneric64(dst, x)
}

func relu32(dst, x []float32) {
	if useAVX2 {
		sreluAVX2(dst, x)
		return
	}
	reluGeneric(dst, x)
}

func relu64(dst, x []float64) {
	if useAVX2 {
		dreluAVX2(dst, x)
		return
	}
	reluGeneric(dst, x)
}

func sigmoidBackward32(dst, g, a []float32) {
	if useAVX2 {
		ssigmoidBackwardAVX2(dst, g, a)
		return
	}
	sigmoidBackwardGeneric(dst, g, a)
}

func sigmoidBackward64(dst, g, a []float64) {
	if useAVX2 {
		dsigmoidBackwardAVX2(dst, g, a)
		return
	}
	sigmoidBackwardGeneric(dst, g, a)
}

func reluBackward32(dst, g, a []float32) {
	if useAVX2 {
		sreluBackwardAVX2(dst, g, a)
		return
	}
	reluBackwardGeneric(dst, g, a)
}

func reluBackward64(dst, g, a []float64) {
	if useAVX2 {
		dreluBackwardAVX2(dst, g, a)
		return
	}
	reluBackwardGeneric(dst, g, a)
}

func denseBackward32(w []float32, ldw int, dw []float32, lddw int, delta, x, dx []float32) {
	if useAVX2 {
		sdenseBackwardAVX2(w, ldw, dw, lddw, delta, x, dx)
		return
	}
	denseBackwardGeneric(w, ldw, dw, lddw, delta, x, dx)
}

func denseBackward64(w []float64, ldw int, dw []float64, lddw int, delta, x, dx []float64) {
	if useAVX2 {
		ddenseBackwardAVX2(w, ldw, dw, lddw, delta, x, dx)
		return
	}
	denseBackwardGeneric(w, ldw, dw, lddw, delta, x, dx)
}

func denseBackwardSGD32(w []float32, ldw int, delta, x, dx []float32, alpha, decay float32) {
	if useAVX2 {
		sdenseBackwardSGDAVX2(w, ldw, delta, x, dx, alpha, decay)
		return
	}
	denseBackwardSGDGeneric(w, ldw, delta, x, dx, alpha, decay)
}

func denseBackwardSGD64(w []float64, ldw int, delta, x, dx []float64, alpha, decay float64) {
	if useAVX2 {
		ddenseBackwardSGDAVX2(w, ldw, delta, x, dx, alpha, decay)
		return
	}
	denseBackwardSGDGeneric(w, ldw, delta, x, dx, alpha, decay)
}
