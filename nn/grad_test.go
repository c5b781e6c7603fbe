package nn

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// gradCase is one network and batch whose gradients are checked against
// central finite differences.
type gradCase struct {
	arch  Architecture
	batch int
	soft  bool // targets: probabilities (soft) rather than 0/1 or one-hot
}

var gradCases = []gradCase{
	{arch(BCE, []int{2, 2, 1}, Sigmoid, Sigmoid), 1, false}, // the lecture's network
	{arch(BCE, []int{2, 2, 1}, Sigmoid, Sigmoid), 4, false},
	{arch(BCE, []int{3, 4, 2}, Identity, Sigmoid), 3, true},
	{arch(MSE, []int{3, 5, 4, 2}, ReLU, Sigmoid, Identity), 4, false},
	{arch(MSE, []int{5, 3, 3}, Sigmoid, ReLU), 2, false},
	{arch(MSE, []int{2, 3, 1}, Sigmoid, Sigmoid), 3, false},
	{arch(SoftmaxCrossEntropy, []int{4, 6, 3}, ReLU, Identity), 5, false},
	{arch(SoftmaxCrossEntropy, []int{4, 6, 5, 3}, Sigmoid, ReLU, Identity), 3, true},
	{arch(SoftmaxCrossEntropy, []int{6, 2}, Identity), 2, true},
	{arch(MSE, []int{3, 5, 4, 2}, Tanh, Sigmoid, Tanh), 4, false},
	{arch(SoftmaxCrossEntropy, []int{4, 6, 3}, Tanh, Identity), 5, true},
	// Larger batches take the batch-major Gemm paths: backward only, then
	// both.
	{arch(MSE, []int{5, 16, 3}, Sigmoid, ReLU), backwardGemmRows, false},
	{arch(BCE, []int{4, 17, 2}, ReLU, Sigmoid), 33, true},
	{arch(SoftmaxCrossEntropy, []int{6, 16, 15, 4}, ReLU, Sigmoid, Identity), 32, true},
	{arch(BCE, []int{5, 16, 17, 2}, Tanh, Tanh, Sigmoid), 33, false},
}

// targets returns rows×out targets suited to loss: 0/1 (BCE, MSE), one-hot
// (softmax CE), or with soft set probabilities (BCE) and unnormalized
// nonnegative weights (softmax CE, where Σy ≠ 1 exercises the general
// gradient (Σy)·softmax(z) − y).
func targets(rng interface{ Float64() float64 }, loss Loss, rows, out int, soft bool) []float64 {
	y := make([]float64, rows*out)
	for s := range rows {
		row := y[s*out : (s+1)*out]
		switch {
		case soft:
			for j := range row {
				row[j] = rng.Float64()
			}
		case loss == SoftmaxCrossEntropy:
			row[int(rng.Float64()*float64(out))] = 1
		default:
			for j := range row {
				row[j] = math.Round(rng.Float64())
			}
		}
	}
	return y
}

// TestGradientFiniteDifferences compares Backward's gradients (weights,
// biases and inputs) in float64 with central differences
// (L(p+h) − L(p−h))/2h of Evaluate's loss.
//
// With h = 1e-5 the truncation error is h²/6·|L‴| ≲ 1e-10·|L‴| and the
// rounding error about ε·|L|/h ≈ 1e-11 for losses of order 1, so a
// difference above 1e-7·(1 + |g|) is a wrong gradient, not noise. The ReLU
// kink could spoil one difference if a pre-activation came within h of 0:
// the test asserts none does.
func TestGradientFiniteDifferences(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		for ci, c := range gradCases {
			t.Run(fmt.Sprintf("%d:%v/batch=%d", ci, c.arch, c.batch), func(t *testing.T) {
				rng := newRand(uint64(ci) + 10)
				n := mustNew[float64](t, c.arch, uint64(ci)+1)
				for _, l := range n.layers {
					copy(l.b, randSlice[float64](rng, len(l.b), -0.5, 0.5))
				}
				x := randSlice[float64](rng, c.batch*n.In(), -2, 2)
				y := targets(rng, c.arch.Loss, c.batch, n.Out(), c.soft)
				dx := make([]float64, len(x))
				loss := n.Backward(x, y, dx)
				grads := append([]float64(nil), n.Grads()...)

				l0, _ := n.Evaluate(x, y)
				require.InDelta(t, l0, loss, 1e-15*math.Abs(l0), "Backward's loss is Evaluate's")
				assertAwayFromKinks(t, n, x)

				const h, tol = 1e-5, 1e-7
				fd := func(p []float64, i int) float64 {
					v := p[i]
					p[i] = v + h
					lp, _ := n.Evaluate(x, y)
					p[i] = v - h
					lm, _ := n.Evaluate(x, y)
					p[i] = v
					return (lp - lm) / (2 * h)
				}
				params := n.Params()
				for i := range params {
					require.InDelta(t, fd(params, i), grads[i], tol*(1+math.Abs(grads[i])), "parameter %d", i)
				}
				for i := range x {
					require.InDelta(t, fd(x, i), dx[i], tol*(1+math.Abs(dx[i])), "input %d", i)
				}
			})
		}
	})
}

