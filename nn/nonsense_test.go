package nn

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNonsenseArguments gives every entry point of the package arguments that
// make no sense and requires a clear failure: an error, or a panic whose
// message starts with "nn: " and names the function, never a wrong answer or
// a fault.
func TestNonsenseArguments(t *testing.T) {
	good := Architecture{Sizes: []int{3, 4, 2}, Activations: []Activation{ReLU, Identity}, Loss: SoftmaxCrossEntropy}

	for _, c := range []struct {
		name string
		arch Architecture
	}{
		{"no layers", Architecture{Sizes: []int{3}, Loss: MSE}},
		{"no sizes", Architecture{Loss: MSE}},
		{"negative width", Architecture{Sizes: []int{3, -4, 2}, Activations: []Activation{ReLU, Identity}, Loss: MSE}},
		{"zero width", Architecture{Sizes: []int{0, 2}, Activations: []Activation{Identity}, Loss: MSE}},
		{"huge width", Architecture{Sizes: []int{1 << 40, 2}, Activations: []Activation{Identity}, Loss: MSE}},
		{"too few activations", Architecture{Sizes: []int{3, 4, 2}, Activations: []Activation{ReLU}, Loss: MSE}},
		{"too many activations", Architecture{Sizes: []int{3, 2}, Activations: []Activation{ReLU, ReLU}, Loss: MSE}},
		{"unknown activation", Architecture{Sizes: []int{3, 2}, Activations: []Activation{7}, Loss: MSE}},
		{"unknown loss", Architecture{Sizes: []int{3, 2}, Activations: []Activation{Identity}, Loss: 9}},
		{"bce on a relu output", Architecture{Sizes: []int{3, 1}, Activations: []Activation{ReLU}, Loss: BCE}},
		{"softmax on a sigmoid output", Architecture{Sizes: []int{3, 2}, Activations: []Activation{Sigmoid}, Loss: SoftmaxCrossEntropy}},
	} {
		t.Run("New/"+c.name, func(t *testing.T) {
			n, err := New[float32](c.arch, 1)
			assert.Error(t, err)
			assert.Nil(t, n)
		})
	}

	n, err := New[float32](good, 1)
	require.NoError(t, err)
	other, err := New[float32](good, 2)
	require.NoError(t, err)
	x3, y2 := []float32{1, 2, 3}, []float32{0, 1}

	panics := []struct {
		name, fn string
		call     func()
	}{
		{"Predict short x", "Predict", func() { n.Predict(make([]float32, 2), x3[:2]) }},
		{"Predict nil x", "Predict", func() { n.Predict(make([]float32, 2), nil) }},
		{"Predict short dst", "Predict", func() { n.Predict(make([]float32, 1), x3) }},
		{"Predict nil dst", "Predict", func() { n.Predict(nil, x3) }},
		{"Predict two samples, one output row", "Predict", func() { n.Predict(make([]float32, 2), make([]float32, 6)) }},
		{"Classify short x", "Classify", func() { n.Classify(x3[:1]) }},
		{"Classify two samples", "Classify", func() { n.Classify(make([]float32, 6)) }},
		{"Evaluate mismatched y", "Evaluate", func() { n.Evaluate(x3, y2[:1]) }},
		{"Evaluate ragged x", "Evaluate", func() { n.Evaluate(x3[:2], y2) }},
		{"Backward mismatched y", "Backward", func() { n.Backward(x3, []float32{1}, nil) }},
		{"Backward short dx", "Backward", func() { n.Backward(x3, y2, []float32{0}) }},
		{"SGDStep two samples", "SGDStep", func() { n.SGDStep(make([]float32, 6), make([]float32, 4), 0.1) }},
		{"SGDStep short y", "SGDStep", func() { n.SGDStep(x3, y2[:1], 0.1) }},
		{"Layer −1", "Layer", func() { n.Layer(-1) }},
		{"Layer past the last", "Layer", func() { n.Layer(2) }},
		{"Backward many rows, short y", "Backward", func() { n.Backward(make([]float32, 900), make([]float32, 599), nil) }},
		{"Backward many rows, short dx", "Backward", func() { n.Backward(make([]float32, 900), make([]float32, 600), make([]float32, 897)) }},
		{"OneHot no classes", "OneHot", func() { _, _ = OneHot[float32]([]int{0}, 0) }},
		{"Softmax mismatched", "Softmax", func() { Softmax(make([]float32, 2), x3) }},
		{"ClassifyBatch short dst", "ClassifyBatch", func() { n.ClassifyBatch(make([]int, 1), make([]float32, 6)) }},
		{"Probabilities short dst", "Probabilities", func() { n.Probabilities(make([]float32, 3), make([]float32, 6)) }},
		{"Accuracy mismatched", "Accuracy", func() { Accuracy([]int{1}, nil) }},
		{"ConfusionMatrix no classes", "ConfusionMatrix", func() { _, _ = ConfusionMatrix(nil, nil, 0) }},
		{"RMSE ragged", "RMSE", func() { RMSE(x3, x3, 2) }},
		{"R2 mismatched", "R2", func() { R2(x3, y2, 1) }},
		{"FitStandardizer ragged", "FitStandardizer", func() { _, _ = FitStandardizer(x3, 2) }},
		{"NewSGD negative lr", "NewSGD", func() { NewSGD(n, -1) }},
		{"NewAdam NaN lr", "NewAdam", func() { NewAdam(n, math.NaN()) }},
		{"NewAdamW zero lr", "NewAdamW", func() { NewAdamW(n, 0) }},
		{"SGD.Step momentum 5", "SGD.Step", func() { o := NewSGD(n, 0.1); o.Momentum = 5; o.Step() }},
	}
	for _, c := range panics {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				r := recover()
				require.NotNil(t, r, "no panic")
				msg := fmt.Sprint(r)
				assert.True(t, strings.HasPrefix(msg, "nn: "+c.fn), "panic %q does not start with %q", msg, "nn: "+c.fn)
			}()
			c.call()
		})
	}

	errs := []struct {
		name string
		call func() error
	}{
		{"SetWeights short", func() error { return n.Layer(0).SetWeights(make([]float32, 11)) }},
		{"SetWeights nil", func() error { return n.Layer(0).SetWeights(nil) }},
		{"SetBias long", func() error { return n.Layer(1).SetBias(make([]float32, 3)) }},
		{"Train no optimizer", func() error { return n.Train(x3, y2, nil, TrainConfig{Epochs: 1}) }},
		{"Train another network's optimizer", func() error { return n.Train(x3, y2, NewSGD(other, 0.1), TrainConfig{Epochs: 1}) }},
		{"Train negative epochs", func() error { return n.Train(x3, y2, NewSGD(n, 0.1), TrainConfig{Epochs: -1}) }},
		{"Train negative batch", func() error { return n.Train(x3, y2, NewSGD(n, 0.1), TrainConfig{Epochs: 1, BatchSize: -2}) }},
		{"Train ragged x", func() error { return n.Train(x3[:2], y2, NewSGD(n, 0.1), TrainConfig{Epochs: 1}) }},
		{"Train mismatched y", func() error { return n.Train(x3, y2[:1], NewSGD(n, 0.1), TrainConfig{Epochs: 1}) }},
		{"Train no samples", func() error { return n.Train(nil, nil, NewSGD(n, 0.1), TrainConfig{Epochs: 1}) }},
		{"Train NaN inputs", func() error {
			return n.Train([]float32{float32(math.NaN()), 0, 0}, y2, NewSGD(n, 0.1), TrainConfig{Epochs: 1})
		}},
		{"Decode nothing", func() error { _, _, err := Decode[float32](bytes.NewReader(nil), 0); return err }},
		{"Decode garbage", func() error {
			b := []byte("not a safetensors file at all")
			_, _, err := Decode[float32](bytes.NewReader(b), int64(len(b)))
			return err
		}},
		{"Decode negative size", func() error { _, _, err := Decode[float32](bytes.NewReader(nil), -5); return err }},
		{"Load missing file", func() error { _, _, err := Load[float32](t.TempDir() + "/none.safetensors"); return err }},
		{"Train zero config", func() error { return n.Train(x3, y2, NewSGD(n, 0.1), TrainConfig{}) }},
		{"Train bad schedule", func() error {
			return n.Train(x3, y2, NewSGD(n, 0.1), TrainConfig{Epochs: 1, Schedule: StepLR{Initial: 1, Gamma: 1}})
		}},
		{"OneHot bad label", func() error { _, err := OneHot[float32]([]int{5}, 2); return err }},
		{"ConfusionMatrix bad label", func() error { _, err := ConfusionMatrix([]int{5}, []int{0}, 2); return err }},
		{"FitStandardizer NaN", func() error { _, err := FitStandardizer([]float32{float32(math.NaN())}, 1); return err }},
		{"ParseStandardizer nothing", func() error { _, err := ParseStandardizer[float32](nil, "x."); return err }},
		{"LoadPyTorch missing file", func() error { _, _, err := LoadPyTorch[float32](t.TempDir()+"/none", good); return err }},
		{"DecodePyTorch garbage", func() error {
			b := []byte("not a safetensors file at all")
			_, _, err := DecodePyTorch[float32](bytes.NewReader(b), int64(len(b)), good)
			return err
		}},
		{"LoadState missing file", func() error { return NewAdam(n, 0.1).LoadState(t.TempDir() + "/none") }},
	}
	for _, c := range errs {
		t.Run(c.name, func(t *testing.T) {
			err := c.call()
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "nn: ") || strings.Contains(err.Error(), "no such file"), "error %q", err)
		})
	}
}
