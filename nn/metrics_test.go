package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMetrics: the values scikit-learn's accuracy_score, confusion_matrix,
// root_mean_squared_error and r2_score (multioutput="raw_values") give for
// the same inputs, worked by hand.
func TestMetrics(t *testing.T) {
	labels := []int{0, 1, 2, 2, 1, 0}
	pred := []int{0, 2, 2, 2, 1, 1}
	require.Equal(t, 4.0/6, Accuracy(labels, pred))
	require.Zero(t, Accuracy(nil, nil))
	cm, err := ConfusionMatrix(labels, pred, 3)
	require.NoError(t, err)
	require.Equal(t, [][]int{{1, 1, 0}, {0, 1, 1}, {0, 0, 2}}, cm)
	_, err = ConfusionMatrix([]int{0, 3}, []int{0, 0}, 3)
	require.EqualError(t, err, "nn: ConfusionMatrix: labels[1] = 3, want 0 ≤ label < 3")
	_, err = ConfusionMatrix([]int{0, 1}, []int{0, -1}, 3)
	require.EqualError(t, err, "nn: ConfusionMatrix: pred[1] = -1, want 0 ≤ class < 3")

	// Two columns: y = [[3, 1], [-0.5, 1], [2, 1], [7, 1]],
	// pred = [[2.5, 1], [0, 1], [2, 2], [8, 1]]: column 0 has squared
	// errors 0.25, 0.25, 0, 1 (mean 0.375), mean 2.875 and total sum of
	// squares 29.1875; column 1 is constant, predicted wrong once.
	y := []float64{3, 1, -0.5, 1, 2, 1, 7, 1}
	p := []float64{2.5, 1, 0, 1, 2, 2, 8, 1}
	require.InDeltaSlice(t, []float64{math.Sqrt(0.375), 0.5}, RMSE(y, p, 2), 1e-15)
	require.InDeltaSlice(t, []float64{1 - 1.5/29.1875, 0}, R2(y, p, 2), 1e-15)
	require.Equal(t, []float64{1, 1}, R2(y, y, 2), "a perfect prediction, constant column included")
	require.Equal(t, []float64{0}, RMSE([]float32{}, nil, 1))

	for name, f := range map[string]func(){
		"nn: Accuracy: len(labels) = 2, len(pred) = 1, want equal lengths":        func() { Accuracy([]int{1, 2}, []int{1}) },
		"nn: ConfusionMatrix: len(labels) = 1, len(pred) = 0, want equal lengths": func() { _, _ = ConfusionMatrix([]int{1}, nil, 2) },
		"nn: ConfusionMatrix: classes = 0, want ≥ 1":                              func() { _, _ = ConfusionMatrix(nil, nil, 0) },
		"nn: RMSE: len(y) = 8, len(pred) = 7, want equal lengths":                 func() { RMSE(y, p[:7], 2) },
		"nn: R2: len(y) = 8 is not a multiple of cols = 3":                        func() { R2(y, p, 3) },
		"nn: R2: cols = 0, want ≥ 1":                                              func() { R2(y, p, 0) },
	} {
		require.PanicsWithValue(t, name, f)
	}
}
