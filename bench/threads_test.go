package bench

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/simdnn/simdnn/internal/benchshape"
	"github.com/simdnn/simdnn/kernels"
)

// Every core: simdnn's Sgemm, Sgemv and training steps on 1 to GOMAXPROCS
// worker goroutines, beside OpenBLAS on as many threads (and PyTorch, which
// python/mlp_bench.py --threads N measures under the same names), the thread
// count before the implementation:
//
//	BenchmarkGemmThreads/op=NN/shape=512x512x512/threads=2/impl=avx512
//	BenchmarkGemvThreads/op=GemvT/shape=4096x4096/threads=2/impl=avx512
//	BenchmarkTrainStepThreads/net=784-256-128-10/step=batch128/threads=2/impl=avx512

// threadedBLAS is an Sgemm and an Sgemv that can run on several threads:
// use sets the count and returns the function that restores one thread.
type threadedBLAS struct {
	name string
	use  func(threads int) func()
	r    routines[float32] // gemm and gemv
}

// threadedBLASes are simdnn's default implementation, and OpenBLAS with the
// openblas tag (appended by openblas_test.go).
var threadedBLASes = []threadedBLAS{{
	name: kernels.Implementations()[0],
	use:  useWorkers,
	r:    pick[float32](simdnnImpls()[0]),
}}

// useWorkers makes simdnn's kernels run on threads workers, until the
// returned function restores one.
func useWorkers(threads int) func() {
	kernels.SetWorkers(threads)
	return func() { kernels.SetWorkers(1) }
}

// threadCounts are the thread counts the benchmarks compare: 1 to GOMAXPROCS.
func threadCounts() []int {
	var out []int
	for n := 1; n <= runtime.GOMAXPROCS(0); n++ {
		out = append(out, n)
	}
	return out
}

// BenchmarkGemmThreads measures float32 C = α·A·B + βC as BenchmarkGemm
// does, on each thread count.
func BenchmarkGemmThreads(b *testing.B) {
	for _, s := range benchshape.ThreadsGemmSquares() {
		b.Run(s.String(), func(b *testing.B) {
			g := newGemmCase[float32](s, 0)
			for _, threads := range threadCounts() {
				b.Run(fmt.Sprintf("threads=%d", threads), func(b *testing.B) {
					for _, impl := range threadedBLASes {
						runImpl(b, impl.name, func() (func(), error) { return impl.use(threads), nil }, func(b *testing.B) {
							b.ReportAllocs()
							for b.Loop() {
								g.run(impl.r)
							}
							reportGFLOPS(b, 2*s.M*s.N*s.K)
						})
					}
				})
			}
		})
	}
}

// BenchmarkGemvThreads measures Sgemv and SgemvT as BenchmarkGemv does, on
// each thread count.
func BenchmarkGemvThreads(b *testing.B) {
	for _, op := range []struct {
		name  string
		trans bool
	}{{"Gemv", false}, {"GemvT", true}} {
		b.Run("op="+op.name, func(b *testing.B) {
			for _, s := range benchshape.ThreadsGemvSquares() {
				b.Run(s.String(), func(b *testing.B) {
					a := benchshape.Rand[float32](s.M*s.N, 1)
					x := benchshape.Rand[float32](s.N, 2)
					y := benchshape.Rand[float32](s.M, 3)
					for _, threads := range threadCounts() {
						b.Run(fmt.Sprintf("threads=%d", threads), func(b *testing.B) {
							for _, impl := range threadedBLASes {
								runImpl(b, impl.name, func() (func(), error) { return impl.use(threads), nil }, func(b *testing.B) {
									b.SetBytes(int64(4 * (s.M*s.N + s.N + 2*s.M)))
									b.ReportAllocs()
									for b.Loop() {
										impl.r.gemv(op.trans, s.M, s.N, benchshape.Alpha, a, s.N, x, benchshape.Beta, y)
									}
									reportGFLOPS(b, 2*s.M*s.N)
								})
							}
						})
					}
				})
			}
		})
	}
}

// threadedSteps are the steps BenchmarkTrainStepThreads runs: the
// mini-batches and inference blocks from benchshape.ThreadsMinRows rows.
func threadedSteps() []trainStep {
	var out []trainStep
	for _, s := range trainSteps {
		if s.batch >= benchshape.ThreadsMinRows {
			out = append(out, s)
		}
	}
	return out
}

// BenchmarkTrainStepThreads measures the 784-256-128-10 network's steps as
// BenchmarkTrainStep does, with simdnn's default implementation on each
// number of workers.
func BenchmarkTrainStepThreads(b *testing.B) {
	net := trainNets[0]
	b.Run("net="+net.name, func(b *testing.B) {
		for _, step := range threadedSteps() {
			b.Run("step="+step.name, func(b *testing.B) {
				x, y := trainData(net.arch, trainRows(step.batch))
				for _, threads := range threadCounts() {
					b.Run(fmt.Sprintf("threads=%d", threads), func(b *testing.B) {
						impl := kernels.Implementations()[0]
						runImpl(b, impl, func() (func(), error) { return useWorkers(threads), nil }, func(b *testing.B) {
							run := step.prepare(newTrainNet(b, net.arch), x, y)
							b.ReportAllocs()
							i := 0
							for b.Loop() {
								run(i)
								i++
							}
							b.ReportMetric(float64(b.N*step.batch)/b.Elapsed().Seconds(), "samples/s")
						})
					})
				}
			})
		}
	})
}
