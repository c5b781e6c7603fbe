package kernels

// Sgemv computes y = αAx + βy for a row-major m×n float32 matrix A with
// leading dimension lda, len(x) = n and len(y) = m.
//
// Each yᵢ is a dot product accumulated in float32, so
// |yᵢ − exact| ≤ (n+2)·ε·(|α|·Σⱼ|aᵢⱼ||xⱼ| + |β||yᵢ|).
//
// An A of more than 2·64³ elements is cut over its rows and the parts run
// on up to Workers goroutines (see SetWorkers), with the same bits for
// every count. Because of that the compiler moves a, x and y to the heap
// where a caller declared them on its stack; a warm call allocates nothing.
func Sgemv(m, n int, alpha float32, a []float32, lda int, x []float32, beta float32, y []float32) {
	checkGemv("Sgemv", m, n, len(a), lda, len(x), len(y))
	gemv(m, n, alpha, a, lda, x, beta, y)
}

// Dgemv computes y = αAx + βy for a row-major m×n float64 matrix; see Sgemv.
func Dgemv(m, n int, alpha float64, a []float64, lda int, x []float64, beta float64, y []float64) {
	checkGemv("Dgemv", m, n, len(a), lda, len(x), len(y))
	gemv(m, n, alpha, a, lda, x, beta, y)
}

func checkGemv(fn string, m, n, lenA, lda, lenX, lenY int) {
	checkMatrix(fn, "a", m, n, lenA, lda)
	checkLen(fn, "x", lenX, "n", n)
	checkLen(fn, "y", lenY, "m", m)
}

// gemv computes the product on the calling goroutine or, when A is large,
// in parts on the workers.
func gemv[T Float](m, n int, alpha T, a []T, lda int, x []T, beta T, y []T) {
	if parts := gemvParts(m, n, m, gemvRowUnit); parts > 1 && alpha != 0 {
		gemvParallel(false, parts, m, n, alpha, a, lda, x, beta, y)
		return
	}
	gemvSerial(m, n, alpha, a, lda, x, beta, y)
}

// gemvSerial applies the BLAS rules and calls the kernel on blocks of A,
// whole multiples of gemvRowUnit rows but for the last, on the calling
// goroutine. Each call reads its block of A and x and reads and writes y.
func gemvSerial[T Float](m, n int, alpha T, a []T, lda int, x []T, beta T, y []T) {
	if m == 0 || n == 0 {
		return
	}
	if beta == 0 {
		clear(y) // so NaN or Inf in y cannot reach the result through 0·y.
	}
	if alpha == 0 {
		scal(beta, y)
		return
	}
	blocks[T](m, n, 1, 2, 1, gemvRowUnit, func(r0, r1, c0, c1 int) {
		b := beta
		if c0 > 0 {
			b = 1 // later column blocks add to the partial sums.
		}
		observeCall[T]((r1-r0)*(c1-c0) + (c1 - c0) + 2*(r1-r0))
		gemvKernel(a[r0*lda+c0:(r1-1)*lda+c1], lda, x[c0:c1], y[r0:r1], alpha, b)
	})
}
