package main

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// runInfo says how the results were obtained, for the report's preamble.
type runInfo struct {
	command string // the command that produced them, or "" if read from a file
	input   string // the file they were read from, if any
	date    string
	goVer   string
	chart   string // the chart's PNG, relative to the report, or ""
	chartSV string // the chart's SVG, relative to the report, or ""
}

// headlineShapes are the float32 shapes of the report's first table.
var headlineShapes = []string{"256x256", "1024x1024", "4096x4096", "784x256", "10x256"}

// writeReport writes the markdown report of d.
func writeReport(w io.Writer, d *data, info runInfo) {
	r := d.roofs()
	fmt.Fprintf(w, "# simdnn against gonum and OpenBLAS\n\n")
	writePreamble(w, d, info)
	writeHeadline(w, d)
	writeGemm(w, d, r)
	writeRoofs(w, r, info)
	fmt.Fprintf(w, "## All kernels\n\n")
	fmt.Fprintf(w, "Medians over the passes, ± half the range of their samples. The ratio\n"+
		"columns divide the medians of the same run. For Gemv and GemvT, *roof* is the\n"+
		"smaller of the FMA peak and the read bandwidth of the level A fits in (by the\n"+
		"cache sizes above) times the intensity, both measured with the registers of\n"+
		"simdnn's best assembly, and *%s ÷ roof* how close that assembly gets to it (above 100 %% where A partly stays in a nearer cache, such\n"+
		"as 1024² float32, 4 MiB, against a 2 MiB L2, or where the roof's best sample\n"+
		"still fell short).\n\n", r.impl)
	for _, k := range kernels {
		wrote := false
		for _, t := range []string{"f32", "f64"} {
			wrote = writeKernelTable(w, d, r, k, t) || wrote
		}
		if wrote && k.note != "" {
			fmt.Fprintf(w, "%s\n\n", k.note)
		}
	}
	writeTraining(w, d)
	writeThreads(w, d)
}

func writePreamble(w io.Writer, d *data, info runInfo) {
	var b strings.Builder
	switch {
	case info.command != "" && info.input != "":
		fmt.Fprintf(&b, "Measured %s with\n\n    %s\n\n(this report was written later from that run's output, %s).\n\n",
			info.date, info.command, info.input)
	case info.command != "":
		fmt.Fprintf(&b, "Measured %s with\n\n    %s\n\n", info.date, info.command)
	default:
		fmt.Fprintf(&b, "From the benchmark output %s (reported %s).\n\n", info.input, info.date)
	}
	var facts []string
	if cpu := d.config["cpu"]; cpu != "" {
		facts = append(facts, fmt.Sprintf("CPU: %s, %s/%s", cpu, d.config["goos"], d.config["goarch"]))
	}
	if c := cacheLine(d); c != "" {
		facts = append(facts, c)
	}
	if info.goVer != "" {
		facts = append(facts, "Go: "+info.goVer)
	}
	if k := d.config["simdnn-kernels"]; k != "" {
		facts = append(facts, "simdnn implementations: "+strings.ReplaceAll(k, " ", ", ")+
			" (avx512: the Avo-generated AVX-512 assembly; avx2: the Avo-generated AVX2/FMA assembly; go: the pure-Go fallback)")
	}
	facts = append(facts, "gonum: gonum.org/v1/gonum/blas/gonum.Implementation (pure Go and Go assembly, no cgo)")
	facts = append(facts, openblasFacts(d)...)
	facts = append(facts, pythonFacts(d)...)
	facts = append(facts, "vek: github.com/viterin/vek's float32 vector operations (vek32), σ written with them as Neg, Exp, AddNumber and Inv (vek has no float64 Exp)")
	facts = append(facts, "naive: a plain Go loop (math.Exp for the sigmoid)")
	for _, f := range facts {
		fmt.Fprintf(&b, "- %s\n", f)
	}
	fmt.Fprintf(&b, "\nAll of them run on one core, but in the last section (Every core). **Absolute\n"+
		"numbers move by ±15 %% from run to run on this shared machine** (other jobs\n"+
		"share its cores, caches and memory bus, and\n"+
		"the clock follows the load), so compare implementations through the ratios:\n"+
		"each ratio divides numbers measured seconds apart in the same run, on the same\n"+
		"data, one implementation right after the other.\n\n")
	io.WriteString(w, b.String())
}

