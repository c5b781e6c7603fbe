package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// kernel describes one benchmark for the report.
type kernel struct {
	bench string // the benchmark's base name, e.g. "Gemv"
	title string // e.g. "Gemv: y = αAx + βy"
	unit  string // "GFLOP/s" or "Gelem/s"
	// ratios are the pairs of implementations whose ratio gets a column,
	// numerator first; a pair whose implementations are missing is skipped.
	ratios [][2]string
	gemv   bool   // whether the matrix-vector roof applies
	note   string // said after the kernel's tables, if not ""
}

// blasRatios are the ratio columns of the BLAS tables: simdnn's assembly
// against OpenBLAS with its own kernel choice and with its Haswell kernels
// (see openblasName in the bench package), and against gonum, then the pure
// Go against gonum and the naive loops.
var blasRatios = [][2]string{{"avx512", "openblas"}, {"avx512", "openblas-haswell"}, {"avx512", "avx2"},
	{"avx2", "openblas"}, {"avx2", "openblas-haswell"}, {"avx2", "gonum"}, {"go", "gonum"}, {"go", "naive"}}

// kernels are the benchmarks the report has a table for, in its order.
var kernels = []kernel{
	{"Gemv", "Gemv: y = αAx + βy (A row-major m×n)", "GFLOP/s", blasRatios, true, ""},
	{"GemvT", "GemvT: y = αAᵀx + βy (A row-major m×n)", "GFLOP/s", blasRatios, true, ""},
	{"Ger", "Ger: A += αxyᵀ", "GFLOP/s", blasRatios, false, ""},
	{"Axpy", "Axpy: y += αx", "GFLOP/s", blasRatios, false, ""},
	{"Dot", "Dot: xᵀy", "GFLOP/s", blasRatios, false, ""},
	{"Sigmoid", "Sigmoid: dst = 1/(1+e^(−x)), x uniform in [−4, 4)", "Gelem/s", [][2]string{{"avx512", "avx2"}, {"avx512", "vek"}, {"avx2", "vek"}, {"avx2", "naive"}, {"go", "naive"}}, false, ""},
	{"Sigmoid", "Sigmoid's largest error on those inputs, in ULP at σ(x)", "ULP-max", nil, false,
		"simdnn's sigmoid is documented to be within 1 ULP of σ(x) in float32 and 2 ULP in float64; " +
			"measured, the float32 one is within 0.9086 ULP over all 2³² inputs (it evaluates in float32 lanes, " +
			"carrying its rounding errors as second float32s) and the float64 one within 0.90 ULP on a 20 335-point reference table (e^(−|x|) " +
			"carried as two doubles, a Newton step on the division). Its assembly and pure Go return the " +
			"same bits; the naive loop calls math.Exp in float64. The error table measures every float32 " +
			"implementation on the benchmark's own inputs against σ computed in float64."},
	{"Tanh", "Tanh: dst = tanh(x), x uniform in [−4, 4)", "Gelem/s", [][2]string{{"avx512", "avx2"}, {"avx2", "naive"}, {"go", "naive"}}, false, ""},
	{"Tanh", "Tanh's largest error on those inputs, in ULP at tanh(x)", "ULP-max", nil, false,
		"simdnn's tanh is documented to be within 1 ULP in float32 (measured: 0.8633 over all 2³² inputs, " +
			"evaluated in float32 lanes as the sigmoid is); the naive loop calls math.Tanh in float64. " +
			"vek has no tanh."},
	{"ReLU", "ReLU: dst = max(x, 0), x uniform in [−1, 1)", "Gelem/s", [][2]string{{"avx512", "avx2"}, {"avx2", "naive"}, {"go", "naive"}}, false,
		"The Go loops branch on the sign of x. Every call sees the same random x, so the branch predictor " +
			"learns the pattern of up to a few thousand elements: n = 65536 shows the cost of its mispredictions, " +
			"which real data would pay at every size."},
}

// implOrder is the order of the implementation columns; others follow in
// the order they ran.
var implOrder = []string{"avx512", "avx2", "go", "gonum", "openblas", "openblas-haswell", "torch", "numpy", "vek", "naive"}

// implColumns returns the implementations of the series, in column order.
func implColumns(present []string) []string {
	var out []string
	for _, i := range implOrder {
		if slices.Contains(present, i) {
			out = append(out, i)
		}
	}
	for _, i := range present {
		if !slices.Contains(out, i) {
			out = append(out, i)
		}
	}
	return out
}

