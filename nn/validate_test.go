package nn

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestHyperparameters: every hyperparameter that makes no sense is refused
// with a message naming the field and the value: by Train as an error
// before it changes the network, by Step and the constructors as a panic.
func TestHyperparameters(t *testing.T) {
	x, y := xorData[float32]()
	n := mustNew[float32](t, arch(BCE, []int{2, 2, 1}, Sigmoid, Sigmoid), 1)
	before := append([]float32(nil), n.Params()...)
	nan, inf := math.NaN(), math.Inf(1)
	sgd := func(f func(*SGD[float32])) Optimizer[float32] { o := NewSGD(n, 0.1); f(o); return o }
	adam := func(f func(*Adam[float32])) Optimizer[float32] { o := NewAdam(n, 0.1); f(o); return o }
	adamW := func(f func(*AdamW[float32])) Optimizer[float32] { o := NewAdamW(n, 0.1); f(o); return o }
	for _, c := range []struct {
		opt  Optimizer[float32]
		want string
	}{
		{sgd(func(o *SGD[float32]) { o.LR = -1 }), "SGD.LR = -1, want a finite value > 0"},
		{sgd(func(o *SGD[float32]) { o.LR = 0 }), "SGD.LR = 0, want a finite value > 0"},
		{sgd(func(o *SGD[float32]) { o.LR = nan }), "SGD.LR = NaN, want a finite value > 0"},
		{sgd(func(o *SGD[float32]) { o.LR = inf }), "SGD.LR = +Inf, want a finite value > 0"},
		{sgd(func(o *SGD[float32]) { o.Momentum = 5 }), "SGD.Momentum = 5, want 0 ≤ Momentum < 1"},
		{sgd(func(o *SGD[float32]) { o.Momentum = -0.1 }), "SGD.Momentum = -0.1, want 0 ≤ Momentum < 1"},
		{sgd(func(o *SGD[float32]) { o.WeightDecay = -1 }), "SGD.WeightDecay = -1, want a finite value ≥ 0"},
		{adam(func(o *Adam[float32]) { o.LR = nan }), "Adam.LR = NaN, want a finite value > 0"},
		{adam(func(o *Adam[float32]) { o.Beta1 = 1 }), "Adam.Beta1 = 1, want 0 ≤ Beta1 < 1"},
		{adam(func(o *Adam[float32]) { o.Beta2 = -0.5 }), "Adam.Beta2 = -0.5, want 0 ≤ Beta2 < 1"},
		{adam(func(o *Adam[float32]) { o.Eps = -1e-8 }), "Adam.Eps = -1e-08, want a finite value ≥ 0"},
		{adam(func(o *Adam[float32]) { o.WeightDecay = inf }), "Adam.WeightDecay = +Inf, want a finite value ≥ 0"},
		{adamW(func(o *AdamW[float32]) { o.WeightDecay = -0.01 }), "AdamW.WeightDecay = -0.01, want a finite value ≥ 0"},
		{adamW(func(o *AdamW[float32]) { o.Beta1 = nan }), "AdamW.Beta1 = NaN, want 0 ≤ Beta1 < 1"},
	} {
		err := n.Train(x, y, c.opt, TrainConfig{Epochs: 1})
		require.EqualError(t, err, "nn: Train: "+c.want)
		require.Equal(t, before, n.Params(), "%s: Train changed nothing", c.want)
		fn := map[string]string{"*nn.SGD[float32]": "SGD.Step", "*nn.Adam[float32]": "Adam.Step", "*nn.AdamW[float32]": "AdamW.Step"}[fmt.Sprintf("%T", c.opt)]
		require.PanicsWithValue(t, "nn: "+fn+": "+c.want, c.opt.Step)
		require.Equal(t, before, n.Params(), "%s: Step changed nothing", c.want)
	}

	for _, c := range []struct {
		want string
		f    func()
	}{
		{"nn: NewSGD: lr = -1, want a finite value > 0", func() { NewSGD(n, -1) }},
		{"nn: NewSGD: lr = NaN, want a finite value > 0", func() { NewSGD(n, nan) }},
		{"nn: NewSGD: nil network", func() { NewSGD[float32](nil, 0.1) }},
		{"nn: NewAdam: lr = 0, want a finite value > 0", func() { NewAdam(n, 0) }},
		{"nn: NewAdam: nil network", func() { NewAdam[float64](nil, 0.1) }},
		{"nn: NewAdamW: lr = +Inf, want a finite value > 0", func() { NewAdamW(n, inf) }},
	} {
		require.PanicsWithValue(t, c.want, c.f)
	}

	for cfg, want := range map[*TrainConfig]string{
		{}:                         "nn: Train: TrainConfig.Epochs = 0, want ≥ 1",
		{Epochs: -3}:               "nn: Train: TrainConfig.Epochs = -3, want ≥ 1",
		{Epochs: 1, BatchSize: -1}: "nn: Train: TrainConfig.BatchSize = -1, want ≥ 0 (0 means 1)",
	} {
		require.EqualError(t, n.Train(x, y, NewSGD(n, 0.1), *cfg), want)
	}
	require.Equal(t, before, n.Params())
	require.Zero(t, n.Epochs())

	// A field OnEpoch sets to nonsense stops the next epoch.
	opt := NewSGD(n, 0.1)
	err := n.Train(x, y, opt, TrainConfig{Epochs: 3, OnEpoch: func(EpochStats) error { opt.Momentum = 2; return nil }})
	require.EqualError(t, err, "nn: Train: SGD.Momentum = 2, want 0 ≤ Momentum < 1")
	require.Equal(t, 1, n.Epochs())
}
