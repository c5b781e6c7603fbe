// Benchmarks of the activation kernels and the fused dense-layer kernels,
// named as in bench_test.go (type=, impl=, n= or shape=), with an op= key
// where a fused kernel runs beside the unfused kernels it replaces:
//
//	BenchmarkSigmoid/type=f32/n=4096/impl=avx2
//	BenchmarkDenseForward/type=f32/shape=784x256/op=forward/impl=avx2
//	BenchmarkDenseForward/type=f32/shape=784x256/op=gemv/impl=avx2
//	BenchmarkDenseBackwardSGD/type=f32/shape=1024x1024/op=unfused/impl=avx2
//
// The elementwise kernels report Gelem/s (10⁹ elements per second) and B/s
// (every element read once plus every element written once); the dense
// kernels report GFLOP/s, counting 2mn flops per pass over W (4mn for a
// backward step with dx: Wᵀδ and the rank-1 update), and the B/s of the
// operation's compulsory traffic, the same for the fused and the unfused
// op, so that both columns compare their times directly.
//
// The fused kernels against their unfused equivalents, side by side:
//
//	go test -run '^$' -bench 'Dense' -count 10 ./kernels/ | tee dense.txt
//	benchstat -table .name,/type -row /shape -col /op -filter '/impl:avx2 .unit:GFLOP/s' dense.txt
//
// and the elementwise kernels per implementation:
//
//	go test -run '^$' -bench 'Sigmoid|Tanh|Relu' -count 10 ./kernels/ | tee act.txt
//	benchstat -table .name,/type -row /n -col '/impl@(go avx2)' -filter '.unit:Gelem/s' act.txt

package kernels_test

import (
	"fmt"
	"testing"

	"github.com/simdnn/simdnn/internal/benchshape"
	"github.com/simdnn/simdnn/kernels"
)

// benchElemReport reports Gelem/s for a loop of b.N calls on n elements
// each; call it after b.Loop has returned false.
func benchElemReport(b *testing.B, n int) {
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gelem/s")
}

// benchSigmoidLens are the lengths σ and tanh run on: 4096 (32 KiB of float32 in
// and out: L1, the target of 5 Gelem/s) and 65536 (L2; two of the
// wrapper's chunks of 2^15).
var benchSigmoidLens = []int{4096, 1 << 16}

// benchActLens are the lengths ReLU and the derivatives run on: 4096 (L1),
// 2^16 (256 KiB per float32 vector: well inside L2) and 2^18 (1 MiB per
// float32 vector, the L2 size for its target of 25 Gelem/s: with
// two or three vectors it fills a 2 MiB L2 and spills from smaller ones).
var benchActLens = []int{4096, 1 << 16, 1 << 18}

// benchSigmoidInput returns n inputs spread over [-12, 12), where σ is
// neither 0 nor 1 in float32 and every path of the kernel runs.
func benchSigmoidInput[T benchshape.Float](n int) []T {
	x := benchshape.Rand[T](n, 4)
	for i := range x {
		x[i] *= 12
	}
	return x
}

// BenchmarkSigmoid measures dst = σ(x): it reads x and writes dst.
func BenchmarkSigmoid(b *testing.B) {
	benchTypes(b,
		func(b *testing.B) { benchUnary(b, kernels.Ssigmoid, benchSigmoidLens, benchSigmoidInput[float32]) },
		func(b *testing.B) { benchUnary(b, kernels.Dsigmoid, benchSigmoidLens, benchSigmoidInput[float64]) })
}

// BenchmarkTanh measures dst = tanh(x) on the sigmoid's inputs: it reads x
// and writes dst.
func BenchmarkTanh(b *testing.B) {
	benchTypes(b,
		func(b *testing.B) { benchUnary(b, kernels.Stanh, benchSigmoidLens, benchSigmoidInput[float32]) },
		func(b *testing.B) { benchUnary(b, kernels.Dtanh, benchSigmoidLens, benchSigmoidInput[float64]) })
}

// BenchmarkRelu measures dst = max(x, 0): it reads x and writes dst.
func BenchmarkRelu(b *testing.B) {
	benchTypes(b,
		func(b *testing.B) {
			benchUnary(b, kernels.Srelu, benchActLens, func(n int) []float32 { return benchshape.Rand[float32](n, 4) })
		},
		func(b *testing.B) {
			benchUnary(b, kernels.Drelu, benchActLens, func(n int) []float64 { return benchshape.Rand[float64](n, 4) })
		})
}

func benchUnary[T benchshape.Float](b *testing.B, f func(dst, x []T), lens []int, input func(n int) []T) {
	for _, n := range lens {
		benchImpls(b, fmt.Sprintf("n=%d", n), func(b *testing.B) {
			x := input(n)
			dst := make([]T, n)
			b.SetBytes(int64(benchshape.Size[T]() * 2 * n))
			b.ReportAllocs()
			for b.Loop() {
				f(dst, x)
			}
			benchElemReport(b, n)
		})
	}
}

