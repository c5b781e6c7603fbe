package kernels

// SgemvT computes y = αAᵀx + βy for a row-major m×n float32 matrix A with
// leading dimension lda, len(x) = m and len(y) = n. This is the product with
// the transpose that backpropagation needs (dL/dx = Wᵀδ), computed without
// forming Aᵀ.
//
// Each yⱼ is a sum of m products accumulated in float32, so
// |yⱼ − exact| ≤ (m+2)·ε·(|α|·Σᵢ|aᵢⱼ||xᵢ| + |β||yⱼ|).
//
// An A of more than 2·64³ elements is cut over its columns and the parts
// run on up to Workers goroutines, as for Sgemv.
func SgemvT(m, n int, alpha float32, a []float32, lda int, x []float32, beta float32, y []float32) {
	checkGemvT("SgemvT", m, n, len(a), lda, len(x), len(y))
	gemvT(m, n, alpha, a, lda, x, beta, y)
}

// DgemvT computes y = αAᵀx + βy for a row-major m×n float64 matrix; see
// SgemvT.
func DgemvT(m, n int, alpha float64, a []float64, lda int, x []float64, beta float64, y []float64) {
	checkGemvT("DgemvT", m, n, len(a), lda, len(x), len(y))
	gemvT(m, n, alpha, a, lda, x, beta, y)
}

func checkGemvT(fn string, m, n, lenA, lda, lenX, lenY int) {
	checkMatrix(fn, "a", m, n, lenA, lda)
	checkLen(fn, "x", lenX, "m", m)
	checkLen(fn, "y", lenY, "n", n)
}

// gemvT computes the product on the calling goroutine or, when A is large,
// in parts on the workers.
func gemvT[T Float](m, n int, alpha T, a []T, lda int, x []T, beta T, y []T) {
	if parts := gemvParts(m, n, n, gemvTColUnit); parts > 1 && alpha != 0 {
		gemvParallel(true, parts, m, n, alpha, a, lda, x, beta, y)
		return
	}
	gemvTSerial(m, n, alpha, a, lda, x, beta, y)
}

// gemvTSerial applies β to y once, then accumulates αAᵀx block by block of
// A, whole multiples of gemvRowUnit rows but for the last, on the calling
// goroutine. Each call reads its block of A and x and reads and writes y.
func gemvTSerial[T Float](m, n int, alpha T, a []T, lda int, x []T, beta T, y []T) {
	if m == 0 || n == 0 {
		return
	}
	scal(beta, y)
	if alpha == 0 {
		return
	}
	blocks[T](m, n, 1, 1, 2, gemvRowUnit, func(r0, r1, c0, c1 int) {
		observeCall[T]((r1-r0)*(c1-c0) + (r1 - r0) + 2*(c1-c0))
		gemvTKernel(a[r0*lda+c0:(r1-1)*lda+c1], lda, x[r0:r1], y[c0:c1], alpha)
	})
}
