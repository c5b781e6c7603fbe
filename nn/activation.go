package nn

import (
	"fmt"
	"slices"
	"strings"

	"github.com/simdnn/simdnn/kernels"
)

// Activation is the function h a layer applies to its pre-activation
// z = Wx + b. It is the fused dense kernels' activation itself, not a copy
// translated to it: a layer can have exactly the activations the kernels
// compute, so the two sets are one. Its String method spells the names
// ParseActivation reads: "identity", "sigmoid", "relu" and "tanh".
type Activation = kernels.Activation

// The activations a layer can have.
const (
	Identity = kernels.Identity // h(z) = z
	Sigmoid  = kernels.Sigmoid  // h(z) = σ(z) = 1/(1+e⁻ᶻ)
	ReLU     = kernels.ReLU     // h(z) = max(z, 0), with ReLU′(0) = 0
	Tanh     = kernels.Tanh     // h(z) = tanh(z), with tanh′ = 1 − a²
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
	var names []string
	for _, h := range kernels.Activations() {
		if s == h.String() {
			return h, nil
		}
		names = append(names, h.String())
	}
	return 0, fmt.Errorf("unknown activation %q (want one of %s)", s, strings.Join(names, ", "))
}

// validActivation reports whether h is one of the activations above. It is a
// function, not a method, because Activation is declared in kernels.
func validActivation(h Activation) bool {
	return slices.Contains(kernels.Activations(), h)
}

// backward turns g = ∂L/∂a into δ = ∂L/∂z = g ⊙ h′(z) in place, given the
// layer's output a = h(z): one sample or a whole block of rows.
func backward[T Float](k *kernels.Funcs[T], h Activation, g, a []T) {
	switch h {
	case Sigmoid:
		k.SigmoidBackward(g, g, a)
	case ReLU:
		k.ReluBackward(g, g, a)
	case Tanh:
		k.TanhBackward(g, g, a)
	}
}
