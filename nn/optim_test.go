package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// setGrads makes Backward's result irrelevant: the optimizer tests write
// the gradients they want directly.
func setGrads(n *Network[float64], g []float64) { copy(n.Grads(), g) }

// TestSGDUpdate checks three SGD steps against PyTorch's update rule written
// out per parameter (float64; a few roundings apart, so within 1e-15
// relative).
func TestSGDUpdate(t *testing.T) {
	for _, c := range []struct{ lr, mom, wd float64 }{
		{0.1, 0, 0}, {0.1, 0, 0.01}, {0.05, 0.9, 0}, {0.05, 0.9, 0.01},
	} {
		n := mustNew[float64](t, arch(MSE, []int{3, 2, 1}, Sigmoid, Identity), 1)
		w := append([]float64(nil), n.Params()...)
		v := make([]float64, len(w))
		opt := NewSGD(n, c.lr)
		opt.Momentum, opt.WeightDecay = c.mom, c.wd
		rng := newRand(1)
		for step := range 3 {
			g := randSlice[float64](rng, len(w), -1, 1)
			setGrads(n, g)
			opt.Step()
			for i := range w {
				d := g[i] + c.wd*w[i]
				if c.mom != 0 {
					v[i] = c.mom*v[i] + d
					d = v[i]
				}
				w[i] -= c.lr * d
			}
			require.InDeltaSlice(t, w, n.Params(), 1e-15, "%+v, step %d", c, step)
		}
	}
}

// TestAdamUpdate checks three Adam steps against the update rule of
// PyTorch's torch.optim.Adam written out per parameter.
func TestAdamUpdate(t *testing.T) {
	for _, wd := range []float64{0, 0.01} {
		n := mustNew[float64](t, arch(MSE, []int{3, 2, 1}, Sigmoid, Identity), 1)
		w := append([]float64(nil), n.Params()...)
		m := make([]float64, len(w))
		v := make([]float64, len(w))
		opt := NewAdam(n, 0.01)
		opt.WeightDecay = wd
		rng := newRand(2)
		for step := 1; step <= 3; step++ {
			g := randSlice[float64](rng, len(w), -1, 1)
			setGrads(n, g)
			opt.Step()
			for i := range w {
				gi := g[i] + wd*w[i]
				m[i] = 0.9*m[i] + 0.1*gi
				v[i] = 0.999*v[i] + 0.001*gi*gi
				mh := m[i] / (1 - math.Pow(0.9, float64(step)))
				vh := v[i] / (1 - math.Pow(0.999, float64(step)))
				w[i] -= 0.01 * mh / (math.Sqrt(vh) + 1e-8)
			}
			require.InDeltaSlice(t, w, n.Params(), 1e-14, "wd %v, step %d", wd, step)
		}
	}
	// The first step moves every parameter by about lr (m̂/√v̂ = ±1).
	n := mustNew[float32](t, arch(MSE, []int{3, 2, 1}, Sigmoid, Identity), 1)
	before := append([]float32(nil), n.Params()...)
	for i := range n.Grads() {
		n.Grads()[i] = float32(i%3) - 1.5
	}
	NewAdam(n, 0.01).Step()
	for i, p := range n.Params() {
		require.InDelta(t, 0.01, math.Abs(float64(p-before[i])), 1e-6)
	}
}

// TestAdamWUpdate checks four AdamW steps against PyTorch's torch.optim.AdamW
// (its single-tensor loop, written out per parameter: param.mul_(1 −
// lr·wd); exp_avg and exp_avg_sq as Adam's; param.addcdiv_(exp_avg,
// exp_avg_sq.sqrt()/√bc₂ + eps, value = −lr/bc₁)), for β and ε other than
// the defaults too, and requires it to differ from Adam's L2 penalty.
func TestAdamWUpdate(t *testing.T) {
	for _, c := range []struct{ lr, b1, b2, eps, wd float64 }{
		{0.01, 0.9, 0.999, 1e-8, 0.01}, {0.003, 0.8, 0.99, 1e-6, 0.1}, {0.01, 0.9, 0.999, 1e-8, 0},
	} {
		n := mustNew[float64](t, arch(MSE, []int{3, 2, 1}, Sigmoid, Identity), 1)
		w := append([]float64(nil), n.Params()...)
		m := make([]float64, len(w))
		v := make([]float64, len(w))
		opt := NewAdamW(n, c.lr)
		require.Equal(t, 0.01, opt.WeightDecay, "PyTorch's default")
		opt.Beta1, opt.Beta2, opt.Eps, opt.WeightDecay = c.b1, c.b2, c.eps, c.wd
		rng := newRand(4)
		for step := 1; step <= 4; step++ {
			g := randSlice[float64](rng, len(w), -1, 1)
			setGrads(n, g)
			opt.Step()
			bc1 := 1 - math.Pow(c.b1, float64(step))
			bc2 := 1 - math.Pow(c.b2, float64(step))
			for i := range w {
				w[i] *= 1 - c.lr*c.wd
				m[i] = c.b1*m[i] + (1-c.b1)*g[i]
				v[i] = c.b2*v[i] + (1-c.b2)*g[i]*g[i]
				w[i] -= c.lr / bc1 * m[i] / (math.Sqrt(v[i])/math.Sqrt(bc2) + c.eps)
			}
			require.InDeltaSlice(t, w, n.Params(), 1e-14, "%+v, step %d", c, step)
		}
	}

	// Decoupled decay is not Adam's L2 penalty: with the same λ the two
	// part after one step already.
	a := mustNew[float64](t, arch(MSE, []int{3, 2, 1}, Sigmoid, Identity), 1)
	b := a.Clone()
	g := randSlice[float64](newRand(5), a.NumParams(), -1, 1)
	setGrads(a, g)
	setGrads(b, g)
	adam := NewAdam(a, 0.01)
	adam.WeightDecay = 0.1
	adam.Step()
	adamW := NewAdamW(b, 0.01)
	adamW.WeightDecay = 0.1
	adamW.Step()
	require.NotEqual(t, a.Params(), b.Params())
}
