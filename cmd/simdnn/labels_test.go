package main

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// quadrant names the class of (x1, x2) with names[0..2]: x1 < 0, then the
// sign of x2.
func quadrant(names ...string) func(x1, x2 float64) string {
	return func(x1, x2 float64) string {
		switch {
		case x1 < 0:
			return names[0]
		case x2 < 0:
			return names[1]
		}
		return names[2]
	}
}

// predictions runs predict and returns its lines split at commas.
func predictions(t *testing.T, args ...string) [][]string {
	t.Helper()
	status, out, errOut := simdnn(t, append([]string{"predict"}, args...)...)
	require.Equal(t, 0, status, errOut)
	var rows [][]string
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		rows = append(rows, strings.Split(l, ","))
	}
	return rows
}

// TestClassLabels: the classes are the labels present, in a stable order
// (numeric for integers, byte order for names), stored in the model and
// printed back by predict.
func TestClassLabels(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name    string
		labels  []string
		classes []string // in output order
	}{
		{"sparse integers", []string{"9", "0", "1"}, []string{"0", "1", "9"}},
		{"numeric not text order", []string{"10", "2", "007"}, []string{"2", "7", "10"}},
		{"names", []string{"emu", "cat", "dog"}, []string{"cat", "dog", "emu"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := writeFile(t, dir, tc.name+".csv", twoFeatures(600, "x1,x2,label", quadrant(tc.labels...)))
			model, out := trainModel(t, data, "-epochs", "30")
			assert.Contains(t, out, "2-64(relu)-3(identity)", "one output per class present")
			assert.GreaterOrEqual(t, accuracy(t, out), 0.9, out)
			assert.Regexp(t, `(?m)^ +`+strings.Join(tc.classes, " +")+`$`, out, "the confusion matrix names the classes")

			status, js, errOut := simdnn(t, "evaluate", "-model", model, "-data", data, "-json")
			require.Equal(t, 0, status, errOut)
			var e struct {
				Classes  []string
				Accuracy float64
			}
			require.NoError(t, json.Unmarshal([]byte(js), &e))
			assert.Equal(t, tc.classes, e.Classes)
			assert.GreaterOrEqual(t, e.Accuracy, 0.9)

			// predict names the class of each quadrant as the file does.
			probe := writeFile(t, dir, tc.name+"-probe.csv", "x1,x2\n-0.3,0.1\n0.3,-0.3\n0.3,0.3\n")
			rows := predictions(t, "-model", model, "-data", probe, "-probs")
			for i, want := range []string{tc.labels[0], tc.labels[1], tc.labels[2]} {
				require.Len(t, rows[i], 4, "the class and three probabilities")
				assert.Equal(t, classLabel(want), rows[i][0])
				best, p := 0, make([]float64, 3)
				for j := range p {
					p[j], _ = strconv.ParseFloat(rows[i][j+1], 64)
					if p[j] > p[best] {
						best = j
					}
				}
				assert.Equal(t, rows[i][0], tc.classes[best], "probabilities in class order")
			}
		})
	}
}

// TestBinaryNamedLabels: bce on two named classes; the second in order is
// the positive one, whose probability is the sigmoid output.
func TestBinaryNamedLabels(t *testing.T) {
	dir := t.TempDir()
	data := writeFile(t, dir, "yn.csv", twoFeatures(400, "x1,x2,answer", func(x1, _ float64) string {
		if x1 > 0 {
			return "yes"
		}
		return "no"
	}))
	model, out := trainModel(t, data, "-label", "answer", "-loss", "bce", "-epochs", "20")
	assert.Contains(t, out, "2-64(relu)-1(sigmoid) bce")
	assert.GreaterOrEqual(t, accuracy(t, out), 0.9, out)
	rows := predictions(t, "-model", model, "-data", writeFile(t, dir, "p.csv", "x1,x2\n0.4,0\n-0.4,0\n"), "-probs")
	assert.Equal(t, "yes", rows[0][0])
	assert.Equal(t, "no", rows[1][0])
	pYes, err := strconv.ParseFloat(rows[0][2], 64)
	require.NoError(t, err)
	assert.Greater(t, pYes, 0.5, "the columns are P(no), P(yes)")
}

// regressionData returns rows of x1, x2 and targets y = 300·x1 − 100·x2 +
// 1000 and z = x1·x2, far from the unit scale the network works in.
func regressionData(n int) string {
	rng := rand.New(rand.NewPCG(4, 0))
	var b strings.Builder
	b.WriteString("x1,x2,y,z\n")
	for range n {
		x1, x2 := rng.Float64()-0.5, rng.Float64()-0.5
		fmt.Fprintf(&b, "%.4f,%.4f,%.4f,%.5f\n", x1, x2, 300*x1-100*x2+1000, x1*x2)
	}
	return b.String()
}

