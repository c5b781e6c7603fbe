// Benchmarks of simdnn's kernels next to gonum's, OpenBLAS's and plain Go
// loops, per element type, shape and implementation:
//
//	BenchmarkGemv/type=f32/shape=256x256/impl=avx2
//	BenchmarkAxpy/type=f64/n=65536/impl=openblas
//
// The implementation is the last key, so that every implementation of one
// shape runs on the same data, one after another, and `benchstat -col /impl`
// compares them. Each reports sec/op, B/s (the compulsory memory traffic of
// one call: every element read once, every element written once more, as in
// kernels/bench_test.go), allocs/op and either GFLOP/s (2mn flops for Gemv,
// GemvT and Ger, 2n for Axpy and Dot) or, for the activations, Gelem/s.
//
// From this directory:
//
//	go test -run '^$' -bench . -count 6 -tags openblas | tee bench.txt
//	benchstat -col /impl bench.txt
//
// 'Gemv/type=f32' runs one type of Gemv and GemvT, 'Gemv$///impl=(avx2|gonum)'
// two implementations of Gemv, 'Gemv//shape=1024x1024' one shape. Without
// the openblas tag impl=openblas does not exist; with it, OpenBLAS runs on one
// thread, with the kernels OPENBLAS_CORETYPE names or, unset, those it
// detects (printed as the openblas-core line).

package bench

import (
	"fmt"
	"math"
	"testing"

	"github.com/simdnn/simdnn/internal/benchshape"
)

// benchActLens are the lengths the activations run on: a hidden layer, a
// mini-batch of such layers, and a long vector.
var benchActLens = []int{256, 4096, 1 << 16}

// sink keeps the results of Dot alive.
var sink float64

// reportGFLOPS reports GFLOP/s for b.N calls of flops floating-point
// operations each; call it after b.Loop has returned false.
func reportGFLOPS(b *testing.B, flops int) {
	b.ReportMetric(float64(flops)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// runImpl runs f as the sub-benchmark impl=NAME with the implementation made
// current by use, if not nil; it skips implementations the -impl flag
// leaves out.
func runImpl(b *testing.B, name string, use func() (func(), error), f func(b *testing.B)) {
	if !implSelected(name) {
		return
	}
	b.Run("impl="+name, func(b *testing.B) {
		if use != nil {
			undo, err := use()
			if err != nil {
				b.Fatal(err)
			}
			defer undo()
		}
		f(b)
	})
}

// forBLAS runs f once per BLAS implementation with its routines for T, or,
// when has is not nil, once per implementation it accepts.
func forBLAS[T benchshape.Float](b *testing.B, has func(name string, r routines[T]) bool, f func(b *testing.B, r routines[T])) {
	for _, impl := range blasImpls {
		r := pick[T](impl)
		if has == nil || has(impl.name, r) {
			runImpl(b, impl.name, impl.use, func(b *testing.B) { f(b, r) })
		}
	}
}

// BenchmarkGemv measures y = αAx + βy: 2mn flops; it reads A, x and y and
// writes y.
func BenchmarkGemv(b *testing.B) {
	b.Run(benchshape.TypeKey[float32](), benchGemv[float32](false))
	b.Run(benchshape.TypeKey[float64](), benchGemv[float64](false))
}

// BenchmarkGemvT measures y = αAᵀx + βy: 2mn flops; it reads A, x and y and
// writes y.
func BenchmarkGemvT(b *testing.B) {
	b.Run(benchshape.TypeKey[float32](), benchGemv[float32](true))
	b.Run(benchshape.TypeKey[float64](), benchGemv[float64](true))
}

func benchGemv[T benchshape.Float](trans bool) func(b *testing.B) {
	return func(b *testing.B) {
		for _, s := range benchshape.Gemv {
			b.Run(s.String(), func(b *testing.B) {
				m, n := s.M, s.N
				lenX, lenY := n, m
				if trans {
					lenX, lenY = m, n
				}
				a := benchshape.Rand[T](m*n, 1)
				x := benchshape.Rand[T](lenX, 2)
				y := benchshape.Rand[T](lenY, 3)
				forBLAS(b, nil, func(b *testing.B, r routines[T]) {
					b.SetBytes(int64(benchshape.Size[T]() * (m*n + lenX + 2*lenY)))
					b.ReportAllocs()
					for b.Loop() {
						r.gemv(trans, m, n, benchshape.Alpha, a, n, x, benchshape.Beta, y)
					}
					reportGFLOPS(b, 2*m*n)
				})
			})
		}
	}
}

// BenchmarkGer measures A += αxyᵀ: 2mn flops; it reads x, y and A and writes
// A.
func BenchmarkGer(b *testing.B) {
	b.Run(benchshape.TypeKey[float32](), benchGer[float32])
	b.Run(benchshape.TypeKey[float64](), benchGer[float64])
}

func benchGer[T benchshape.Float](b *testing.B) {
	for _, s := range benchshape.Ger {
		b.Run(s.String(), func(b *testing.B) {
			m, n := s.M, s.N
			a := benchshape.Rand[T](m*n, 1)
			x := benchshape.Rand[T](m, 2)
			y := benchshape.Rand[T](n, 3)
			forBLAS(b, nil, func(b *testing.B, r routines[T]) {
				b.SetBytes(int64(benchshape.Size[T]() * (2*m*n + m + n)))
				b.ReportAllocs()
				for b.Loop() {
					r.ger(m, n, benchshape.Alpha, x, y, a, n)
				}
				reportGFLOPS(b, 2*m*n)
			})
		})
	}
}

// BenchmarkAxpy measures y += αx: 2n flops; it reads x and y and writes y.
func BenchmarkAxpy(b *testing.B) {
	b.Run(benchshape.TypeKey[float32](), benchAxpy[float32])
	b.Run(benchshape.TypeKey[float64](), benchAxpy[float64])
}

func benchAxpy[T benchshape.Float](b *testing.B) {
	for _, n := range benchshape.VecLens {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			x := benchshape.Rand[T](n, 2)
			y := benchshape.Rand[T](n, 3)
			forBLAS(b, nil, func(b *testing.B, r routines[T]) {
				b.SetBytes(int64(benchshape.Size[T]() * 3 * n))
				b.ReportAllocs()
				for b.Loop() {
					r.axpy(benchshape.Alpha, x, y)
				}
				reportGFLOPS(b, 2*n)
			})
		})
	}
}

