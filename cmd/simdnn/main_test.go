package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simdnn/simdnn/internal/digits"
)

// simdnn runs the command and returns its exit status, stdout and stderr.
func simdnn(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	status := run(args, &stdout, &stderr)
	return status, stdout.String(), stderr.String()
}

var accuracyRE = regexp.MustCompile(`test accuracy ([0-9.]+)`)

func accuracy(t *testing.T, out string) float64 {
	t.Helper()
	m := accuracyRE.FindStringSubmatch(out)
	require.NotNil(t, m, "no accuracy in output:\n%s", out)
	a, err := strconv.ParseFloat(m[1], 64)
	require.NoError(t, err)
	return a
}

func TestTrainDigitsDefault(t *testing.T) {
	model := filepath.Join(t.TempDir(), "m.safetensors")
	status, out, errOut := simdnn(t, "train", "-out", model)
	require.Equal(t, 0, status, "stderr: %s", errOut)
	assert.GreaterOrEqual(t, accuracy(t, out), 0.97, out)
	assert.Contains(t, out, "confusion matrix")
	assert.Regexp(t, `(avx512|avx2|go) kernels`, out)

	// evaluate on the built-in test rows gives the same accuracy, and
	// predict classifies each row of a CSV file.
	status, evalOut, errOut := simdnn(t, "evaluate", "-model", model, "-data", "digits")
	require.Equal(t, 0, status, "stderr: %s", errOut)
	assert.Equal(t, accuracy(t, out), accuracy(t, evalOut))

	csvPath := digitsCSV(t, 5)
	status, predOut, errOut := simdnn(t, "predict", "-model", model, "-data", csvPath, "-probs")
	require.Equal(t, 0, status, "stderr: %s", errOut)
	lines := strings.Split(strings.TrimSpace(predOut), "\n")
	require.Len(t, lines, 5)
	for _, l := range lines {
		fields := strings.Split(l, ",")
		require.Len(t, fields, 11, l) // the class, then ten probabilities
		sum := 0.0
		for _, f := range fields[1:] {
			p, err := strconv.ParseFloat(f, 64)
			require.NoError(t, err)
			sum += p
		}
		assert.InDelta(t, 1, sum, 1e-4)
	}
}

func TestHelpAndUsage(t *testing.T) {
	// Help a user asks for goes to stdout, where a pager or grep reads it.
	for _, cmd := range []string{"train", "evaluate", "predict"} {
		status, out, errOut := simdnn(t, cmd, "-h")
		assert.Equal(t, 0, status)
		assert.Empty(t, errOut)
		assert.Contains(t, out, "usage: simdnn "+cmd)
		assert.Contains(t, out, "examples:\n  simdnn "+cmd)
		assert.Contains(t, out, "-kernels")
		assert.Contains(t, out, "-workers")
	}
	status, out, _ := simdnn(t, "train", "-h")
	assert.Equal(t, 0, status)
	assert.Contains(t, out, "-hidden")
	assert.NotContains(t, out, "-probs")

	// predict never reads a label, so it has no -label flag to misdescribe.
	status, out, _ = simdnn(t, "predict", "-h")
	assert.Equal(t, 0, status)
	assert.NotContains(t, out, "-label")

	status, out, errOut := simdnn(t, "predict", "-no-such-flag")
	assert.Equal(t, 2, status)
	assert.Empty(t, out)
	assert.Equal(t, "flag provided but not defined: -no-such-flag\nrun \"simdnn predict -h\" for help\n", errOut)
	status, out, _ = simdnn(t, "help")
	assert.Equal(t, 0, status)
	assert.Contains(t, out, "train")

	status, out, _ = simdnn(t, "-version")
	assert.Equal(t, 0, status)
	assert.Regexp(t, `^simdnn \S+.* go1\.\d+`, out)
}

func TestTrainPureGoKernels(t *testing.T) {
	model := filepath.Join(t.TempDir(), "m.safetensors")
	status, out, errOut := simdnn(t, "train", "-epochs", "3", "-kernels", "go", "-out", model)
	require.Equal(t, 0, status, "stderr: %s", errOut)
	assert.Contains(t, out, "go kernels")
	assert.Greater(t, accuracy(t, out), 0.8)
}

// TestTrainWorkersSameModel: mini-batch training on one worker and on three
// saves the same file, byte for byte (batches of 64 through a 64→256 layer
// are large enough to be cut into parts).
func TestTrainWorkersSameModel(t *testing.T) {
	dir := t.TempDir()
	var files [][]byte
	for _, w := range []string{"1", "3"} {
		model := filepath.Join(dir, "m"+w+".safetensors")
		status, _, errOut := simdnn(t, "train", "-epochs", "2", "-hidden", "256", "-batch", "64", "-workers", w, "-quiet", "-out", model)
		require.Equal(t, 0, status, "stderr: %s", errOut)
		b, err := os.ReadFile(model)
		require.NoError(t, err)
		files = append(files, b)
	}
	require.True(t, bytes.Equal(files[0], files[1]), "the models trained on 1 and 3 workers differ")
}

