package main

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/simdnn/simdnn/nn"
)

const predictHelp = `usage: simdnn predict -model FILE -data DATA [flags]

Print one line per row of DATA: the class a classifier predicts (as the
labels were named in training), optionally followed by the probability of
every class, or the values a regression predicts, comma-separated in the
order of its targets. Only the model's feature columns are read: a label
column, an id or any other column may hold anything or be absent.

examples:
  simdnn predict -model model.safetensors -data new.csv
  simdnn predict -model model.safetensors -data new.csv -probs > scores.csv

flags:
`

// predictFlags are the flags of simdnn predict.
type predictFlags struct {
	model, data string
	probs       bool
	kernels     kernelFlags
}

func predict(args []string, stdout, stderr io.Writer) error {
	var f predictFlags
	fs := newFlagSet("predict", stderr)
	fs.StringVar(&f.model, "model", "model.safetensors", "model file saved by simdnn train")
	fs.StringVar(&f.data, "data", "", `CSV file with a header line holding the model's features, or "digits" for the built-in test rows`)
	f.kernels.register(fs)
	fs.BoolVar(&f.probs, "probs", false, "classifier: print each class's probability after the predicted class, in the model's class order")
	if err := parseFlags(fs, args, predictHelp, stdout); err != nil {
		return err
	}
	if f.data == "" {
		return badInput("predict: -data is required")
	}
	if err := f.kernels.apply(); err != nil {
		return err
	}
	m, err := loadModel(f.model)
	if err != nil {
		return err
	}
	if f.probs && m.regression() {
		return badInput("-probs: %s is a regression: it predicts values, not probabilities", f.model)
	}
	t, err := loadTable(f.data)
	if err != nil {
		return err
	}
	t.onlyTest()
	x, err := m.inputs(t)
	if err != nil {
		return err
	}
	in, out := m.net.In(), m.net.Out()
	y := make([]float32, out)
	probs := make([]float32, len(m.classes))
	values := make([]float64, out)
	w := bufio.NewWriter(stdout)
	var line []byte
	for r := range t.rows() {
		row := x[r*in : (r+1)*in]
		m.net.Predict(y, row)
		line = line[:0]
		if m.regression() {
			unstandardize(m.targetStd, values, y)
			for j, v := range values {
				if j > 0 {
					line = append(line, ',')
				}
				line = strconv.AppendFloat(line, v, 'g', 7, 64)
			}
		} else {
			line = append(line, csvField(m.classes[m.net.Classify(row)])...)
			if f.probs {
				m.classProbabilities(probs, y, row)
				for _, p := range probs {
					line = strconv.AppendFloat(append(line, ','), float64(p), 'f', 6, 32)
				}
			}
		}
		w.Write(append(line, '\n'))
	}
	return w.Flush()
}

// csvField quotes a class name that holds a comma, a quote or a line break,
// as encoding/csv would write it.
func csvField(s string) string {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// classProbabilities sets dst to one probability per class of the sample
// x: the network's Probabilities (the softmax of the logits), or for binary
// cross-entropy the sigmoid output p as the pair 1 − p, p; y has room for
// the network's outputs.
func (m *model) classProbabilities(dst, y, x []float32) {
	m.net.Probabilities(y, x)
	if m.net.Architecture().Loss == nn.BCE {
		dst[0], dst[1] = 1-y[0], y[0]
		return
	}
	copy(dst, y)
}
