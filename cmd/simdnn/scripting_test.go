package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEpochLines: when standard error is not a terminal (here a buffer, as
// a log file or a pipe) train writes one name=value line per epoch, and
// nothing with -quiet.
func TestEpochLines(t *testing.T) {
	dir := t.TempDir()
	data := writeFile(t, dir, "d.csv", twoFeatures(200, "x1,x2,label", sign))
	model := dir + "/m.safetensors"
	status, _, errOut := simdnn(t, "train", "-data", data, "-epochs", "3", "-val-fraction", "0.2", "-out", model)
	require.Equal(t, 0, status, errOut)
	lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
	require.Len(t, lines, 3, errOut)
	for i, l := range lines {
		assert.Regexp(t, fmt.Sprintf(`^epoch=%d/3 loss=[0-9.]+ val_loss=[0-9.]+ val_accuracy=[0-9.]+ accuracy=[0-9.]+ samples_per_s=[0-9]+$`, i+1), l)
	}
	assert.NotContains(t, errOut, "\r")

	status, _, errOut = simdnn(t, "train", "-data", data, "-epochs", "3", "-quiet", "-out", model)
	require.Equal(t, 0, status)
	assert.Empty(t, errOut)

	reg := writeFile(t, dir, "reg.csv", regressionData(100))
	status, _, errOut = simdnn(t, "train", "-data", reg, "-label", "y", "-loss", "mse", "-epochs", "2", "-val-fraction", "0.2", "-out", model)
	require.Equal(t, 0, status, errOut)
	assert.Regexp(t, `^epoch=1/2 loss=[0-9.]+ val_loss=[0-9.]+ val_rmse=[0-9.]+ samples_per_s=[0-9]+\n`, errOut, "no accuracy for a regression")
}

// trainJSON mirrors what train -json writes.
type trainJSON struct {
	Data, Architecture, Kernels, Model string
	Classes, Targets                   []string
	TrainRows                          int `json:"train_rows"`
	ValRows                            int `json:"val_rows"`
	TestRows                           int `json:"test_rows"`
	History                            []struct {
		Epoch         int
		Loss          float64
		Accuracy      *float64
		ValLoss       *float64 `json:"val_loss"`
		ValAccuracy   *float64 `json:"val_accuracy"`
		ValRMSE       *float64 `json:"val_rmse"`
		SamplesPerSec float64  `json:"samples_per_sec"`
		Seconds       float64
	}
	Seconds          float64
	BestEpoch        int  `json:"best_epoch"`
	StoppedEarly     bool `json:"stopped_early"`
	Validation, Test *struct {
		Rows      int
		Loss      float64
		Accuracy  *float64
		Confusion [][]int
		RMSE, R2  []float64
	}
}

// decodeOnly decodes out as exactly one JSON value: with -json, standard
// output is for the program reading it.
func decodeOnly(t *testing.T, out string, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(v), out)
	require.ErrorIs(t, dec.Decode(new(any)), io.EOF, "more than one JSON value on stdout")
}

// TestTrainJSON: -json writes the run as one JSON object to stdout (the
// report for people does not go there), with the per-epoch history.
func TestTrainJSON(t *testing.T) {
	model := t.TempDir() + "/m.safetensors"
	status, out, errOut := simdnn(t, "train", "-epochs", "4", "-json", "-quiet", "-out", model)
	require.Equal(t, 0, status, errOut)
	var r trainJSON
	decodeOnly(t, out, &r)
	assert.Equal(t, "digits", r.Data)
	assert.Equal(t, "64-64(relu)-10(identity) softmax_cross_entropy", r.Architecture)
	assert.Equal(t, []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}, r.Classes)
	assert.Equal(t, []string{"label"}, r.Targets)
	assert.Equal(t, [3]int{1347, 0, 450}, [3]int{r.TrainRows, r.ValRows, r.TestRows})
	require.Len(t, r.History, 4)
	for i, e := range r.History {
		assert.Equal(t, i+1, e.Epoch)
		assert.Positive(t, e.Loss)
		assert.NotNil(t, e.Accuracy)
		assert.Nil(t, e.ValLoss, "no validation split")
		assert.Positive(t, e.SamplesPerSec)
	}
	assert.Equal(t, 4, r.BestEpoch)
	assert.False(t, r.StoppedEarly)
	require.NotNil(t, r.Test)
	assert.Nil(t, r.Validation)
	assert.Equal(t, 450, r.Test.Rows)
	assert.GreaterOrEqual(t, *r.Test.Accuracy, 0.9)
	assert.Len(t, r.Test.Confusion, 10)
	assert.Equal(t, model, r.Model)

	// evaluate -json gives the same test accuracy from the saved file.
	status, out, errOut = simdnn(t, "evaluate", "-model", model, "-data", "digits", "-json")
	require.Equal(t, 0, status, errOut)
	var e struct{ Accuracy float64 }
	require.NoError(t, json.Unmarshal([]byte(out), &e))
	assert.Equal(t, *r.Test.Accuracy, e.Accuracy)
}

