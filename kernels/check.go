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
	if lda < max(1, n) {
		panic(fmt.Sprintf("kernels: %s: ld%s = %d, want ≥ max(1, n) = %d", fn, a, lda, max(1, n)))
	}
	if m == 0 || n == 0 {
		return
	}
	// need = (m-1)*lda + n, computed without overflowing.
	if m-1 > (maxInt-n)/lda || lenA < (m-1)*lda+n {
		panic(fmt.Sprintf("kernels: %s: len(%s) = %d, want ≥ (m-1)·ld%s+n for m = %d, n = %d, ld%s = %d",
			fn, a, lenA, a, m, n, a, lda))
	}
}

const maxInt = int(^uint(0) >> 1)
