package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/simdnn/simdnn/kernels"
)

// modelFlags are the flags evaluate and predict share.
type modelFlags struct {
	model, data, label, kernelPath string
	probs                          bool
}

func parseModelFlags(name string, args []string, stderr io.Writer, withProbs bool) (*modelFlags, error) {
	var f modelFlags
	fs := flag.NewFlagSet("simdnn "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.model, "model", "model.safetensors", "model file saved by simdnn train")
	fs.StringVar(&f.data, "data", "", `CSV file with a header line whose columns include the model's features, or "digits" for the built-in test rows`)
	fs.StringVar(&f.label, "label", "", `label column, by name or 0-based index (default: the model's label column name)`)
	fs.StringVar(&f.kernelPath, "kernels", "auto", "kernel implementation: auto, "+strings.Join(kernels.Implementations(), ", "))
	if withProbs {
		fs.BoolVar(&f.probs, "probs", false, "print each class's probability after the predicted class")
	}
	if err := fs.Parse(args); err != nil {
		return nil, flagError(err)
	}
	if fs.NArg() > 0 {
		return nil, badInput("%s: unexpected argument %q", name, fs.Arg(0))
	}
	if f.data == "" {
		return nil, badInput("%s: -data is required", name)
	}
	return &f, selectKernels(f.kernelPath)
}

// loadForModel reads the data for a model, restricted to the built-in test
// rows for "digits".
func loadForModel(f *modelFlags, m *model, needLabel bool) (*dataset, error) {
	label := f.label
	if label == "" && needLabel && f.data != builtinDigits {
		label = m.label // evaluate: the column the model was trained on
	}
	d, err := loadData(f.data, label, needLabel)
	if err != nil {
		return nil, err
	}
	if d.test != nil {
		x, labels := d.subset(d.test)
		d.x, d.labels, d.train, d.test = x, labels, nil, nil
	}
	return d, nil
}

func evaluate(args []string, stdout, stderr io.Writer) error {
	f, err := parseModelFlags("evaluate", args, stderr, false)
	if err != nil {
		return err
	}
	m, err := loadModel(f.model)
	if err != nil {
		return err
	}
	d, err := loadForModel(f, m, true)
	if err != nil {
		return err
	}
	x, err := m.inputs(d)
	if err != nil {
		return err
	}
	if err := m.checkLabels(d); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s on %s: %d rows, %s kernels\n", m.net.Architecture(), d.name, d.rows(), kernels.Implementation())
	report(stdout, m, x, d.labels)
	return nil
}

// report prints the accuracy and the confusion matrix of m on x and labels.
func report(w io.Writer, m *model, x []float32, labels []int) {
	start := time.Now()
	in := m.net.In()
	confusion := make([][]int, m.classes)
	for i := range confusion {
		confusion[i] = make([]int, m.classes)
	}
	right := 0
	for i, want := range labels {
		got := m.net.Classify(x[i*in : (i+1)*in])
		confusion[want][got]++
		if got == want {
			right++
		}
	}
	fmt.Fprintf(w, "test accuracy %.4f (%d of %d) in %v\n", float64(right)/float64(len(labels)), right, len(labels), time.Since(start).Round(time.Microsecond))
	fmt.Fprintln(w, "confusion matrix (rows: true label, columns: predicted):")
	fmt.Fprintf(w, "%6s", "")
	for c := range m.classes {
		fmt.Fprintf(w, "%5d", c)
	}
	fmt.Fprintln(w)
	for r, row := range confusion {
		fmt.Fprintf(w, "%6d", r)
		for _, n := range row {
			fmt.Fprintf(w, "%5d", n)
		}
		fmt.Fprintln(w)
	}
}