// TestTrainBinaryBCE is the lecture's setting: a sigmoid output trained with
// binary cross-entropy on a CSV file whose label column holds 0/1.
func TestTrainBinaryBCE(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("a,b,y\n")
	for i := range 400 {
		x0, x1 := float64(i%20)/10-1, float64(i/20)/10-1
		label := 0
		if x0*x1 > 0 { // XOR of the signs
			label = 1
		}
		fmt.Fprintf(&b, "%g,%g,%d\n", x0, x1, label)
	}
	data := filepath.Join(dir, "xor.csv")
	require.NoError(t, os.WriteFile(data, []byte(b.String()), 0o644))
	model := filepath.Join(dir, "m.safetensors")
	status, out, errOut := simdnn(t, "train", "-data", data, "-label", "y", "-loss", "bce",
		"-activation", "sigmoid", "-hidden", "8", "-optimizer", "adam", "-lr", "0.01", "-weight-decay", "0",
		"-epochs", "60", "-batch", "8", "-out", model)
	require.Equal(t, 0, status, "stderr: %s", errOut)
	assert.Contains(t, out, "2-8(sigmoid)-1(sigmoid) bce")
	assert.GreaterOrEqual(t, accuracy(t, out), 0.9, out)

	status, out, errOut = simdnn(t, "evaluate", "-model", model, "-data", data)
	require.Equal(t, 0, status, "stderr: %s", errOut)
	assert.GreaterOrEqual(t, accuracy(t, out), 0.9, out)

	// AdamW, its weight decay decoupled, learns it too.
	status, out, errOut = simdnn(t, "train", "-data", data, "-label", "y", "-loss", "bce",
		"-activation", "sigmoid", "-hidden", "8", "-optimizer", "adamw", "-lr", "0.01", "-weight-decay", "0.01",
		"-epochs", "60", "-batch", "8", "-out", model)
	require.Equal(t, 0, status, "stderr: %s", errOut)
	assert.GreaterOrEqual(t, accuracy(t, out), 0.9, out)

	// So does a tanh hidden layer, and the model file says so.
	status, out, errOut = simdnn(t, "train", "-data", data, "-label", "y", "-loss", "bce",
		"-activation", "tanh", "-hidden", "8", "-optimizer", "adam", "-lr", "0.01", "-weight-decay", "0",
		"-epochs", "60", "-batch", "8", "-out", model)
	require.Equal(t, 0, status, "stderr: %s", errOut)
	assert.Contains(t, out, "2-8(tanh)-1(sigmoid) bce")
	assert.GreaterOrEqual(t, accuracy(t, out), 0.9, out)
	status, out, errOut = simdnn(t, "evaluate", "-model", model, "-data", data)
	require.Equal(t, 0, status, "stderr: %s", errOut)
	assert.GreaterOrEqual(t, accuracy(t, out), 0.9, out)
}

