package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestProbabilities: for softmax cross-entropy each row is the softmax of
// the logits Predict gives (summing to 1); for BCE the sigmoid outputs
// themselves; ClassifyBatch is Classify of every row; over several blocks.
func TestProbabilities(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		rng := newRand(7)
		const rows = blockRows + 40
		for _, a := range []Architecture{
			arch(SoftmaxCrossEntropy, []int{5, 8, 4}, ReLU, Identity),
			arch(BCE, []int{5, 8, 3}, ReLU, Sigmoid),
		} {
			n := mustNew[float64](t, a, 2)
			x := randSlice[float64](rng, rows*5, -2, 2)
			out := n.Out()
			logits := make([]float64, rows*out)
			n.Predict(logits, x)
			p := make([]float64, rows*out)
			n.Probabilities(p, x)
			classes := make([]int, rows)
			n.ClassifyBatch(classes, x)
			for s := range rows {
				row, z := p[s*out:(s+1)*out], logits[s*out:(s+1)*out]
				if a.Loss == SoftmaxCrossEntropy {
					var sum, e float64
					for _, v := range z {
						e += math.Exp(v)
					}
					for j, v := range row {
						require.InDelta(t, math.Exp(z[j])/e, v, 1e-15)
						sum += v
					}
					require.InDelta(t, 1, sum, 1e-15)
				} else {
					require.Equal(t, z, row, "BCE: the outputs are σ(z) already")
				}
				require.Equal(t, n.Classify(x[s*5:(s+1)*5]), classes[s], "row %d", s)
			}
		}
	})
	n := mustNew[float32](t, arch(MSE, []int{2, 1}, Identity), 1)
	require.PanicsWithValue(t, "nn: Probabilities: an MSE network predicts values, not probabilities (use Predict)",
		func() { n.Probabilities(make([]float32, 1), make([]float32, 2)) })
	require.PanicsWithValue(t, "nn: ClassifyBatch: len(x) = 4, len(dst) = 1: want N×2 inputs and N classes",
		func() { n.ClassifyBatch(make([]int, 1), make([]float32, 4)) })
}
