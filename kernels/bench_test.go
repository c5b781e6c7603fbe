// Benchmarks of every kernel, per element type, implementation and shape.
//
// Sub-benchmarks are named key=value so that benchstat can group them:
//
//	BenchmarkGemv/type=f32/shape=256x256/impl=avx2
//	BenchmarkAxpy/type=f64/n=65536/impl=go
//
// type is f32 or f64; impl comes from impltest.BenchAll (each implementation
// this CPU can run, then "go", the pure-Go fallback); shape is m×n of the
// row-major matrix, n the length of the vectors. Each reports sec/op, B/s,
// GFLOP/s and allocs/op. B/s counts the compulsory memory traffic of one call
// (STREAM's convention): every element the kernel reads, once, plus every
// element it writes, once more; GFLOP/s counts 2mn flops for Gemv, GemvT and
// Ger and 2n for Axpy and Dot.
//
// To compare the implementations, from the module root (benchstat wants at
// least 6 runs for a confidence interval, 10 is better):
//
//	go test -run '^$' -bench . -count 10 ./kernels/ | tee bench.txt
//	benchstat -col '/impl@(go avx2)' bench.txt
//
// and for the README table, throughput only, one table per kernel and type:
//
//	benchstat -table .name,/type -row /shape,/n -col '/impl@(go avx2)' -filter '.unit:GFLOP/s' bench.txt
//
// -bench takes one regular expression per name level: 'Gemv' runs Gemv and
// GemvT, '^BenchmarkGemv$' Gemv only, 'Gemv/type=f32' one type,
// 'Gemv/type=f32/shape=256x256' one shape, 'Gemv///impl=go' one
// implementation. On CPUs without AVX2 and FMA, and with -tags purego, only
// impl=go runs. Install benchstat with
// `go install golang.org/x/perf/cmd/benchstat@latest`.

package kernels_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/simdnn/simdnn/internal/benchshape"
	"github.com/simdnn/simdnn/internal/impltest"
	"github.com/simdnn/simdnn/kernels"
)

// benchSink keeps the results of Dot alive.
var benchSink float64

// benchTypes runs f for float32 and float64 as sub-benchmarks type=f32 and
// type=f64.
func benchTypes(b *testing.B, f32 func(b *testing.B), f64 func(b *testing.B)) {
	b.Run(benchshape.TypeKey[float32](), f32)
	b.Run(benchshape.TypeKey[float64](), f64)
}

// benchImpls runs f as the sub-benchmark name, once per implementation
// (impl=NAME, the last level of every benchmark name, so that benchstat -col
// /impl compares them).
func benchImpls(b *testing.B, name string, f func(b *testing.B)) {
	b.Run(name, func(b *testing.B) { impltest.BenchAll(b, "kernels", f) })
}

// benchReport reports GFLOP/s for a loop of b.N calls of flops floating-point
// operations each; call it after b.Loop has returned false.
func benchReport(b *testing.B, flops int) {
	b.ReportMetric(float64(flops)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// gemvFunc is the signature Sgemv, Dgemv, SgemvT and DgemvT share.
type gemvFunc[T benchshape.Float] func(m, n int, alpha T, a []T, lda int, x []T, beta T, y []T)

// BenchmarkGemv measures y = αAx + βy: 2mn flops; it reads A, x and y and
// writes y. It runs on one goroutine (SetWorkers(1)); BenchmarkGemvWorkers
// compares worker counts.
func BenchmarkGemv(b *testing.B) {
	defer kernels.SetWorkers(kernels.SetWorkers(1))
	benchTypes(b,
		func(b *testing.B) { benchImplsGemv(b, kernels.Sgemv, false) },
		func(b *testing.B) { benchImplsGemv(b, kernels.Dgemv, false) })
}

// BenchmarkGemvT measures y = αAᵀx + βy: 2mn flops; it reads A, x and y and
// writes y. Like BenchmarkGemv it runs on one goroutine.
func BenchmarkGemvT(b *testing.B) {
	defer kernels.SetWorkers(kernels.SetWorkers(1))
	benchTypes(b,
		func(b *testing.B) { benchImplsGemv(b, kernels.SgemvT, true) },
		func(b *testing.B) { benchImplsGemv(b, kernels.DgemvT, true) })
}

// BenchmarkGemvWorkers measures Sgemv and SgemvT as BenchmarkGemv does, with
// the default implementation, on 1 worker and on every count up to
// GOMAXPROCS: BenchmarkGemvWorkers/op=GemvT/shape=4096x4096/workers=2.
// Compare with `benchstat -col /workers`.
func BenchmarkGemvWorkers(b *testing.B) {
	defer kernels.SetWorkers(kernels.SetWorkers(0))
	for _, op := range []struct {
		name  string
		gemv  gemvFunc[float32]
		trans bool
	}{{"Gemv", kernels.Sgemv, false}, {"GemvT", kernels.SgemvT, true}} {
		b.Run("op="+op.name, func(b *testing.B) {
			for _, s := range benchshape.Gemv {
				b.Run(s.String(), func(b *testing.B) {
					for w := 1; w <= runtime.GOMAXPROCS(0); w++ {
						kernels.SetWorkers(w)
						b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) { benchGemv(b, op.gemv, op.trans, s) })
					}
				})
			}
		})
	}
}