// assertAwayFromKinks fails if a ReLU pre-activation is within 1e-4 of 0 for
// one of the samples of x, where a finite difference could cross the kink.
func assertAwayFromKinks(t *testing.T, n *Network[float64], x []float64) {
	t.Helper()
	in := n.In()
	for s := range len(x) / in {
		a := x[s*in : (s+1)*in]
		for li := range n.layers {
			l := &n.layers[li]
			z := append([]float64(nil), l.b...)
			for i := range l.out {
				for j := range l.in {
					z[i] += l.w[i*l.in+j] * a[j]
				}
			}
			if l.act == ReLU {
				for i, zi := range z {
					require.Greater(t, math.Abs(zi), 1e-4, "layer %d output %d sits on the ReLU kink", li, i)
				}
			}
			a = make([]float64, 0, l.out)
			for _, zi := range z {
				switch l.act {
				case Sigmoid:
					zi = 1 / (1 + math.Exp(-zi))
				case ReLU:
					zi = max(zi, 0)
				}
				a = append(a, zi)
			}
		}
	}
}

// TestLectureChainRule evaluates the lecture's backpropagation formulas for
// the 2-2-1 sigmoid network with BCE by hand, for one sample,
//
//	ŷ = σ(W²a¹ + b²),  a¹ = σ(W¹x + b¹),
//	∂L/∂W² = (ŷ−y)·a¹ᵀ,  ∂L/∂b² = ŷ−y,
//	∂L/∂W¹ = ((ŷ−y)·W²ᵀ ⊙ a¹(1−a¹))·xᵀ,  ∂L/∂b¹ = (ŷ−y)·W²ᵀ ⊙ a¹(1−a¹),
//
// and compares them with Backward. Both are float64 evaluations of the same
// expressions (the kernels' sigmoid within 2 ULP of math.Exp's), so they
// agree to 1e-15.
func TestLectureChainRule(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		n := mustNew[float64](t, arch(BCE, []int{2, 2, 1}, Sigmoid, Sigmoid), 1)
		W1, b1 := []float64{0.15, 0.20, 0.25, 0.30}, []float64{0.35, 0.35}
		W2, b2 := []float64{0.40, 0.45}, []float64{0.60}
		require.NoError(t, n.Layer(0).SetWeights(W1))
		require.NoError(t, n.Layer(0).SetBias(b1))
		require.NoError(t, n.Layer(1).SetWeights(W2))
		require.NoError(t, n.Layer(1).SetBias(b2))
		x, y := []float64{0.05, 0.10}, 0.0

		sigma := func(z float64) float64 { return 1 / (1 + math.Exp(-z)) }
		a1 := []float64{
			sigma(W1[0]*x[0] + W1[1]*x[1] + b1[0]),
			sigma(W1[2]*x[0] + W1[3]*x[1] + b1[1]),
		}
		z2 := W2[0]*a1[0] + W2[1]*a1[1] + b2[0]
		yhat := sigma(z2)
		e := yhat - y
		dW2 := []float64{e * a1[0], e * a1[1]}
		d1 := []float64{e * W2[0] * a1[0] * (1 - a1[0]), e * W2[1] * a1[1] * (1 - a1[1])}
		dW1 := []float64{d1[0] * x[0], d1[0] * x[1], d1[1] * x[0], d1[1] * x[1]}
		lossByHand := -math.Log(1 - yhat)

		loss := n.Backward(x, []float64{y}, nil)
		require.InDelta(t, lossByHand, loss, 1e-15)
		require.InDeltaSlice(t, dW2, n.Layer(1).WeightGrad(), 1e-15)
		require.InDeltaSlice(t, []float64{e}, n.Layer(1).BiasGrad(), 1e-15)
		require.InDeltaSlice(t, dW1, n.Layer(0).WeightGrad(), 1e-15)
		require.InDeltaSlice(t, d1, n.Layer(0).BiasGrad(), 1e-15)

		out := make([]float64, 1)
		n.Predict(out, x)
		require.InDelta(t, yhat, out[0], 1e-15)
	})
}

// TestFloat32MatchesFloat64 checks that the float32 network computes the
// gradients of the float64 one with the same weights, to float32 accuracy:
// relative 1e-4 over a few layers of sums of at most 33 terms (each within
// n·ε ≈ 2e-6 relative of its terms' magnitudes) is ~1000 ULP, far above the
// rounding of these shallow sums and far below any real mistake.
func TestFloat32MatchesFloat64(t *testing.T) {
	for ci, c := range gradCases {
		rng := newRand(uint64(ci))
		n64 := mustNew[float64](t, c.arch, uint64(ci))
		n32 := mustNew[float32](t, c.arch, uint64(ci))
		require.Equal(t, len(n64.Params()), len(n32.Params()))
		for i, p := range n64.Params() {
			n32.Params()[i] = float32(p)
			n64.Params()[i] = float64(float32(p))
		}
		x := randSlice[float32](rng, c.batch*n32.In(), -2, 2)
		y32 := make([]float32, c.batch*n32.Out())
		y64 := targets(rng, c.arch.Loss, c.batch, n32.Out(), c.soft)
		x64 := make([]float64, len(x))
		for i := range x {
			x64[i] = float64(x[i])
		}
		for i := range y64 {
			y32[i] = float32(y64[i])
			y64[i] = float64(y32[i])
		}
		l32 := n32.Backward(x, y32, nil)
		l64 := n64.Backward(x64, y64, nil)
		require.InDelta(t, l64, l32, 1e-4*(1+l64), "case %d", ci)
		for i, g := range n64.Grads() {
			require.InDelta(t, g, float64(n32.Grads()[i]), 1e-4*(1e-2+math.Abs(g)), "case %d, gradient %d", ci, i)
		}
	}
}
