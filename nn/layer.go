package nn

import "fmt"

// Layer is one dense layer a = h(Wx + b) of a Network. The slices its methods
// return are views of the network's own storage, valid for the network's
// lifetime: writing to them changes the network.
type Layer[T Float] struct {
	in, out int
	act     Activation
	w, b    []T // out×in row-major, out
	dw, db  []T // ∂L/∂W, ∂L/∂b in the same layout
}

// In returns the number of inputs of the layer.
func (l *Layer[T]) In() int { return l.in }

// Out returns the number of outputs of the layer.
func (l *Layer[T]) Out() int { return l.out }

// Activation returns the layer's activation.
func (l *Layer[T]) Activation() Activation { return l.act }

// Weights returns the layer's Out()×In() weight matrix W, row-major as
// PyTorch's nn.Linear.weight: W[i*In()+j] connects input j to output i.
func (l *Layer[T]) Weights() []T { return l.w }

// Bias returns the layer's Out() biases.
func (l *Layer[T]) Bias() []T { return l.b }

// WeightGrad returns ∂L/∂W as the last Network.Backward left it, in the
// layout of Weights. Network.SGDStep and Train's per-sample plain SGD update
// the weights without storing the gradient here.
func (l *Layer[T]) WeightGrad() []T { return l.dw }

// BiasGrad returns ∂L/∂b as the last Network.Backward left it.
func (l *Layer[T]) BiasGrad() []T { return l.db }

// SetWeights copies w, an Out()×In() row-major matrix, into the layer's
// weights.
func (l *Layer[T]) SetWeights(w []T) error {
	if len(w) != len(l.w) {
		return fmt.Errorf("nn: SetWeights: len(w) = %d, want %d×%d = %d", len(w), l.out, l.in, len(l.w))
	}
	copy(l.w, w)
	return nil
}

// SetBias copies b, Out() values, into the layer's biases.
func (l *Layer[T]) SetBias(b []T) error {
	if len(b) != len(l.b) {
		return fmt.Errorf("nn: SetBias: len(b) = %d, want %d", len(b), l.out)
	}
	copy(l.b, b)
	return nil
}
