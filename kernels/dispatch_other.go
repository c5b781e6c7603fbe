//go:build !amd64 || !gc || purego

package kernels

// Without assembly every kernel is its pure-Go version.

func axpy32(alpha float32, x, y []float32)                        { axpyGeneric(alpha, x, y) }
func axpy64(alpha float64, x, y []float64)                        { axpyGeneric(alpha, x, y) }
func dot32(x, y []float32) float32                                { return dotGeneric(x, y) }
func dot64(x, y []float64) float64                                { return dotGeneric(x, y) }
func scal32(alpha float32, x []float32)                           { scaleGeneric(alpha, x) }
func scal64(alpha float64, x []float64)                           { scaleGeneric(alpha, x) }
func gemvT32(a []float32, lda int, x, y []float32, alpha float32) { gemvTGeneric(a, lda, x, y, alpha) }
func gemvT64(a []float64, lda int, x, y []float64, alpha float64) { gemvTGeneric(a, lda, x, y, alpha) }
func ger32(a []float32, lda int, x, y []float32, alpha float32)   { gerGeneric(a, lda, x, y, alpha) }
func ger64(a []float64, lda int, x, y []float64, alpha float64)   { gerGeneric(a, lda, x, y, alpha) }

func gemv32(a []float32, lda int, x, y []float32, alpha, beta float32) {
	gemvGeneric(a, lda, x, y, alpha, beta)
}

func gemv64(a []float64, lda int, x, y []float64, alpha, beta float64) {
	gemvGeneric(a, lda, x, y, alpha, beta)
}

func sigmoid32(dst, x []float32)            { sigmoidGeneric32(dst, x) }
func sigmoid64(dst, x []float64)            { sigmoidGeneric64(dst, x) }
func relu32(dst, x []float32)               { reluGeneric(dst, x) }
func relu64(dst, x []float64)               { reluGeneric(dst, x) }
func sigmoidBackward32(dst, g, a []float32) { sigmoidBackwardGeneric(dst, g, a) }
func sigmoidBackward64(dst, g, a []float64) { sigmoidBackwardGeneric(dst, g, a) }
func reluBackward32(dst, g, a []float32)    { reluBackwardGeneric(dst, g, a) }
func reluBackward64(dst, g, a []float64)    { reluBackwardGeneric(dst, g, a) }

func denseBackward32(w []float32, ldw int, dw []float32, lddw int, delta, x, dx []float32) {
	denseBackwardGeneric(w, ldw, dw, lddw, delta, x, dx)
}

func denseBackward64(w []float64, ldw int, dw []float64, lddw int, delta, x, dx []float64) {
	denseBackwardGeneric(w, ldw, dw, lddw, delta, x, dx)
}

func denseBackwardSGD32(w []float32, ldw int, delta, x, dx []float32, alpha, decay float32) {
	denseBackwardSGDGeneric(w, ldw, delta, x, dx, alpha, decay)
}

func denseBackwardSGD64(w []float64, ldw int, delta, x, dx []float64, alpha, decay float64) {
	denseBackwardSGDGeneric(w, ldw, delta, x, dx, alpha, decay)
}
