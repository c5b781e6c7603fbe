package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestArchitectureValidate(t *testing.T) {
	for _, c := range []struct {
		arch Architecture
		want string
	}{
		{arch(MSE, []int{3}), "sizes"},
		{arch(MSE, nil), "sizes"},
		{arch(MSE, []int{3, 2}), "activations"},
		{arch(MSE, []int{3, 2}, ReLU, ReLU), "activations"},
		{arch(MSE, []int{3, 0}, ReLU), "Sizes[1] = 0"},
		{arch(MSE, []int{-3, 2}, ReLU), "Sizes[0] = -3"},
		{arch(MSE, []int{3, 2}, Activation(7)), "not an activation"},
		{arch(Loss(9), []int{3, 2}, ReLU), "not a loss"},
		{arch(BCE, []int{3, 2}, ReLU), "BCE needs a sigmoid"},
		{arch(SoftmaxCrossEntropy, []int{3, 2}, Sigmoid), "identity output"},
		{arch(MSE, []int{1 << 30, 1 << 30, 1 << 30}, ReLU, ReLU), "too many parameters"},
		{arch(MSE, make([]int, maxLayers+2)), "sizes"},
	} {
		err := c.arch.Validate()
		require.ErrorContains(t, err, c.want, "%+v", c.arch)
		_, err = New[float32](c.arch, 1)
		require.ErrorContains(t, err, c.want)
	}
	a := arch(SoftmaxCrossEntropy, []int{784, 256, 10}, ReLU, Identity)
	require.NoError(t, a.Validate())
	require.Equal(t, "784-256(relu)-10(identity) softmax_cross_entropy", a.String())
}

func TestLayersAndParams(t *testing.T) {
	a := arch(BCE, []int{3, 4, 2}, ReLU, Sigmoid)
	n := mustNew[float32](t, a, 1)
	require.Equal(t, a, n.Architecture())
	n.Architecture().Sizes[0] = 99 // a copy
	require.Equal(t, 3, n.In())
	require.Equal(t, 2, n.Out())
	require.Equal(t, 2, n.NumLayers())
	require.Equal(t, 3*4+4+4*2+2, n.NumParams())

	l := n.Layer(1)
	require.Equal(t, 4, l.In())
	require.Equal(t, 2, l.Out())
	require.Equal(t, Sigmoid, l.Activation())
	w := []float32{1, 2, 3, 4, 5, 6, 7, 8}
	require.NoError(t, l.SetWeights(w))
	require.NoError(t, l.SetBias([]float32{-1, -2}))
	require.Equal(t, w, l.Weights())
	require.Equal(t, []float32{1, 2, 3, 4, 5, 6, 7, 8, -1, -2}, n.Params()[3*4+4:])
	require.Error(t, l.SetWeights(w[:7]))
	require.Error(t, l.SetBias(w))

	// Weights are out×in: with x = e_j, W's column j reaches the output.
	n = mustNew[float32](t, arch(MSE, []int{3, 2}, Identity), 1)
	require.NoError(t, n.Layer(0).SetWeights([]float32{1, 2, 3, 4, 5, 6}))
	out := make([]float32, 2)
	n.Predict(out, []float32{0, 0, 1})
	require.Equal(t, []float32{3, 6}, out)

	require.Panics(t, func() { n.Predict(out, []float32{1, 2}) })
	require.Panics(t, func() { n.Predict(out[:1], []float32{1, 2, 3}) })
	require.Panics(t, func() { n.Backward([]float32{1, 2, 3}, []float32{1}, nil) })
	require.Panics(t, func() { n.Backward([]float32{1, 2, 3}, []float32{1, 2}, []float32{0}) })
	require.Panics(t, func() { n.SGDStep([]float32{1, 2, 3}, []float32{1}, 0.1) })
	require.Panics(t, func() { n.Classify([]float32{1}) })
}

// TestInit: the same seed gives the same weights, another seed others;
// weights lie inside the Glorot and He bounds and fill them; biases are 0.
func TestInit(t *testing.T) {
	a := arch(SoftmaxCrossEntropy, []int{100, 200, 50}, ReLU, Identity)
	n1 := mustNew[float64](t, a, 42)
	n2 := mustNew[float64](t, a, 42)
	n3 := mustNew[float64](t, a, 43)
	require.Equal(t, n1.Params(), n2.Params())
	require.NotEqual(t, n1.Params(), n3.Params())
	for i, bound := range []float64{math.Sqrt(6.0 / 100), math.Sqrt(6.0 / 250)} {
		l := n1.Layer(i)
		lo, hi, sq := 0.0, 0.0, 0.0
		for _, w := range l.Weights() {
			lo, hi, sq = min(lo, w), max(hi, w), sq+w*w
		}
		assert.GreaterOrEqual(t, lo, -bound)
		assert.LessOrEqual(t, hi, bound)
		assert.Less(t, lo, -0.99*bound)
		assert.Greater(t, hi, 0.99*bound)
		// U(−r, r) has variance r²/3: He's 2/in, Glorot's 2/(in+out).
		assert.InEpsilon(t, bound*bound/3, sq/float64(len(l.Weights())), 0.05)
		assert.Equal(t, make([]float64, l.Out()), l.Bias())
	}
	// float32 draws the same numbers, rounded.
	n32 := mustNew[float32](t, a, 42)
	for i, p := range n1.Params() {
		require.Equal(t, float32(p), n32.Params()[i])
	}
}

// TestClone: a clone predicts the same and then trains independently.
func TestClone(t *testing.T) {
	x, y := moons[float32](20, 0.1, 1)
	n := mustNew[float32](t, arch(BCE, []int{2, 8, 1}, ReLU, Sigmoid), 1)
	c := n.Clone()
	require.Equal(t, n.Params(), c.Params())
	want := append([]float32(nil), n.Params()...)
	require.NoError(t, c.Train(x, y, NewSGD(c, 0.1), TrainConfig{Epochs: 2}))
	require.Equal(t, want, n.Params(), "training the clone leaves the original alone")
	require.NotEqual(t, want, c.Params())
}
