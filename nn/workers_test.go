package nn

import (
	"math"
	"slices"
	"testing"

	"github.com/simdnn/simdnn/kernels"
)

// workerCounts are the kernels.SetWorkers settings compared with 1.
var workerCounts = []int{2, 3, 7}

// The data of TestWorkersBitIdentical: workerRows samples of workerIn
// features, workerOut classes.
const workerRows, workerIn, workerOut = 280, 300, 10

// TestWorkersBitIdentical trains a network on mini-batches with each
// optimizer and runs its batch Backward, Predict and Evaluate with the
// kernels on 1, 2, 3 and 7 workers: the weights, gradients, input gradient,
// loss, predictions and scores must be the same bits. The widths make every
// layer's products large enough to be cut into parts (batch 70 through a
// 300→160 layer is 3.4M multiply-adds, 12 parts' worth) and the optimizers'
// updates too (64586 parameters, 3 parts' worth), and the batch of 70 is
// odd against every tile.
func TestWorkersBitIdentical(t *testing.T) {
	defer kernels.SetWorkers(kernels.SetWorkers(0))
	forEachImplLong(t, func(t *testing.T) {
		testWorkersBitIdentical[float32](t)
		testWorkersBitIdentical[float64](t)
	})
}

// workerRun is what one run of testWorkersBitIdentical produces.
type workerRun[T Float] struct {
	params, grads, dx, pred []T
	loss, evalLoss, acc     float64
}

func testWorkersBitIdentical[T Float](t *testing.T) {
	rng := newRand(11)
	x := randSlice[T](rng, workerRows*workerIn, -1, 1)
	y := make([]T, workerRows*workerOut)
	for r := range workerRows {
		y[r*workerOut+rng.IntN(workerOut)] = 1
	}
	a := arch(SoftmaxCrossEntropy, []int{workerIn, 160, 96, workerOut}, ReLU, Sigmoid, Identity)
	for _, opt := range testOptimizers[T]() {
		testWorkersOptimizer(t, a, x, y, opt.name, opt.make)
	}
}

// testOptimizer is an optimizer a test or benchmark runs, made for a
// network.
type testOptimizer[T Float] struct {
	name string
	make func(n *Network[T]) Optimizer[T]
}

// testOptimizers are this package's optimizers, each with every option
// that changes its update: what TestWorkersBitIdentical trains with and
// BenchmarkOptimizerStep times.
func testOptimizers[T Float]() []testOptimizer[T] {
	return []testOptimizer[T]{
		{"sgd", func(n *Network[T]) Optimizer[T] { o := NewSGD(n, 0.05); o.WeightDecay = 1e-3; return o }},
		{"sgd-momentum", func(n *Network[T]) Optimizer[T] {
			o := NewSGD(n, 0.05)
			o.Momentum, o.WeightDecay = 0.9, 1e-3
			return o
		}},
		{"adam", func(n *Network[T]) Optimizer[T] { o := NewAdam(n, 0.01); o.WeightDecay = 1e-3; return o }},
		{"adamw", func(n *Network[T]) Optimizer[T] { return NewAdamW(n, 0.01) }},
	}
}

func testWorkersOptimizer[T Float](t *testing.T, a Architecture, x, y []T, optName string, opt func(*Network[T]) Optimizer[T]) {
	run := func(workers int) workerRun[T] {
		kernels.SetWorkers(workers)
		n := mustNew[T](t, a, 3)
		if err := n.Train(x, y, opt(n), TrainConfig{Epochs: 2, BatchSize: 70, Shuffle: true, Seed: 4}); err != nil {
			t.Fatal(err)
		}
		var r workerRun[T]
		r.dx = make([]T, workerRows*workerIn)
		r.loss = n.Backward(x, y, r.dx)
		r.params, r.grads = slices.Clone(n.Params()), slices.Clone(n.Grads())
		r.pred = make([]T, workerRows*workerOut)
		n.Predict(r.pred, x)
		r.evalLoss, r.acc = n.Evaluate(x, y)
		return r
	}
	want := run(1)
	for _, w := range workerCounts {
		got := run(w)
		for _, c := range []struct {
			name      string
			got, want []T
		}{{"weights", got.params, want.params}, {"gradients", got.grads, want.grads}, {"dx", got.dx, want.dx}, {"predictions", got.pred, want.pred}} {
			for i := range c.want {
				if !sameFloat(c.got[i], c.want[i]) {
					t.Fatalf("%T, %s, %d workers: %s[%d] = %v, want %v (1 worker)", T(0), optName, w, c.name, i, c.got[i], c.want[i])
				}
			}
		}
		for _, c := range []struct {
			name      string
			got, want float64
		}{{"Backward loss", got.loss, want.loss}, {"Evaluate loss", got.evalLoss, want.evalLoss}, {"accuracy", got.acc, want.acc}} {
			if math.Float64bits(c.got) != math.Float64bits(c.want) {
				t.Errorf("%T, %s, %d workers: %s = %v, want %v (1 worker)", T(0), optName, w, c.name, c.got, c.want)
			}
		}
	}
}

// sameFloat reports whether a and b have the same bits (widening a float32
// is exact and keeps them apart).
func sameFloat[T Float](a, b T) bool {
	return math.Float64bits(float64(a)) == math.Float64bits(float64(b))
}
