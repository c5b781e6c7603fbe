package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// trainBench is the base name of the training-step benchmarks, Go's
// (bench/nn_test.go) and Python's (bench/python/mlp_bench.py):
// BenchmarkTrainStep/net=…/step=…/impl=….
const trainBench = "TrainStep"

// trainTimeRatios are the libraries simdnn's best assembly is compared
// with in time ratios in the training table, as the targets are written
// (≤ 0.5× PyTorch's time).
var trainTimeRatios = []string{"torch", "numpy"}

// trainStepName names a step= value for the table: sgd1, batchN, predictN.
func trainStepName(step string) string {
	if step == "sgd1" {
		return "per-sample SGD step"
	}
	if n, ok := strings.CutPrefix(step, "batch"); ok {
		return "batch-" + n + " step"
	}
	if n, ok := strings.CutPrefix(step, "predict"); ok {
		return "inference, " + n + " row(s)"
	}
	return step
}

// writeTraining writes the table of the training steps of package nn and of
// PyTorch and numpy on the same network: per network and step, the median µs
// per step of each implementation, the best assembly's samples/s, its speed-up over go
// and the time ratios to PyTorch and numpy. It writes nothing if the run has
// no training benchmarks.
func writeTraining(w io.Writer, d *data) {
	sizes := d.sizes[[2]string{trainBench, ""}]
	impls := d.implsOf(trainBench, "", "ns/op")
	if len(sizes) == 0 || len(impls) == 0 {
		return
	}
	best := bestSimdnn(impls)
	fmt.Fprintf(w, "## Training steps (nn), and PyTorch and numpy on the same network\n\n")
	fmt.Fprintf(w, "BenchmarkTrainStep (bench/nn_test.go) runs package nn in float32 on one core, on\n"+
		"each of simdnn's assembly implementations and on its pure Go (go), selected with kernels.UseImplementation;\n"+
		"bench/python/mlp_bench.py runs the same network in PyTorch (torch) and numpy (numpy), one\n"+
		"thread, between the Go passes of the same run:\n\n"+
		"- **per-sample SGD step** (`step=sgd1`): `Network.SGDStep`, the forward pass, then the\n"+
		"  backward pass fused with the update W −= lr·δaᵀ (lr = 10⁻³);\n"+
		"- **batch-N step** (`step=batchN`): `Network.Backward` on N samples, then `SGD.Step`;\n"+
		"  in PyTorch `zero_grad`, forward, `F.cross_entropy`, `backward`, `optim.SGD.step`; in\n"+
		"  numpy the same by hand;\n"+
		"- **inference, N rows** (`step=predictN`): one `Network.Predict` call on N rows (PyTorch\n"+
		"  under `no_grad`).\n\n")
	var nets []string
	for _, s := range sizes {
		net, _, _ := strings.Cut(s, "/")
		if !slices.Contains(nets, net) {
			nets = append(nets, net)
		}
	}
	fmt.Fprintf(w, "The networks (inputs uniform in [0, 1), one-hot or 0/1 targets, whole batches in turn):\n\n")
	for _, net := range nets {
		if a := d.config["nn-arch-"+net]; a != "" {
			fmt.Fprintf(w, "- %s: `%s`\n", net, a)
		} else {
			fmt.Fprintf(w, "- %s\n", net)
		}
	}
	fmt.Fprintf(w, "\nMedians over the passes, ± half the range of their samples. *%[1]s ÷ go* divides\n"+
		"throughputs (how many times faster the assembly is); *%[1]s ÷ torch, time* and *%[1]s ÷\n"+
		"numpy, time* divide times per step (below 1: simdnn takes less time). gonum and OpenBLAS\n"+
		"have no training step of their own.\n\n", best)

	header := []string{"network", "step"}
	for _, impl := range impls {
		header = append(header, impl+", µs/step")
	}
	header = append(header, best+", samples/s")
	showSpeedup := best != "go" && slices.Contains(impls, "go")
	if showSpeedup {
		header = append(header, best+" ÷ go")
	}
	var timeRatios []string
	for _, lib := range trainTimeRatios {
		if slices.Contains(impls, lib) {
			timeRatios = append(timeRatios, lib)
			header = append(header, best+" ÷ "+lib+", time")
		}
	}
	key := func(s, impl, unit string) sampleKey { return sampleKey{trainBench, "", s, impl, unit} }
	var rows [][]string
	for _, s := range sizes {
		net, step, _ := strings.Cut(s, "/")
		row := []string{net, trainStepName(step)}
		for _, impl := range impls {
			st, ok := d.get(key(s, impl, "ns/op"))
			st.Median /= 1e3
			row = append(row, cell(st, ok))
		}
		row = append(row, formatCount(d.median(key(s, best, "samples/s"))))
		if showSpeedup {
			row = append(row, ratio(d.median(key(s, best, "samples/s")), d.median(key(s, "go", "samples/s"))))
		}
		for _, lib := range timeRatios {
			row = append(row, ratio(d.median(key(s, best, "ns/op")), d.median(key(s, lib, "ns/op"))))
		}
		rows = append(rows, row)
	}
	mdTable(w, header, rows)
	writeBlockInference(w, d, nets, best)
}

// writeBlockInference says, per network, how much faster simdnn's assembly
// predicts the largest block of rows in one call than one row at a time:
// predictN's samples/s over predict1's.
func writeBlockInference(w io.Writer, d *data, nets []string, impl string) {
	for _, net := range nets {
		largest := 0
		for _, s := range d.sizes[[2]string{trainBench, ""}] {
			n, step, _ := strings.Cut(s, "/")
			if rows, err := strconv.Atoi(strings.TrimPrefix(step, "predict")); err == nil && n == net && strings.HasPrefix(step, "predict") {
				largest = max(largest, rows)
			}
		}
		if largest <= 1 {
			continue
		}
		one := d.median(sampleKey{trainBench, "", net + "/predict1", impl, "ns/op"})
		block := d.median(sampleKey{trainBench, "", fmt.Sprintf("%s/predict%d", net, largest), impl, "ns/op"})
		if math.IsNaN(one) || math.IsNaN(block) {
			continue
		}
		fmt.Fprintf(w, "%s, %s: %d rows in one Predict call take %s µs, %d single-row calls %s µs: the block runs at %s the single-row throughput.\n\n",
			net, impl, largest, formatFloat(block/1e3), largest, formatFloat(one*float64(largest)/1e3),
			ratio(one*float64(largest), block))
	}
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
