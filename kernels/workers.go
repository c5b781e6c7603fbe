package kernels

import (
	"fmt"
	"sync"

	"github.com/simdnn/simdnn/internal/workers"
)

// Worker goroutines: Sgemm, Dgemm, the batch layer kernels, and Gemv and
// GemvT on a large A, cut a product into as many parts as there are
// workers, over the rows or the columns of the result and never over the
// sums, run one part on the calling goroutine and hand the others to a
// small pool of goroutines that wait for work between calls
// (internal/workers; package nn's optimizers share it). Every element of
// the result is computed by one part, with the operations it would see on
// one goroutine, so the result is the same bits for every number of
// workers.

// SetWorkers sets the number of goroutines a large Sgemm, Dgemm, Gemv,
// GemvT or batch layer kernel (and package nn's optimizer steps) runs on,
// the caller's included, and returns the previous setting; n = 0 restores
// the default, GOMAXPROCS at the time of each call. n = 1 runs everything
// on the calling goroutine and stops the pool's idle goroutines. The result
// of every kernel is the same bits for every n. SetWorkers may be called at
// any time, from any goroutine; calls already running keep the number they
// started with. It panics if n < 0.
func SetWorkers(n int) (previous int) {
	if n < 0 {
		panic(fmt.Sprintf("kernels: SetWorkers: n = %d, want n ≥ 0", n))
	}
	return workers.Set(n)
}

// Workers returns the number of goroutines a large kernel call runs on now:
// the SetWorkers setting, or GOMAXPROCS when it is 0.
func Workers() int { return workers.Count() }

// typedPool returns p32 for float32 and p64 for float64: the pools that keep
// a call's job, one per element type, so that a warm call allocates none.
func typedPool[T Float](p32, p64 *sync.Pool) *sync.Pool {
	if isFloat32[T]() {
		return p32
	}
	return p64
}
