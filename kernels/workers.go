package kernels

import (
	"fmt"

	"github.com/simdnn/simdnn/internal/workers"
)

// Worker goroutines: Sgemm, Dgemm and the batch layer kernels cut a large
// product into as many parts as there are workers, over the rows or the
// columns of C and never over k, run one part on the calling goroutine and
// hand the others to a small pool of goroutines that wait for work between
// calls (internal/workers; package nn's optimizers share it). Every element
// of C is computed by one part, with the operations it would see on one
// goroutine, so the result is the same bits for every number of workers.

// SetWorkers sets the number of goroutines a large Sgemm, Dgemm or batch
// layer kernel (and package nn's optimizer steps) runs on, the caller's included, and returns the previous
// setting; n = 0 restores the default, GOMAXPROCS at the time of each call.
// n = 1 runs everything on the calling goroutine and stops the pool's idle
// goroutines. The result of every kernel is the same bits for every n.
// SetWorkers may be called at any time, from any goroutine; calls already
// running keep the number they started with. It panics if n < 0.
func SetWorkers(n int) (previous int) {
	if n < 0 {
		panic(fmt.Sprintf("kernels: SetWorkers: n = %d, want n ≥ 0", n))
	}
	return workers.Set(n)
}

// Workers returns the number of goroutines a large kernel call runs on now:
// the SetWorkers setting, or GOMAXPROCS when it is 0.
func Workers() int { return workers.Count() }
