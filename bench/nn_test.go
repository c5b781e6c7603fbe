package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/simdnn/simdnn/internal/benchshape"
	"github.com/simdnn/simdnn/kernels"
	"github.com/simdnn/simdnn/nn"
)

// The training steps of package nn, in float32, on simdnn's assembly and on
// its pure Go, as nn/bench_test.go measures them but named in this suite's
// style, the implementation last:
//
//	BenchmarkTrainStep/net=784-256-128-10/step=sgd1/impl=avx2
//
// gonum and OpenBLAS have no neural-network training step, so there is no
// impl=gonum or impl=openblas here: the report sets these numbers next to
// PyTorch's and numpy's, which python/mlp_bench.py measures in the same run
// under the same names (impl=torch, impl=numpy).

// trainNet is a network the training benchmarks run.
type trainNet struct {
	name string // the net= key: the layer widths
	arch nn.Architecture
}

// trainNets are the MNIST-sized softmax network (ReLU hidden layers)
// and the textbook 2-2-1 sigmoid network with binary cross-entropy, which
// shows the cost of a call rather than of the arithmetic.
var trainNets = []trainNet{
	{"784-256-128-10", nn.Architecture{
		Sizes:       benchshape.TrainNets[0], // 784-256-128-10, which python/mlp_bench.py trains too
		Activations: []nn.Activation{nn.ReLU, nn.ReLU, nn.Identity},
		Loss:        nn.SoftmaxCrossEntropy,
	}},
	{"2-2-1", nn.Architecture{
		Sizes:       []int{2, 2, 1},
		Activations: []nn.Activation{nn.Sigmoid, nn.Sigmoid},
		Loss:        nn.BCE,
	}},
}

// trainStep is one kind of step: batch samples per call of run.
type trainStep struct {
	name  string // the step= key
	batch int
	// prepare returns the function that runs step i (0, 1, 2, …) on the
	// network n with the data x, y: whole batches, taken in turn.
	prepare func(n *nn.Network[float32], x, y []float32) func(i int)
}

// trainLR is the learning rate of the benchmarks' SGD, as in
// nn/bench_test.go: small enough that the weights stay far from overflow
// over any number of steps on random data.
const trainLR = 1e-3

// trainBatches is how many different batches the benchmarks cycle through,
// as long as they hold at most trainMaxRows samples.
const (
	trainBatches = 64
	trainMaxRows = 8192
)

// trainRows returns how many samples a step of batch samples cycles
// through: trainBatches batches, or as many as trainMaxRows samples hold.
func trainRows(batch int) int {
	return batch * max(1, min(trainBatches, trainMaxRows/batch))
}

// trainSteps are the per-sample SGD step (nn.Network.SGDStep: forward, then
// backward fused with the update W −= lr·δaᵀ), the mini-batch steps of
// benchshape.TrainBatches samples (Backward, then SGD.Step; batchN), and
// inference of benchshape.PredictRows rows in one Predict call (predictN).
var trainSteps = func() []trainStep {
	steps := []trainStep{{"sgd1", 1, func(n *nn.Network[float32], x, y []float32) func(int) {
		in, out := n.In(), n.Out()
		rows := len(x) / in
		return func(i int) {
			s := i % rows
			n.SGDStep(x[s*in:(s+1)*in], y[s*out:(s+1)*out], trainLR)
		}
	}}}
	for _, batch := range benchshape.TrainBatches {
		steps = append(steps, trainStep{fmt.Sprintf("batch%d", batch), batch, func(n *nn.Network[float32], x, y []float32) func(int) {
			in, out := n.In(), n.Out()
			batches := len(x) / in / batch
			opt := nn.NewSGD(n, trainLR)
			return func(i int) {
				s := (i % batches) * batch
				n.Backward(x[s*in:(s+batch)*in], y[s*out:(s+batch)*out], nil)
				opt.Step()
			}
		}})
	}
	for _, rows := range benchshape.PredictRows {
		steps = append(steps, trainStep{fmt.Sprintf("predict%d", rows), rows, func(n *nn.Network[float32], x, y []float32) func(int) {
			in := n.In()
			blocks := len(x) / in / rows
			dst := make([]float32, rows*n.Out())
			return func(i int) {
				s := (i % blocks) * rows
				n.Predict(dst, x[s*in:(s+rows)*in])
			}
		}})
	}
	return steps
}()

