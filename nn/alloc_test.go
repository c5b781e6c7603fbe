package nn

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestNoAllocations: once warmed up, prediction and every kind of training
// step allocate nothing, in float32 and float64, on every kernel path, at
// batch sizes whose passes run sample by sample, half and half, on Gemm,
// and over several blocks of blockRows.
func TestNoAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's sync.Pool drops the kernels' GEMM scratch on purpose")
	}
	forEachImpl(t, func(t *testing.T) {
		testNoAllocations[float32](t)
		testNoAllocations[float64](t)
	})
}

func testNoAllocations[T Float](t *testing.T) {
	for _, a := range []Architecture{
		arch(SoftmaxCrossEntropy, []int{20, 16, 8, 4}, ReLU, Sigmoid, Identity),
		arch(BCE, []int{2, 2, 1}, Sigmoid, Sigmoid),
		arch(MSE, []int{5, 3, 2}, Identity, ReLU),
	} {
		for _, batch := range []int{4, 16, 40, blockRows + 3} {
			n := mustNew[T](t, a, 1)
			rng := newRand(1)
			x := randSlice[T](rng, batch*n.In(), -1, 1)
			y := randSlice[T](rng, batch*n.Out(), 0, 1)
			dx := make([]T, len(x))
			dst := make([]T, batch*n.Out())
			x1, y1 := x[:n.In()], y[:n.Out()]
			classes := make([]int, batch)
			sgd := NewSGD(n, 0.01)
			sgd.Momentum, sgd.WeightDecay = 0.9, 1e-4
			adam := NewAdam(n, 1e-3)
			adamW := NewAdamW(n, 1e-3)
			probs := map[bool]func(){true: func() {}, false: func() { n.Probabilities(dst, x) }}[a.Loss == MSE]
			for name, f := range map[string]func(){
				"Probabilities":      probs,
				"Predict":            func() { n.Predict(dst, x) },
				"Classify":           func() { n.Classify(x1) },
				"Evaluate":           func() { n.Evaluate(x, y) },
				"ClassifyBatch":      func() { n.ClassifyBatch(classes, x) },
				"SGDStep":            func() { n.SGDStep(x1, y1, 1e-3) },
				"SGDStep with decay": func() { n.sgdStep(x1, y1, 1e-3, 1-1e-3*5e-3) }, // a first layer's scratch dx stays on the stack
				"Backward":           func() { n.Backward(x, y, nil) },
				"Backward+dx":        func() { n.Backward(x, y, dx) },
				"SGD.Step":           func() { n.Backward(x, y, nil); sgd.Step() },
				"Adam.Step":          func() { n.Backward(x, y, nil); adam.Step() },
				"AdamW.Step":         func() { n.Backward(x, y, nil); adamW.Step() },
			} {
				require.Zero(t, testing.AllocsPerRun(20, f), "%s on %v, batch %d", name, a, batch)
			}
		}
	}
}

// TestTrainAllocations: Train allocates per call (the sample order), not per
// step: ten times the epochs cost no more allocations.
func TestTrainAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's sync.Pool drops the kernels' GEMM scratch on purpose")
	}
	x, y := moons[float32](150, 0.1, 1)
	n := mustNew[float32](t, arch(BCE, []int{2, 8, 1}, ReLU, Sigmoid), 1)
	sgd := NewSGD(n, 0.01)
	for _, opt := range []Optimizer[float32]{sgd, NewAdam(n, 1e-3), NewAdamW(n, 1e-3)} {
		for _, batch := range []int{1, 10, 32, blockRows + 10} {
			allocs := func(epochs int) float64 {
				return testing.AllocsPerRun(5, func() {
					cfg := TrainConfig{Epochs: epochs, BatchSize: batch, Shuffle: true,
						Schedule: CosineLR{Initial: 1e-3, Min: 1e-4, Epochs: 10}}
					if err := n.Train(x, y, opt, cfg); err != nil {
						t.Fatal(err)
					}
				})
			}
			require.Equal(t, allocs(1), allocs(10), "%T, batch %d", opt, batch)
		}
	}
}
