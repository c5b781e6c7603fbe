package nn

import (
	"fmt"

	"github.com/simdnn/simdnn/kernels"
)

// scratch holds the activations of a forward pass over one block of samples
// (and, for training, their gradients), batch-major: each buffer is a
// rows×width row-major matrix whose row s belongs to sample s. It starts
// with one row and grows, once, to the largest block it is asked for, at
// most blockRows rows; it never shrinks.
type scratch[T Float] struct {
	rows  int   // the rows every buffer has room for
	bce   bool  // whether z is kept
	train bool  // whether g, x and y are kept
	a     [][]T // a[l]: layer l's output h(z)
	z     []T   // the output layer's logits, kept when the loss is BCE
	g     [][]T // g[l]: ∂L/∂a, then δ = ∂L/∂z, of layer l (training only)
	x, y  []T   // a batch's inputs and targets gathered in Train's order (training only)
}

// newScratch returns one row of scratch for the layers of a network trained
// with loss; train says whether it also holds what backpropagation needs.
func newScratch[T Float](layers []Layer[T], loss Loss, train bool) scratch[T] {
	s := scratch[T]{bce: loss == BCE, train: train, a: make([][]T, len(layers))}
	if train {
		s.g = make([][]T, len(layers))
	}
	s.grow(layers, 1)
	return s
}

// grow makes room for rows samples, allocating only when rows is more than
// the scratch has held so far.
func (s *scratch[T]) grow(layers []Layer[T], rows int) {
	if rows <= s.rows {
		return
	}
	s.rows = rows
	for l := range layers {
		s.a[l] = make([]T, rows*layers[l].out)
		if s.train {
			s.g[l] = make([]T, rows*layers[l].out)
		}
	}
	out := layers[len(layers)-1].out
	if s.bce {
		s.z = make([]T, rows*out)
	}
	if s.train {
		s.x = make([]T, rows*layers[0].in)
		s.y = make([]T, rows*out)
	}
}

// forward runs the rows samples of x (rows×In() values) through every layer
// and returns the output block, rows×Out() values. With logits set (and a
// BCE network) the output layer's z is kept in s.z and σ(z) computed from
// it; otherwise each layer is one layerForward. The scratch must have room
// for rows samples.
func (s *scratch[T]) forward(k *kernels.Funcs[T], layers []Layer[T], rows int, x []T, logits bool) []T {
	last := len(layers) - 1
	for i := range layers {
		l := &layers[i]
		out := s.a[i][:rows*l.out]
		if i == last && logits && s.bce {
			z := s.z[:rows*l.out]
			layerForward(k, l, Identity, rows, x, z)
			k.Sigmoid(out, z)
		} else {
			layerForward(k, l, l.act, rows, x, out)
		}
		x = out
	}
	return x
}

// logits returns the output layer's z for the last forward pass of rows
// samples with logits set, or nil for a network whose loss does not need it.
func (s *scratch[T]) logits(rows, out int) []T {
	if !s.bce {
		return nil
	}
	return s.z[:rows*out]
}

// input returns the input of layer l for the block x of rows samples: x
// itself for the first layer, the previous layer's output for the others.
func (s *scratch[T]) input(layers []Layer[T], l, rows int, x []T) []T {
	if l == 0 {
		return x
	}
	return s.a[l-1][:rows*layers[l].in]
}

// predict runs the rows of x through the network block by block, writing
// the outputs to dst.
func predict[T Float](k *kernels.Funcs[T], layers []Layer[T], s *scratch[T], fn string, dst, x []T) {
	in, out := layers[0].in, layers[len(layers)-1].out
	rows := checkRows(fn, x, dst, "dst", in, out)
	s.grow(layers, min(rows, blockRows))
	for lo := 0; lo < rows; lo += blockRows {
		r := min(blockRows, rows-lo)
		copy(dst[lo*out:(lo+r)*out], s.forward(k, layers, r, x[lo*in:(lo+r)*in], false))
	}
}

// classify returns the class of the one sample x.
func classify[T Float](k *kernels.Funcs[T], layers []Layer[T], s *scratch[T], x []T) int {
	checkSample("Classify", "x", len(x), layers[0].in)
	return class(s.forward(k, layers, 1, x, false))
}

func evaluate[T Float](k *kernels.Funcs[T], layers []Layer[T], s *scratch[T], loss Loss, x, y []T) (float64, float64) {
	in, out := layers[0].in, layers[len(layers)-1].out
	rows := checkRows("Evaluate", x, y, "y", in, out)
	if rows == 0 {
		return 0, 0
	}
	s.grow(layers, min(rows, blockRows))
	var sum float64
	correct := 0
	for lo := 0; lo < rows; lo += blockRows {
		r := min(blockRows, rows-lo)
		yb := y[lo*out : (lo+r)*out]
		a := s.forward(k, layers, r, x[lo*in:(lo+r)*in], true)
		sum += lossRows(loss, out, s.logits(r, out), a, yb, nil, 1)
		correct += countCorrect(out, a, yb)
	}
	return sum / float64(rows), float64(correct) / float64(rows)
}

// countCorrect returns the number of rows of the outputs a (rows of m
// values) whose class is that of the same row of the targets y.
func countCorrect[T Float](m int, a, y []T) int {
	n := 0
	for s := 0; s < len(a); s += m {
		if class(a[s:s+m]) == class(y[s:s+m]) {
			n++
		}
	}
	return n
}

// checkRows returns the number of samples in x, rows of in values, and
// panics unless x has a whole number of them and y (named yName) has as many
// rows of out values.
func checkRows[T Float](fn string, x, y []T, yName string, in, out int) int {
	if len(x)%in != 0 {
		panic(fmt.Sprintf("nn: %s: len(x) = %d is not a multiple of the input width %d", fn, len(x), in))
	}
	rows := len(x) / in
	if len(y) != rows*out {
		panic(fmt.Sprintf("nn: %s: len(%s) = %d, want %d samples × %d outputs = %d", fn, yName, len(y), rows, out, rows*out))
	}
	return rows
}

// checkSample panics unless a one-sample vector has the width it stands for.
func checkSample(fn, name string, got, want int) {
	if got != want {
		panic(fmt.Sprintf("nn: %s: len(%s) = %d, want %d", fn, name, got, want))
	}
}
