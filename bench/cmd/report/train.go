package main

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
)

// trainBench is the base name of the training-step benchmarks
// (bench/nn_test.go): BenchmarkTrainStep/net=…/step=…/impl=….
const trainBench = "TrainStep"

// trainStepNames name the step= values of the training benchmarks.
var trainStepNames = map[string]string{
	"sgd1":     "per-sample SGD step",
	"batch32":  "batch-32 step",
	"predict1": "batch-1 inference",
}

// trainReference are figures for the 784-256-128-10 softmax-CE network
// measured on the project's test machine outside this suite (single thread,
// float32; the project's reference figures in shared/README.md and issue 4),
// by step: PyTorch 1.13 on the CPU, and numpy ("" where not measured).
var trainReference = struct {
	net   string
	steps []string
	torch map[string]string
	numpy map[string]string
}{
	net:   "784-256-128-10",
	steps: []string{"sgd1", "batch32", "predict1"},
	torch: map[string]string{"sgd1": "206 µs", "batch32": "484 µs", "predict1": "75 µs"},
	numpy: map[string]string{"sgd1": "46 µs (in-place BLAS rank-1 update)", "predict1": "14 µs"},
}

// writeTraining writes the table of the training steps of package nn: per
// network and step, the median µs per step and samples/s of each
// implementation and the ratio avx2 ÷ go, then the figures measured
// elsewhere. It writes nothing if the run has no training benchmarks.
func writeTraining(w io.Writer, d *data) {
	sizes := d.sizes[[2]string{trainBench, ""}]
	impls := d.implsOf(trainBench, "", "ns/op")
	if len(sizes) == 0 || len(impls) == 0 {
		return
	}
	fmt.Fprintf(w, "## Training steps (nn)\n\n")
	fmt.Fprintf(w, "BenchmarkTrainStep (bench/nn_test.go) runs package nn in float32 on one core, on\n"+
		"simdnn's assembly (avx2) and on its pure Go (go), selected with kernels.UseImplementation:\n\n"+
		"- **per-sample SGD step** (`step=sgd1`): `Network.SGDStep`, the forward pass, then the\n"+
		"  backward pass fused with the update W −= lr·δaᵀ (lr = 10⁻³);\n"+
		"- **batch-32 step** (`step=batch32`): `Network.Backward` on 32 samples, then `SGD.Step`;\n"+
		"- **batch-1 inference** (`step=predict1`): `Network.Predict` of one sample.\n\n")
	var nets []string
	for _, s := range sizes {
		net, _, _ := strings.Cut(s, "/")
		if !slices.Contains(nets, net) {
			nets = append(nets, net)
		}
	}
	fmt.Fprintf(w, "The networks (weights from seed 1; inputs uniform in [0, 1), one-hot or 0/1 targets, 64 batches in turn):\n\n")
	for _, net := range nets {
		if a := d.config["nn-arch-"+net]; a != "" {
			fmt.Fprintf(w, "- %s: `%s`\n", net, a)
		} else {
			fmt.Fprintf(w, "- %s\n", net)
		}
	}
	fmt.Fprintf(w, "\nMedians over the passes, ± half the range of their samples; a batch-32 step\n"+
		"processes 32 samples. *avx2 ÷ go* divides the samples/s medians. gonum and OpenBLAS\n"+
		"have no equivalent (they are BLAS libraries, with no network to train), so this table\n"+
		"compares simdnn with itself only.\n\n")

	header := []string{"network", "step"}
	for _, impl := range impls {
		header = append(header, impl+", µs/step")
	}
	for _, impl := range impls {
		header = append(header, impl+", samples/s")
	}
	showRatio := slices.Contains(impls, "avx2") && slices.Contains(impls, "go")
	if showRatio {
		header = append(header, "avx2 ÷ go")
	}
	var rows [][]string
	for _, s := range sizes {
		net, step, _ := strings.Cut(s, "/")
		row := []string{net, trainStepName(step)}
		for _, impl := range impls {
			st, ok := d.get(sampleKey{trainBench, "", s, impl, "ns/op"})
			st.Median /= 1e3
			row = append(row, cell(st, ok))
		}
		for _, impl := range impls {
			row = append(row, formatCount(d.median(sampleKey{trainBench, "", s, impl, "samples/s"})))
		}
		if showRatio {
			row = append(row, ratio(d.median(sampleKey{trainBench, "", s, "avx2", "samples/s"}),
				d.median(sampleKey{trainBench, "", s, "go", "samples/s"})))
		}
		rows = append(rows, row)
	}
	mdTable(w, header, rows)
	writeTrainReference(w, d)
}

// writeTrainReference writes the PyTorch and numpy figures measured
// elsewhere next to this run's avx2 medians, if the run has the network they
// are for.
func writeTrainReference(w io.Writer, d *data) {
	ref := trainReference
	var rows [][]string
	for _, step := range ref.steps {
		s := ref.net + "/" + step
		us := d.median(sampleKey{trainBench, "", s, "avx2", "ns/op"}) / 1e3
		if math.IsNaN(us) {
			continue
		}
		rows = append(rows, []string{trainStepName(step), formatFloat(us) + " µs",
			cmp.Or(ref.torch[step], "–"), cmp.Or(ref.numpy[step], "–")})
	}
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(w, "**For scale only: PyTorch and numpy, measured elsewhere, not in this run.** The\n"+
		"project's reference figures for the same %s softmax-CE network and steps\n"+
		"(float32, one thread, on the project's test machine at another time and load; from\n"+
		"shared/README.md and issue 4), next to this run's avx2 medians:\n\n", ref.net)
	mdTable(w, []string{"step", "simdnn avx2 (this run)", "PyTorch 1.13 CPU (elsewhere)", "numpy (elsewhere)"}, rows)
	fmt.Fprintf(w, "simdnn's batch step runs the samples through the network one by one (matrix-vector\n"+
		"products and rank-1 updates: nn has no matrix-matrix kernel yet), so it reads every weight\n"+
		"once per sample; PyTorch's runs matrix-matrix products (see nn/README.md).\n\n")
}

// trainStepName names a step= value for the table.
func trainStepName(step string) string {
	return cmp.Or(trainStepNames[step], step)
}

// formatCount writes a rate such as 28089 as "28.1 k" or 2331524 as "2.33 M".
func formatCount(v float64) string {
	switch a := math.Abs(v); {
	case math.IsNaN(v):
		return "–"
	case a >= 1e6:
		return formatFloat(v/1e6) + " M"
	case a >= 1e3:
		return formatFloat(v/1e3) + " k"
	}
	return formatFloat(v)
}
