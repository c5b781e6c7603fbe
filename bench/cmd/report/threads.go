package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// The "Every core" section: bench/threads_test.go's benchmarks of simdnn and
// OpenBLAS on 1 to GOMAXPROCS threads, and python/mlp_bench.py --threads N's
// of PyTorch and numpy, under the same names, the thread count before the
// implementation:
//
//	BenchmarkGemmThreads/op=NN/shape=512x512x512/threads=2/impl=avx512
//	BenchmarkGemvThreads/op=GemvT/shape=4096x4096/threads=2/impl=avx512
//	BenchmarkTrainStepThreads/net=784-256-128-10/step=batch128/threads=2/impl=torch
//
// parse appends the count to the size: "NN/512x512x512/2".

const (
	gemmThreadsBench  = "GemmThreads"
	gemvThreadsBench  = "GemvThreads"
	trainThreadsBench = "TrainStepThreads"
)

// simdnnImpls are simdnn's implementations, the best first: the threads
// benchmarks run the best the CPU has.
var simdnnImpls = []string{"avx512", "avx2", "go"}

// bestSimdnn returns the first of simdnnImpls among impls (the best
// implementation the run measured), or "".
func bestSimdnn(impls []string) string {
	for _, s := range simdnnImpls {
		if slices.Contains(impls, s) {
			return s
		}
	}
	return ""
}

// threadSizes returns the sizes bench ran, without their thread counts, in
// the order they ran, and the thread counts, ascending.
func (d *data) threadSizes(bench string) (sizes []string, counts []int) {
	for _, s := range d.sizes[[2]string{bench, ""}] {
		i := strings.LastIndex(s, "/")
		n, err := strconv.Atoi(s[i+1:])
		if i < 0 || err != nil {
			continue
		}
		if !slices.Contains(sizes, s[:i]) {
			sizes = append(sizes, s[:i])
		}
		if !slices.Contains(counts, n) {
			counts = append(counts, n)
		}
	}
	slices.Sort(counts)
	return sizes, counts
}

// threadsTable is one table of the section: a benchmark, its unit, and
// whether larger is better (GFLOP/s) or smaller (ns/op, shown in µs).
type threadsTable struct {
	bench, unit string
	time        bool
	label       func(size string) string
}

// writeThreads writes the section on several threads: for each Sgemm square,
// Sgemv and SgemvT square and training step, a row per thread count with every implementation's
// figure, simdnn's speed-up over its own one thread, and its ratio to each
// other implementation at the same count. It writes nothing if the run has
// no threads benchmarks.
func writeThreads(w io.Writer, d *data) {
	tables := []threadsTable{
		{gemmThreadsBench, "GFLOP/s", false, func(s string) string {
			op, shape, _ := strings.Cut(s, "/")
			return "Sgemm " + op + " " + strings.ReplaceAll(shape, "x", "×")
		}},
		{gemvThreadsBench, "GFLOP/s", false, func(s string) string {
			op, shape, _ := strings.Cut(s, "/")
			return strings.Replace(op, "Gemv", "Sgemv", 1) + " " + strings.ReplaceAll(shape, "x", "×")
		}},
		{trainThreadsBench, "ns/op", true, func(s string) string {
			net, step, _ := strings.Cut(s, "/")
			return net + ", " + trainStepName(step)
		}},
	}
	var present []threadsTable
	for _, t := range tables {
		if sizes, _ := d.threadSizes(t.bench); len(sizes) > 0 {
			present = append(present, t)
		}
	}
	if len(present) == 0 {
		return
	}
	fmt.Fprintf(w, "## Every core\n\n")
	fmt.Fprintf(w, "BenchmarkGemmThreads, BenchmarkGemvThreads and BenchmarkTrainStepThreads (bench/threads_test.go) run simdnn's\n"+
		"best implementation on 1 to GOMAXPROCS workers (kernels.SetWorkers), and OpenBLAS on as many\n"+
		"threads (openblas_set_num_threads) in a process of its own, with the kernels it picks for the\n"+
		"CPU; python/mlp_bench.py --threads N runs PyTorch and numpy with torch.set_num_threads(N) and\n"+
		"OMP_NUM_THREADS = OPENBLAS_NUM_THREADS = N, as a user who asks for N threads gets them: Debian's\n"+
		"PyTorch then runs its OpenMP pool and OpenBLAS's pool side by side, N threads each, and on a\n"+
		"machine of N cores they take turns (its one-thread figures above are its best here). Every\n"+
		"figure is a median over the passes; *÷ 1 thread* is simdnn's speed-up over its own one-thread\n"+
		"figure, and the ratio columns divide simdnn's figure by the other's at the same thread count\n"+
		"(GFLOP/s: above 1 simdnn is faster; time per step: below 1 simdnn is faster).\n\n")
	for _, t := range present {
		writeThreadsTable(w, d, t)
	}
}

// writeThreadsTable writes one table of writeThreads.
func writeThreadsTable(w io.Writer, d *data, t threadsTable) {
	sizes, counts := d.threadSizes(t.bench)
	impls := d.implsOf(t.bench, "", t.unit)
	simd := bestSimdnn(impls)
	unit := t.unit
	if t.time {
		unit = "µs/step"
	}
	header := []string{"", "threads"}
	for _, impl := range impls {
		header = append(header, impl+", "+unit)
	}
	var others []string
	if simd != "" {
		header = append(header, simd+" ÷ 1 thread")
		for _, impl := range impls {
			if impl != simd {
				others = append(others, impl)
				header = append(header, simd+" ÷ "+impl)
			}
		}
	}
	key := func(size string, n int, impl string) sampleKey {
		return sampleKey{t.bench, "", size + "/" + strconv.Itoa(n), impl, t.unit}
	}
	var rows [][]string
	for _, s := range sizes {
		for i, n := range counts {
			label := ""
			if i == 0 {
				label = t.label(s)
			}
			row := []string{label, strconv.Itoa(n)}
			for _, impl := range impls {
				st, ok := d.get(key(s, n, impl))
				if t.time {
					st.Median /= 1e3
				}
				row = append(row, cell(st, ok))
			}
			if simd != "" {
				mine, one := d.median(key(s, n, simd)), d.median(key(s, counts[0], simd))
				if t.time {
					mine, one = one, mine // a speed-up divides times the other way round
				}
				row = append(row, ratio(mine, one))
				for _, impl := range others {
					row = append(row, ratio(d.median(key(s, n, simd)), d.median(key(s, n, impl))))
				}
			}
			rows = append(rows, row)
		}
	}
	mdTable(w, header, rows)
}
