package nn

import (
	"fmt"
	"math"
)

// The scores of scikit-learn's sklearn.metrics, as functions of the true
// values first and the predictions second (its argument order). A length
// that does not match is a programming error and panics, naming the
// function and the sizes; a class outside the matrix is a data error and
// is returned.

// Accuracy returns the fraction of the samples whose predicted class
// pred[i] is their label labels[i] (accuracy_score); 0 for no samples.
func Accuracy(labels, pred []int) float64 {
	checkSame("Accuracy", "labels", "pred", len(labels), len(pred))
	if len(labels) == 0 {
		return 0
	}
	right := 0
	for i, l := range labels {
		if pred[i] == l {
			right++
		}
	}
	return float64(right) / float64(len(labels))
}

// ConfusionMatrix returns the classes×classes matrix whose entry [t][p]
// counts the samples of label t predicted as p (confusion_matrix: rows are
// the true classes, columns the predicted ones, so the diagonal holds the
// samples classified right). A label or prediction outside [0, classes) is
// an error naming its index and value.
func ConfusionMatrix(labels, pred []int, classes int) ([][]int, error) {
	checkSame("ConfusionMatrix", "labels", "pred", len(labels), len(pred))
	if classes < 1 {
		panic(fmt.Sprintf("nn: ConfusionMatrix: classes = %d, want ≥ 1", classes))
	}
	cells := make([]int, classes*classes)
	m := make([][]int, classes)
	for i := range m {
		m[i] = cells[i*classes : (i+1)*classes : (i+1)*classes]
	}
	for i, l := range labels {
		switch p := pred[i]; {
		case l < 0 || l >= classes:
			return nil, fmt.Errorf("nn: ConfusionMatrix: labels[%d] = %d, want 0 ≤ label < %d", i, l, classes)
		case p < 0 || p >= classes:
			return nil, fmt.Errorf("nn: ConfusionMatrix: pred[%d] = %d, want 0 ≤ class < %d", i, p, classes)
		default:
			m[l][p]++
		}
	}
	return m, nil
}

// RMSE returns the root mean squared error √(Σᵢ (predᵢⱼ − yᵢⱼ)²/N) of each
// of the cols columns of N rows (y and pred hold N×cols values row-major):
// root_mean_squared_error with multioutput="raw_values". With no rows every
// column's error is 0. Sums run in float64.
func RMSE[T Float](y, pred []T, cols int) []float64 {
	rows := checkColumns("RMSE", y, pred, cols)
	r := make([]float64, cols)
	if rows == 0 {
		return r
	}
	for j := range cols {
		var res float64
		for i := range rows {
			d := float64(pred[i*cols+j]) - float64(y[i*cols+j])
			res += d * d
		}
		r[j] = math.Sqrt(res / float64(rows))
	}
	return r
}

// R2 returns the coefficient of determination R² = 1 − Σᵢ(yᵢⱼ − predᵢⱼ)² /
// Σᵢ(yᵢⱼ − ȳⱼ)² of each of the cols columns of N rows, as scikit-learn's
// r2_score with multioutput="raw_values": 1 for a perfect prediction, 0 for
// predicting the mean, negative for worse. A constant column scores 1 when
// predicted exactly and 0 otherwise (scikit-learn's convention); with no
// rows every column scores 0.
func R2[T Float](y, pred []T, cols int) []float64 {
	rows := checkColumns("R2", y, pred, cols)
	r := make([]float64, cols)
	if rows == 0 {
		return r
	}
	for j := range cols {
		var mean, res, tot float64
		for i := range rows {
			mean += float64(y[i*cols+j])
		}
		mean /= float64(rows)
		for i := range rows {
			v := float64(y[i*cols+j])
			d := v - float64(pred[i*cols+j])
			res += d * d
			tot += (v - mean) * (v - mean)
		}
		switch {
		case tot > 0:
			r[j] = 1 - res/tot
		case res == 0:
			r[j] = 1
		}
	}
	return r
}

// checkSame panics unless two slices have the same length.
func checkSame(fn, a, b string, la, lb int) {
	if la != lb {
		panic(fmt.Sprintf("nn: %s: len(%s) = %d, len(%s) = %d, want equal lengths", fn, a, la, b, lb))
	}
}

// checkColumns returns the rows of y, rows of cols values, and panics
// unless pred has as many values and cols ≥ 1 divides them.
func checkColumns[T Float](fn string, y, pred []T, cols int) int {
	if cols < 1 {
		panic(fmt.Sprintf("nn: %s: cols = %d, want ≥ 1", fn, cols))
	}
	checkSame(fn, "y", "pred", len(y), len(pred))
	if len(y)%cols != 0 {
		panic(fmt.Sprintf("nn: %s: len(y) = %d is not a multiple of cols = %d", fn, len(y), cols))
	}
	return len(y) / cols
}
