package main

import (
	"fmt"
	"io"

	"github.com/simdnn/simdnn/nn"
)

// labelled is a set of rows ready for the network: standardized inputs, the
// targets the loss trains on, and the targets as the user has them.
type labelled struct {
	x, y  []float32
	class []int     // classification: the class index of each row
	value []float64 // regression: rows×targets values on their own scale
}

// classSet returns the rows x with class indices idx and the targets m's
// loss needs: 0/1 for binary cross-entropy (the second class is the
// positive one), one-hot vectors for softmax.
func (m *model) classSet(x []float32, idx []int) *labelled {
	s := &labelled{x: x, class: idx}
	if m.net.Architecture().Loss == nn.BCE {
		s.y = make([]float32, len(idx))
		for i, c := range idx {
			s.y[i] = float32(c)
		}
	} else {
		var err error
		// idx comes from classIndices, which has reported any label that
		// is not one of the model's classes, with its line: an error here
		// is a bug.
		if s.y, err = nn.OneHot[float32](idx, len(m.classes)); err != nil {
			panic(err)
		}
	}
	return s
}

// regressionSet returns the rows x with target values v, which the network
// learns standardized.
func (m *model) regressionSet(x []float32, v []float64) *labelled {
	return &labelled{x: x, y: standardize(m.targetStd, v), value: v}
}

// subset returns the given rows of s for m.
func (m *model) subset(s *labelled, rows []int) *labelled {
	x := rowsOf(s.x, m.net.In(), rows)
	if m.regression() {
		return m.regressionSet(x, rowsOf(s.value, len(m.targets), rows))
	}
	return m.classSet(x, rowsOf(s.class, 1, rows))
}

// metrics are a model's scores on a set of rows.
type metrics struct {
	Rows int     `json:"rows"`
	Loss float64 `json:"loss"` // the training loss (on standardized targets for a regression)
	// Classification: the fraction of rows classified right, and the
	// confusion matrix (rows: true class, columns: predicted, in the
	// model's class order).
	Accuracy  *float64 `json:"accuracy,omitempty"`
	Confusion [][]int  `json:"confusion,omitempty"`
	// Regression, one per target on its own scale: the root mean squared
	// error and the coefficient of determination R² = 1 − SSres/SStot.
	RMSE []float64 `json:"rmse,omitempty"`
	R2   []float64 `json:"r2,omitempty"`
}

// metric returns the one number an epoch line shows next to the loss: the
// accuracy, or the RMSE averaged over the targets.
func (s metrics) metric() (name string, v float64) {
	if s.Accuracy != nil {
		return "accuracy", *s.Accuracy
	}
	for _, e := range s.RMSE {
		v += e
	}
	return "rmse", v / float64(len(s.RMSE))
}

// score returns m's metrics on s, computed by nn's metric functions.
func (m *model) score(s *labelled) metrics {
	loss, _ := m.net.Evaluate(s.x, s.y)
	rows := len(s.x) / m.net.In()
	r := metrics{Rows: rows, Loss: loss}
	if !m.regression() {
		pred := make([]int, rows)
		m.net.ClassifyBatch(pred, s.x)
		var err error
		// Both hold indices of the model's classes: its labels were
		// checked by classIndices, its predictions are outputs.
		if r.Confusion, err = nn.ConfusionMatrix(s.class, pred, len(m.classes)); err != nil {
			panic(err)
		}
		acc := nn.Accuracy(s.class, pred)
		r.Accuracy = &acc
		return r
	}
	k := len(m.targets)
	z := make([]float32, rows*k)
	m.net.Predict(z, s.x)
	pred := make([]float64, len(z))
	unstandardize(m.targetStd, pred, z)
	r.RMSE, r.R2 = nn.RMSE(s.value, pred, k), nn.R2(s.value, pred, k)
	return r
}

// printMetrics writes s for people: the accuracy and the confusion matrix,
// or the RMSE and R² of each target.
func (m *model) printMetrics(w io.Writer, what string, s metrics) {
	if m.regression() {
		for j, t := range m.targets {
			fmt.Fprintf(w, "%s RMSE %.4g, R² %.4f (%s, %d rows)\n", what, s.RMSE[j], s.R2[j], t, s.Rows)
		}
		return
	}
	right := 0
	for i := range s.Confusion {
		right += s.Confusion[i][i]
	}
	fmt.Fprintf(w, "%s accuracy %.4f (%d of %d)\n", what, *s.Accuracy, right, s.Rows)
	fmt.Fprintln(w, "confusion matrix (rows: true label, columns: predicted):")
	width := 5
	for _, c := range m.classes {
		width = max(width, len(c)+1)
	}
	fmt.Fprintf(w, "%*s", width+1, "")
	for _, c := range m.classes {
		fmt.Fprintf(w, "%*s", width, c)
	}
	fmt.Fprintln(w)
	for r, row := range s.Confusion {
		fmt.Fprintf(w, "%*s", width+1, m.classes[r])
		for _, n := range row {
			fmt.Fprintf(w, "%*d", width, n)
		}
		fmt.Fprintln(w)
	}
}
