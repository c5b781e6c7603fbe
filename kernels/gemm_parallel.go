package kernels

import (
	"sync"

	"github.com/simdnn/simdnn/internal/workers"
)

// GEMM on several goroutines (see workers.go): C is cut into parts of whole
// micro-kernel tiles (the dot path: whole row blocks, or 16 columns) along
// one dimension, each part a smaller product of the same k, computed on the
// path gemm chose for the whole shape. The packed path copies op(B) into
// panels for every row of C a part has, and op(A) for every column: a
// split over rows makes every part pack all of op(B) (n·k elements) and a
// split over columns all of op(A) (m·k), so gemm splits the longer side and
// repeats the cheaper copy.

// gemmPartWork is the fewest multiply-adds a part is given: about 10 µs of
// one core's work. Measured (BenchmarkGemmWorkers, Intel Xeon): 128³, the
// smallest square benchmarked that 2 workers split, ran 1.55× faster on
// them.
const gemmPartWork = 64 * 64 * 64

// gemmDotSplitCols is the unit of a column split on the dot path.
const gemmDotSplitCols = 16

// gemmSplit returns how gemm cuts an m×n×k product: into parts along the
// rows of C (rows) or its columns, at multiples of unit; parts = 1 runs it
// whole on the calling goroutine.
func gemmSplit[T Float](dot bool, m, n, k int) (parts int, rows bool, unit int) {
	rows = m >= n
	switch {
	case dot && rows:
		unit = gemmDotBlockRows
	case dot:
		unit = gemmDotSplitCols
	case rows:
		unit, _ = gemmTile[T]()
	default:
		_, unit = gemmTile[T]()
	}
	dim := n
	if rows {
		dim = m
	}
	parts = min(Workers(), (dim+unit-1)/unit, m*n*k/gemmPartWork)
	return max(1, parts), rows, unit
}

// gemmJob is one Gemm call cut into parts.
type gemmJob[T Float] struct {
	dot, rows     bool
	unit, parts   int
	tA, tB        Transpose
	m, n, k       int
	alpha, beta   T
	a, b, c       []T
	lda, ldb, ldc int
	fused         bool
	f             gemmFused[T]
	done          chan struct{} // the parts' completions: room for parts-1
}

var (
	gemmJobs32 = sync.Pool{New: func() any { return new(gemmJob[float32]) }}
	gemmJobs64 = sync.Pool{New: func() any { return new(gemmJob[float64]) }}
)

// gemmParallel runs gemm's product in parts on the worker pool.
func gemmParallel[T Float](dot, rows bool, unit, parts int, tA, tB Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, f *gemmFused[T]) {
	jobs := typedPool[T](&gemmJobs32, &gemmJobs64)
	j := jobs.Get().(*gemmJob[T])
	j.dot, j.rows, j.unit, j.parts = dot, rows, unit, parts
	j.tA, j.tB, j.m, j.n, j.k = tA, tB, m, n, k
	j.alpha, j.beta = alpha, beta
	j.a, j.b, j.c = a, b, c
	j.lda, j.ldb, j.ldc = lda, ldb, ldc
	j.fused = f != nil
	if f != nil {
		j.f = *f
	}
	if cap(j.done) < parts-1 {
		j.done = make(chan struct{}, parts-1)
	}
	workers.Run(j, parts, j.done)
	*j = gemmJob[T]{done: j.done} // the pool keeps none of the caller's matrices alive
	jobs.Put(j)
}

// RunPart computes part p of the product: its rows or columns of C.
func (j *gemmJob[T]) RunPart(p int) {
	dim := j.n
	if j.rows {
		dim = j.m
	}
	lo, hi := workers.Split(dim, j.unit, j.parts, p)
	if lo == hi {
		return
	}
	m, n, a, b, c := j.m, j.n, j.a, j.b, j.c
	f := j.f
	if j.rows {
		m = hi - lo
		a = a[lo*ldaRow(j.tA, j.lda):]
		c = c[lo*j.ldc:]
	} else {
		n = hi - lo
		b = b[lo*ldbCol(j.tB, j.ldb):]
		c = c[lo:]
		if j.fused {
			f.bias = f.bias[lo:hi]
		}
	}
	var fp *gemmFused[T]
	if j.fused {
		fp = &f
	}
	gemmPart(j.dot, j.tA, j.tB, m, n, j.k, j.alpha, a, j.lda, b, j.ldb, j.beta, c, j.ldc, fp)
}