// benchImplsGemv runs benchGemv on every shape and implementation.
func benchImplsGemv[T benchshape.Float](b *testing.B, gemv gemvFunc[T], trans bool) {
	for _, s := range benchshape.Gemv {
		benchImpls(b, s.String(), func(b *testing.B) { benchGemv(b, gemv, trans, s) })
	}
}

// benchGemv measures gemv (the transposed product if trans) on s.
func benchGemv[T benchshape.Float](b *testing.B, gemv gemvFunc[T], trans bool, s benchshape.Shape) {
	m, n := s.M, s.N
	lenX, lenY := n, m
	if trans {
		lenX, lenY = m, n
	}
	a := benchshape.Rand[T](m*n, 1)
	x := benchshape.Rand[T](lenX, 2)
	y := benchshape.Rand[T](lenY, 3)
	b.SetBytes(int64(benchshape.Size[T]() * (m*n + lenX + 2*lenY)))
	b.ReportAllocs()
	for b.Loop() {
		gemv(m, n, benchshape.Alpha, a, n, x, benchshape.Beta, y)
	}
	benchReport(b, 2*m*n)
}

// BenchmarkGer measures A += αxyᵀ: 2mn flops; it reads x, y and A and writes
// A.
func BenchmarkGer(b *testing.B) {
	benchTypes(b,
		func(b *testing.B) { benchGer(b, kernels.Sger) },
		func(b *testing.B) { benchGer(b, kernels.Dger) })
}

func benchGer[T benchshape.Float](b *testing.B, ger func(m, n int, alpha T, x, y []T, a []T, lda int)) {
	for _, s := range benchshape.Ger {
		benchImpls(b, s.String(), func(b *testing.B) {
			m, n := s.M, s.N
			a := benchshape.Rand[T](m*n, 1)
			x := benchshape.Rand[T](m, 2)
			y := benchshape.Rand[T](n, 3)
			b.SetBytes(int64(benchshape.Size[T]() * (2*m*n + m + n)))
			b.ReportAllocs()
			for b.Loop() {
				ger(m, n, benchshape.Alpha, x, y, a, n)
			}
			benchReport(b, 2*m*n)
		})
	}
}

// BenchmarkAxpy measures y += αx: 2n flops; it reads x and y and writes y.
func BenchmarkAxpy(b *testing.B) {
	benchTypes(b,
		func(b *testing.B) { benchAxpy(b, kernels.Saxpy) },
		func(b *testing.B) { benchAxpy(b, kernels.Daxpy) })
}

func benchAxpy[T benchshape.Float](b *testing.B, axpy func(alpha T, x, y []T)) {
	for _, n := range benchshape.VecLens {
		benchImpls(b, fmt.Sprintf("n=%d", n), func(b *testing.B) {
			x := benchshape.Rand[T](n, 2)
			y := benchshape.Rand[T](n, 3)
			b.SetBytes(int64(benchshape.Size[T]() * 3 * n))
			b.ReportAllocs()
			for b.Loop() {
				axpy(benchshape.Alpha, x, y)
			}
			benchReport(b, 2*n)
		})
	}
}