// BenchmarkSigmoidBackward measures dst = g·a·(1−a): it reads g and a and
// writes dst.
func BenchmarkSigmoidBackward(b *testing.B) {
	benchTypes(b,
		func(b *testing.B) { benchBinary(b, kernels.SsigmoidBackward) },
		func(b *testing.B) { benchBinary(b, kernels.DsigmoidBackward) })
}

// BenchmarkTanhBackward measures dst = g·(1−a)·(1+a): it reads g and a and
// writes dst.
func BenchmarkTanhBackward(b *testing.B) {
	benchTypes(b,
		func(b *testing.B) { benchBinary(b, kernels.StanhBackward) },
		func(b *testing.B) { benchBinary(b, kernels.DtanhBackward) })
}

// BenchmarkReluBackward measures dst = a > 0 ? g : 0: it reads g and a and
// writes dst.
func BenchmarkReluBackward(b *testing.B) {
	benchTypes(b,
		func(b *testing.B) { benchBinary(b, kernels.SreluBackward) },
		func(b *testing.B) { benchBinary(b, kernels.DreluBackward) })
}

func benchBinary[T benchshape.Float](b *testing.B, f func(dst, g, a []T)) {
	for _, n := range benchActLens {
		benchImpls(b, fmt.Sprintf("n=%d", n), func(b *testing.B) {
			g := benchshape.Rand[T](n, 5)
			a := benchshape.Rand[T](n, 6) // half of them negative: ReLU's mask is mixed
			dst := make([]T, n)
			b.SetBytes(int64(benchshape.Size[T]() * 3 * n))
			b.ReportAllocs()
			for b.Loop() {
				f(dst, g, a)
			}
			benchElemReport(b, n)
		})
	}
}

// benchDenseShapes are the layer shapes m×n (outputs × inputs) the fused
// kernels run on: the 784-256 layer of an MNIST network both ways round,
// and a square layer of 4 MiB of float32 weights, past L2.
var benchDenseShapes = []benchshape.Shape{{M: 784, N: 256}, {M: 256, N: 784}, {M: 1024, N: 1024}}

// benchDenseBackwardShapes are the shapes of the backward benchmarks, the
// issue's 784×256 and 1024².
var benchDenseBackwardShapes = []benchshape.Shape{{M: 784, N: 256}, {M: 1024, N: 1024}}

// benchOp runs f as the sub-benchmark op=name.
func benchOp(b *testing.B, name string, bytes, flops int, f func()) {
	benchImpls(b, "op="+name, func(b *testing.B) {
		b.SetBytes(int64(bytes))
		b.ReportAllocs()
		for b.Loop() {
			f()
		}
		benchReport(b, flops)
	})
}

// BenchmarkDenseForward measures a layer's forward pass out = σ(Wx + b),
// 2mn flops reading W, x and b and writing out, as
//
//	op=forward  SdenseForward(Sigmoid, …): the fused kernel;
//	op=gemv     Sgemv(m, n, 1, W, n, x, 1, y): the plain product, the
//	            fused kernel's target (within 5 % of its time);
//	op=unfused  copy(out, b), Sgemv with β = 1 and Ssigmoid: what the fused
//	            kernel replaces.
func BenchmarkDenseForward(b *testing.B) {
	benchTypes(b,
		func(b *testing.B) { benchDenseForward(b, kernels.For[float32]()) },
		func(b *testing.B) { benchDenseForward(b, kernels.For[float64]()) })
}

func benchDenseForward[T benchshape.Float](b *testing.B, k *kernels.Funcs[T]) {
	for _, s := range benchDenseShapes {
		b.Run(s.String(), func(b *testing.B) {
			m, n := s.M, s.N
			w := benchshape.Rand[T](m*n, 1)
			x := benchshape.Rand[T](n, 2)
			bias := benchshape.Rand[T](m, 3)
			out := make([]T, m)
			bytes := benchshape.Size[T]() * (m*n + n + 2*m)
			benchOp(b, "forward", bytes, 2*m*n, func() { k.DenseForward(kernels.Sigmoid, m, n, w, n, x, bias, out) })
			y := benchshape.Rand[T](m, 3)
			benchOp(b, "gemv", bytes, 2*m*n, func() { k.Gemv(m, n, 1, w, n, x, 1, y) })
			benchOp(b, "unfused", bytes, 2*m*n, func() {
				copy(out, bias)
				k.Gemv(m, n, 1, w, n, x, 1, out)
				k.Sigmoid(out, out)
			})
		})
	}
}

// benchLR is the learning rate of the SGD benchmarks: small enough that W
// drifts by at most 10⁻³ per call.
const benchLR = 1e-3

// benchDecay is the weight-decay factor 1 − lr·λ of the benchmarks with
// decay, for the command's default λ = 5·10⁻³: W shrinks by a factor e only
// after 2·10⁵ calls, far from the subnormals that would slow it down.
const benchDecay = 1 - benchLR*5e-3

