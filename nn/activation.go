package nn

import (
	"fmt"

	"github.com/simdnn/simdnn/kernels"
)

// Activation is the function h a layer applies to its pre-activation
// z = Wx + b. It is the fused dense kernels' activation itself, not a copy
// translated to it: a layer can have exactly the activations the kernels
// compute, so the two sets are one. Its String method spells the names
// ParseActivation reads: "identity", "sigmoid" and "relu".
type Activation = kernels.Activation

// The activations a layer can have.
const (
	Identity = kernels.Identity // h(z) = z
	Sigmoid  = kernels.Sigmoid  // h(z) = σ(z) = 1/(1+e⁻ᶻ)
	ReLU     = kernels.ReLU     // h(z) = max(z, 0), with ReLU′(0) = 0
)

// ParseActivation returns the activation named s, as its String method
// spells it.
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

// validActivation reports whether h is one of the activations above. It is a
// function, not a method, because Activation is declared in kernels.
func validActivation(h Activation) bool {
	return h >= Identity && h <= ReLU
}

// backward turns g = ∂L/∂a into δ = ∂L/∂z = g ⊙ h′(z) in place, given the
// layer's output a = h(z): one sample or a whole block of rows.
func backward[T Float](k *kernels.Funcs[T], h Activation, g, a []T) {
	switch h {
	case Sigmoid:
		k.SigmoidBackward(g, g, a)
	case ReLU:
		k.ReluBackward(g, g, a)
	}
}
