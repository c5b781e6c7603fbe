package nn

import (
	"fmt"
	"math"
)

// Schedule gives the learning rate of every epoch. Train, given one in
// TrainConfig.Schedule, sets the optimizer's learning rate (SetLR) to
// LR(e) before epoch e, where e is the network's 0-based epoch number
// (Network.Epochs before the epoch), so a schedule carries on across Train
// calls as the shuffling does. LR must return a finite rate > 0; Train stops
// with an error naming the epoch otherwise.
//
// StepLR and CosineLR are PyTorch's StepLR and CosineAnnealingLR; any other
// rule is a ScheduleFunc or a type of your own with this method.
type Schedule interface {
	LR(epoch int) float64
}

// LRSetter is an optimizer whose learning rate a Schedule can set; SGD,
// Adam and AdamW are.
type LRSetter interface {
	SetLR(lr float64)
}

// ScheduleFunc is a Schedule written as a function of the 0-based epoch:
//
//	nn.ScheduleFunc(func(e int) float64 { return 0.1 * min(1, float64(e+1)/5) }) // 5 epochs of warm-up
type ScheduleFunc func(epoch int) float64

// LR returns f(epoch).
func (f ScheduleFunc) LR(epoch int) float64 { return f(epoch) }

// StepLR multiplies the learning rate by Gamma every StepSize epochs, as
// PyTorch's torch.optim.lr_scheduler.StepLR:
//
//	lr(e) = Initial · Gamma^⌊e/StepSize⌋
type StepLR struct {
	Initial  float64 // the rate of the first StepSize epochs, finite and > 0
	StepSize int     // epochs between decays, ≥ 1
	Gamma    float64 // the factor, finite and > 0 (0.1 is usual)
}

// LR returns Initial·Gamma^⌊epoch/StepSize⌋.
func (s StepLR) LR(epoch int) float64 {
	return s.Initial * math.Pow(s.Gamma, float64(epoch/max(s.StepSize, 1)))
}

// Validate returns an error naming the first field that makes no sense.
func (s StepLR) Validate() error {
	if s.StepSize < 1 {
		return fmt.Errorf("StepLR.StepSize = %d, want ≥ 1", s.StepSize)
	}
	return firstError(positive("StepLR", "Initial", s.Initial), positive("StepLR", "Gamma", s.Gamma))
}

// CosineLR anneals the learning rate from Initial to Min along half a
// cosine over Epochs epochs, as PyTorch's
// torch.optim.lr_scheduler.CosineAnnealingLR (T_max = Epochs, eta_min =
// Min) in its closed form:
//
//	lr(e) = Min + (Initial − Min)·(1 + cos(π·e/Epochs))/2
//
// so lr(0) = Initial and lr(Epochs) = Min; past Epochs the rate climbs
// again, as PyTorch's does. Min must be > 0 (a rate of 0 trains nothing).
type CosineLR struct {
	Initial float64 // the rate of epoch 0, finite and > 0
	Min     float64 // the rate of epoch Epochs, finite and > 0
	Epochs  int     // the half period, ≥ 1
}

// LR returns Min + (Initial − Min)·(1 + cos(π·epoch/Epochs))/2.
func (s CosineLR) LR(epoch int) float64 {
	return s.Min + (s.Initial-s.Min)*(1+math.Cos(math.Pi*float64(epoch)/float64(max(s.Epochs, 1))))/2
}

// Validate returns an error naming the first field that makes no sense.
func (s CosineLR) Validate() error {
	if s.Epochs < 1 {
		return fmt.Errorf("CosineLR.Epochs = %d, want ≥ 1", s.Epochs)
	}
	return firstError(positive("CosineLR", "Initial", s.Initial), positive("CosineLR", "Min", s.Min))
}

// scheduleLR returns the rate s gives for epoch, or an error unless it is
// finite and > 0.
func scheduleLR(s Schedule, epoch int) (float64, error) {
	lr := s.LR(epoch)
	if !(lr > 0) || math.IsInf(lr, 1) {
		return 0, fmt.Errorf("TrainConfig.Schedule gives LR = %v for epoch %d, want a finite value > 0", lr, epoch)
	}
	return lr, nil
}
