package main

import (
	"bufio"
	"fmt"
	"io"

	"github.com/simdnn/simdnn/nn"
)

func predict(args []string, stdout, stderr io.Writer) error {
	f, err := parseModelFlags("predict", args, stderr, true)
	if err != nil {
		return err
	}
	m, err := loadModel(f.model)
	if err != nil {
		return err
	}
	d, err := loadForModel(f, m, false)
	if err != nil {
		return err
	}
	x, err := m.inputs(d)
	if err != nil {
		return err
	}
	in, out := m.net.In(), m.net.Out()
	y := make([]float32, out)
	probs := make([]float32, m.classes)
	w := bufio.NewWriter(stdout)
	for r := range d.rows() {
		row := x[r*in : (r+1)*in]
		m.net.Predict(y, row)
		fmt.Fprint(w, m.net.Classify(row))
		if f.probs {
			classProbabilities(probs, y, m.net.Architecture().Loss)
			for _, p := range probs {
				fmt.Fprintf(w, ",%.6f", p)
			}
		}
		fmt.Fprintln(w)
	}
	return w.Flush()
}

// classProbabilities turns the network's outputs into one probability per
// class: the softmax of logits, the sigmoid output and its complement for
// binary cross-entropy, and the outputs as they are for MSE.
func classProbabilities(dst, y []float32, loss nn.Loss) {
	switch loss {
	case nn.SoftmaxCrossEntropy:
		nn.Softmax(dst, y)
	case nn.BCE:
		dst[0], dst[1] = 1-y[0], y[0]
	default:
		copy(dst, y)
	}
}
