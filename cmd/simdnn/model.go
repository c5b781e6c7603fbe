package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"

	"github.com/simdnn/simdnn/nn"
)

// The keys of what the command stores in a model file's __metadata__ besides
// the architecture nn records itself: what predict needs to repeat the
// preprocessing and to name its outputs. Each value is JSON.
const (
	metaFeatures = "cmd.features" // array of the feature column names, in input order
	metaTargets  = "cmd.targets"  // array of the target columns: the label column, or the regression targets
	metaClasses  = "cmd.classes"  // array of the class names in output order (classification only)

	// The nn.Standardizer of the features, under "cmd.mean" and "cmd.std"
	// (arrays of the training means and deviations, one per feature), and
	// of a regression's targets, under "cmd.target_mean" and
	// "cmd.target_std".
	metaFeatureStats = "cmd."
	metaTargetStats  = "cmd.target_"
)

// model is a trained network with the preprocessing it expects and the
// names of what it predicts.
type model struct {
	net      *nn.Network[float32]
	features []string
	std      *nn.Standardizer[float64]
	targets  []string // the label column (classification) or the target columns (regression)
	// classes names the classes in output order; nil for a regression.
	classes []string
	// targetStd standardizes a regression's targets; the network predicts
	// standardized values.
	targetStd *nn.Standardizer[float64]
}

// regression reports whether m predicts values rather than classes.
func (m *model) regression() bool { return m.classes == nil }

func (m *model) metadata() map[string]string {
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			panic(err) // strings and finite floats always marshal
		}
		return string(b)
	}
	meta := map[string]string{
		metaFeatures: enc(m.features),
		metaTargets:  enc(m.targets),
	}
	maps.Copy(meta, m.std.Metadata(metaFeatureStats))
	if m.regression() {
		maps.Copy(meta, m.targetStd.Metadata(metaTargetStats))
	} else {
		meta[metaClasses] = enc(m.classes)
	}
	return meta
}

// loadModel reads a model file saved by train. Anything else, including a
// valid safetensors file from another program or from an older simdnn, is
// bad input.
func loadModel(path string) (*model, error) {
	net, meta, err := nn.Load[float32](path)
	if err != nil {
		return nil, badInput("%s: not a simdnn model: %v", path, err)
	}
	m := &model{net: net}
	bad := func(what string) error {
		return badInput("%s: not a model saved by this simdnn train: %s", path, what)
	}
	dec := func(key string, v any) bool { return json.Unmarshal([]byte(meta[key]), v) == nil }
	if !dec(metaFeatures, &m.features) || len(m.features) != net.In() {
		return nil, bad("missing or wrong feature names")
	}
	if m.std, err = nn.ParseStandardizer[float64](meta, metaFeatureStats); err != nil || m.std.Cols() != net.In() {
		return nil, bad("missing or wrong feature statistics")
	}
	if !dec(metaTargets, &m.targets) || len(m.targets) == 0 {
		return nil, bad("missing or wrong target columns")
	}
	loss := net.Architecture().Loss
	if loss == nn.MSE {
		k := len(m.targets)
		if m.targetStd, err = nn.ParseStandardizer[float64](meta, metaTargetStats); err != nil || m.targetStd.Cols() != k {
			return nil, bad("missing or wrong target statistics")
		}
	} else if !dec(metaClasses, &m.classes) || len(m.classes) < 2 || len(m.targets) != 1 {
		return nil, bad("missing or wrong class names")
	}
	if net.Out() != m.outputs(loss) {
		return nil, bad(fmt.Sprintf("%d outputs for %d classes or targets", net.Out(), max(len(m.classes), len(m.targets))))
	}
	return m, nil
}

// standardize returns the rows x standardized by s, as float32, the
// network's type: each value computed in float64 and rounded once.
func standardize(s *nn.Standardizer[float64], x []float64) []float32 {
	z := make([]float64, len(x))
	s.Transform(z, x)
	out := make([]float32, len(z))
	for i, v := range z {
		out[i] = float32(v)
	}
	return out
}

// unstandardize maps the network's standardized predictions z back to the
// targets' own scale, into dst.
func unstandardize(s *nn.Standardizer[float64], dst []float64, z []float32) {
	for i, v := range z {
		dst[i] = float64(v)
	}
	s.Inverse(dst, dst)
}

// outputs returns the width of the output layer m needs for a loss: one
// sigmoid unit for binary cross-entropy, one per class for softmax, one per
// target for a regression.
func (m *model) outputs(loss nn.Loss) int {
	switch {
	case m.regression():
		return len(m.targets)
	case loss == nn.BCE:
		return 1
	}
	return len(m.classes)
}

// inputs returns the model's features from t, by name and in the model's
// order, standardized. Other columns are not read.
func (m *model) inputs(t *table) ([]float32, error) {
	cols, err := t.columnsNamed(m.features)
	if err != nil {
		return nil, err
	}
	x, err := t.numbers(cols)
	if err != nil {
		return nil, err
	}
	return standardize(m.std, x), nil
}

// labelled returns the inputs and targets of t for m: the targets from the
// columns -label names, or the ones the model was trained on.
func (m *model) labelled(t *table, labelSpec string) (*labelled, error) {
	x, err := m.inputs(t)
	if err != nil {
		return nil, err
	}
	var cols []int
	if strings.TrimSpace(labelSpec) != "" {
		cols, err = t.targetColumns(labelSpec)
	} else {
		cols, err = t.columnsNamed(m.targets)
	}
	if err != nil {
		return nil, err
	}
	if m.regression() {
		if len(cols) != len(m.targets) {
			return nil, badInput("-label %q: the model predicts %d targets (%s)", labelSpec, len(m.targets), strings.Join(m.targets, ", "))
		}
		v, err := t.numbers(cols)
		if err != nil {
			return nil, err
		}
		return m.regressionSet(x, v), nil
	}
	if len(cols) != 1 {
		return nil, badInput("-label %q: a classifier has one label column", labelSpec)
	}
	labels, err := t.labels(cols[0])
	if err != nil {
		return nil, err
	}
	idx, r, ok := classIndices(labels, m.classes)
	if !ok {
		return nil, badInput("%s:%d: label %q is not one of the model's classes (%s)", t.name, t.lines[r], labels[r], strings.Join(m.classes, ", "))
	}
	return m.classSet(x, idx), nil
}
