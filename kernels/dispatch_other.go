//go:build !amd64 || !gc || purego

package kernels

// Without assembly every kernel is its pure-Go version.

// axpyKernel: y += αx.
func axpyKernel[T Float](alpha T, x, y []T) {
	axpyGo(alpha, x, y)
}

// dotKernel: xᵀy.
func dotKernel[T Float](x, y []T) T {
	return dotGo(x, y)
}

// scalKernel: x = αx.
func scalKernel[T Float](alpha T, x []T) {
	scalGo(alpha, x)
}

// gemvKernel: y = αAx + βy.
func gemvKernel[T Float](a []T, lda int, x, y []T, alpha, beta T) {
	gemvGo(a, lda, x, y, alpha, beta)
}

// gemvTKernel: y += αAᵀx.
func gemvTKernel[T Float](a []T, lda int, x, y []T, alpha T) {
	gemvTGo(a, lda, x, y, alpha)
}

// gerKernel: A += αxyᵀ.
func gerKernel[T Float](a []T, lda int, x, y []T, alpha T) {
	gerGo(a, lda, x, y, alpha)
}

// sigmoidKernel: dst = σ(x).
func sigmoidKernel[T Float](dst, x []T) {
	if isFloat32[T]() {
		ssigmoidGo(f32s(dst), f32s(x))
		return
	}
	dsigmoidGo(f64s(dst), f64s(x))
}

// tanhKernel: dst = tanh(x).
func tanhKernel[T Float](dst, x []T) {
	if isFloat32[T]() {
		stanhGo(f32s(dst), f32s(x))
		return
	}
	dtanhGo(f64s(dst), f64s(x))
}

// reluKernel: dst = max(x, 0).
func reluKernel[T Float](dst, x []T) {
	reluGo(dst, x)
}

// sigmoidBackwardKernel: dst = g·a·(1−a).
func sigmoidBackwardKernel[T Float](dst, g, a []T) {
	sigmoidBackwardGo(dst, g, a)
}

// tanhBackwardKernel: dst = g·(1−a)·(1+a).
func tanhBackwardKernel[T Float](dst, g, a []T) {
	tanhBackwardGo(dst, g, a)
}

// reluBackwardKernel: dst = g·[a > 0].
func reluBackwardKernel[T Float](dst, g, a []T) {
	reluBackwardGo(dst, g, a)
}

// adamKernel: one step of Adam's rule.
func adamKernel[T Float](coef, w, g, m, v []T) {
	adamGo(coef, w, g, m, v)
}

// denseBackwardKernel: dx += Wᵀδ, dW += δxᵀ.
func denseBackwardKernel[T Float](w []T, ldw int, dw []T, lddw int, delta, x, dx []T) {
	denseBackwardGo(w, ldw, dw, lddw, delta, x, dx)
}

// denseBackwardSGDKernel: dx += Wᵀδ, then W ← decay·W + αδxᵀ.
func denseBackwardSGDKernel[T Float](w []T, ldw int, delta, x, dx []T, alpha, decay T) {
	denseBackwardSGDGo(w, ldw, delta, x, dx, alpha, decay)
}

// gemmKernel: C[:mr, :nr] = α·Σₗ a[l]ᵀ·b[l] + β·C[:mr, :nr] for packed panels.
func gemmKernel[T Float](k int, a []T, lda int, b []T, ldb int, c []T, ldc, mr, nr int, alpha, beta T) {
	if isFloat32[T]() {
		sgemmGo(k, f32s(a), lda, f32s(b), ldb, f32s(c), ldc, mr, nr, float32(alpha), float32(beta))
		return
	}
	dgemmGo(k, f64s(a), lda, f64s(b), ldb, f64s(c), ldc, mr, nr, float64(alpha), float64(beta))
}

// gemmTile returns the tile of the GEMM micro-kernel for T: the pure-Go one's.
func gemmTile[T Float]() (mr, nr int) { return gemmTileGo[T]() }

// transpose8Kernel: eight rows of src transposed into k rows of dst.
func transpose8Kernel[T Float](k int, src []T, lds int, dst []T, ldd int) {
	transpose8Go(k, src, lds, dst, ldd)
}

// gemmdotKernel: C[:m, :n] = α·A·Bᵀ + β·C[:m, :n], dot products of rows.
func gemmdotKernel[T Float](k int, a []T, lda int, b []T, ldb int, c []T, ldc, m, n int, alpha, beta T) {
	if isFloat32[T]() {
		sgemmdotGo(k, f32s(a), lda, f32s(b), ldb, f32s(c), ldc, m, n, float32(alpha), float32(beta))
		return
	}
	dgemmdotGo(k, f64s(a), lda, f64s(b), ldb, f64s(c), ldc, m, n, float64(alpha), float64(beta))
}
