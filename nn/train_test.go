package nn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTrainXOR: the lecture's 2-2-1 sigmoid network learns XOR with
// full-batch gradient descent (2-2-1 has local minima; seed 3 is one of
// the initializations that reaches the global one), and a wider 2-4-1
// learns it from every one of several seeds.
func TestTrainXOR(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		x, y := xorData[float32]()
		n := mustNew[float32](t, arch(BCE, []int{2, 2, 1}, Sigmoid, Sigmoid), 3)
		require.NoError(t, n.Train(x, y, NewSGD(n, 1), TrainConfig{Epochs: 2000, BatchSize: 4}))
		loss, acc := n.Evaluate(x, y)
		assert.Equal(t, 1.0, acc)
		assert.Less(t, loss, 0.05)
		for i, want := range []int{0, 1, 1, 0} {
			assert.Equal(t, want, n.Classify(x[2*i:2*i+2]), "input %v", x[2*i:2*i+2])
		}

		for seed := uint64(1); seed <= 5; seed++ {
			n := mustNew[float32](t, arch(BCE, []int{2, 4, 1}, Sigmoid, Sigmoid), seed)
			require.NoError(t, n.Train(x, y, NewSGD(n, 1), TrainConfig{Epochs: 2000, BatchSize: 4}))
			loss, acc := n.Evaluate(x, y)
			assert.Equal(t, 1.0, acc, "seed %d", seed)
			assert.Less(t, loss, 0.05, "seed %d", seed)
		}
	})
}

// TestTrainSpirals: two interleaved spirals, which no linear model
// separates, are learnt by a 2-32-32-1 ReLU network (the universal
// approximation theorem at work), measured on fresh points from the same
// distribution.
func TestTrainSpirals(t *testing.T) {
	forEachImplLong(t, func(t *testing.T) {
		x, y := spirals[float32](200, 0.1, 1)
		xt, yt := spirals[float32](200, 0.1, 2)
		n := mustNew[float32](t, arch(BCE, []int{2, 32, 32, 1}, ReLU, ReLU, Sigmoid), 1)
		var last EpochStats
		cfg := TrainConfig{Epochs: 60, BatchSize: 16, Shuffle: true, Seed: 1,
			OnEpoch: func(s EpochStats) error { last = s; return nil }}
		require.NoError(t, n.Train(x, y, NewAdam(n, 0.03), cfg))
		_, acc := n.Evaluate(xt, yt)
		assert.GreaterOrEqual(t, acc, 0.97, "test accuracy")
		assert.GreaterOrEqual(t, last.Accuracy, 0.97, "training accuracy in the last epoch")
		assert.Equal(t, 60, last.Epoch)
		assert.Equal(t, 400, last.Samples)
	})
}

// TestTrainMoons: scikit-learn's two moons, with mini-batch SGD and
// momentum this time.
func TestTrainMoons(t *testing.T) {
	x, y := moons[float32](200, 0.1, 1)
	xt, yt := moons[float32](200, 0.1, 2)
	n := mustNew[float32](t, arch(BCE, []int{2, 16, 16, 1}, ReLU, ReLU, Sigmoid), 1)
	opt := NewSGD(n, 0.05)
	opt.Momentum = 0.9
	require.NoError(t, n.Train(x, y, opt, TrainConfig{Epochs: 100, BatchSize: 8, Shuffle: true, Seed: 1}))
	_, acc := n.Evaluate(xt, yt)
	assert.GreaterOrEqual(t, acc, 0.97)
}

