package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeFile writes content to name in dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	return p
}

// twoFeatures returns a CSV file of n rows with columns x1, x2 and a label
// column holding label(x1, x2), from a seeded generator.
func twoFeatures(n int, header string, label func(x1, x2 float64) string) string {
	rng := rand.New(rand.NewPCG(3, 0))
	var b strings.Builder
	b.WriteString(header + "\n")
	for range n {
		x1, x2 := rng.Float64()-0.5, rng.Float64()-0.5
		fmt.Fprintf(&b, "%.4f,%.4f,%s\n", x1, x2, label(x1, x2))
	}
	return b.String()
}

func sign(x1, _ float64) string {
	if x1 > 0 {
		return "1"
	}
	return "0"
}

// trainModel trains on data with extra flags and returns the model's path
// and the report.
func trainModel(t *testing.T, data string, flags ...string) (string, string) {
	t.Helper()
	model := filepath.Join(t.TempDir(), "m.safetensors")
	status, out, errOut := simdnn(t, append([]string{"train", "-data", data, "-quiet", "-out", model}, flags...)...)
	require.Equal(t, 0, status, "stderr: %s", errOut)
	return model, out
}

// TestDuplicateColumnNames: two columns of one name made train read one of
// them twice and evaluate the other; a name must pick one column.
func TestDuplicateColumnNames(t *testing.T) {
	dir := t.TempDir()
	dup := writeFile(t, dir, "dup.csv", twoFeatures(400, "a,a,label", sign))
	for _, args := range [][]string{
		{"train", "-data", dup},
		{"train", "-data", dup, "-label", "2"},
	} {
		status, out, errOut := simdnn(t, args...)
		assert.Equal(t, 2, status)
		assert.Empty(t, out, "nothing may be trained")
		assert.Equal(t, "simdnn: "+dup+": columns 1 and 2 are both named \"a\": rename one\n", errOut)
	}

	// A model trained on unique names refuses a file that repeats one.
	model, _ := trainModel(t, writeFile(t, dir, "ok.csv", twoFeatures(400, "a,b,label", sign)), "-epochs", "2")
	dupB := writeFile(t, dir, "dupb.csv", twoFeatures(10, "a,b,b", sign))
	for _, cmd := range []string{"evaluate", "predict"} {
		status, _, errOut := simdnn(t, cmd, "-model", model, "-data", dupB)
		assert.Equal(t, 2, status, cmd)
		assert.Contains(t, errOut, `columns 2 and 3 are both named "b"`, cmd)
	}
}

// TestByteOrderMark: a spreadsheet's "CSV UTF-8" export starts with a BOM,
// which is not part of the first column's name.
func TestByteOrderMark(t *testing.T) {
	dir := t.TempDir()
	plain := twoFeatures(400, "x1,x2,label", sign)
	bom := writeFile(t, dir, "bom.csv", utf8BOM+plain)
	plainPath := writeFile(t, dir, "plain.csv", plain)
	model, out := trainModel(t, bom, "-epochs", "5")
	assert.GreaterOrEqual(t, accuracy(t, out), 0.9, out)

	status, fromPlain, errOut := simdnn(t, "predict", "-model", model, "-data", plainPath)
	require.Equal(t, 0, status, errOut)
	status, fromBOM, errOut := simdnn(t, "predict", "-model", model, "-data", bom)
	require.Equal(t, 0, status, errOut)
	assert.Equal(t, fromPlain, fromBOM)
	assert.Equal(t, 400, strings.Count(fromPlain, "\n"))

	// And the other way round: a model from a plain file reads a BOM file.
	model, _ = trainModel(t, plainPath, "-epochs", "1")
	status, _, errOut = simdnn(t, "evaluate", "-model", model, "-data", bom)
	assert.Equal(t, 0, status, errOut)
}