// openblasFacts describes each OpenBLAS implementation of the run: the
// kernels it ran, and how they were chosen.
func openblasFacts(d *data) []string {
	cores := d.cores
	if len(cores) == 0 && d.config["openblas-core"] != "" {
		// Output from before OpenBLAS was named by its core type.
		cores = map[string]map[string]string{"openblas": d.config}
	}
	if len(cores) == 0 {
		return []string{"OpenBLAS: not measured (run the benchmarks with -tags openblas)"}
	}
	var facts []string
	for _, impl := range implColumns(slices.Collect(maps.Keys(cores))) {
		c := cores[impl]
		core, env := c["openblas-core"], c["openblas-coretype-env"]
		how := "its own choice for this CPU, OPENBLAS_CORETYPE unset"
		if env != "" && env != "unset" {
			how = "OPENBLAS_CORETYPE=" + env
		}
		facts = append(facts, fmt.Sprintf("OpenBLAS as `%s`: **%s** kernels (%s), %s thread(s), through cgo "+
			"(each call pays cgo's few tens of nanoseconds, which shows at 10×256 and n = 256); %s",
			impl, core, how, cmp.Or(c["openblas-threads"], "?"), c["openblas-config"]))
		if slices.Contains(preAVX2Cores, core) {
			facts = append(facts, fmt.Sprintf("**Note**: %s is one of OpenBLAS's kernel sets for CPUs without "+
				"AVX2 and FMA: `%s` is what a program linking this OpenBLAS gets on this CPU, not a like-for-like "+
				"comparison with simdnn's AVX2 assembly; `openblas-haswell` is", core, impl))
		}
	}
	return facts
}

// pythonFacts describes PyTorch and numpy in the run, or says why they are
// missing.
func pythonFacts(d *data) []string {
	torch, numpy := d.config["python-torch"], d.config["python-numpy"]
	if torch == "" && numpy == "" {
		return []string{"PyTorch and numpy: not measured in this run (the report runs bench/python/mlp_bench.py " +
			"with -python, /usr/bin/python3 by default)"}
	}
	var facts []string
	missing := func(v string) bool { return strings.HasPrefix(v, "missing") }
	if missing(torch) || missing(numpy) {
		facts = append(facts, fmt.Sprintf("PyTorch: %s; numpy: %s. `make bench-python-deps` installs Debian's "+
			"python3-torch and python3-numpy", torch, numpy))
	}
	if !missing(numpy) {
		facts = append(facts, fmt.Sprintf("PyTorch %s and numpy %s (Debian's python3-torch and python3-numpy, python %s), "+
			"one thread (torch.set_num_threads(1), %s), by bench/python/mlp_bench.py between the Go passes; "+
			"both call OpenBLAS for their matrix products, here with **%s** kernels (OPENBLAS_CORETYPE=%s)",
			cmp.Or(torch, "?"), numpy, d.config["python"], d.config["python-threads-env"],
			d.config["python-openblas-core"], d.config["python-openblas-coretype-env"]))
	}
	return facts
}

// preAVX2Cores are the OpenBLAS core names whose kernels use neither AVX2
// nor FMA. OpenBLAS 0.3.21 falls back to Prescott on CPUs it does not know.
var preAVX2Cores = []string{"Katmai", "Coppermine", "Northwood", "Banias", "Prescott", "Core2",
	"Penryn", "Dunnington", "Nehalem", "Atom", "Sandybridge"}

func cacheLine(d *data) string {
	l1, l2, l3 := d.configInt("cache-l1d"), d.configInt("cache-l2"), d.configInt("cache-l3")
	if l1 == 0 {
		return ""
	}
	s := fmt.Sprintf("caches: L1d %s, L2 %s, L3 %s", bytesName(l1), bytesName(l2), bytesName(l3))
	if d.config["cache-detected"] == "false" {
		s += " (assumed: the OS did not say)"
	}
	return s
}

// headlineRatios are the ratio columns of the headline: simdnn's assembly
// against OpenBLAS, avx512 against avx2, avx2 against gonum.
var headlineRatios = [][2]string{{"avx512", "openblas"}, {"avx512", "openblas-haswell"}, {"avx512", "avx2"},
	{"avx2", "openblas"}, {"avx2", "openblas-haswell"}, {"avx2", "gonum"}}

