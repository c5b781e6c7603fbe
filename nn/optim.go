package nn

// Optimizer updates a network's weights and biases from the gradients that
// Network.Backward left in its layers: PyTorch's optimizer.step(). SGD, Adam
// and AdamW are the ones this package provides; other implementations can
// work on Network.Params and Network.Grads (Train calls their Step while it
// holds the network, so Step must not call the network's training methods).
type Optimizer[T Float] interface {
	// Step applies one update to the network the optimizer was made for.
	// It must not allocate once warmed up.
	Step()
}

// SGD is stochastic gradient descent with momentum and weight decay, as
// PyTorch's torch.optim.SGD (dampening 0, not Nesterov): with g the gradient,
//
//	g ← g + WeightDecay·w
//	v ← Momentum·v + g        (v starts at 0; skipped when Momentum = 0)
//	w ← w − LR·v              (w − LR·g when Momentum = 0)
//
// for every weight and bias. The fields may be changed between steps (for a
// learning-rate schedule, say, from Train's OnEpoch). An SGD is bound to the
// network it was made for and is not safe for concurrent use.
type SGD[T Float] struct {
	LR          float64 // learning rate, finite and > 0
	Momentum    float64 // in [0, 1): 0 for plain SGD; 0.9 is usual
	WeightDecay float64 // L2 penalty coefficient, ≥ 0; 0 for none

	n     *Network[T]
	buf   []T // the velocity v, allocated at the first step with momentum
	split paramSplit
}

// NewSGD returns plain SGD with learning rate lr for n; set Momentum and
// WeightDecay on the result for more. It panics unless n is a network and
// lr is finite and > 0.
func NewSGD[T Float](n *Network[T], lr float64) *SGD[T] {
	if n == nil {
		panic("nn: NewSGD: nil network")
	}
	mustValid("NewSGD", positive("", "lr", lr))
	return &SGD[T]{LR: lr, n: n}
}

// Validate returns an error naming the first field that makes no sense:
// LR must be finite and > 0, Momentum in [0, 1), WeightDecay finite and
// ≥ 0.
func (o *SGD[T]) Validate() error {
	return firstError(
		positive("SGD", "LR", o.LR),
		fraction("SGD", "Momentum", o.Momentum),
		nonNegative("SGD", "WeightDecay", o.WeightDecay))
}

func (o *SGD[T]) network() *Network[T] { return o.n }

// SetLR sets LR: the method a Schedule calls through Train.
func (o *SGD[T]) SetLR(lr float64) { o.LR = lr }

// fusable reports whether a step is w ← decay·w − LR·g, which per-sample
// training can fuse into the backward pass: no momentum.
func (o *SGD[T]) fusable() bool { return o.Momentum == 0 }

// decay returns the factor 1 − LR·WeightDecay by which a step without
// momentum scales w before subtracting LR·g, as Step computes it.
func (o *SGD[T]) decay() T { return T(1 - o.LR*o.WeightDecay) }

// Step applies one SGD update with the gradients in the network's layers.
//
// It panics if a field makes no sense (see Validate).
func (o *SGD[T]) Step() {
	mustValid("SGD.Step", o.Validate())
	o.n.guard.write("SGD.Step")
	defer o.n.guard.unwrite()
	o.step()
}

func (o *SGD[T]) step() {
	if o.Momentum != 0 && o.buf == nil {
		o.buf = make([]T, len(o.n.params))
	}
	o.split.run(len(o.n.params), o)
}

// update applies the step to parameters lo to hi−1.
func (o *SGD[T]) update(lo, hi int) {
	k, w, g := o.n.k, o.n.params[lo:hi], o.n.grads[lo:hi]
	lr := T(o.LR)
	if o.Momentum == 0 {
		if o.WeightDecay != 0 {
			k.Scal(o.decay(), w) // w − lr·(g + λw) = (1 − lr·λ)w − lr·g
		}
		k.Axpy(-lr, g, w)
		return
	}
	buf := o.buf[lo:hi]
	k.Scal(T(o.Momentum), buf)
	k.Axpy(1, g, buf)
	if o.WeightDecay != 0 {
		k.Axpy(T(o.WeightDecay), w, buf)
	}
	k.Axpy(-lr, buf, w)
}