func init() {
	configLines = append(configLines, trainConfigLines)
}

// trainConfigLines describe the benchmarks' networks for the report, e.g.
//
//	nn-arch-784-256-128-10: 784-256(relu)-128(relu)-10(identity) softmax_cross_entropy
func trainConfigLines() []string {
	var out []string
	for _, net := range trainNets {
		out = append(out, fmt.Sprintf("nn-arch-%s: %s", net.name, net.arch))
	}
	return out
}

// trainData returns rows samples for a network of architecture arch: inputs
// uniform in [0, 1) and one-hot targets (0, 1, 0, 1, … for one output), from
// a fixed seed.
func trainData(arch nn.Architecture, rows int) (x, y []float32) {
	in, out := arch.Sizes[0], arch.Sizes[len(arch.Sizes)-1]
	r := rand.New(rand.NewPCG(7, 0x5eed))
	x = make([]float32, rows*in)
	for i := range x {
		x[i] = float32(r.Float64())
	}
	y = make([]float32, rows*out)
	for s := range rows {
		if out == 1 {
			y[s] = float32(s % 2)
		} else {
			y[s*out+r.IntN(out)] = 1
		}
	}
	return x, y
}

// newTrainNet returns the network of arch with the benchmarks' fixed seed.
func newTrainNet(tb testing.TB, arch nn.Architecture) *nn.Network[float32] {
	tb.Helper()
	n, err := nn.New[float32](arch, 1)
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// BenchmarkTrainStep measures one training step of package nn, or one
// Predict call, in float32: ns/op is the time of a step (of 32 samples for
// step=batch32, of 1024 rows for step=predict1024), samples/s the samples it
// processes per second. Every
// implementation starts from the same network (seed 1) and sees the same
// samples in the same order.
func BenchmarkTrainStep(b *testing.B) {
	for _, net := range trainNets {
		b.Run("net="+net.name, func(b *testing.B) {
			for _, step := range trainSteps {
				b.Run("step="+step.name, func(b *testing.B) {
					x, y := trainData(net.arch, trainRows(step.batch))
					for _, impl := range kernels.Implementations() {
						runImpl(b, impl, useKernels(impl), func(b *testing.B) {
							run := step.prepare(newTrainNet(b, net.arch), x, y)
							b.ReportAllocs()
							i := 0
							for b.Loop() {
								run(i)
								i++
							}
							b.ReportMetric(float64(b.N*step.batch)/b.Elapsed().Seconds(), "samples/s")
						})
					}
				})
			}
		})
	}
}

// TestTrainImplementationsAgree checks that the benchmarks' steps compute the
// same thing on every implementation: from the same network and samples,
// a few steps of each kind leave outputs that agree within float32 rounding.
func TestTrainImplementationsAgree(t *testing.T) {
	const steps = 8
	for _, net := range trainNets {
		for _, step := range trainSteps {
			x, y := trainData(net.arch, trainRows(step.batch))
			in, out := net.arch.Sizes[0], net.arch.Sizes[len(net.arch.Sizes)-1]
			var ref []float32
			for _, impl := range kernels.Implementations() {
				t.Run(fmt.Sprintf("net=%s/step=%s/impl=%s", net.name, step.name, impl), func(t *testing.T) {
					undo, err := useKernels(impl)()
					if err != nil {
						t.Fatal(err)
					}
					defer undo()
					n := newTrainNet(t, net.arch)
					run := step.prepare(n, x, y)
					for i := range steps {
						run(i)
					}
					rows := min(trainBatches, len(x)/in)
					got := make([]float32, rows*out)
					n.Predict(got, x[:rows*in])
					if ref == nil {
						ref = got
						return
					}
					for i := range got {
						if d := math.Abs(float64(got[i] - ref[i])); d > 1e-4*(1+math.Abs(float64(ref[i]))) || math.IsNaN(d) {
							t.Fatalf("output %d = %v, want %v (as %s computes it)", i, got[i], ref[i], kernels.Implementations()[0])
						}
					}
				})
			}
		}
	}
}