// TestEarlyStopping: with labels that carry no signal the validation loss
// soon stops falling; -patience ends training that many epochs after the
// best one, whose weights are the ones kept and saved.
func TestEarlyStopping(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(9, 9))
	data := writeFile(t, dir, "noise.csv", twoFeatures(300, "x1,x2,label", func(float64, float64) string {
		return fmt.Sprint(rng.IntN(2))
	}))
	model := dir + "/m.safetensors"
	status, out, errOut := simdnn(t, "train", "-data", data, "-hidden", "64,64", "-lr", "0.05", "-epochs", "200",
		"-val-fraction", "0.3", "-patience", "3", "-json", "-quiet", "-out", model)
	require.Equal(t, 0, status, errOut)
	var r trainJSON
	decodeOnly(t, out, &r)
	require.True(t, r.StoppedEarly, "200 epochs on noise without overfitting")
	require.Len(t, r.History, r.BestEpoch+3)
	best := r.History[r.BestEpoch-1]
	for _, e := range r.History {
		require.NotNil(t, e.ValLoss)
		assert.GreaterOrEqual(t, *e.ValLoss, *best.ValLoss, "epoch %d beats the best epoch", e.Epoch)
	}
	last := r.History[len(r.History)-1]
	require.NotNil(t, r.Validation)
	assert.Equal(t, *best.ValLoss, r.Validation.Loss, "the kept weights are the best epoch's")
	assert.NotEqual(t, *last.ValLoss, r.Validation.Loss)

	// Stratified: each class keeps its share in the validation rows.
	assert.Equal(t, 225, r.TrainRows+r.ValRows)
	assert.InDelta(t, 0.3*225, float64(r.ValRows), 1)

	status, out, _ = simdnn(t, "train", "-data", data, "-patience", "3", "-out", model)
	assert.Equal(t, 2, status)
	assert.Empty(t, out)
}

// TestValidationRowsStratified: every class gives the fraction of its rows
// (rounded, at least one of a class with two) to validation, and every
// training row ends up on exactly one side.
func TestValidationRowsStratified(t *testing.T) {
	var rows, class []int
	count := map[int]int{0: 100, 1: 50, 2: 10, 3: 2, 4: 1}
	for c, n := range count {
		for range n {
			class = append(class, c)
		}
	}
	for r := range class {
		if r%7 != 3 { // some rows are test rows, not offered
			rows = append(rows, r)
		}
	}
	offered := map[int]int{}
	for _, r := range rows {
		offered[class[r]]++
	}
	train, val := validationRows(rows, class, 0.2, 1)
	assert.Equal(t, len(rows), len(train)+len(val))
	got := map[int]int{}
	seen := map[int]bool{}
	for _, r := range append(append([]int(nil), train...), val...) {
		require.False(t, seen[r], "row %d twice", r)
		seen[r] = true
	}
	for _, r := range val {
		got[class[r]]++
	}
	for c, n := range offered {
		want := int(0.2*float64(n) + 0.5)
		if want == 0 && n >= 2 {
			want = 1
		}
		assert.Equal(t, min(want, n-1), got[c], "class %d of %d rows", c, n)
	}
	again, _ := validationRows(rows, class, 0.2, 1)
	assert.Equal(t, train, again, "seeded")
}

// TestProgressLine: on a terminal the progress is one line, redrawn in
// place ("\r", the line, then erase to its end), never wider than the
// terminal minus one column at any width from 40, drawn once per epoch and
// cleared at the end.
func TestProgressLine(t *testing.T) {
	rec := func(epoch int) epochRecord {
		acc, vl, va := 0.9876, 0.1234, 0.9512
		return epochRecord{Epoch: epoch, Loss: 0.0457, Accuracy: &acc, ValLoss: &vl, ValAccuracy: &va, SamplesPerSec: 606467}
	}
	draw := regexp.MustCompile("^\r([^\r\n\x1b]*)\x1b\\[K$")
	for _, width := range []int{40, 41, 60, 80, 200} {
		var b bytes.Buffer
		p := &progress{w: &b, epochs: 30, width: width}
		for e := 1; e <= 30; e++ {
			b.Reset()
			p.epoch(rec(e))
			m := draw.FindStringSubmatch(b.String())
			require.NotNil(t, m, "width %d epoch %d: %q", width, e, b.String())
			line := m[1]
			assert.LessOrEqual(t, len(line), width-1, "width %d: %q", width, line)
			assert.True(t, strings.HasPrefix(line, fmt.Sprintf("epoch %d/30 [", e)), "width %d: %q", width, line)
			bar := line[strings.Index(line, "[")+1 : strings.Index(line, "]")]
			assert.GreaterOrEqual(t, len(bar), minBar, "width %d: %q", width, line)
			assert.Equal(t, len(bar)*e/30, strings.Count(bar, "="), "width %d: %q", width, line)
			assert.Contains(t, line, "loss 0.0457", "width %d: the loss always fits", width)
		}
		b.Reset()
		p.done()
		assert.Equal(t, "\r\x1b[K", b.String(), "the bar is cleared")
	}
	var b bytes.Buffer
	p := &progress{w: &b, epochs: 30, width: 200}
	p.epoch(rec(30))
	assert.Contains(t, b.String(), "loss 0.0457 val_loss 0.1234 val_accuracy 0.9512 accuracy 0.9876 samples/s 606467", "a wide terminal shows every field")
	p = &progress{w: &b, epochs: 30, quiet: true}
	b.Reset()
	p.epoch(rec(1))
	p.done()
	assert.Empty(t, b.String())
}

// TestTerminalWidth: a buffer, a file or a pipe is not a terminal.
func TestTerminalWidth(t *testing.T) {
	assert.Zero(t, terminalWidth(&bytes.Buffer{}))
	f, err := os.CreateTemp(t.TempDir(), "log")
	require.NoError(t, err)
	defer f.Close()
	assert.Zero(t, terminalWidth(f))
}
