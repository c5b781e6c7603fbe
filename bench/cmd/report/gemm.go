package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/simdnn/simdnn/internal/benchshape"
)

// gemmBench is the base name of the matrix-matrix benchmarks, Go's
// (bench/gemm_test.go) and Python's (bench/python/mlp_bench.py):
// BenchmarkGemm/type=…/op=…/shape=MxNxK/impl=….
const gemmBench = "Gemm"

// gemmRatios are the ratio columns of the GEMM tables: simdnn's assembly
// against each peer measured in the run.
var gemmRatios = [][2]string{
	{"avx512", "openblas"}, {"avx512", "openblas-haswell"}, {"avx512", "avx2"}, {"avx512", "torch"},
	{"avx2", "openblas"}, {"avx2", "openblas-haswell"}, {"avx2", "torch"}, {"avx2", "numpy"}, {"avx2", "gonum"},
}

// gemmKey returns the size key of a product: "NT/32x256x784".
func gemmKey(s benchshape.GemmShape) string {
	return fmt.Sprintf("%s/%dx%dx%d", s.Op, s.M, s.N, s.K)
}

// gemmRow is one row of a GEMM table: its label and the product it shows.
type gemmRow struct {
	label string
	shape benchshape.GemmShape
}

// writeGemm writes the GEMM tables: the squares in float32 and float64, then
// the products of the training steps in float32, each with the FMA roof and
// the ratios to every peer. It writes nothing if the run has no GEMM
// benchmarks.
func writeGemm(w io.Writer, d *data, r roofs) {
	if len(d.sizes[[2]string{gemmBench, "f32"}]) == 0 && len(d.sizes[[2]string{gemmBench, "f64"}]) == 0 {
		return
	}
	fmt.Fprintf(w, "## Matrix-matrix products: Sgemm and Dgemm, GFLOP/s\n\n"+
		"C = α·op(A)·op(B) + β·C (α = 1.1, β = 0.5; numpy's matmul has neither and computes\n"+
		"C = op(A)·op(B)), 2mnk flops, row-major, m×n×k; NT means B is stored transposed, and so on.\n"+
		"Medians over the passes, ± half the range of their samples; *FMA roof* is the share of\n"+
		"the FMA peak measured in the same run with the registers of simdnn's best assembly\n"+
		"(%s) that this assembly reaches, and the ratio\n"+
		"columns divide medians of the same run. gonum runs with GOMAXPROCS = 1 (its Sgemm and\n"+
		"Dgemm otherwise spread over every core); simdnn's pure Go (`go`) only up to 2·128³ flops,\n"+
		"beyond which its exact FMAs take seconds a call.\n\n", r.impl)
	var squares []gemmRow
	for _, s := range benchshape.GemmSquares() {
		squares = append(squares, gemmRow{fmt.Sprintf("%d³", s.M), s})
	}
	writeGemmTable(w, d, r, "f32", "Sgemm, float32, squares", squares)
	writeGemmTable(w, d, r, "f64", "Dgemm, float64, squares", squares)
	writeGemmTable(w, d, r, "f32", "Sgemm, float32, the products of a training step", trainRows())
	fmt.Fprintf(w, "A layer keeps W out×in; on a batch of b rows the step computes forward Z = X·Wᵀ\n"+
		"(b×out×in, NT), the weight gradient dW = Δᵀ·X (out×in×b, TN) and, past the first layer,\n"+
		"the input gradient dX = Δ·W (b×in×out, NN). Layers of the same shape share a row.\n\n")
}

// trainRows returns the rows of the training-products table: one per network,
// batch and shape, labelled with every layer product of that shape.
func trainRows() []gemmRow {
	var rows []gemmRow
	for _, p := range benchshape.TrainProducts() {
		prefix := fmt.Sprintf("%s b=%d ", p.Net, p.Batch)
		role := fmt.Sprintf("L%d %s", p.Layer, p.Role)
		if i := slices.IndexFunc(rows, func(r gemmRow) bool {
			return strings.HasPrefix(r.label, prefix) && r.shape == p.GemmShape
		}); i >= 0 {
			rows[i].label += ", " + role
			continue
		}
		rows = append(rows, gemmRow{prefix + role, p.GemmShape})
	}
	return rows
}

// writeGemmTable writes one GEMM table of type t: a row per product that
// ran, a column per implementation, the FMA roof, the ratios.
func writeGemmTable(w io.Writer, d *data, r roofs, t, title string, rows []gemmRow) {
	impls := d.implsOf(gemmBench, t, "GFLOP/s")
	var present []gemmRow
	for _, row := range rows {
		if slices.Contains(d.sizes[[2]string{gemmBench, t}], gemmKey(row.shape)) {
			present = append(present, row)
		}
	}
	if len(present) == 0 || len(impls) == 0 {
		return
	}
	fmt.Fprintf(w, "### %s\n\n", title)
	header := append([]string{"product", "op m×n×k"}, impls...)
	fma := r.fma[t]
	showRoof := !math.IsNaN(fma) && slices.Contains(impls, r.impl)
	if showRoof {
		header = append(header, r.impl+" ÷ FMA roof")
	}
	var ratios [][2]string
	for _, p := range gemmRatios {
		if slices.Contains(impls, p[0]) && slices.Contains(impls, p[1]) {
			ratios = append(ratios, p)
			header = append(header, p[0]+" ÷ "+p[1])
		}
	}
	var out [][]string
	for _, row := range present {
		s := row.shape
		size := gemmKey(s)
		line := []string{row.label, fmt.Sprintf("%s %d×%d×%d", s.Op, s.M, s.N, s.K)}
		for _, impl := range impls {
			st, ok := d.get(sampleKey{gemmBench, t, size, impl, "GFLOP/s"})
			line = append(line, cell(st, ok))
		}
		if showRoof {
			line = append(line, percent(d.median(sampleKey{gemmBench, t, size, r.impl, "GFLOP/s"}), fma))
		}
		for _, p := range ratios {
			line = append(line, ratio(d.median(sampleKey{gemmBench, t, size, p[0], "GFLOP/s"}),
				d.median(sampleKey{gemmBench, t, size, p[1], "GFLOP/s"})))
		}
		out = append(out, line)
	}
	mdTable(w, header, out)
}
