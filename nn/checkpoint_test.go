package nn

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// stateful is an optimizer with a checkpoint.
type stateful[T Float] interface {
	Optimizer[T]
	SaveState(path string) error
	LoadState(path string) error
}

// TestResumeBitIdentical: two epochs in one run, and one epoch, then the
// model and optimizer state saved, loaded into a new network and optimizer
// (made with other hyperparameters, which the state replaces), then one more
// epoch, give the same weights bit for bit: for every optimizer, shuffled
// mini-batches, both element types, and per-sample plain SGD (the fused
// path), with a schedule.
func TestResumeBitIdentical(t *testing.T) {
	testResume[float32](t)
	testResume[float64](t)
}

func testResume[T Float](t *testing.T) {
	x, y := moons[T](80, 0.1, 3)
	a := arch(BCE, []int{2, 8, 4, 1}, ReLU, Sigmoid, Sigmoid)
	for _, c := range []struct {
		name  string
		batch int
		make  func(n *Network[T]) stateful[T]
	}{
		{"sgd momentum", 8, func(n *Network[T]) stateful[T] {
			o := NewSGD(n, 0.05)
			o.Momentum, o.WeightDecay = 0.9, 1e-3
			return o
		}},
		{"sgd per-sample fused", 1, func(n *Network[T]) stateful[T] { o := NewSGD(n, 0.05); o.WeightDecay = 1e-3; return o }},
		{"adam", 8, func(n *Network[T]) stateful[T] { o := NewAdam(n, 0.01); o.WeightDecay = 1e-4; return o }},
		{"adamw", 5, func(n *Network[T]) stateful[T] { return NewAdamW(n, 0.01) }},
	} {
		cfg := TrainConfig{BatchSize: c.batch, Shuffle: true, Seed: 11,
			Schedule: ScheduleFunc(func(e int) float64 { return 0.01 / float64(e+1) })}
		straight := mustNew[T](t, a, 2)
		cfg.Epochs = 2
		require.NoError(t, straight.Train(x, y, c.make(straight), cfg))

		first := mustNew[T](t, a, 2)
		opt := c.make(first)
		cfg.Epochs = 1
		require.NoError(t, first.Train(x, y, opt, cfg))
		dir := t.TempDir()
		model, state := filepath.Join(dir, "model.safetensors"), filepath.Join(dir, "model.optim.safetensors")
		require.NoError(t, first.Save(model, nil))
		require.NoError(t, opt.SaveState(state))

		resumed, _, err := Load[T](model)
		require.NoError(t, err)
		require.Zero(t, resumed.Epochs())
		opt2 := c.make(resumed)
		if s, ok := opt2.(*SGD[T]); ok {
			s.Momentum = 0.5 // restored from the state
		}
		require.NoError(t, opt2.LoadState(state))
		require.Equal(t, 1, resumed.Epochs())
		require.NoError(t, resumed.Train(x, y, opt2, cfg))
		require.Equal(t, 2, resumed.Epochs())
		for i, p := range straight.Params() {
			require.Equal(t, math.Float64bits(float64(p)), math.Float64bits(float64(resumed.Params()[i])),
				"%s: parameter %d: %v straight, %v resumed", c.name, i, p, resumed.Params()[i])
		}
	}
}

// TestLoadStateRejects: a state file of another optimizer, of a network of
// another size, or no state file at all is an error that changes nothing.
func TestLoadStateRejects(t *testing.T) {
	dir := t.TempDir()
	n := mustNew[float32](t, arch(MSE, []int{3, 2, 1}, ReLU, Identity), 1)
	adam := NewAdam(n, 0.01)
	adam.Step()
	path := filepath.Join(dir, "adam.safetensors")
	require.NoError(t, adam.SaveState(path))

	sgd := NewSGD(n, 0.1)
	err := sgd.LoadState(path)
	require.ErrorContains(t, err, "the state of a adam optimizer, not of sgd")
	require.Equal(t, 0.1, sgd.LR)

	big := mustNew[float32](t, arch(MSE, []int{3, 4, 1}, ReLU, Identity), 1)
	other := NewAdam(big, 0.02)
	require.ErrorContains(t, other.LoadState(path), "the state of a network of 11 parameters, this one has 21")
	require.Equal(t, 0.02, other.LR)
	require.Zero(t, other.t)

	model := filepath.Join(dir, "model.safetensors")
	require.NoError(t, n.Save(model, nil))
	require.ErrorContains(t, NewAdam(n, 0.01).LoadState(model), `not an optimizer state: __metadata__ has no "simdnn.optimizer"`)
	require.ErrorContains(t, NewAdamW(n, 0.01).LoadState(filepath.Join(dir, "missing")), "nn: load state: ")

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	short := filepath.Join(dir, "short.safetensors")
	require.NoError(t, os.WriteFile(short, data[:len(data)-4], 0o644))
	fresh := NewAdam(n, 0.01)
	require.Error(t, fresh.LoadState(short))
	require.Zero(t, fresh.t)
}

// TestTrainContext: a context cancelled between epochs or in the middle of
// one stops training before the next step with ctx.Err(); the epoch cut
// short does not count.
func TestTrainContext(t *testing.T) {
	x, y := moons[float32](40, 0.1, 3)
	n := mustNew[float32](t, arch(BCE, []int{2, 4, 1}, ReLU, Sigmoid), 1)
	ctx, cancel := context.WithCancel(context.Background())
	err := n.TrainContext(ctx, x, y, NewSGD(n, 0.1), TrainConfig{Epochs: 5, OnEpoch: func(EpochStats) error {
		cancel()
		return nil
	}})
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, 1, n.Epochs())

	ctx, cancel = context.WithCancel(context.Background())
	steps := 0
	opt := &cancelAfter{n: 3, cancel: cancel, steps: &steps}
	err = n.TrainContext(ctx, x, y, opt, TrainConfig{Epochs: 2, BatchSize: 4})
	require.True(t, errors.Is(err, context.Canceled))
	require.Equal(t, 3, steps, "no step after the cancellation")
	require.Equal(t, 1, n.Epochs())

	require.ErrorIs(t, n.TrainContext(ctx, x, y, NewSGD(n, 0.1), TrainConfig{Epochs: 1}), context.Canceled)
	require.Equal(t, 1, n.Epochs())
}

// cancelAfter is an optimizer that cancels a context at its n-th step.
type cancelAfter struct {
	n      int
	cancel func()
	steps  *int
}

func (c *cancelAfter) Step() {
	*c.steps++
	if *c.steps == c.n {
		c.cancel()
	}
}