// TestTrainDigits reaches the scikit-learn and PyTorch figure (0.977 with one
// hidden layer of 64 ReLU) on the built-in digits split: features
// standardized with training statistics, softmax cross-entropy, 30 epochs.
//
// With He initialization plain per-sample SGD at lr 0.01 averages 0.971 over
// 16 seeds (0.967–0.976); PyTorch's weight_decay (L2) closes the gap: 0.979
// on average and at least 0.9756 per-sample (λ = 5e-3), 0.978 and at least
// 0.971 with momentum 0.9 and batches of 16 (λ = 3e-3).
func TestTrainDigits(t *testing.T) {
	xtr, ytr, xte, yte, err := digitsData[float32]()
	require.NoError(t, err)
	digitsArch := arch(SoftmaxCrossEntropy, []int{64, 64, 10}, ReLU, Identity)
	forEachImplLong(t, func(t *testing.T) {
		t.Run("per-sample", func(t *testing.T) {
			n := mustNew[float32](t, digitsArch, 1)
			opt := NewSGD(n, 0.01)
			opt.WeightDecay = 5e-3
			require.NoError(t, n.Train(xtr, ytr, opt, TrainConfig{Epochs: 30, Shuffle: true, Seed: 1}))
			_, acc := n.Evaluate(xte, yte)
			t.Logf("test accuracy %.4f", acc)
			assert.GreaterOrEqual(t, acc, 0.97)
		})
		t.Run("momentum", func(t *testing.T) {
			n := mustNew[float32](t, digitsArch, 1)
			opt := NewSGD(n, 0.01)
			opt.Momentum, opt.WeightDecay = 0.9, 3e-3
			require.NoError(t, n.Train(xtr, ytr, opt, TrainConfig{Epochs: 30, BatchSize: 16, Shuffle: true, Seed: 1}))
			_, acc := n.Evaluate(xte, yte)
			t.Logf("test accuracy %.4f", acc)
			assert.GreaterOrEqual(t, acc, 0.97)
		})
		t.Run("plain-fused", func(t *testing.T) {
			n := mustNew[float32](t, digitsArch, 4)
			var stats []EpochStats
			cfg := TrainConfig{Epochs: 30, Shuffle: true, Seed: 4,
				OnEpoch: func(s EpochStats) error { stats = append(stats, s); return nil }}
			require.NoError(t, n.Train(xtr, ytr, NewSGD(n, 0.01), cfg))
			_, acc := n.Evaluate(xte, yte)
			t.Logf("test accuracy %.4f, %.0f samples/s in the last epoch", acc, stats[29].SamplesPerSec)
			assert.GreaterOrEqual(t, acc, 0.965)
			require.Len(t, stats, 30)
			assert.Less(t, stats[29].Loss, stats[0].Loss/4, "the training loss falls")
			assert.Greater(t, stats[29].Accuracy, 0.99)
			assert.Positive(t, stats[29].SamplesPerSec)
		})
	})
}

// TestTrainDiverges: per-sample SGD at lr 0.1 on digits overflows, as it does
// in PyTorch (NaN within about 13 epochs): Train must stop and say where.
func TestTrainDiverges(t *testing.T) {
	xtr, ytr, _, _, err := digitsData[float32]()
	require.NoError(t, err)
	forEachImplLong(t, func(t *testing.T) {
		n := mustNew[float32](t, arch(SoftmaxCrossEntropy, []int{64, 64, 10}, ReLU, Identity), 1)
		epochs := 0
		err := n.Train(xtr, ytr, NewSGD(n, 0.1), TrainConfig{Epochs: 40, Shuffle: true, Seed: 1,
			OnEpoch: func(EpochStats) error { epochs++; return nil }})
		var div *DivergenceError
		require.ErrorAs(t, err, &div)
		t.Log(err)
		assert.Equal(t, epochs+1, div.Epoch, "the callback saw every finished epoch")
		assert.InDelta(t, 13, div.Epoch, 5)
		assert.Positive(t, div.Step)
		assert.ErrorContains(t, err, "epoch")
		assert.ErrorContains(t, err, "step")
	})

	// Mini-batches stop at the batch whose mean loss overflows: a linear
	// network under MSE with far too high a learning rate grows
	// geometrically until it overflows.
	x, y := xorData[float64]()
	n := mustNew[float64](t, arch(MSE, []int{2, 8, 1}, Identity, Identity), 1)
	err = n.Train(x, y, NewSGD(n, 10), TrainConfig{Epochs: 1000, BatchSize: 2})
	var div *DivergenceError
	require.ErrorAs(t, err, &div)
	t.Log(err)
	assert.Less(t, div.Epoch, 1000)
	assert.Contains(t, []int{1, 2}, div.Step)
}

