package kernels

// Sgemv computes y = αAx + βy for a row-major m×n float32 matrix A with
// leading dimension lda, len(x) = n and len(y) = m.
//
// Each yᵢ is a dot product accumulated in float32, so
// |yᵢ − exact| ≤ (n+2)·ε·(|α|·Σⱼ|aᵢⱼ||xⱼ| + |β||yᵢ|).
func Sgemv(m, n int, alpha float32, a []float32, lda int, x []float32, beta float32, y []float32) {
	checkGemv("Sgemv", m, n, len(a), lda, len(x), len(y))
	gemv(m, n, alpha, a, lda, x, beta, y, gemv32)
}

// Dgemv computes y = αAx + βy for a row-major m×n float64 matrix; see Sgemv.
func Dgemv(m, n int, alpha float64, a []float64, lda int, x []float64, beta float64, y []float64) {
	checkGemv("Dgemv", m, n, len(a), lda, len(x), len(y))
	gemv(m, n, alpha, a, lda, x, beta, y, gemv64)
}

func checkGemv(fn string, m, n, lenA, lda, lenX, lenY int) {
	checkMatrix(fn, "a", m, n, lenA, lda)
	checkLen(fn, "x", lenX, "n", n)
	checkLen(fn, "y", lenY, "m", m)
}

// gemvKernel computes y = αAx + βy with m = len(y) and n = len(x) ≥ 1 for a
// matrix a of exactly (m-1)*lda+n elements. It reads y even when β = 0.
type gemvKernel[T float] func(a []T, lda int, x, y []T, alpha, beta T)

// gemv applies the BLAS rules and calls kernel on blocks of A.
func gemv[T float](m, n int, alpha T, a []T, lda int, x []T, beta T, y []T, kernel gemvKernel[T]) {
	if m == 0 || n == 0 {
		return
	}
	if beta == 0 {
		clear(y) // so NaN or Inf in y cannot reach the result through 0·y.
	}
	if alpha == 0 {
		scal(beta, y, scalKernel[T]())
		return
	}
	blocks[T](m, n, 1, func(r0, r1, c0, c1 int) {
		b := beta
		if c0 > 0 {
			b = 1 // later column blocks add to the partial sums.
		}
		kernel(a[r0*lda+c0:(r1-1)*lda+c1], lda, x[c0:c1], y[r0:r1], alpha, b)
	})
}

// blocks calls f for the blocks [r0, r1)×[c0, c1) that tile an m×n matrix,
// column block by column block, so that each call moves at most maxCallBytes:
// streams is how many times a call moves each element of the block (1 to
// read A, 2 to update it in place, 3 to read W and update dW). Rows are cut
// first; columns only when one row alone is longer than that.
func blocks[T float](m, n, streams int, f func(r0, r1, c0, c1 int)) {
	step := maxCallElems[T]() / streams
	cols := min(n, step)
	rows := max(1, step/cols)
	for c0 := 0; c0 < n; c0 += cols {
		c1 := min(n, c0+cols)
		for r0 := 0; r0 < m; r0 += rows {
			f(r0, min(m, r0+rows), c0, c1)
		}
	}
}