// TestPredictReadsOnlyFeatures: predict never uses the label, so an empty
// or text label column, a missing one or any other extra column changes
// nothing.
func TestPredictReadsOnlyFeatures(t *testing.T) {
	dir := t.TempDir()
	model, _ := trainModel(t, writeFile(t, dir, "train.csv", twoFeatures(400, "x1,x2,label", sign)), "-epochs", "3")
	rows := "0.3,-0.2\n-0.4,0.1\n0.05,0.45\n"
	withLabel := func(label string) string {
		var b strings.Builder
		b.WriteString("x1,x2,label\n")
		for _, r := range strings.Split(strings.TrimSpace(rows), "\n") {
			b.WriteString(r + "," + label + "\n")
		}
		return b.String()
	}
	status, want, errOut := simdnn(t, "predict", "-model", model, "-data", writeFile(t, dir, "nolabel.csv", "x1,x2\n"+rows))
	require.Equal(t, 0, status, errOut)
	assert.Equal(t, 3, strings.Count(want, "\n"))
	for name, content := range map[string]string{
		"empty.csv":     withLabel(""),
		"text.csv":      withLabel("unknown"),
		"reordered.csv": "id,x2,x1\nr1,-0.2,0.3\nr2,0.1,-0.4\nr3,0.45,0.05\n",
	} {
		status, got, errOut := simdnn(t, "predict", "-model", model, "-data", writeFile(t, dir, name, content))
		require.Equal(t, 0, status, "%s: %s", name, errOut)
		assert.Equal(t, want, got, name)
	}
	// A feature cell must still be a number.
	status, _, errOut = simdnn(t, "predict", "-model", model, "-data", writeFile(t, dir, "badfeature.csv", "x1,x2\n0.1,oops\n"))
	assert.Equal(t, 2, status)
	assert.Contains(t, errOut, `badfeature.csv:2: column 2 (x2): "oops" is not a number`)
}

// TestOutCheckedBeforeTraining: a model path that cannot be written is
// refused before any training, naming the path the user gave.
func TestOutCheckedBeforeTraining(t *testing.T) {
	dir := t.TempDir()
	file := writeFile(t, dir, "file", "")
	for _, tc := range []struct{ out, want string }{
		{filepath.Join(dir, "no", "such", "dir", "m.safetensors"), `-out .*m\.safetensors: cannot create a file in .*dir: no such file or directory`},
		{filepath.Join(file, "m.safetensors"), `-out .*m\.safetensors: cannot create a file in .*file: not a directory`},
		{dir, `-out .*: is a directory, want a file name`},
	} {
		status, out, errOut := simdnn(t, "train", "-out", tc.out)
		assert.Equal(t, 2, status, tc.out)
		assert.Empty(t, out, "training started before -out was checked")
		assert.Regexp(t, "^simdnn: "+tc.want+"\n$", errOut)
		assert.NotContains(t, errOut, "tmp-")
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "the check left a file behind")
}

// TestSplitFiles: the TRAIN,TEST file names are trimmed, and a row listed
// twice, in one file or in both, is refused.
func TestSplitFiles(t *testing.T) {
	dir := t.TempDir()
	data := writeFile(t, dir, "data.csv", twoFeatures(40, "x1,x2,label", sign))
	indices := func(name string, rows ...int) string {
		var b strings.Builder
		for _, r := range rows {
			fmt.Fprintln(&b, r)
		}
		return writeFile(t, dir, name, b.String())
	}
	var trainIdx, testIdx []int
	for i := range 40 {
		if i%4 == 0 {
			testIdx = append(testIdx, i)
		} else {
			trainIdx = append(trainIdx, i)
		}
	}
	train := indices("train.txt", trainIdx...)
	test := indices("test.txt", testIdx...)
	model := filepath.Join(dir, "m.safetensors")
	status, out, errOut := simdnn(t, "train", "-data", data, "-split", train+", "+test, "-epochs", "1", "-out", model)
	require.Equal(t, 0, status, errOut)
	assert.Contains(t, out, "30 training rows, 10 test rows")

	overlap := indices("overlap.txt", 0, 1, 5)
	repeat := indices("repeat.txt", 1, 2, 1)
	for _, tc := range []struct{ split, want string }{
		{train + "," + overlap, `overlap\.txt:2: row 1 is listed again \(first at .*train\.txt:1\)`},
		{repeat + "," + test, `repeat\.txt:3: row 1 is listed again \(first at .*repeat\.txt:1\)`},
		{train, `want TRAIN,TEST file names`},
	} {
		status, out, errOut := simdnn(t, "train", "-data", data, "-split", tc.split, "-out", model)
		assert.Equal(t, 2, status, tc.split)
		assert.Empty(t, out)
		assert.Regexp(t, tc.want, errOut)
		assert.Equal(t, 1, strings.Count(errOut, "\n"))
	}
}
