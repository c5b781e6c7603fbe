package kernels

import "fmt"

// checkSize panics unless size ≥ 0.
func checkSize(fn, name string, size int) {
	if size < 0 {
		panic(fmt.Sprintf("kernels: %s: %s = %d, want ≥ 0", fn, name, size))
	}
}

// checkLen panics unless a vector argument has exactly the length its size
// says, e.g. "kernels: Sgemv: len(x) = 7, want n = 8".
func checkLen(fn, vec string, got int, size string, want int) {
	if got != want {
		panic(fmt.Sprintf("kernels: %s: len(%s) = %d, want %s = %d", fn, vec, got, size, want))
	}
}

// checkMatrix panics unless the argument called a, of length lenA and with
// leading dimension lda (named "ld" + a in messages), holds a row-major m×n
// matrix.
func checkMatrix(fn, a string, m, n, lenA, lda int) {
	checkSize(fn, "m", m)
	checkSize(fn, "n", n)
	checkMatrixOf(fn, a, "m", "n", m, n, lenA, lda)
}

// checkMatrixOf is checkMatrix for sizes already known to be ≥ 0 and named
// rowName and colName in messages: GEMM's A is m×k or k×m, its B k×n or n×k.
func checkMatrixOf(fn, a, rowName, colName string, rows, cols, lenA, lda int) {
	if lda < max(1, cols) {
		panic(fmt.Sprintf("kernels: %s: ld%s = %d, want ≥ max(1, %s) = %d", fn, a, lda, colName, max(1, cols)))
	}
	if rows == 0 || cols == 0 {
		return
	}
	// need = (rows-1)*lda + cols, computed without overflowing.
	if rows-1 > (maxInt-cols)/lda || lenA < (rows-1)*lda+cols {
		panic(fmt.Sprintf("kernels: %s: len(%s) = %d, want ≥ (%s-1)·ld%s+%s for %s = %d, %s = %d, ld%s = %d",
			fn, a, lenA, rowName, a, colName, rowName, rows, colName, cols, a, lda))
	}
}

const maxInt = int(^uint(0) >> 1)

// checkActivation panics unless h is one of the activations.
func checkActivation(fn string, h Activation) {
	if h < Identity || h > Tanh {
		panic(fmt.Sprintf("kernels: %s: unknown activation %v", fn, h))
	}
}
