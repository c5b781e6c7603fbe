package kernels_test

// Worker goroutines: a call cut into parts must give the bits it gives on
// one goroutine, for every number of workers, every operand form, both
// paths of Gemm, Gemv, GemvT and the batch layer kernels, and with several calls sharing
// the pool at once.

import (
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/simdnn/simdnn/internal/floattest"
	"github.com/simdnn/simdnn/kernels"
)

// workerCounts are the SetWorkers settings compared with 1: even, odd, and
// more than the machine has cores.
var workerCounts = []int{2, 3, 7}

// workerGemmShape is a product large enough for the parts it names: odd
// sizes, k beyond one block of the packed path, C with a leading dimension
// wider than n.
type workerGemmShape struct {
	tA, tB  kernels.Transpose
	m, n, k int
	what    string
}

var workerGemmShapes = []workerGemmShape{
	{kernels.NoTrans, kernels.NoTrans, 203, 67, 300, "packed, split over rows"},
	{kernels.NoTrans, kernels.NoTrans, 37, 419, 301, "packed, split over columns"},
	{kernels.NoTrans, kernels.NoTrans, 200, 419, 301, "packed, columns, m beyond one row block of A"},
	{kernels.Trans, kernels.NoTrans, 131, 77, 411, "packed Trans·NoTrans, rows"},
	{kernels.Trans, kernels.Trans, 45, 333, 257, "packed Trans·Trans, columns"},
	{kernels.NoTrans, kernels.Trans, 201, 131, 263, "packed NoTrans·Trans, rows"},
	{kernels.NoTrans, kernels.NoTrans, 95, 40, 500, "packed, rows, B read where stored"},
	{kernels.NoTrans, kernels.Trans, 61, 301, 257, "dot path, split over columns"},
	{kernels.NoTrans, kernels.Trans, 300, 11, 1001, "dot path, split over rows"},
}

// gemmOperands returns A, B and C for s, filled with rng's values, C with
// leading dimension n+3.
func gemmOperands[T floattest.Float](s workerGemmShape, seed uint64) (a []T, lda int, b []T, ldb int, c []T, ldc int) {
	rng := newRand(seed)
	lda, ldb, ldc = s.k, s.n, s.n+3
	if s.tA == kernels.Trans {
		lda = s.m
	}
	if s.tB == kernels.Trans {
		ldb = s.k
	}
	a, b, c = make([]T, s.m*s.k), make([]T, s.k*s.n), make([]T, s.m*ldc)
	fillUniform(rng, a)
	fillUniform(rng, b)
	fillUniform(rng, c)
	return a, lda, b, ldb, c, ldc
}

// firstDiff describes the first element where got and want differ in their
// bits, or returns "".
func firstDiff[T floattest.Float](got, want []T) string {
	for i := range want {
		if floattest.Bits(got[i]) != floattest.Bits(want[i]) {
			return fmt.Sprintf("element %d = %v, want %v", i, got[i], want[i])
		}
	}
	return ""
}

// TestWorkersGemm checks that Gemm gives the same bits on 1, 2, 3 and 7
// workers, and that the shapes are really cut into that many parts.
func TestWorkersGemm(t *testing.T) {
	defer kernels.SetWorkers(kernels.SetWorkers(0))
	runTypes(t, func(t *testing.T) { testWorkersGemm[float32](t) }, func(t *testing.T) { testWorkersGemm[float64](t) })
}

func testWorkersGemm[T floattest.Float](t *testing.T) {
	f := kernels.For[T]()
	for i, s := range workerGemmShapes {
		a, lda, b, ldb, c0, ldc := gemmOperands[T](s, uint64(i))
		for _, beta := range []T{0, 0.75} {
			kernels.SetWorkers(1)
			want := slices.Clone(c0)
			f.Gemm(s.tA, s.tB, s.m, s.n, s.k, 1.25, a, lda, b, ldb, beta, want, ldc)
			for _, w := range workerCounts {
				kernels.SetWorkers(w)
				if p := kernels.GemmParts[T](s.tA, s.tB, s.m, s.n, s.k); p != w {
					t.Fatalf("%s %v%v %d×%d×%d: %d parts at %d workers, want %d: the test does not test what it says", s.what, s.tA, s.tB, s.m, s.n, s.k, p, w, w)
				}
				got := slices.Clone(c0)
				f.Gemm(s.tA, s.tB, s.m, s.n, s.k, 1.25, a, lda, b, ldb, beta, got, ldc)
				if d := firstDiff(got, want); d != "" {
					t.Errorf("%s %v%v %d×%d×%d β=%v, %d workers: %s (1 worker)", s.what, s.tA, s.tB, s.m, s.n, s.k, beta, w, d)
				}
			}
		}
	}
}

