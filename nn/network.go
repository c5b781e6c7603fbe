package nn

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strings"

	"github.com/simdnn/simdnn/kernels"
)

// Architecture describes a network: its layer widths, each layer's activation
// and the loss it is trained with.
type Architecture struct {
	// Sizes holds the width of the input followed by the width of each
	// layer's output: []int{784, 256, 128, 10} is three layers.
	Sizes []int
	// Activations holds one activation per layer, len(Sizes)−1 of them.
	Activations []Activation
	// Loss is the training loss. BCE needs a Sigmoid output layer and
	// SoftmaxCrossEntropy an Identity one (its outputs are logits).
	Loss Loss
}

// maxWidth bounds every layer width, so that sizes in a file can be
// multiplied without overflow.
const maxWidth = 1 << 30

// maxLayers bounds the number of layers of a network (and of a file).
const maxLayers = 4096

// Validate reports whether a describes a network New can make: at least one
// and at most 4096 layers, widths from 1 to 2³⁰, known activations, and a
// loss that suits the output layer.
func (a Architecture) Validate() error {
	if err := a.validate(); err != nil {
		return fmt.Errorf("nn: %w", err)
	}
	return nil
}

func (a Architecture) validate() error {
	if len(a.Sizes) < 2 || len(a.Sizes) > maxLayers+1 {
		return fmt.Errorf("architecture: %d sizes, want the input width and 1 to %d layers", len(a.Sizes), maxLayers)
	}
	if len(a.Activations) != len(a.Sizes)-1 {
		return fmt.Errorf("architecture: %d activations for %d layers", len(a.Activations), len(a.Sizes)-1)
	}
	var params uint64
	for i, s := range a.Sizes {
		if s < 1 || s > maxWidth {
			return fmt.Errorf("architecture: Sizes[%d] = %d, want 1 … %d", i, s, maxWidth)
		}
		if i > 0 {
			hi, lo := bits.Mul64(uint64(a.Sizes[i-1]+1), uint64(s))
			params += lo
			if hi != 0 || params < lo || params > min(1<<48, math.MaxInt) {
				return errors.New("architecture: too many parameters")
			}
		}
	}
	for i, h := range a.Activations {
		if !validActivation(h) {
			return fmt.Errorf("architecture: Activations[%d] = %v is not an activation", i, h)
		}
	}
	last := a.Activations[len(a.Activations)-1]
	switch a.Loss {
	case BCE:
		if last != Sigmoid {
			return fmt.Errorf("architecture: BCE needs a sigmoid output layer, have %v", last)
		}
	case SoftmaxCrossEntropy:
		if last != Identity {
			return fmt.Errorf("architecture: softmax_cross_entropy needs an identity output layer (of logits), have %v", last)
		}
	case MSE:
	default:
		return fmt.Errorf("architecture: Loss = %v is not a loss", a.Loss)
	}
	return nil
}

// String returns a compact description such as
// "784-256(relu)-10(identity) softmax_cross_entropy".
func (a Architecture) String() string {
	var sb strings.Builder
	for i, s := range a.Sizes {
		if i > 0 {
			sb.WriteByte('-')
		}
		fmt.Fprint(&sb, s)
		if i > 0 && i-1 < len(a.Activations) {
			fmt.Fprintf(&sb, "(%v)", a.Activations[i-1])
		}
	}
	fmt.Fprintf(&sb, " %v", a.Loss)
	return sb.String()
}

func (a Architecture) clone() Architecture {
	a.Sizes = append([]int(nil), a.Sizes...)
	a.Activations = append([]Activation(nil), a.Activations...)
	return a
}

// Network is a multilayer perceptron of float32 or float64 weights with its
// loss, gradients and scratch buffers. Make one with New or Load.
//
// Inference (Predict, Classify, ClassifyBatch, Probabilities, Evaluate) is
// safe for concurrent use: any number of goroutines may call it on one
// Network at once. Training (Train, Backward, SGDStep, an optimizer's Step,
// Init) is not: it changes the weights, and a call that overlaps any other
// call on the same network panics, whichever of the two comes second. The
// Layer setters and writes through Params or Weights are not watched: do
// not make them while another goroutine uses the network.
type Network[T Float] struct {
	arch   Architecture
	k      *kernels.Funcs[T]
	layers []Layer[T]
	params []T // W¹, b¹, W², b², …: the layers' weights and biases are views of it
	grads  []T // ∂L/∂params in the same layout

	fw     scratch[T]     // training: activations and gradients of the last block of samples
	infer  scratchPool[T] // inference: activations, one scratch per concurrent call
	guard  useGuard       // detects training that overlaps another call
	epochs int            // the epochs Train has completed
	// dxDecay receives the ∂L/∂x nobody reads when a per-sample step with
	// weight decay updates the first layer: with a dx the kernel scales and
	// updates W in one pass, without one in two.
	dxDecay []T
}

