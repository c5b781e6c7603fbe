package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simdnn/simdnn/kernels"
)

// outputNet returns a one-layer network whose output logits are exactly z
// for the input 0 (zero weights, bias z).
func outputNet[T Float](t *testing.T, loss Loss, h Activation, z []T) *Network[T] {
	t.Helper()
	n := mustNew[T](t, arch(loss, []int{1, len(z)}, h), 1)
	clear(n.Layer(0).Weights())
	require.NoError(t, n.Layer(0).SetBias(z))
	return n
}

// TestBCESaturated: the loss and its gradient stay finite and exact at
// logits where σ(z) rounds to 0 or 1 (z = ±30 in float32, far beyond in
// float64): loss max(z,0) − zy + log1p(e^−|z|), dL/dz = σ(z) − y.
func TestBCESaturated(t *testing.T) {
	for _, z := range []float64{-1000, -100, -30, 0, 30, 100, 1000} {
		for _, y := range []float64{0, 1, 0.25} {
			want := max(z, 0) - z*y + math.Log1p(math.Exp(-math.Abs(z)))
			wantGrad := 1/(1+math.Exp(-z)) - y

			n32 := outputNet(t, BCE, Sigmoid, []float32{float32(z)})
			loss := n32.Backward([]float32{0}, []float32{float32(y)}, nil)
			assert.False(t, math.IsNaN(loss) || math.IsInf(loss, 0), "z = %v, y = %v: loss %v", z, y, loss)
			assert.InDelta(t, want, loss, 1e-6*(1+want), "z = %v, y = %v", z, y)
			assert.InDelta(t, wantGrad, float64(n32.Layer(0).BiasGrad()[0]), 1e-7, "z = %v, y = %v", z, y)

			n64 := outputNet(t, BCE, Sigmoid, []float64{z})
			loss = n64.Backward([]float64{0}, []float64{y}, nil)
			assert.InDelta(t, want, loss, 1e-15*(1+want), "z = %v, y = %v", z, y)
			// σ(z) within 2 ULP of its value ≤ 1: the gradient within 4.5e-16.
			assert.InDelta(t, wantGrad, n64.Layer(0).BiasGrad()[0], 4.5e-16, "z = %v, y = %v", z, y)
		}
	}
}

// TestLossValues checks each loss on hand-computed values: the means
// PyTorch's MSELoss, BCEWithLogitsLoss and CrossEntropyLoss return.
func TestLossValues(t *testing.T) {
	// MSE over 2 samples × 2 outputs of identity outputs (bias only).
	n := outputNet(t, MSE, Identity, []float64{1, 2})
	loss := n.Backward([]float64{0, 0}, []float64{0, 0, 1, 4}, nil)
	// ((1−0)² + (2−0)² + (1−1)² + (2−4)²)/4 = 9/4
	require.InDelta(t, 9.0/4, loss, 1e-15)
	// ∂L/∂b = Σₛ 2(a−y)/(B·m) = (2·1 + 0)/4, (2·2 − 2·2)/4
	require.InDeltaSlice(t, []float64{0.5, 0}, n.Layer(0).BiasGrad(), 1e-15)

	// BCE at z = 0 is log 2 whatever y.
	n = outputNet(t, BCE, Sigmoid, []float64{0, 0})
	require.InDelta(t, math.Ln2, n.Backward([]float64{0}, []float64{1, 0}, nil), 1e-15)

	// Softmax CE of logits (1, 2, 3) against class 2:
	// lse − z₂ = log(e + e² + e³) − 3.
	n = outputNet(t, SoftmaxCrossEntropy, Identity, []float64{1, 2, 3})
	want := math.Log(math.E+math.E*math.E+math.Exp(3)) - 3
	require.InDelta(t, want, n.Backward([]float64{0}, []float64{0, 0, 1}, nil), 1e-15)
	p := make([]float64, 3)
	Softmax(p, []float64{1, 2, 3})
	require.InDeltaSlice(t, []float64{p[0], p[1], p[2] - 1}, n.Layer(0).BiasGrad(), 1e-15)
}

// TestSoftmaxCELargeLogits: logits far beyond exp's range give the exact
// loss and gradient (the max shift), in float32 and float64.
func TestSoftmaxCELargeLogits(t *testing.T) {
	for _, z := range [][]float64{{1000, 0, -1000}, {-1e30, 1e30, 0}, {88, 89, 90}, {-5000, -5001, -5002}} {
		for j := range z {
			z[j] = float64(float32(z[j]))
		}
		n := outputNet(t, SoftmaxCrossEntropy, Identity, []float32{float32(z[0]), float32(z[1]), float32(z[2])})
		loss := n.Backward([]float32{0}, []float32{1, 0, 0}, nil)
		require.False(t, math.IsNaN(loss) || math.IsInf(loss, 0), "z = %v: loss %v", z, loss)
		zmax := max(z[0], z[1], z[2])
		lse := zmax + math.Log(math.Exp(z[0]-zmax)+math.Exp(z[1]-zmax)+math.Exp(z[2]-zmax))
		require.InDelta(t, lse-z[0], loss, 1e-6*(1+math.Abs(lse-z[0])), "z = %v", z)
		for j, g := range n.Layer(0).BiasGrad() {
			want := math.Exp(z[j] - lse)
			if j == 0 {
				want--
			}
			require.InDelta(t, want, float64(g), 1e-6, "z = %v, output %d", z, j)
		}
		p := make([]float32, 3)
		Softmax(p, []float32{float32(z[0]), float32(z[1]), float32(z[2])})
		require.InDelta(t, 1, float64(p[0]+p[1]+p[2]), 1e-6)
	}
}

// TestReLUGradAtZero: relu′(0) = 0, as in PyTorch.
func TestReLUGradAtZero(t *testing.T) {
	n := mustNew[float64](t, arch(MSE, []int{1, 1, 1}, ReLU, Identity), 1)
	require.NoError(t, n.Layer(0).SetWeights([]float64{1}))
	require.NoError(t, n.Layer(0).SetBias([]float64{0}))
	require.NoError(t, n.Layer(1).SetWeights([]float64{1}))
	n.Backward([]float64{0}, []float64{1}, nil) // z¹ = 0 exactly
	require.Equal(t, []float64{0}, n.Layer(0).BiasGrad())
	require.Equal(t, []float64{0}, n.Layer(0).WeightGrad())
}

func TestOneHotAndParse(t *testing.T) {
	y, err := OneHot[float32]([]int{1, 0}, 3)
	require.NoError(t, err)
	require.Equal(t, []float32{0, 1, 0, 1, 0, 0}, y)
	for _, c := range []struct {
		labels []int
		want   string
	}{
		{[]int{0, 3}, "nn: OneHot: labels[1] = 3, want 0 ≤ label < 3"},
		{[]int{-1}, "nn: OneHot: labels[0] = -1, want 0 ≤ label < 3"},
	} {
		y, err := OneHot[float64](c.labels, 3)
		require.EqualError(t, err, c.want)
		require.Nil(t, y)
	}
	for _, l := range []Loss{MSE, BCE, SoftmaxCrossEntropy} {
		got, err := ParseLoss(l.String())
		require.NoError(t, err)
		require.Equal(t, l, got)
	}
	for _, h := range kernels.Activations() {
		got, err := ParseActivation(h.String())
		require.NoError(t, err)
		require.Equal(t, h, got)
	}
	_, err = ParseLoss("hinge")
	require.ErrorContains(t, err, "hinge")
	_, err = ParseActivation("softplus")
	require.ErrorContains(t, err, `unknown activation "softplus" (want one of identity, sigmoid, relu, tanh)`)
}