// TestTrainCallbackStops: ErrStop ends training without an error, any other
// error is passed on.
func TestTrainCallbackStops(t *testing.T) {
	x, y := xorData[float32]()
	n := mustNew[float32](t, arch(BCE, []int{2, 2, 1}, Sigmoid, Sigmoid), 1)
	calls := 0
	err := n.Train(x, y, NewSGD(n, 0.5), TrainConfig{Epochs: 10, OnEpoch: func(s EpochStats) error {
		calls++
		if s.Epoch == 3 {
			return ErrStop
		}
		return nil
	}})
	require.NoError(t, err)
	require.Equal(t, 3, calls)

	boom := errors.New("boom")
	err = n.Train(x, y, NewSGD(n, 0.5), TrainConfig{Epochs: 10, OnEpoch: func(EpochStats) error { return boom }})
	require.ErrorIs(t, err, boom)
}

// TestTrainReproducible: the same seeds give bit-identical networks, and
// shuffling changes the order (so the result).
func TestTrainReproducible(t *testing.T) {
	x, y := moons[float32](50, 0.1, 3)
	train := func(shuffle bool, seed uint64) []float32 {
		n := mustNew[float32](t, arch(BCE, []int{2, 8, 1}, ReLU, Sigmoid), 5)
		opt := NewSGD(n, 0.1)
		opt.Momentum = 0.5
		require.NoError(t, n.Train(x, y, opt, TrainConfig{Epochs: 3, BatchSize: 5, Shuffle: shuffle, Seed: seed}))
		return n.Params()
	}
	require.Equal(t, train(true, 1), train(true, 1))
	require.NotEqual(t, train(true, 1), train(true, 2))
	require.NotEqual(t, train(true, 1), train(false, 1))
}

// TestTrainFusedMatchesBatchOne: per-sample plain SGD through the fused
// kernel and through Backward + SGD.Step compute the same update up to
// rounding (float64: agreement to 1e-12 after an epoch of 100 steps).
func TestTrainFusedMatchesBatchOne(t *testing.T) {
	x, y := moons[float64](50, 0.1, 4)
	a := mustNew[float64](t, arch(BCE, []int{2, 8, 4, 1}, ReLU, Sigmoid, Sigmoid), 6)
	b := a.Clone()
	require.NoError(t, a.Train(x, y, NewSGD(a, 0.1), TrainConfig{Epochs: 1}))
	in, out := a.In(), a.Out()
	opt := NewSGD(b, 0.1)
	for s := range len(y) {
		b.Backward(x[s*in:(s+1)*in], y[s*out:(s+1)*out], nil)
		opt.Step()
	}
	require.InDeltaSlice(t, b.Params(), a.Params(), 1e-12)
	require.NotEqual(t, mustNew[float64](t, a.arch, 6).Params(), a.Params(), "training moved the weights")
}

// TestTrainFusedWeightDecay: per-sample SGD with weight decay also takes
// the fused path, which never writes the layers' gradients (Backward +
// SGD.Step would), and computes the update of Backward + SGD.Step up to
// rounding (float64: 1e-12 after 100 steps, with a λ large enough that
// a missing or doubled decay moves the weights by more than 1e-4).
func TestTrainFusedWeightDecay(t *testing.T) {
	x, y := moons[float64](50, 0.1, 4)
	forEachImpl(t, func(t *testing.T) {
		a := mustNew[float64](t, arch(BCE, []int{2, 8, 4, 1}, ReLU, Sigmoid, Sigmoid), 6)
		b, c := a.Clone(), a.Clone()
		optA := NewSGD(a, 0.1)
		optA.WeightDecay = 0.05
		require.NoError(t, a.Train(x, y, optA, TrainConfig{Epochs: 1}))
		for _, g := range a.Grads() {
			require.Zero(t, g, "the fused path does not use the gradients")
		}
		in, out := a.In(), a.Out()
		optB := NewSGD(b, 0.1)
		optB.WeightDecay = 0.05
		for s := range len(y) {
			b.Backward(x[s*in:(s+1)*in], y[s*out:(s+1)*out], nil)
			optB.Step()
		}
		require.InDeltaSlice(t, b.Params(), a.Params(), 1e-12)
		require.NoError(t, c.Train(x, y, NewSGD(c, 0.1), TrainConfig{Epochs: 1}))
		far := false
		for i, v := range c.Params() {
			far = far || math.Abs(v-a.Params()[i]) > 1e-4
		}
		require.True(t, far, "weight decay changed nothing")
	})
}