// implsOf returns the implementations that ran bench in type t.
func (d *data) implsOf(bench, t, unit string) []string {
	var out []string
	for _, impl := range d.impls {
		for _, size := range d.sizes[[2]string{bench, t}] {
			if _, ok := d.get(sampleKey{bench, t, size, impl, unit}); ok {
				out = append(out, impl)
				break
			}
		}
	}
	return implColumns(out)
}

// sizeLabel writes a size key for a table: 256x256 as 256×256, n as n = 65536.
func sizeLabel(bench, size string) string {
	if m, n, ok := parseShape(size); ok {
		return fmt.Sprintf("%d×%d", m, n)
	}
	return "n = " + size
}

// formatFloat writes v with about three significant digits.
func formatFloat(v float64) string {
	switch a := math.Abs(v); {
	case math.IsNaN(v):
		return "–"
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case a >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'f', 3, 64)
}

// cell writes a median and its spread, e.g. "25.8 ±3%".
func cell(s stat, ok bool) string {
	if !ok {
		return "–"
	}
	if s.N < 2 {
		return formatFloat(s.Median)
	}
	return fmt.Sprintf("%s ±%.0f%%", formatFloat(s.Median), 100*s.Spread)
}

// ratio writes a/b, e.g. "1.12×", or "–".
func ratio(a, b float64) string {
	if math.IsNaN(a) || math.IsNaN(b) || b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

// mdTable writes a markdown table.
func mdTable(w io.Writer, header []string, rows [][]string) {
	fmt.Fprintf(w, "| %s |\n", strings.Join(header, " | "))
	align := make([]string, len(header))
	for i := range align {
		align[i] = "---:"
	}
	align[0] = ":---"
	fmt.Fprintf(w, "|%s|\n", strings.Join(align, "|"))
	for _, r := range rows {
		fmt.Fprintf(w, "| %s |\n", strings.Join(r, " | "))
	}
	fmt.Fprintln(w)
}

// writeKernelTable writes the table of one kernel and type: a row per size,
// a column per implementation, then the roof and the ratios.
func writeKernelTable(w io.Writer, d *data, r roofs, k kernel, t string) bool {
	sizes := d.sizes[[2]string{k.bench, t}]
	impls := d.implsOf(k.bench, t, k.unit)
	if len(sizes) == 0 || len(impls) == 0 {
		return false
	}
	fmt.Fprintf(w, "### %s, %s (%s)\n\n", k.title, typeName(t), k.unit)
	header := []string{"size"}
	header = append(header, impls...)
	showRoof := k.gemv && r.haveAny()
	if showRoof {
		header = append(header, "roof", r.impl+" ÷ roof")
	}
	var ratios [][2]string
	for _, p := range k.ratios {
		if slices.Contains(impls, p[0]) && slices.Contains(impls, p[1]) {
			ratios = append(ratios, p)
			header = append(header, p[0]+" ÷ "+p[1])
		}
	}
	var rows [][]string
	for _, size := range sizes {
		row := []string{sizeLabel(k.bench, size)}
		med := map[string]float64{}
		for _, impl := range impls {
			s, ok := d.get(sampleKey{k.bench, t, size, impl, k.unit})
			row = append(row, cell(s, ok))
			med[impl] = math.NaN()
			if ok {
				med[impl] = s.Median
			}
		}
		if showRoof {
			m, n, _ := parseShape(size)
			roof, bound := r.gemv(t, m, n)
			asm, ok := med[r.impl]
			if !ok {
				asm = math.NaN()
			}
			row = append(row, fmt.Sprintf("%s (%s)", formatFloat(roof), bound), percent(asm, roof))
		}
		for _, p := range ratios {
			row = append(row, ratio(med[p[0]], med[p[1]]))
		}
		rows = append(rows, row)
	}
	mdTable(w, header, rows)
	return true
}

// percent writes a/b as a percentage, or "–".
func percent(a, b float64) string {
	if math.IsNaN(a) || math.IsNaN(b) || b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", 100*a/b)
}

func typeName(t string) string {
	switch t {
	case "f32":
		return "float32"
	case "f64":
		return "float64"
	}
	return t
}
