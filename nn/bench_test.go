package nn

import (
	"fmt"
	"testing"

	"github.com/simdnn/simdnn/internal/impltest"
)

// benchShapes are the networks the benchmarks train: the 784-256-128-10
// softmax-CE MNIST-sized network, the lecture's 2-2-1, and a wide
// 1024-1024-1024-10.
var benchShapes = []struct {
	name string
	arch Architecture
}{
	{"784-256-128-10", arch(SoftmaxCrossEntropy, []int{784, 256, 128, 10}, ReLU, ReLU, Identity)},
	{"2-2-1", arch(BCE, []int{2, 2, 1}, Sigmoid, Sigmoid)},
	{"1024-1024-1024-10", arch(SoftmaxCrossEntropy, []int{1024, 1024, 1024, 10}, ReLU, ReLU, Identity)},
}

// benchData returns rows random samples for n: inputs uniform in [0, 1) and
// one-hot (or 0/1) targets.
func benchData(n *Network[float32], rows int) (x, y []float32) {
	rng := newRand(7)
	x = randSlice[float32](rng, rows*n.In(), 0, 1)
	y = make([]float32, rows*n.Out())
	for s := range rows {
		if n.Out() == 1 {
			y[s] = float32(s % 2)
		} else {
			y[s*n.Out()+rng.IntN(n.Out())] = 1
		}
	}
	return x, y
}

// flopsPerSample counts the floating-point operations of one sample's
// forward pass (2·in·out per layer) and, with training, of its backward pass:
// the weight gradient or update (2·in·out per layer) and ∂L/∂a for every
// layer but the first (2·in·out).
func flopsPerSample(n *Network[float32], training bool) float64 {
	var f float64
	for i := range n.NumLayers() {
		l := n.Layer(i)
		mn := 2 * float64(l.In()*l.Out())
		f += mn
		if training {
			f += mn
			if i > 0 {
				f += mn
			}
		}
	}
	return f
}

// benchAll runs f once per network shape and kernel implementation, as
// sub-benchmarks named SHAPE[/sub]/impl=NAME for benchstat -col /impl, with
// rows samples of data, and reports samples/s (batch samples per op) and
// GFLOP/s (the microseconds per op are Go's ns/op ÷ 1000). sub, when not
// empty, names a variant between the shape and the implementation.
func benchAll(b *testing.B, sub string, batch, rows int, training bool, f func(b *testing.B, n *Network[float32], x, y []float32)) {
	for _, s := range benchShapes {
		name := s.name
		if sub != "" {
			name += "/" + sub
		}
		b.Run(name, func(b *testing.B) {
			impltest.BenchAll(b, "kernels", func(b *testing.B) {
				n := mustNew[float32](b, s.arch, 1)
				x, y := benchData(n, rows)
				f(b, n, x, y)
				samples := float64(b.N*batch) / b.Elapsed().Seconds()
				b.ReportMetric(samples, "samples/s")
				b.ReportMetric(samples*flopsPerSample(n, training)/1e9, "GFLOP/s")
			})
		})
	}
}

// BenchmarkSGDStep is one per-sample SGD step (forward, backward fused with
// the update): the target is ≤ 15 µs for 784-256-128-10.
func BenchmarkSGDStep(b *testing.B) {
	benchAll(b, "", 1, 64, true, func(b *testing.B, n *Network[float32], x, y []float32) {
		in, out := n.In(), n.Out()
		i := 0
		for b.Loop() {
			s := i % 64
			n.SGDStep(x[s*in:(s+1)*in], y[s*out:(s+1)*out], 1e-3)
			i++
		}
	})
}

// benchBatches are the mini-batch sizes BenchmarkBatchStep trains with.
var benchBatches = []int{8, 32, 128, 256}

// BenchmarkBatchStep is one mini-batch step: Backward (the gradient of the
// batch's mean loss) then a plain SGD Step, at each of benchBatches
// (sub-benchmark batch=B), cycling through 2048 samples so that the data
// come from memory as in an epoch. Target for 784-256-128-10 at batch 32:
// ≤ 350 µs.
func BenchmarkBatchStep(b *testing.B) {
	for _, batch := range benchBatches {
		benchAll(b, fmt.Sprintf("batch=%d", batch), batch, 2048, true, func(b *testing.B, n *Network[float32], x, y []float32) {
			in, out := n.In(), n.Out()
			opt := NewSGD(n, 1e-3)
			steps := 2048 / batch
			i := 0
			for b.Loop() {
				s := (i % steps) * batch
				n.Backward(x[s*in:(s+batch)*in], y[s*out:(s+batch)*out], nil)
				opt.Step()
				i++
			}
		})
	}
}

// BenchmarkPredict is batch-1 inference: target ≤ 5 µs for 784-256-128-10.
func BenchmarkPredict(b *testing.B) {
	benchAll(b, "", 1, 64, false, func(b *testing.B, n *Network[float32], x, y []float32) {
		in := n.In()
		dst := make([]float32, n.Out())
		i := 0
		for b.Loop() {
			s := i % 64
			n.Predict(dst, x[s*in:(s+1)*in])
			i++
		}
	})
}

// BenchmarkPredictRows is inference over 1024 samples, either with
// one Predict call on all of them (rows=batched) or with one call per
// sample (rows=single): the target is batched ≥ 2× faster than
// single.
func BenchmarkPredictRows(b *testing.B) {
	const rows = 1024
	benchAll(b, "rows=batched", rows, rows, false, func(b *testing.B, n *Network[float32], x, y []float32) {
		dst := make([]float32, rows*n.Out())
		for b.Loop() {
			n.Predict(dst, x)
		}
	})
	benchAll(b, "rows=single", rows, rows, false, func(b *testing.B, n *Network[float32], x, y []float32) {
		in, out := n.In(), n.Out()
		dst := make([]float32, rows*out)
		for b.Loop() {
			for s := range rows {
				n.Predict(dst[s*out:(s+1)*out], x[s*in:(s+1)*in])
			}
		}
	})
}

// BenchmarkOptimizerStep is one Step of each of testOptimizers alone, on
// the gradients of one Backward: elementwise passes over every parameter
// (235146 of them for 784-256-128-10), on kernels.Workers goroutines.
func BenchmarkOptimizerStep(b *testing.B) {
	for _, o := range testOptimizers[float32]() {
		for _, s := range benchShapes {
			b.Run(s.name+"/opt="+o.name, func(b *testing.B) {
				impltest.BenchAll(b, "kernels", func(b *testing.B) {
					n := mustNew[float32](b, s.arch, 1)
					x, y := benchData(n, 32)
					n.Backward(x, y, nil)
					opt := o.make(n)
					for b.Loop() {
						opt.Step()
					}
					b.ReportMetric(float64(b.N*len(n.Params()))/b.Elapsed().Seconds()/1e9, "Gparam/s")
				})
			})
		}
	}
}