// digitsCSV writes the first rows of the built-in data, label included, to a
// CSV file.
func digitsCSV(t *testing.T, rows int) string {
	t.Helper()
	raw, err := digits.CSV()
	require.NoError(t, err)
	lines := strings.SplitN(string(raw), "\n", rows+2)
	path := filepath.Join(t.TempDir(), "digits.csv")
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines[:rows+1], "\n")+"\n"), 0o644))
	return path
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
		return p
	}
	model := filepath.Join(dir, "m.safetensors")
	status, _, errOut := simdnn(t, "train", "-epochs", "1", "-out", model)
	require.Equal(t, 0, status, errOut)
	original, err := os.ReadFile(model)
	require.NoError(t, err)

	ragged := write("ragged.csv", "a,b,label\n1,2,0\n3,1\n")
	text := write("text.csv", "a,b,label\n1,2,0\n3,x,1\n")
	nan := write("nan.csv", "a,b,label\n1,2,0\n3,NaN,1\n")
	badLabel := write("badlabel.csv", "a,b,label\n1,2,0\n3,4,1.5\n")
	threeClasses := write("three.csv", "a,b,label\n1,2,0\n3,4,2\n5,6,1\n")
	oneClass := write("one.csv", "a,b,label\n1,2,0\n3,4,0\n")
	noLabel := write("nolabel.csv", "a,b\n1,2\n")
	empty := write("empty.csv", "")
	wrongFeatures := write("wrongfeatures.csv", "a,b,label\n1,2,0\n")
	bigLabel := digitsCSVWithLabel(t, dir, 42)
	notModel := write("notmodel.safetensors", "this is not a model")
	diverge := write("diverge.csv", "a,label\n1e30,0\n-1e30,1\n1e30,1\n-1e30,0\n")

	for _, tc := range []struct {
		name string
		args []string
		want string // a regexp the one-line error must match
	}{
		{"missing file", []string{"train", "-data", filepath.Join(dir, "nope.csv")}, `nope\.csv: no such file`},
		{"ragged row", []string{"train", "-data", ragged}, `ragged\.csv: line 3: wrong number of fields`},
		{"non-numeric cell", []string{"train", "-data", text}, `text\.csv:3: column 2 \(b\): "x" is not a number`},
		{"NaN cell", []string{"train", "-data", nan}, `nan\.csv:3: column 2 \(b\): "NaN" is not a finite number`},
		{"fractional label", []string{"train", "-data", badLabel}, `badlabel\.csv: column label: label "1\.5" is not a class: for a numeric target use -loss mse`},
		{"bce with three classes", []string{"train", "-data", threeClasses, "-loss", "bce"}, `-loss bce needs two classes, found 3 \(0, 1, 2\)`},
		{"one class", []string{"train", "-data", oneClass}, `every row has label 0: nothing to learn`},
		{"no label column", []string{"train", "-data", noLabel}, `no label column`},
		{"unknown label column", []string{"train", "-data", noLabel, "-label", "y"}, `no column "y"`},
		{"empty file", []string{"train", "-data", empty}, `empty file`},
		{"bad hidden sizes", []string{"train", "-hidden", "64,x"}, `-hidden "64,x"`},
		{"bad loss", []string{"train", "-loss", "hinge"}, `unknown loss`},
		{"bad kernels", []string{"train", "-kernels", "neon"}, `implementation "neon" is not available`},
		{"negative workers", []string{"predict", "-model", model, "-data", "digits", "-workers", "-1"}, `-workers -1: want 0 \(one per CPU\) or more`},
		{"model from something else", []string{"evaluate", "-model", notModel, "-data", "digits"}, `notmodel\.safetensors: not a simdnn model`},
		{"missing model", []string{"predict", "-model", filepath.Join(dir, "none.safetensors"), "-data", "digits"}, `none\.safetensors.*no such file`},
		{"features not in the data", []string{"predict", "-model", model, "-data", wrongFeatures}, `no column "pixel_0_0": the model takes 64 features`},
		{"label out of range", []string{"evaluate", "-model", model, "-data", bigLabel}, `biglabel\.csv:2: label "42" is not one of the model's classes \(0, 1, 2, 3, 4, 5, 6, 7, 8, 9\)`},
		{"no data flag", []string{"predict", "-model", model}, `-data is required`},
		{"unknown command", []string{"fit"}, `unknown command "fit"`},
		{"infinite learning rate", []string{"train", "-lr", "inf"}, `-lr \+Inf: want a finite positive learning rate`},
		{"infinite weight decay", []string{"train", "-weight-decay", "inf"}, `want 0 ≤ -momentum < 1 and -weight-decay ≥ 0`},
		{"unknown optimizer", []string{"train", "-optimizer", "lbfgs"}, `-optimizer "lbfgs": want sgd, adam or adamw`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, errOut := simdnn(t, tc.args...)
			assert.Equal(t, 2, status)
			assert.Regexp(t, tc.want, errOut)
			if !strings.Contains(tc.name, "unknown command") {
				assert.Equal(t, 1, strings.Count(errOut, "\n"), "want a one-line error, got %q", errOut)
			}
		})
	}

	// Divergence is not bad input but a failed run (status 1), and it must
	// leave the existing model file alone.
	status, _, errOut = simdnn(t, "train", "-data", diverge, "-lr", "1e30", "-weight-decay", "0", "-out", model)
	assert.Equal(t, 1, status)
	assert.Regexp(t, `training failed, .*m\.safetensors left as it was: .*diverged`, errOut)
	after, err := os.ReadFile(model)
	require.NoError(t, err)
	assert.Equal(t, original, after, "a failed training replaced the model file")
}

// digitsCSVWithLabel writes one digits row whose label is replaced.
func digitsCSVWithLabel(t *testing.T, dir string, label int) string {
	t.Helper()
	raw, err := digits.CSV()
	require.NoError(t, err)
	lines := strings.SplitN(string(raw), "\n", 3)
	row := lines[1][:strings.LastIndex(lines[1], ",")+1] + strconv.Itoa(label)
	p := filepath.Join(dir, "biglabel.csv")
	require.NoError(t, os.WriteFile(p, []byte(lines[0]+"\n"+row+"\n"), 0o644))
	return p
}
