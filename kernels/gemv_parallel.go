package kernels

import (
	"sync"

	"github.com/simdnn/simdnn/internal/workers"
)

// Matrix-vector products on several goroutines (see workers.go). Gemv cuts
// y, and so the rows of A, at multiples of gemvRowUnit; GemvT cuts y, and so
// the columns of A, at multiples of gemvTColUnit. Neither cuts the sum of a
// dot product, and both cut their calls to the kernels at multiples of
// gemvRowUnit rows, the largest block of rows the kernels handle together,
// whatever the number of columns: every yᵢ is then computed from the same
// blocks of rows, in the same order, as on one goroutine, so the bits are
// the same on any number of workers. Like GEMM, a part is at least
// gemmPartWork multiply-adds, so only an A beyond a core's L2 (2 MiB of
// float32) is cut.

// gemvRowUnit is the unit of Gemv's split over rows and of both products'
// calls: the assembly's largest row block, a multiple of the pure Go's.
const gemvRowUnit = 8

// gemvTColUnit is the unit of GemvT's split over columns: 64 elements, so
// that no two parts write one cache line of y.
const gemvTColUnit = 64

// gemvParts returns how many parts an m×n matrix-vector product is cut into
// along dim (m or n) in multiples of unit; 1 runs it on the calling goroutine.
func gemvParts(m, n, dim, unit int) int {
	return max(1, min(Workers(), (dim+unit-1)/unit, m*n/gemmPartWork))
}

// gemvJob is one Gemv (trans = false) or GemvT call cut into parts.
type gemvJob[T Float] struct {
	trans       bool
	parts       int
	m, n        int
	alpha, beta T
	a, x, y     []T
	lda         int
	done        chan struct{} // the parts' completions: room for parts-1
}

var (
	gemvJobs32 = sync.Pool{New: func() any { return new(gemvJob[float32]) }}
	gemvJobs64 = sync.Pool{New: func() any { return new(gemvJob[float64]) }}
)

// gemvParallel runs gemv's (trans = false) or gemvT's product in parts on
// the worker pool.
func gemvParallel[T Float](trans bool, parts, m, n int, alpha T, a []T, lda int, x []T, beta T, y []T) {
	jobs := typedPool[T](&gemvJobs32, &gemvJobs64)
	j := jobs.Get().(*gemvJob[T])
	j.trans, j.parts, j.m, j.n = trans, parts, m, n
	j.alpha, j.beta, j.a, j.x, j.y, j.lda = alpha, beta, a, x, y, lda
	if cap(j.done) < parts-1 {
		j.done = make(chan struct{}, parts-1)
	}
	workers.Run(j, parts, j.done)
	*j = gemvJob[T]{done: j.done} // the pool keeps none of the caller's vectors alive
	jobs.Put(j)
}

// RunPart computes part p of the product: its rows (Gemv) or columns
// (GemvT) of A, and their elements of y.
func (j *gemvJob[T]) RunPart(p int) {
	if j.trans {
		lo, hi := workers.Split(j.n, gemvTColUnit, j.parts, p)
		if lo < hi {
			gemvTSerial(j.m, hi-lo, j.alpha, j.a[lo:], j.lda, j.x, j.beta, j.y[lo:hi])
		}
		return
	}
	lo, hi := workers.Split(j.m, gemvRowUnit, j.parts, p)
	if lo < hi {
		gemvSerial(hi-lo, j.n, j.alpha, j.a[lo*j.lda:], j.lda, j.x, j.beta, j.y[lo:hi])
	}
}
