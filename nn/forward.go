package nn

import (
	"fmt"

	"github.com/simdnn/simdnn/kernels"
)

// forward holds the activations of one forward pass of one sample.
type forward[T Float] struct {
	a [][]T // a[l] is layer l's output
	z []T   // the output layer's logits, kept when the loss is BCE
}

func newForward[T Float](layers []Layer[T], loss Loss) forward[T] {
	f := forward[T]{a: make([][]T, len(layers))}
	for l := range layers {
		f.a[l] = make([]T, layers[l].out)
	}
	if loss == BCE {
		f.z = make([]T, layers[len(layers)-1].out)
	}
	return f
}

// run computes every layer's output for the sample x and returns the last.
// With logits set (and a BCE network) the output layer's z is kept in f.z
// and σ(z) computed from it; otherwise each layer is one fused kernel call.
func (f *forward[T]) run(k *kernels.Funcs[T], layers []Layer[T], x []T, logits bool) []T {
	last := len(layers) - 1
	for i := range layers {
		l := &layers[i]
		out := f.a[i]
		if i == last && logits && f.z != nil {
			k.DenseForward(kernels.Identity, l.out, l.in, l.w, l.in, x, l.b, f.z)
			k.Sigmoid(out, f.z)
		} else {
			k.DenseForward(l.act, l.out, l.in, l.w, l.in, x, l.b, out)
		}
		x = out
	}
	return x
}

// input returns the input of layer l for the sample x: x itself for the
// first layer, the previous layer's output for the others.
func (f *forward[T]) input(l int, x []T) []T {
	if l == 0 {
		return x
	}
	return f.a[l-1]
}

func predict[T Float](k *kernels.Funcs[T], layers []Layer[T], f *forward[T], fn string, dst, x []T) {
	in, out := layers[0].in, layers[len(layers)-1].out
	rows := checkRows(fn, x, dst, "dst", in, out)
	for s := range rows {
		copy(dst[s*out:(s+1)*out], f.run(k, layers, x[s*in:(s+1)*in], false))
	}
}

func evaluate[T Float](k *kernels.Funcs[T], layers []Layer[T], f *forward[T], loss Loss, x, y []T) (float64, float64) {
	in, out := layers[0].in, layers[len(layers)-1].out
	rows := checkRows("Evaluate", x, y, "y", in, out)
	if rows == 0 {
		return 0, 0
	}
	h := layers[len(layers)-1].act
	var sum float64
	correct := 0
	for s := range rows {
		ys := y[s*out : (s+1)*out]
		a := f.run(k, layers, x[s*in:(s+1)*in], true)
		sum += sampleLoss(k, loss, h, f.z, a, ys, nil, 1)
		if class(a) == class(ys) {
			correct++
		}
	}
	return sum / float64(rows), float64(correct) / float64(rows)
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
