//go:build !amd64 || !gc || purego

package kernels

// Without assembly every kernel is its pure-Go version.

// axpyKernel: y += αx.
func axpyKernel[T Float](alpha T, x, y []T) {
	axpyGeneric(alpha, x, y)
}

// dotKernel: xᵀy.
func dotKernel[T Float](x, y []T) T {
	return dotGeneric(x, y)
}

// scalKernel: x = αx.
func scalKernel[T Float](alpha T, x []T) {
	scalGeneric(alpha, x)
}

// gemvKernel: y = αAx + βy.
func gemvKernel[T Float](a []T, lda int, x, y []T, alpha, beta T) {
	gemvGeneric(a, lda, x, y, alpha, beta)
}

// gemvTKernel: y += αAᵀx.
func gemvTKernel[T Float](a []T, lda int, x, y []T, alpha T) {
	gemvTGeneric(a, lda, x, y, alpha)
}

// gerKernel: A += αxyᵀ.
func gerKernel[T Float](a []T, lda int, x, y []T, alpha T) {
	gerGeneric(a, lda, x, y, alpha)
}

// sigmoidKernel: dst = σ(x).
func sigmoidKernel[T Float](dst, x []T) {
	if isFloat32[T]() {
		sigmoidGeneric32(f32s(dst), f32s(x))
		return
	}
	sigmoidGeneric64(f64s(dst), f64s(x))
}

// reluKernel: dst = max(x, 0).
func reluKernel[T Float](dst, x []T) {
	reluGeneric(dst, x)
}

// sigmoidBackwardKernel: dst = g·a·(1−a).
func sigmoidBackwardKernel[T Float](dst, g, a []T) {
	sigmoidBackwardGeneric(dst, g, a)
}

// reluBackwardKernel: dst = g·[a > 0].
func reluBackwardKernel[T Float](dst, g, a []T) {
	reluBackwardGeneric(dst, g, a)
}

// denseBackwardKernel: dx += Wᵀδ, dW += δxᵀ.
func denseBackwardKernel[T Float](w []T, ldw int, dw []T, lddw int, delta, x, dx []T) {
	denseBackwardGeneric(w, ldw, dw, lddw, delta, x, dx)
}

// denseBackwardSGDKernel: dx += Wᵀδ, then W += αδxᵀ.
func denseBackwardSGDKernel[T Float](w []T, ldw int, delta, x, dx []T, alpha T) {
	denseBackwardSGDGeneric(w, ldw, delta, x, dx, alpha)
}