func TestTrainErrors(t *testing.T) {
	x, y := xorData[float32]()
	n := mustNew[float32](t, arch(BCE, []int{2, 2, 1}, Sigmoid, Sigmoid), 1)
	other := mustNew[float32](t, arch(BCE, []int{2, 2, 1}, Sigmoid, Sigmoid), 1)
	for name, err := range map[string]error{
		"no optimizer":      n.Train(x, y, nil, TrainConfig{Epochs: 1}),
		"another network":   n.Train(x, y, NewSGD(other, 0.1), TrainConfig{Epochs: 1}),
		"ragged x":          n.Train(x[:3], y, NewSGD(n, 0.1), TrainConfig{Epochs: 1}),
		"short y":           n.Train(x, y[:3], NewSGD(n, 0.1), TrainConfig{Epochs: 1}),
		"no samples":        n.Train(nil, nil, NewSGD(n, 0.1), TrainConfig{Epochs: 1}),
		"negative epochs":   n.Train(x, y, NewSGD(n, 0.1), TrainConfig{Epochs: -1}),
		"zero config":       n.Train(x, y, NewSGD(n, 0.1), TrainConfig{}),
		"negative batch":    n.Train(x, y, NewSGD(n, 0.1), TrainConfig{Epochs: 1, BatchSize: -2}),
		"adam, other's net": n.Train(x, y, NewAdam(other, 0.1), TrainConfig{Epochs: 1}),
	} {
		assert.Error(t, err, name)
	}
}

// TestTrainContinuesAcrossCalls: the epoch count lives with the network, so
// an outer loop of one-epoch Train calls shuffles every epoch afresh and
// trains bit for bit the weights of one call of as many epochs; and the
// orders of successive epochs differ.
func TestTrainContinuesAcrossCalls(t *testing.T) {
	x, y := moons[float32](60, 0.1, 3)
	for _, batch := range []int{1, 6} {
		a := mustNew[float32](t, arch(BCE, []int{2, 8, 1}, ReLU, Sigmoid), 5)
		b := a.Clone()
		cfg := TrainConfig{Epochs: 4, BatchSize: batch, Shuffle: true, Seed: 9}
		require.NoError(t, a.Train(x, y, NewSGD(a, 0.1), cfg))
		optB := NewSGD(b, 0.1)
		var epochs []int
		for range 4 {
			require.NoError(t, b.Train(x, y, optB, TrainConfig{Epochs: 1, BatchSize: batch, Shuffle: true, Seed: 9,
				OnEpoch: func(s EpochStats) error { epochs = append(epochs, s.Epoch); return nil }}))
		}
		require.Equal(t, a.Params(), b.Params(), "batch %d: 4 × Train(1 epoch) = Train(4 epochs)", batch)
		require.Equal(t, []int{1, 2, 3, 4}, epochs)
		require.Equal(t, 4, b.Epochs())
		require.Equal(t, 4, b.Clone().Epochs())
	}

	// The order of each epoch: a 1-1 identity network with MSE and plain
	// per-sample SGD at a tiny rate leaves each sample's loss a function of
	// its position, but the order itself is easiest seen directly.
	n := mustNew[float32](t, arch(MSE, []int{1, 1}, Identity), 1)
	tr := &trainer[float32]{n: n, cfg: TrainConfig{Shuffle: true, Seed: 1}, rows: 20, batch: 1,
		order: make([]int, 20), pcg: rand.NewPCG(0, 0)}
	tr.rng = rand.New(tr.pcg)
	tr.x, tr.y = make([]float32, 20), make([]float32, 20)
	tr.sgd = NewSGD(n, 1e-3)
	seen := map[string]bool{}
	for range 5 {
		_, err := tr.epoch()
		require.NoError(t, err)
		seen[fmt.Sprint(tr.order)] = true
	}
	require.Len(t, seen, 5, "five epochs, five orders")
}
