package nn

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestConcurrentInference: many goroutines share one Network for Predict,
// Classify and Evaluate at once (run with -race), on block sizes that take
// the per-sample and the Gemm paths, and every one gets the serial answers.
func TestConcurrentInference(t *testing.T) {
	n := mustNew[float32](t, arch(SoftmaxCrossEntropy, []int{16, 32, 10}, ReLU, Identity), 1)
	rng := newRand(3)
	const rows = 40 // ≥ forwardGemmRows
	x := randSlice[float32](rng, rows*16, -1, 1)
	y := randSlice[float32](rng, rows*10, 0, 1)
	want := make([]float32, rows*10)
	n.Predict(want, x)
	wantClass := make([]int, rows)
	for s := range rows {
		wantClass[s] = n.Classify(x[s*16 : (s+1)*16])
	}
	wantLoss, wantAcc := n.Evaluate(x, y)

	const goroutines, rounds = 8, 10
	var wg sync.WaitGroup
	errs := make([]string, goroutines)
	for g := range goroutines {
		wg.Go(func() {
			out := make([]float32, rows*10)
			one := make([]float32, 10)
			for range rounds {
				n.Predict(out, x)
				for j := range out {
					if out[j] != want[j] {
						errs[g] = "Predict of all rows differs"
						return
					}
				}
				for s := range rows {
					if n.Classify(x[s*16:(s+1)*16]) != wantClass[s] {
						errs[g] = "Classify differs"
						return
					}
					n.Predict(one, x[s*16:(s+1)*16])
				}
				if l, a := n.Evaluate(x, y); l != wantLoss || a != wantAcc {
					errs[g] = "Evaluate differs"
					return
				}
			}
		})
	}
	wg.Wait()
	for g, e := range errs {
		require.Empty(t, e, "goroutine %d", g)
	}
}

// TestUseGuard: a call that changes the network while another call runs on
// it panics with a message naming both kinds of call, and so does inference
// while the network is being changed. The overlap is made deterministic by
// marking a call as running by hand, as a concurrent one would.
func TestUseGuard(t *testing.T) {
	n := mustNew[float32](t, arch(MSE, []int{2, 3, 1}, ReLU, Identity), 1)
	x, y := []float32{1, 2}, []float32{1}
	sgd := NewSGD(n, 0.1)
	writers := map[string]func(){
		"Backward": func() { n.Backward(x, y, nil) },
		"SGDStep":  func() { n.SGDStep(x, y, 0.1) },
		"SGD.Step": func() { sgd.Step() },
		"Init":     func() { n.Init(1) },
		"Train":    func() { _ = n.Train(x, y, sgd, TrainConfig{Epochs: 1}) },
	}
	readers := map[string]func(){
		"Predict":  func() { n.Predict(make([]float32, 1), x) },
		"Classify": func() { n.Classify(x) },
		"Evaluate": func() { n.Evaluate(x, y) },
	}
	for name, f := range writers {
		n.guard.read("Predict")
		require.PanicsWithValue(t, "nn: "+name+": called while another method runs on the same network in another goroutine; "+
			"training a network (Train, Backward, SGDStep, an optimizer's Step, Init) is not safe for concurrent use", f, name)
		n.guard.done()
		n.guard.write("Train")
		require.Panics(t, f, "%s during training", name)
		n.guard.unwrite()
		require.NotPanics(t, f, "%s alone", name)
	}
	for name, f := range readers {
		n.guard.write("Train")
		require.PanicsWithValue(t, "nn: "+name+": called while the network is being trained or its weights changed "+
			"(Train, Backward, SGDStep, an optimizer's Step or Init) in another goroutine; "+
			"inference is safe for concurrent use, training is not", f, name)
		n.guard.unwrite()
		n.guard.read("Predict")
		require.NotPanics(t, f, "%s beside another inference", name)
		n.guard.done()
		require.NotPanics(t, f, "%s alone", name)
	}
	require.Zero(t, n.guard.state.Load(), "every call undid its mark")

	// OnEpoch runs between epochs, outside the guard: it may evaluate.
	require.NoError(t, n.Train(x, y, sgd, TrainConfig{Epochs: 2, OnEpoch: func(EpochStats) error {
		n.Evaluate(x, y)
		return nil
	}}))
}
