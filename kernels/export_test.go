package kernels

import "github.com/simdnn/simdnn/internal/workers"

// MaxCallBytes lets the tests size their inputs so that the Go wrappers'
// chunking (at most maxCallBytes per assembly call) is crossed.
const MaxCallBytes = maxCallBytes

// ObserveCalls makes the wrappers report the traffic in bytes of every call
// they hand to a kernel to f, until the returned function is called. Not
// safe while kernels run in other goroutines.
func ObserveCalls(f func(bytes int)) (restore func()) {
	callObserver = f
	return func() { callObserver = nil }
}

// GemmTile returns the tile of the GEMM micro-kernel of the implementation
// in use, mr rows by nr columns, which the sweeps place sizes around.
func GemmTile[T Float]() (mr, nr int) { return gemmTile[T]() }

// GemmParts returns the number of parts Gemm of T cuts an m×n×k product
// into at the current Workers setting, so that a test knows its call ran on
// several goroutines.
func GemmParts[T Float](tA, tB Transpose, m, n, k int) int {
	parts, _, _ := gemmSplit[T](gemmDotPath(tA, tB, m, n, k), m, n, k)
	return parts
}

// GemvParts returns the number of parts Gemv (trans = false) or GemvT cuts
// an m×n product into at the current Workers setting.
func GemvParts(trans bool, m, n int) int {
	if trans {
		return gemvParts(m, n, n, gemvTColUnit)
	}
	return gemvParts(m, n, m, gemvRowUnit)
}

// PoolSize returns the number of goroutines in the worker pool.
func PoolSize() int { return workers.Size() }
