package nn

import (
	"fmt"

	"github.com/simdnn/simdnn/kernels"
)

// Activation is the function h a layer applies to its pre-activation
// z = Wx + b.
type Activation int

// The activations a layer can have.
const (
	Identity Activation = iota // h(z) = z
	Sigmoid                    // h(z) = σ(z) = 1/(1+e⁻ᶻ)
	ReLU                       // h(z) = max(z, 0), with ReLU′(0) = 0
)

// String returns the activation's name as ParseActivation reads it:
// "identity", "sigmoid" or "relu".
func (h Activation) String() string {
	switch h {
	case Identity:
		return "identity"
	case Sigmoid:
		return "sigmoid"
	case ReLU:
		return "relu"
	}
	return fmt.Sprintf("Activation(%d)", int(h))
}

// ParseActivation returns the activation named s, as String spells it.
func ParseActivation(s string) (Activation, error) {
	h, err := parseActivation(s)
	if err != nil {
		return 0, fmt.Errorf("nn: %w", err)
	}
	return h, nil
}

func parseActivation(s string) (Activation, error) {
	for _, h := range []Activation{Identity, Sigmoid, ReLU} {
		if s == h.String() {
			return h, nil
		}
	}
	return 0, fmt.Errorf("unknown activation %q (want identity, sigmoid or relu)", s)
}

func (h Activation) valid() bool {
	return h >= Identity && h <= ReLU
}

// kernel returns the kernels package's name for h.
func (h Activation) kernel() kernels.Activation {
	switch h {
	case Sigmoid:
		return kernels.Sigmoid
	case ReLU:
		return kernels.ReLU
	}
	return kernels.Identity
}

// backward turns g = ∂L/∂a into δ = ∂L/∂z = g ⊙ h′(z) in place, given the
// layer's output a = h(z).
func backward[T Float](k *ops[T], h Activation, g, a []T) {
	switch h {
	case Sigmoid:
		k.sigmoidBackward(g, g, a)
	case ReLU:
		k.reluBackward(g, g, a)
	}
}