// BenchmarkDot measures xᵀy: 2n flops; it reads x and y.
func BenchmarkDot(b *testing.B) {
	benchTypes(b,
		func(b *testing.B) { benchDot(b, kernels.Sdot) },
		func(b *testing.B) { benchDot(b, kernels.Ddot) })
}

func benchDot[T benchshape.Float](b *testing.B, dot func(x, y []T) T) {
	for _, n := range benchshape.VecLens {
		benchImpls(b, fmt.Sprintf("n=%d", n), func(b *testing.B) {
			x := benchshape.Rand[T](n, 2)
			y := benchshape.Rand[T](n, 3)
			b.SetBytes(int64(benchshape.Size[T]() * 2 * n))
			b.ReportAllocs()
			var sum T
			for b.Loop() {
				sum += dot(x, y)
			}
			benchSink = float64(sum)
			benchReport(b, 2*n)
		})
	}
}

// BenchmarkGemm measures C = α·op(A)·op(B) + βC: 2mnk flops; it reads A, B
// and C and writes C. Its names put the implementation last,
// BenchmarkGemm/type=f32/op=NN/shape=256x256x256/impl=avx2, so that
// `benchstat -col /impl` compares the paths shape by shape.
//
// It runs on one goroutine (SetWorkers(1)); BenchmarkGemmWorkers compares
// worker counts.
func BenchmarkGemm(b *testing.B) {
	defer kernels.SetWorkers(kernels.SetWorkers(1))
	b.Run(benchshape.TypeKey[float32](), func(b *testing.B) {
		for _, s := range benchshape.Gemm {
			b.Run(s.String(), func(b *testing.B) {
				run := benchGemmCall[float32](s)
				impltest.BenchAll(b, "kernels", run)
			})
		}
	})
	b.Run(benchshape.TypeKey[float64](), func(b *testing.B) {
		for _, s := range benchshape.Gemm {
			b.Run(s.String(), func(b *testing.B) {
				run := benchGemmCall[float64](s)
				impltest.BenchAll(b, "kernels", run)
			})
		}
	})
}

// BenchmarkGemmWorkers measures Sgemm as BenchmarkGemm does, with the
// default implementation, on 1 worker and on every count up to GOMAXPROCS:
// BenchmarkGemmWorkers/type=f32/op=NN/shape=256x256x256/workers=2. Compare
// with `benchstat -col /workers`.
func BenchmarkGemmWorkers(b *testing.B) {
	defer kernels.SetWorkers(kernels.SetWorkers(0))
	b.Run(benchshape.TypeKey[float32](), func(b *testing.B) {
		for _, s := range benchshape.Gemm {
			b.Run(s.String(), func(b *testing.B) {
				run := benchGemmCall[float32](s)
				for w := 1; w <= runtime.GOMAXPROCS(0); w++ {
					kernels.SetWorkers(w)
					b.Run(fmt.Sprintf("workers=%d", w), run)
				}
			})
		}
	})
}

// benchGemmCall returns a benchmark of Sgemm or Dgemm on s.
func benchGemmCall[T benchshape.Float](s benchshape.GemmShape) func(b *testing.B) {
	var gemm any = kernels.Dgemm
	if benchshape.Size[T]() == 4 {
		gemm = kernels.Sgemm
	}
	f := gemm.(func(tA, tB kernels.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int))
	m, n, k := s.M, s.N, s.K
	tA, lda := kernels.NoTrans, k
	if s.Op[0] == 'T' {
		tA, lda = kernels.Trans, m
	}
	tB, ldb := kernels.NoTrans, n
	if s.Op[1] == 'T' {
		tB, ldb = kernels.Trans, k
	}
	a := benchshape.Rand[T](m*k, 1)
	bm := benchshape.Rand[T](k*n, 2)
	c := benchshape.Rand[T](m*n, 3)
	return func(b *testing.B) {
		b.SetBytes(int64(benchshape.Size[T]() * (m*k + k*n + 2*m*n)))
		b.ReportAllocs()
		for b.Loop() {
			f(tA, tB, m, n, k, benchshape.Alpha, a, lda, bm, ldb, benchshape.Beta, c, n)
		}
		benchReport(b, 2*m*n*k)
	}
}
