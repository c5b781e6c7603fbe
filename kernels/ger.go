package kernels

// Sger computes the rank-1 update A += αxyᵀ for a row-major m×n float32
// matrix A with leading dimension lda, len(x) = m and len(y) = n: the weight
// gradient δxᵀ of a layer, or with α = −lr its gradient-descent step.
//
// Each element is rounded at most three times:
// |aᵢⱼ − exact| ≤ 3ε(|α||xᵢ||yⱼ| + |aᵢⱼ|).
func Sger(m, n int, alpha float32, x, y []float32, a []float32, lda int) {
	checkGer("Sger", m, n, len(x), len(y), len(a), lda)
	ger(m, n, alpha, x, y, a, lda)
}

// Dger computes A += αxyᵀ for a row-major m×n float64 matrix; see Sger.
func Dger(m, n int, alpha float64, x, y []float64, a []float64, lda int) {
	checkGer("Dger", m, n, len(x), len(y), len(a), lda)
	ger(m, n, alpha, x, y, a, lda)
}

func checkGer(fn string, m, n, lenX, lenY, lenA, lda int) {
	checkMatrix(fn, "a", m, n, lenA, lda)
	checkLen(fn, "x", lenX, "m", m)
	checkLen(fn, "y", lenY, "n", n)
}

// ger applies the update block by block of A. Each call reads its block of
// x and y and reads and writes A.
func ger[T Float](m, n int, alpha T, x, y []T, a []T, lda int) {
	if m == 0 || n == 0 || alpha == 0 {
		return
	}
	blocks[T](m, n, 2, 1, 1, 1, func(r0, r1, c0, c1 int) {
		observeCall[T](2*(r1-r0)*(c1-c0) + (r1 - r0) + (c1 - c0))
		gerKernel(a[r0*lda+c0:(r1-1)*lda+c1], lda, x[r0:r1], y[c0:c1], alpha)
	})
}