var r2RE = regexp.MustCompile(`test RMSE ([0-9.e+-]+), R² ([0-9.-]+) \((\w+),`)

// TestRegression: -loss mse learns numeric targets on their own scale,
// reports RMSE and R² (never an accuracy), and predict prints values.
func TestRegression(t *testing.T) {
	dir := t.TempDir()
	data := writeFile(t, dir, "reg.csv", regressionData(600))
	model, out := trainModel(t, data, "-label", "y", "-loss", "mse", "-epochs", "30")
	assert.NotContains(t, out, "accuracy")
	assert.Contains(t, out, "3-64(relu)-1(identity) mse", "z is a feature when only y is the target")
	m := r2RE.FindStringSubmatch(out)
	require.NotNil(t, m, out)
	rmse, _ := strconv.ParseFloat(m[1], 64)
	r2, _ := strconv.ParseFloat(m[2], 64)
	assert.Less(t, rmse, 10.0, "y spans about ±200 around 1000")
	assert.Greater(t, r2, 0.99)

	status, evalOut, errOut := simdnn(t, "evaluate", "-model", model, "-data", data)
	require.Equal(t, 0, status, errOut)
	assert.NotContains(t, evalOut, "accuracy")
	assert.Regexp(t, `test RMSE [0-9.e+-]+, R² 0\.99\d+ \(y, 600 rows\)`, evalOut)

	rows := predictions(t, "-model", model, "-data", writeFile(t, dir, "p.csv", "x1,x2,z\n0.2,-0.1,0\n-0.3,0.3,0\n"))
	for i, want := range []float64{1070, 880} {
		require.Len(t, rows[i], 1)
		v, err := strconv.ParseFloat(rows[i][0], 64)
		require.NoError(t, err)
		assert.InDelta(t, want, v, 15, "row %d", i)
	}
	status, _, errOut = simdnn(t, "predict", "-model", model, "-data", data, "-probs")
	assert.Equal(t, 2, status)
	assert.Contains(t, errOut, "is a regression: it predicts values, not probabilities")
}

// TestRegressionTwoTargets: -label y,z makes one output per target, and
// predict prints both in that order.
func TestRegressionTwoTargets(t *testing.T) {
	dir := t.TempDir()
	data := writeFile(t, dir, "reg.csv", regressionData(600))
	model, out := trainModel(t, data, "-label", "y,z", "-loss", "mse", "-epochs", "30")
	assert.Contains(t, out, "2-64(relu)-2(identity) mse")
	ms := r2RE.FindAllStringSubmatch(out, -1)
	require.Len(t, ms, 2, out)
	assert.Equal(t, "y", ms[0][3])
	assert.Equal(t, "z", ms[1][3])

	status, js, errOut := simdnn(t, "evaluate", "-model", model, "-data", data, "-json")
	require.Equal(t, 0, status, errOut)
	var e struct {
		Targets  []string
		RMSE, R2 []float64
		Accuracy *float64
	}
	require.NoError(t, json.Unmarshal([]byte(js), &e))
	assert.Equal(t, []string{"y", "z"}, e.Targets)
	assert.Nil(t, e.Accuracy)
	require.Len(t, e.R2, 2)
	assert.Greater(t, e.R2[0], 0.99)
	assert.Greater(t, e.R2[1], 0.5, "x1·x2 is harder, but learnable")
	assert.False(t, math.IsNaN(e.RMSE[1]))

	rows := predictions(t, "-model", model, "-data", writeFile(t, dir, "p.csv", "x1,x2\n0.2,-0.1\n"))
	require.Len(t, rows[0], 2)
	y, _ := strconv.ParseFloat(rows[0][0], 64)
	assert.InDelta(t, 1070, y, 15)

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"train", "-data", data, "-label", "y,z"}, `a classifier has one label column \(-loss mse learns several numeric targets\)`},
		{[]string{"train", "-data", writeFile(t, dir, "text.csv", "a,y\n1,big\n2,small\n"), "-label", "y", "-loss", "mse"}, `text\.csv:2: column 2 \(y\): "big" is not a number`},
		{[]string{"evaluate", "-model", model, "-data", data, "-label", "y"}, `the model predicts 2 targets \(y, z\)`},
	} {
		status, _, errOut := simdnn(t, tc.args...)
		assert.Equal(t, 2, status)
		assert.Regexp(t, tc.want, errOut)
	}
}
