package main

import (
	"fmt"
	"io"

	"github.com/simdnn/simdnn/kernels"
)

const evaluateHelp = `usage: simdnn evaluate -model FILE -data DATA [flags]

Score a model saved by simdnn train on labelled rows: the accuracy and the
confusion matrix of a classifier, the RMSE and R² of each target of a
regression. The label or target columns are the ones the model was trained
on unless -label names others.

examples:
  simdnn evaluate -model model.safetensors -data digits
  simdnn evaluate -model price.safetensors -data houses-2024.csv -json

flags:
`

// evaluateFlags are the flags of simdnn evaluate.
type evaluateFlags struct {
	model, data, label string
	json               bool
	kernels            kernelFlags
}

// evaluation is what evaluate reports with -json.
type evaluation struct {
	Model        string   `json:"model"`
	Data         string   `json:"data"`
	Architecture string   `json:"architecture"`
	Kernels      string   `json:"kernels"`
	Classes      []string `json:"classes,omitempty"`
	Targets      []string `json:"targets"`
	metrics
}

func evaluate(args []string, stdout, stderr io.Writer) error {
	var f evaluateFlags
	fs := newFlagSet("evaluate", stderr)
	fs.StringVar(&f.model, "model", "model.safetensors", "model file saved by simdnn train")
	fs.StringVar(&f.data, "data", "", `CSV file with a header line holding the model's features and targets, or "digits" for the built-in test rows`)
	fs.StringVar(&f.label, "label", "", "the label or target columns, by name or 0-based index, comma-separated (default: the columns the model was trained on)")
	f.kernels.register(fs)
	fs.BoolVar(&f.json, "json", false, "write the scores as one JSON object to standard output instead of the report")
	if err := parseFlags(fs, args, evaluateHelp, stdout); err != nil {
		return err
	}
	if f.data == "" {
		return badInput("evaluate: -data is required")
	}
	if err := f.kernels.apply(); err != nil {
		return err
	}
	m, err := loadModel(f.model)
	if err != nil {
		return err
	}
	t, err := loadTable(f.data)
	if err != nil {
		return err
	}
	t.onlyTest()
	s, err := m.labelled(t, f.label)
	if err != nil {
		return err
	}
	e := evaluation{Model: f.model, Data: t.name, Architecture: m.net.Architecture().String(),
		Kernels: kernels.Implementation(), Classes: m.classes, Targets: m.targets, metrics: m.score(s)}
	if f.json {
		return writeJSON(stdout, e)
	}
	fmt.Fprintf(stdout, "%s on %s: %d rows, %s kernels\n", e.Architecture, t.name, t.rows(), e.Kernels)
	m.printMetrics(stdout, "test", e.metrics)
	return nil
}