// New returns a network of architecture arch with weights drawn by
// Glorot/Xavier (Sigmoid, Tanh and Identity layers) or He (ReLU layers) uniform
// initialization from a PCG generator seeded with seed, and zero biases; see
// Init.
func New[T Float](arch Architecture, seed uint64) (*Network[T], error) {
	n, err := newNetwork[T](arch)
	if err != nil {
		return nil, err
	}
	n.Init(seed)
	return n, nil
}

// newNetwork allocates a network of architecture arch with zero weights.
func newNetwork[T Float](arch Architecture) (*Network[T], error) {
	if err := arch.Validate(); err != nil {
		return nil, err
	}
	arch = arch.clone()
	L := len(arch.Activations)
	total := 0
	for l := range L {
		total += (arch.Sizes[l] + 1) * arch.Sizes[l+1]
	}
	n := &Network[T]{
		arch:    arch,
		k:       kernels.For[T](),
		layers:  make([]Layer[T], L),
		params:  make([]T, total),
		grads:   make([]T, total),
		dxDecay: make([]T, arch.Sizes[0]),
	}
	off := 0
	for l := range n.layers {
		in, out := arch.Sizes[l], arch.Sizes[l+1]
		nw := in * out
		h := arch.Activations[l]
		n.layers[l] = Layer[T]{
			in: in, out: out, act: h,
			w:  n.params[off : off+nw : off+nw],
			b:  n.params[off+nw : off+nw+out : off+nw+out],
			dw: n.grads[off : off+nw : off+nw],
			db: n.grads[off+nw : off+nw+out : off+nw+out],
		}
		off += nw + out
	}
	n.fw = newScratch(n.layers, arch.Loss, true)
	return n, nil
}

// Architecture returns a copy of the network's architecture.
func (n *Network[T]) Architecture() Architecture { return n.arch.clone() }

// NumLayers returns the number of dense layers, len(Sizes)−1.
func (n *Network[T]) NumLayers() int { return len(n.layers) }

// Layer returns layer i, 0 ≤ i < NumLayers(); layer 0 reads the input.
func (n *Network[T]) Layer(i int) *Layer[T] {
	if i < 0 || i >= len(n.layers) {
		panic(fmt.Sprintf("nn: Layer: i = %d, want 0 ≤ i < %d", i, len(n.layers)))
	}
	return &n.layers[i]
}

// In returns the width of the input.
func (n *Network[T]) In() int { return n.arch.Sizes[0] }

// Out returns the width of the output.
func (n *Network[T]) Out() int { return n.arch.Sizes[len(n.arch.Sizes)-1] }

// NumParams returns the number of weights and biases.
func (n *Network[T]) NumParams() int { return len(n.params) }

// Params returns all weights and biases in one slice, layer by layer
// (W of layer 0 row-major, b of layer 0, W of layer 1, …): a view of the
// network's storage that the layers' Weights and Bias share.
func (n *Network[T]) Params() []T { return n.params }

// Grads returns all gradients in the layout of Params.
func (n *Network[T]) Grads() []T { return n.grads }

// Clone returns a deep copy of the network: same architecture, weights and
// epoch count, zero gradients and buffers of its own, so that the copy can be trained or
// used for prediction independently of n.
func (n *Network[T]) Clone() *Network[T] {
	n.guard.read("Clone")
	defer n.guard.done()
	c, err := newNetwork[T](n.arch)
	if err != nil {
		panic("nn: Clone: " + err.Error()) // n's architecture was validated
	}
	copy(c.params, n.params)
	c.epochs = n.epochs
	return c
}

// Predict computes the network's output for each of the samples in x and
// writes it to dst: x holds N samples of In() values row-major and dst
// receives N rows of Out() values. The output is the last layer's activation:
// probabilities for BCE, logits for SoftmaxCrossEntropy (see
// Probabilities). It panics if the lengths do not match. It is safe for
// concurrent use.
func (n *Network[T]) Predict(dst, x []T) {
	n.guard.read("Predict")
	defer n.guard.done()
	s := n.infer.get(n)
	predict(n.k, n.layers, s, "Predict", dst, x)
	n.infer.put(s)
}

// Classify returns the class of one sample x of In() values: for one output
// 1 if the output is ≥ 0.5 and 0 otherwise, for several the index of the
// largest output. It is safe for concurrent use.
func (n *Network[T]) Classify(x []T) int {
	n.guard.read("Classify")
	defer n.guard.done()
	s := n.infer.get(n)
	c := classify(n.k, n.layers, s, x)
	n.infer.put(s)
	return c
}

// Evaluate returns the mean loss and the accuracy (the fraction of samples
// whose Classify matches the class of their target) of the network on the
// N samples of x (N×In() values) and targets y (N×Out() values). It panics if
// the lengths do not match. It is safe for concurrent use.
func (n *Network[T]) Evaluate(x, y []T) (loss, accuracy float64) {
	n.guard.read("Evaluate")
	defer n.guard.done()
	s := n.infer.get(n)
	loss, accuracy = evaluate(n.k, n.layers, s, n.arch.Loss, x, y)
	n.infer.put(s)
	return loss, accuracy
}
