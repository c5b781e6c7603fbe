package nn

import (
	"math"
	"math/rand/v2"
)

// initStream is the PCG stream Init draws from; the seed picks the state.
const initStream = 0x9e3779b97f4a7c15

// Init sets every weight to a fresh random draw and every bias to zero:
// Glorot/Xavier uniform for Sigmoid, Tanh and Identity layers,
//
//	W ~ U(−r, r),   r = √(6/(in+out)),
//
// and He (Kaiming) uniform for ReLU layers, r = √(6/in) (PyTorch's
// kaiming_uniform_ with the ReLU gain √2), keeping the variance of the
// activations about constant from layer to layer. The draws come from a
// math/rand/v2 PCG generator seeded with seed, layer by layer in row-major
// order, so a seed always gives the same weights on every platform.
func (n *Network[T]) Init(seed uint64) {
	n.guard.write("Init")
	defer n.guard.unwrite()
	rng := rand.New(rand.NewPCG(seed, initStream))
	for i := range n.layers {
		l := &n.layers[i]
		r := math.Sqrt(6 / float64(l.in+l.out))
		if l.act == ReLU {
			r = math.Sqrt(6 / float64(l.in))
		}
		for j := range l.w {
			l.w[j] = T((2*rng.Float64() - 1) * r)
		}
		clear(l.b)
	}
}