// workerGemvShapes are matrix-vector products large enough to be cut into
// 7 parts: odd sizes, a leading dimension wider than n, and (for Gemv) more
// rows than one call of the kernel takes, so that the parts' calls must be
// cut where one goroutine's are.
var workerGemvShapes = []struct{ m, n, lda int }{{2003, 1001, 1003}, {1001, 2003, 2011}}

// TestWorkersGemv checks that Gemv and GemvT give the same bits on 1, 2, 3
// and 7 workers.
func TestWorkersGemv(t *testing.T) {
	defer kernels.SetWorkers(kernels.SetWorkers(0))
	runTypes(t, func(t *testing.T) { testWorkersGemv[float32](t) }, func(t *testing.T) { testWorkersGemv[float64](t) })
}

func testWorkersGemv[T floattest.Float](t *testing.T) {
	f := kernels.For[T]()
	rng := newRand(11)
	for _, s := range workerGemvShapes {
		a := make([]T, (s.m-1)*s.lda+s.n)
		fillUniform(rng, a)
		for _, trans := range []bool{false, true} {
			gemv, name, lenX, lenY := f.Gemv, "Gemv", s.n, s.m
			if trans {
				gemv, name, lenX, lenY = f.GemvT, "GemvT", s.m, s.n
			}
			x, y0 := make([]T, lenX), make([]T, lenY)
			fillUniform(rng, x)
			fillUniform(rng, y0)
			for _, beta := range []T{0, 0.75} {
				kernels.SetWorkers(1)
				want := slices.Clone(y0)
				gemv(s.m, s.n, 1.25, a, s.lda, x, beta, want)
				for _, w := range workerCounts {
					kernels.SetWorkers(w)
					if p := kernels.GemvParts(trans, s.m, s.n); p != w {
						t.Fatalf("%s %d×%d: %d parts at %d workers, want %d: the test does not test what it says", name, s.m, s.n, p, w, w)
					}
					got := slices.Clone(y0)
					gemv(s.m, s.n, 1.25, a, s.lda, x, beta, got)
					if d := firstDiff(got, want); d != "" {
						t.Errorf("%s %d×%d β=%v, %d workers: %s (1 worker)", name, s.m, s.n, beta, w, d)
					}
				}
			}
		}
	}
}

// TestGemvNoAllocs checks that a warm Gemv or GemvT cut into parts
// allocates nothing: its job comes from a pool.
func TestGemvNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's sync.Pool drops items on purpose")
	}
	defer kernels.SetWorkers(kernels.SetWorkers(2))
	s := workerGemvShapes[0]
	a, x, y := make([]float32, s.m*s.lda), make([]float32, max(s.m, s.n)), make([]float32, max(s.m, s.n))
	for _, trans := range []bool{false, true} {
		if p := kernels.GemvParts(trans, s.m, s.n); p != 2 {
			t.Fatalf("%d×%d (trans %v): %d parts at 2 workers, want 2", s.m, s.n, trans, p)
		}
	}
	if n := testing.AllocsPerRun(20, func() {
		kernels.Sgemv(s.m, s.n, 1, a, s.lda, x[:s.n], 0, y[:s.m])
		kernels.SgemvT(s.m, s.n, 1, a, s.lda, x[:s.m], 0, y[:s.n])
	}); n != 0 {
		t.Errorf("Sgemv and SgemvT %d×%d on 2 workers allocate %v times per call, want 0", s.m, s.n, n)
	}
}

// TestWorkersDenseBatch checks the batch layer kernels likewise, for every
// activation: the forward pass split over rows and over columns (its bias
// cut with them), the backward pass's dW, db, dX and δ.
func TestWorkersDenseBatch(t *testing.T) {
	defer kernels.SetWorkers(kernels.SetWorkers(0))
	runTypes(t, func(t *testing.T) { testWorkersDenseBatch[float32](t) }, func(t *testing.T) { testWorkersDenseBatch[float64](t) })
}