// BenchmarkDot measures xᵀy: 2n flops; it reads x and y.
func BenchmarkDot(b *testing.B) {
	b.Run(benchshape.TypeKey[float32](), benchDot[float32])
	b.Run(benchshape.TypeKey[float64](), benchDot[float64])
}

func benchDot[T benchshape.Float](b *testing.B) {
	for _, n := range benchshape.VecLens {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			x := benchshape.Rand[T](n, 2)
			y := benchshape.Rand[T](n, 3)
			forBLAS(b, nil, func(b *testing.B, r routines[T]) {
				b.SetBytes(int64(benchshape.Size[T]() * 2 * n))
				b.ReportAllocs()
				var sum T
				for b.Loop() {
					sum += r.dot(x, y)
				}
				sink = float64(sum)
				reportGFLOPS(b, 2*n)
			})
		})
	}
}

// BenchmarkSigmoid measures dst = σ(x) = 1/(1+e^(−x)) elementwise, in
// Gelem/s; it reads x and writes dst. For float32 it also reports the
// largest error of the results on its inputs, in ULP (ULP-max).
func BenchmarkSigmoid(b *testing.B) {
	b.Run(benchshape.TypeKey[float32](), benchUnary[float32](sigmoidImpls, 4, sigmoidRef))
	b.Run(benchshape.TypeKey[float64](), benchUnary[float64](sigmoidImpls, 4, sigmoidRef))
}

// BenchmarkTanh measures dst = tanh(x) elementwise, in Gelem/s, on the
// sigmoid's inputs; for float32 it also reports the largest error, in ULP.
func BenchmarkTanh(b *testing.B) {
	b.Run(benchshape.TypeKey[float32](), benchUnary[float32](tanhImpls, 4, math.Tanh))
	b.Run(benchshape.TypeKey[float64](), benchUnary[float64](tanhImpls, 4, math.Tanh))
}

// BenchmarkReLU measures dst = max(x, 0) elementwise, in Gelem/s; it reads x
// and writes dst.
func BenchmarkReLU(b *testing.B) {
	b.Run(benchshape.TypeKey[float32](), benchUnary[float32](reluImpls, 1, nil))
	b.Run(benchshape.TypeKey[float64](), benchUnary[float64](reluImpls, 1, nil))
}

// benchUnary benchmarks the implementations impls of an elementwise function
// on inputs uniform in [−scale, scale); for float32, with ref, it reports
// the largest error of the last call's results against ref in ULP.
func benchUnary[T benchshape.Float](impls []unaryImpl, scale T, ref func(float64) float64) func(b *testing.B) {
	return func(b *testing.B) {
		for _, n := range benchActLens {
			b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
				x := benchshape.Rand[T](n, 2)
				for i := range x {
					x[i] *= scale
				}
				dst := make([]T, n)
				for _, impl := range impls {
					f := pickUnary[T](impl)
					if f == nil {
						continue
					}
					runImpl(b, impl.name, impl.use, func(b *testing.B) {
						b.SetBytes(int64(benchshape.Size[T]() * 2 * n))
						b.ReportAllocs()
						for b.Loop() {
							f(dst, x)
						}
						b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gelem/s")
						if x32, ok := any(x).([]float32); ok && ref != nil {
							b.ReportMetric(maxULP32(any(dst).([]float32), x32, ref), "ULP-max")
						}
					})
				}
			})
		}
	}
}

// maxULP32 returns the largest error of got[i] as f(x[i]) against ref, the
// exact f in float64, in units in the last place of float32 at ref(x[i]).
func maxULP32(got, x []float32, ref func(float64) float64) float64 {
	worst := 0.0
	for i, v := range x {
		want := ref(float64(v))
		_, e := math.Frexp(want) // want = f·2^e, f in [½, 1)
		ulp := math.Ldexp(1, max(e-24, -149))
		worst = max(worst, math.Abs(float64(got[i])-want)/ulp)
	}
	return worst
}