// writeHeadline writes float32 Gemv and GemvT at the headline shapes.
func writeHeadline(w io.Writer, d *data) {
	impls := implColumns(append(d.implsOf("Gemv", "f32", "GFLOP/s"), d.implsOf("GemvT", "f32", "GFLOP/s")...))
	impls = slices.Compact(impls)
	if len(impls) == 0 {
		return
	}
	header := append([]string{"kernel", "shape"}, impls...)
	var pairs [][2]string
	for _, p := range headlineRatios {
		if slices.Contains(impls, p[0]) && slices.Contains(impls, p[1]) {
			pairs = append(pairs, p)
			header = append(header, p[0]+" ÷ "+p[1])
		}
	}
	var rows [][]string
	for _, bench := range []string{"Gemv", "GemvT"} {
		for _, shape := range headlineShapes {
			if !slices.Contains(d.sizes[[2]string{bench, "f32"}], shape) {
				continue
			}
			row := []string{bench, sizeLabel(bench, shape)}
			for _, impl := range impls {
				row = append(row, formatFloat(d.median(sampleKey{bench, "f32", shape, impl, "GFLOP/s"})))
			}
			for _, p := range pairs {
				row = append(row, ratio(d.median(sampleKey{bench, "f32", shape, p[0], "GFLOP/s"}),
					d.median(sampleKey{bench, "f32", shape, p[1], "GFLOP/s"})))
			}
			rows = append(rows, row)
		}
	}
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(w, "## Headline: float32 matrix-vector products, GFLOP/s\n\n")
	mdTable(w, header, rows)
}

// roofRegs names the registers of the roof probes of impl.
func roofRegs(impl string) string {
	if impl == "avx512" {
		return "512-bit ZMM"
	}
	return "256-bit YMM"
}

// writeRoofs writes the measured roofs and the chart.
func writeRoofs(w io.Writer, r roofs, info runInfo) {
	if !r.haveAny() && info.chart == "" {
		return
	}
	fmt.Fprintf(w, "## Roofs, and GFLOP/s against size\n\n")
	if r.haveAny() {
		fmt.Fprintf(w, "Measured in the same run by BenchmarkRoofFMA and BenchmarkRoofRead (bench/internal/roof),\n"+
			"the best of the passes (a roof is what the machine can do; a sample falls short of it\n"+
			"whenever another job takes the core or the memory bus):\n\n"+
			"- **FMA peak**: 12 independent VFMADD231PS (PD) per loop iteration on the registers\n"+
			"  of %[1]s (%[2]s), enough to keep both FMA ports busy; 2 flops per lane.\n"+
			"  Every %[1]s kernel is below it.\n"+
			"- **read bandwidth** of each level: independent loads of one such register each,\n"+
			"  nothing computed, streaming over a buffer sized to fit that level and no nearer one.\n"+
			"  A matrix-vector product does 2 flops per element of A it reads: 0.5 flop/byte in\n"+
			"  float32, 0.25 in float64. Times that intensity the bandwidth is the roof of a\n"+
			"  GEMV whose A lives in that level.\n\n", r.impl, roofRegs(r.impl))
		rows := [][]string{}
		for _, t := range []string{"f32", "f64"} {
			if v := r.fma[t]; !math.IsNaN(v) {
				rows = append(rows, []string{"FMA peak, " + typeName(t), "–", formatFloat(v) + " GFLOP/s", "–", "–"})
			}
		}
		for _, l := range levels {
			v := r.read[l]
			if math.IsNaN(v) {
				continue
			}
			rows = append(rows, []string{l + " read", spaceUnit(r.set[l]),
				formatFloat(v) + " GB/s", formatFloat(v * intensity("f32")), formatFloat(v * intensity("f64"))})
		}
		mdTable(w, []string{"roof", "working set", "measured", "GEMV roof f32, GFLOP/s", "GEMV roof f64, GFLOP/s"}, rows)
	}
	if info.chart != "" {
		fmt.Fprintf(w, "![GFLOP/s of Gemv and GemvT on square matrices against their size, per implementation, with the roofs](%s)\n\n",
			filepath.ToSlash(info.chart))
		if info.chartSV != "" {
			fmt.Fprintf(w, "(also as [SVG](%s)). ", filepath.ToSlash(info.chartSV))
		}
		fmt.Fprintf(w, "Square n×n matrices, both axes logarithmic. Horizontal lines: the FMA peak\n"+
			"(solid) and each level's read bandwidth times the GEMV intensity (dashed); vertical\n"+
			"dotted lines: the sizes at which A outgrows L1d, L2 and L3. Where A fits a level,\n"+
			"the lower of the FMA peak and that level's line bounds every implementation;\n"+
			"at small sizes the cost of a call dominates instead.\n\n")
	}
}

// bytesName writes n bytes in KiB, MiB or GiB, e.g. "2 MiB" or "1.5 KiB".
func bytesName(n int) string {
	units := []string{"B", "KiB", "MiB", "GiB"}
	f, i := float64(n), 0
	for f >= 1024 && i < len(units)-1 {
		f /= 1024
		i++
	}
	return strconv.FormatFloat(f, 'f', -1, 64) + " " + units[i]
}

// spaceUnit writes a size name such as 512KiB as 512 KiB.
func spaceUnit(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if i <= 0 {
		return s
	}
	return s[:i] + " " + s[i:]
}
