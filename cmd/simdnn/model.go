package main

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/simdnn/simdnn/nn"
)

// The keys of what the command stores in a model file's __metadata__ besides
// the architecture nn records itself: the preprocessing predict must repeat.
const (
	metaFeatures = "cmd.features" // JSON array of the feature column names, in input order
	metaMean     = "cmd.mean"     // JSON array of the training means, one per feature
	metaStd      = "cmd.std"      // JSON array of the training standard deviations
	metaLabel    = "cmd.label"    // name of the label column
	metaClasses  = "cmd.classes"  // number of classes
)

// model is a trained network with the preprocessing it expects.
type model struct {
	net      *nn.Network[float32]
	features []string
	std      standardizer
	label    string
	classes  int
}

func (m *model) metadata() map[string]string {
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			panic(err) // strings and finite floats always marshal
		}
		return string(b)
	}
	return map[string]string{
		metaFeatures: enc(m.features),
		metaMean:     enc(m.std.mean),
		metaStd:      enc(m.std.std),
		metaLabel:    m.label,
		metaClasses:  strconv.Itoa(m.classes),
	}
}

// loadModel reads a model file saved by train. Anything else, including a
// valid safetensors file from another program, is bad input.
func loadModel(path string) (*model, error) {
	net, meta, err := nn.Load[float32](path)
	if err != nil {
		return nil, badInput("%s: not a simdnn model: %v", path, err)
	}
	m := &model{net: net, label: meta[metaLabel]}
	bad := func(what string) error {
		return badInput("%s: not a model saved by simdnn train: %s", path, what)
	}
	if json.Unmarshal([]byte(meta[metaFeatures]), &m.features) != nil || len(m.features) != net.In() {
		return nil, bad("missing or wrong feature names")
	}
	if json.Unmarshal([]byte(meta[metaMean]), &m.std.mean) != nil || len(m.std.mean) != net.In() {
		return nil, bad("missing or wrong feature means")
	}
	if json.Unmarshal([]byte(meta[metaStd]), &m.std.std) != nil || len(m.std.std) != net.In() {
		return nil, bad("missing or wrong feature standard deviations")
	}
	for _, s := range m.std.std {
		if !(s > 0) {
			return nil, bad("a feature standard deviation is not positive")
		}
	}
	m.classes, err = strconv.Atoi(meta[metaClasses])
	if err != nil || m.classes < 2 {
		return nil, bad("missing or wrong number of classes")
	}
	if net.Out() != outputsFor(net.Architecture().Loss, m.classes) {
		return nil, bad(fmt.Sprintf("%d outputs for %d classes", net.Out(), m.classes))
	}
	return m, nil
}

// outputsFor returns the width of the output layer for a loss and a number
// of classes: one sigmoid unit for binary cross-entropy, one per class
// otherwise.
func outputsFor(loss nn.Loss, classes int) int {
	if loss == nn.BCE {
		return 1
	}
	return classes
}

// inputs selects the model's features from d by name, in the model's order,
// and standardizes them.
func (m *model) inputs(d *dataset) ([]float32, error) {
	col := make(map[string]int, len(d.features))
	for i, f := range d.features {
		col[f] = i
	}
	idx := make([]int, len(m.features))
	for i, f := range m.features {
		j, ok := col[f]
		if !ok {
			return nil, badInput("%s: no column %q: the model takes %d features (%s, …)", d.name, f, len(m.features), m.features[0])
		}
		idx[i] = j
	}
	rows, in := d.rows(), len(d.features)
	x := make([]float64, 0, rows*len(idx))
	for r := 0; r < rows; r++ {
		for _, j := range idx {
			x = append(x, d.x[r*in+j])
		}
	}
	return m.std.apply(x), nil
}

// checkLabels reports labels the model cannot produce.
func (m *model) checkLabels(d *dataset) error {
	for i, l := range d.labels {
		if l >= m.classes {
			return badInput("%s: row %d: label %d out of range for a model of %d classes", d.name, i+1, l, m.classes)
		}
	}
	return nil
}