func testWorkersDenseBatch[T floattest.Float](t *testing.T) {
	f := kernels.For[T]()
	rng := newRand(7)
	mat := func(n int) []T { s := make([]T, n); fillUniform(rng, s); return s }
	for _, s := range [][3]int{{203, 67, 300}, {37, 419, 301}, {130, 10, 784}} {
		batch, m, n := s[0], s[1], s[2]
		w, x, b, g0 := mat(m*n), mat(batch*n), mat(m), mat(batch*m)
		for _, h := range kernels.Activations() {
			run := func(workers int) (out, g, dx, dw, db []T) {
				kernels.SetWorkers(workers)
				out = make([]T, batch*m)
				f.DenseForwardBatch(h, batch, m, n, w, n, x, n, b, out, m)
				g, dx, dw, db = slices.Clone(g0), make([]T, batch*n), make([]T, m*n), make([]T, m)
				f.DenseBackwardBatch(h, batch, m, n, w, n, out, m, g, m, x, n, dx, n, dw, n, db)
				return out, g, dx, dw, db
			}
			out1, g1, dx1, dw1, db1 := run(1)
			for _, workers := range workerCounts {
				out, g, dx, dw, db := run(workers)
				for _, r := range []struct {
					name      string
					got, want []T
				}{{"out", out, out1}, {"δ", g, g1}, {"dX", dx, dx1}, {"dW", dw, dw1}, {"db", db, db1}} {
					if d := firstDiff(r.got, r.want); d != "" {
						t.Errorf("%v batch %d, %d→%d, %d workers: %s %s (1 worker)", h, batch, n, m, workers, r.name, d)
					}
				}
			}
		}
	}
	kernels.SetWorkers(3)
	if p := kernels.GemmParts[T](kernels.NoTrans, kernels.Trans, 37, 419, 301); p != 3 {
		t.Fatalf("the forward pass of batch 37, 301→419 takes %d parts at 3 workers, want 3", p)
	}
}

// TestWorkersShared runs parallel Gemm calls from several goroutines at
// once, more than the pool has goroutines, while another goroutine changes
// the setting: parts that find no idle goroutine run on their caller, and
// every call still gives its one-worker bits.
func TestWorkersShared(t *testing.T) {
	defer kernels.SetWorkers(kernels.SetWorkers(1))
	s := workerGemmShapes[0]
	a, lda, b, ldb, c0, ldc := gemmOperands[float32](s, 1)
	want := slices.Clone(c0)
	kernels.Sgemm(s.tA, s.tB, s.m, s.n, s.k, 1, a, lda, b, ldb, 1, want, ldc)
	kernels.SetWorkers(3)
	var wg sync.WaitGroup
	errs := make([]string, 6)
	for g := range errs {
		wg.Go(func() {
			for range 4 {
				got := slices.Clone(c0)
				kernels.Sgemm(s.tA, s.tB, s.m, s.n, s.k, 1, a, lda, b, ldb, 1, got, ldc)
				if d := firstDiff(got, want); d != "" && errs[g] == "" {
					errs[g] = d
				}
			}
		})
	}
	wg.Go(func() {
		for _, n := range []int{2, 1, 7, 0, 3} {
			kernels.SetWorkers(n)
		}
	})
	wg.Wait()
	for g, e := range errs {
		if e != "" {
			t.Errorf("goroutine %d: %s", g, e)
		}
	}
}

// TestSetWorkers checks the setting and the pool as a kernel meets them: 0
// means GOMAXPROCS, the previous setting comes back, a call cut into parts
// starts goroutines within the setting and SetWorkers(1) empties the pool.
// (How many it starts depends on how fast the parts finish, since a
// goroutine done with one part may take the next: internal/workers tests
// the exact counts with parts that wait for each other.)
func TestSetWorkers(t *testing.T) {
	defer kernels.SetWorkers(kernels.SetWorkers(0))
	kernels.SetWorkers(1)
	kernels.SetWorkers(0)
	if got, want := kernels.Workers(), runtime.GOMAXPROCS(0); got != want {
		t.Errorf("Workers() = %d at setting 0, want GOMAXPROCS = %d", got, want)
	}
	kernels.SetWorkers(5)
	if got := kernels.SetWorkers(4); got != 5 {
		t.Errorf("SetWorkers returned %d, want the previous setting 5", got)
	}
	if got := kernels.Workers(); got != 4 {
		t.Errorf("Workers() = %d after SetWorkers(4)", got)
	}
	s := workerGemmShapes[0]
	if p := kernels.GemmParts[float32](s.tA, s.tB, s.m, s.n, s.k); p != 4 {
		t.Fatalf("%s %d×%d×%d takes %d parts at 4 workers, want 4", s.what, s.m, s.n, s.k, p)
	}
	a, lda, b, ldb, c, ldc := gemmOperands[float32](s, 1)
	kernels.Sgemm(s.tA, s.tB, s.m, s.n, s.k, 1, a, lda, b, ldb, 0, c, ldc)
	if got := kernels.PoolSize(); got < 1 || got > 3 {
		t.Errorf("pool has %d goroutines after a 4-part call at 4 workers, starting empty, want 1 to 3", got)
	}
	kernels.SetWorkers(1)
	if got := kernels.PoolSize(); got != 0 {
		t.Errorf("pool has %d goroutines after SetWorkers(1), want 0", got)
	}
	kernels.Sgemm(s.tA, s.tB, s.m, s.n, s.k, 1, a, lda, b, ldb, 0, c, ldc)
	if got := kernels.PoolSize(); got != 0 {
		t.Errorf("pool has %d goroutines after a call on 1 worker, want 0", got)
	}
}
