package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSchedules: StepLR and CosineLR give PyTorch's closed forms, and a
// ScheduleFunc is its function.
func TestSchedules(t *testing.T) {
	step := StepLR{Initial: 0.1, StepSize: 10, Gamma: 0.5}
	for e, want := range map[int]float64{0: 0.1, 9: 0.1, 10: 0.05, 19: 0.05, 20: 0.025, 35: 0.0125} {
		require.InDelta(t, want, step.LR(e), 1e-17, "StepLR epoch %d", e)
	}
	cos := CosineLR{Initial: 0.1, Min: 0.001, Epochs: 10}
	for e, want := range map[int]float64{0: 0.1, 5: 0.0505, 10: 0.001, 20: 0.1} {
		require.InDelta(t, want, cos.LR(e), 1e-16, "CosineLR epoch %d", e)
	}
	require.InDelta(t, 0.001+0.099*(1+math.Cos(math.Pi*3/10))/2, cos.LR(3), 1e-17)
	f := ScheduleFunc(func(e int) float64 { return float64(e + 1) })
	require.Equal(t, 4.0, f.LR(3))
}

// TestTrainSchedule: Train sets the optimizer's rate from the schedule
// before every epoch, counting epochs with the network across calls, and
// refuses a schedule that makes no sense or gives a rate that does not.
func TestTrainSchedule(t *testing.T) {
	x, y := xorData[float32]()
	n := mustNew[float32](t, arch(BCE, []int{2, 2, 1}, Sigmoid, Sigmoid), 1)
	for _, opt := range []interface {
		Optimizer[float32]
		LRSetter
	}{NewSGD(n, 1), NewAdam(n, 1), NewAdamW(n, 1)} {
		n.epochs = 0
		var rates []float64
		sched := StepLR{Initial: 0.1, StepSize: 2, Gamma: 0.1}
		cfg := TrainConfig{Epochs: 3, Schedule: sched, OnEpoch: func(EpochStats) error {
			rates = append(rates, lrOf(opt))
			return nil
		}}
		require.NoError(t, n.Train(x, y, opt, cfg))
		cfg.Epochs = 2
		require.NoError(t, n.Train(x, y, opt, cfg))
		require.InDeltaSlice(t, []float64{0.1, 0.1, 0.01, 0.01, 0.001}, rates, 1e-16, "%T", opt)
	}

	for _, c := range []struct {
		s    Schedule
		want string
	}{
		{StepLR{Initial: 0.1, Gamma: 0.1}, "nn: Train: StepLR.StepSize = 0, want ≥ 1"},
		{StepLR{Initial: -1, StepSize: 1, Gamma: 0.1}, "nn: Train: StepLR.Initial = -1, want a finite value > 0"},
		{CosineLR{Initial: 0.1, Epochs: 10}, "nn: Train: CosineLR.Min = 0, want a finite value > 0"},
		{CosineLR{Initial: 0.1, Min: 0.01}, "nn: Train: CosineLR.Epochs = 0, want ≥ 1"},
		{ScheduleFunc(func(e int) float64 { return math.NaN() }),
			"nn: Train: TrainConfig.Schedule gives LR = NaN for epoch 5, want a finite value > 0"},
	} {
		n.epochs = 5
		require.EqualError(t, n.Train(x, y, NewSGD(n, 1), TrainConfig{Epochs: 1, Schedule: c.s}), c.want)
		require.Equal(t, 5, n.Epochs())
	}
	var custom Optimizer[float32] = stepCounter{}
	require.EqualError(t, n.Train(x, y, custom, TrainConfig{Epochs: 1, Schedule: StepLR{Initial: 1, StepSize: 1, Gamma: 1}}),
		"nn: Train: TrainConfig.Schedule needs an optimizer with SetLR, have nn.stepCounter")
}

type stepCounter struct{}

func (stepCounter) Step() {}

func lrOf(o any) float64 {
	switch o := o.(type) {
	case *SGD[float32]:
		return o.LR
	case *Adam[float32]:
		return o.LR
	case *AdamW[float32]:
		return o.LR
	}
	return 0
}
