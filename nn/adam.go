package nn

import (
	"math"

	"github.com/simdnn/simdnn/kernels"
)

// Adam is the Adam optimizer (Kingma and Ba, 2015) as PyTorch's
// torch.optim.Adam computes it: with g the gradient and t the step number,
//
//	g ← g + WeightDecay·w
//	m ← β₁m + (1−β₁)g,   v ← β₂v + (1−β₂)g²
//	w ← w − LR·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + Eps)
//
// Its weight decay is an L2 penalty added to the gradient, which the
// moments then rescale; AdamW decouples it. An Adam is bound to the network
// it was made for and is not safe for concurrent use.
type Adam[T Float] struct {
	LR           float64 // learning rate, finite and > 0; 0.001 is usual
	Beta1, Beta2 float64 // decay rates of the moment estimates in [0, 1), 0.9 and 0.999 by default
	Eps          float64 // added to the denominator, ≥ 0, 1e-8 by default
	WeightDecay  float64 // L2 penalty coefficient, ≥ 0 (not decoupled as in AdamW); 0 for none

	n *Network[T]
	moments[T]
}

// AdamW is Adam with decoupled weight decay (Loshchilov and Hutter, 2019) as
// PyTorch's torch.optim.AdamW computes it: the weights decay first, by a
// factor that does not pass through the moments, and the gradient is not
// changed:
//
//	w ← (1 − LR·WeightDecay)·w
//	m ← β₁m + (1−β₁)g,   v ← β₂v + (1−β₂)g²
//	w ← w − LR·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + Eps)
//
// An AdamW is bound to the network it was made for and is not safe for
// concurrent use.
type AdamW[T Float] struct {
	LR           float64 // learning rate, finite and > 0; 0.001 is usual
	Beta1, Beta2 float64 // decay rates of the moment estimates in [0, 1), 0.9 and 0.999 by default
	Eps          float64 // added to the denominator, ≥ 0, 1e-8 by default
	WeightDecay  float64 // decoupled weight decay λ, ≥ 0, 0.01 by default (PyTorch's)

	n *Network[T]
	moments[T]
}

// moments is the state Adam and AdamW keep: the first and second moment
// estimates of every parameter and the number of steps taken.
type moments[T Float] struct {
	m, v []T
	t    int

	// The step in progress: its coefficients and network, for update.
	coef  kernels.AdamCoefs[T]
	net   *Network[T]
	split paramSplit
}

func newMoments[T Float](n *Network[T]) moments[T] {
	return moments[T]{m: make([]T, len(n.params)), v: make([]T, len(n.params))}
}

// NewAdam returns Adam with learning rate lr and PyTorch's defaults
// β₁ = 0.9, β₂ = 0.999, ε = 1e-8 for n. It panics unless n is a network and
// lr is finite and > 0.
func NewAdam[T Float](n *Network[T], lr float64) *Adam[T] {
	if n == nil {
		panic("nn: NewAdam: nil network")
	}
	mustValid("NewAdam", positive("", "lr", lr))
	return &Adam[T]{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, n: n, moments: newMoments(n)}
}

// NewAdamW returns AdamW with learning rate lr and PyTorch's defaults
// β₁ = 0.9, β₂ = 0.999, ε = 1e-8 and weight decay 0.01 for n. It panics
// unless n is a network and lr is finite and > 0.
func NewAdamW[T Float](n *Network[T], lr float64) *AdamW[T] {
	if n == nil {
		panic("nn: NewAdamW: nil network")
	}
	mustValid("NewAdamW", positive("", "lr", lr))
	return &AdamW[T]{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.01, n: n, moments: newMoments(n)}
}

func (o *Adam[T]) network() *Network[T]  { return o.n }
func (o *AdamW[T]) network() *Network[T] { return o.n }

// SetLR sets LR: the method a Schedule calls through Train.
func (o *Adam[T]) SetLR(lr float64) { o.LR = lr }

// SetLR sets LR: the method a Schedule calls through Train.
func (o *AdamW[T]) SetLR(lr float64) { o.LR = lr }

// Validate returns an error naming the first field that makes no sense:
// LR must be finite and > 0, Beta1 and Beta2 in [0, 1), Eps and WeightDecay
// finite and ≥ 0.
func (o *Adam[T]) Validate() error {
	return validateAdam("Adam", o.LR, o.Beta1, o.Beta2, o.Eps, o.WeightDecay)
}

// Validate returns an error naming the first field that makes no sense,
// as Adam's Validate.
func (o *AdamW[T]) Validate() error {
	return validateAdam("AdamW", o.LR, o.Beta1, o.Beta2, o.Eps, o.WeightDecay)
}

func validateAdam(name string, lr, b1, b2, eps, wd float64) error {
	return firstError(
		positive(name, "LR", lr),
		fraction(name, "Beta1", b1),
		fraction(name, "Beta2", b2),
		nonNegative(name, "Eps", eps),
		nonNegative(name, "WeightDecay", wd))
}

// Step applies one Adam update with the gradients in the network's layers.
// It panics if a field makes no sense (see Validate).
func (o *Adam[T]) Step() {
	mustValid("Adam.Step", o.Validate())
	o.n.guard.write("Adam.Step")
	defer o.n.guard.unwrite()
	o.step()
}

// Step applies one AdamW update with the gradients in the network's
// layers. It panics if a field makes no sense (see Validate).
func (o *AdamW[T]) Step() {
	mustValid("AdamW.Step", o.Validate())
	o.n.guard.write("AdamW.Step")
	defer o.n.guard.unwrite()
	o.step()
}

func (o *Adam[T]) step() {
	o.moments.step(o.n, o.LR, o.Beta1, o.Beta2, o.Eps, o.WeightDecay, 1)
}

func (o *AdamW[T]) step() {
	o.moments.step(o.n, o.LR, o.Beta1, o.Beta2, o.Eps, 0, T(1-o.LR*o.WeightDecay))
}

// step is one update of Adam's rule with the L2 penalty l2 added to the
// gradient and each weight first scaled by decay (AdamW's decoupled
// decay; 1 for Adam), in one pass over the parameters (kernels.Sadam).
func (s *moments[T]) step(n *Network[T], lr, beta1, beta2, eps, l2 float64, decay T) {
	s.t++
	s.coef = kernels.AdamCoefs[T]{
		Decay: decay, L2: T(l2), Beta1: T(beta1), Beta2: T(beta2),
		StepSize: T(lr / (1 - math.Pow(beta1, float64(s.t)))),
		InvBias2: T(1 / math.Sqrt(1-math.Pow(beta2, float64(s.t)))),
		Eps:      T(eps),
	}
	s.net = n
	s.split.run(len(n.params), s)
	s.net = nil
}

// update applies the step to parameters lo to hi−1.
func (s *moments[T]) update(lo, hi int) {
	n := s.net
	n.k.Adam(s.coef, n.params[lo:hi], n.grads[lo:hi], s.m[lo:hi], s.v[lo:hi])
}