// BenchmarkDenseBackwardSGD measures a layer's backward step with the
// gradient-descent update, dx = Wᵀδ, W −= lr·δxᵀ, b −= lr·δ, as
//
//	op=fused             SdenseBackwardSGD: one pass over W, 4mn flops;
//	op=fused-decay       the same with weight decay (W ← decay·W − lr·δxᵀ), 5mn;
//	op=unfused           SgemvT, then Sger and Saxpy: two passes over W;
//	op=fused-nodx        SdenseBackwardSGD with dx = nil (a first layer), 2mn;
//	op=fused-nodx-decay  the same with weight decay: a pass scaling W, then
//	                     Sger's, 3mn;
//	op=unfused-nodx      Sger and Saxpy.
//
// The traffic counted reads and writes W once, reads δ and x, writes dx and
// reads and writes b.
func BenchmarkDenseBackwardSGD(b *testing.B) {
	benchTypes(b,
		func(b *testing.B) { benchDenseSGD(b, kernels.For[float32]()) },
		func(b *testing.B) { benchDenseSGD(b, kernels.For[float64]()) })
}

func benchDenseSGD[T benchshape.Float](b *testing.B, k *kernels.Funcs[T]) {
	for _, s := range benchDenseBackwardShapes {
		b.Run(s.String(), func(b *testing.B) {
			m, n := s.M, s.N
			w := benchshape.Rand[T](m*n, 1)
			delta := benchshape.Rand[T](m, 2)
			x := benchshape.Rand[T](n, 3)
			bias := benchshape.Rand[T](m, 4)
			dx := make([]T, n)
			size := benchshape.Size[T]()
			bytes := size * (2*m*n + m + 2*n + 2*m)
			bytesNoDx := size * (2*m*n + m + n + 2*m)
			benchOp(b, "fused", bytes, 4*m*n, func() { k.DenseBackwardSGD(m, n, benchLR, 1, w, n, delta, x, dx, bias) })
			benchOp(b, "fused-decay", bytes, 5*m*n, func() { k.DenseBackwardSGD(m, n, benchLR, benchDecay, w, n, delta, x, dx, bias) })
			benchOp(b, "unfused", bytes, 4*m*n, func() {
				k.GemvT(m, n, 1, w, n, delta, 0, dx)
				k.Ger(m, n, -benchLR, delta, x, w, n)
				k.Axpy(-benchLR, delta, bias)
			})
			benchOp(b, "fused-nodx", bytesNoDx, 2*m*n, func() { k.DenseBackwardSGD(m, n, benchLR, 1, w, n, delta, x, nil, bias) })
			benchOp(b, "fused-nodx-decay", bytesNoDx, 3*m*n, func() { k.DenseBackwardSGD(m, n, benchLR, benchDecay, w, n, delta, x, nil, bias) })
			benchOp(b, "unfused-nodx", bytesNoDx, 2*m*n, func() {
				k.Ger(m, n, -benchLR, delta, x, w, n)
				k.Axpy(-benchLR, delta, bias)
			})
		})
	}
}

// BenchmarkDenseBackward measures a layer's mini-batch backward step,
// dx = Wᵀδ, dW += δxᵀ, db += δ, as
//
//	op=fused    SdenseBackward: one pass over W and dW, 4mn flops;
//	op=unfused  SgemvT, Sger and Saxpy.
//
// The traffic counted reads W, reads and writes dW once, reads δ and x,
// writes dx and reads and writes db.
func BenchmarkDenseBackward(b *testing.B) {
	benchTypes(b,
		func(b *testing.B) { benchDenseBackward(b, kernels.For[float32]()) },
		func(b *testing.B) { benchDenseBackward(b, kernels.For[float64]()) })
}

func benchDenseBackward[T benchshape.Float](b *testing.B, k *kernels.Funcs[T]) {
	for _, s := range benchDenseBackwardShapes {
		b.Run(s.String(), func(b *testing.B) {
			m, n := s.M, s.N
			w := benchshape.Rand[T](m*n, 1)
			dw := benchshape.Rand[T](m*n, 5)
			delta := benchshape.Rand[T](m, 2)
			x := benchshape.Rand[T](n, 3)
			db := benchshape.Rand[T](m, 4)
			dx := make([]T, n)
			bytes := benchshape.Size[T]() * (3*m*n + m + 2*n + 2*m)
			benchOp(b, "fused", bytes, 4*m*n, func() { k.DenseBackward(m, n, w, n, delta, x, dx, dw, n, db) })
			benchOp(b, "unfused", bytes, 4*m*n, func() {
				k.GemvT(m, n, 1, w, n, delta, 0, dx)
				k.Ger(m, n, 1, delta, x, dw, n)
				k.Axpy(1, delta, db)
			})
		})
	}
}
