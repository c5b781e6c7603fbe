package main

import (
	"bytes"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func readSample(t *testing.T) *data {
	t.Helper()
	f, err := os.Open("testdata/sample.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := parse(f, "sample.txt")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestParse(t *testing.T) {
	d := readSample(t)
	s, ok := d.get(sampleKey{"Gemv", "f32", "256x256", "avx2", "GFLOP/s"})
	if !ok || s.Median != 25 || s.N != 3 || math.Abs(s.Spread-0.2) > 1e-12 {
		t.Errorf("avx2 256x256 = %+v, %t; want median 25 of 3, spread 0.2", s, ok)
	}
	if got, want := d.impls, []string{"avx2", "go", "gonum", "openblas", "naive", "openblas-haswell", "torch", "numpy"}; !slices.Equal(got, want) {
		t.Errorf("impls = %q, want %q", got, want)
	}
	if got, want := d.sizes[[2]string{"Gemv", "f32"}], []string{"256x256", "4096x4096", "10x256"}; !slices.Equal(got, want) {
		t.Errorf("sizes = %q, want %q", got, want)
	}
	// Each OpenBLAS process's configuration, by the implementation it named.
	if got := d.cores["openblas-haswell"]["openblas-core"]; got != "Haswell" {
		t.Errorf("openblas-haswell's openblas-core = %q, want Haswell", got)
	}
	if got := d.cores["openblas"]["openblas-core"]; got != "Prescott" {
		t.Errorf("openblas's openblas-core = %q, want Prescott", got)
	}
	if got, want := d.sizes[[2]string{"Gemm", "f32"}], []string{"NN/256x256x256", "NT/32x256x784"}; !slices.Equal(got, want) {
		t.Errorf("Gemm sizes = %q, want %q", got, want)
	}
	if got := d.sets["L2"]; got != "512KiB" {
		t.Errorf("L2 working set = %q, want 512KiB", got)
	}
	if _, err := parse(strings.NewReader("PASS\n"), "empty"); err == nil {
		t.Error("parse of output without results did not fail")
	}
}

func TestRoofs(t *testing.T) {
	r := readSample(t).roofs()
	for _, c := range []struct {
		t     string
		m, n  int
		want  float64
		bound string
	}{
		{"f32", 10, 256, 80, "FMA"},      // 10 KiB: L1 gives 100, over the FMA peak.
		{"f32", 256, 256, 50, "L2"},      // 256 KiB
		{"f32", 4096, 4096, 10, "L3"},    // 64 MiB
		{"f32", 16384, 16384, 4, "DRAM"}, // 1 GiB
		{"f64", 256, 256, 25, "L2"},      // 512 KiB at 0.25 flop/B
		{"f64", 10, 256, 50, "L1"},       // no f64 FMA peak in the sample: L1's 200 GB/s × 0.25
	} {
		got, bound := r.gemv(c.t, c.m, c.n)
		if got != c.want || bound != c.bound {
			t.Errorf("gemv roof %s %dx%d = %v (%s), want %v (%s)", c.t, c.m, c.n, got, bound, c.want, c.bound)
		}
	}
}

func TestReport(t *testing.T) {
	d := readSample(t)
	dir := t.TempDir()
	ok, err := writeChart(d, filepath.Join(dir, "gemv"))
	if err != nil || !ok {
		t.Fatalf("writeChart = %t, %v", ok, err)
	}
	f, err := os.Open(filepath.Join(dir, "gemv.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Errorf("gemv.png: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "gemv.svg")); err != nil || !bytes.Contains(b, []byte("<svg")) {
		t.Errorf("gemv.svg: %v", err)
	}

	var md bytes.Buffer
	writeReport(&md, d, runInfo{input: "sample.txt", date: "today", chart: "gemv.png"})
	for _, want := range []string{
		// OpenBLAS, one line per process: forced Haswell, and its own choice.
		"OpenBLAS as `openblas-haswell`: **Haswell** kernels (OPENBLAS_CORETYPE=Haswell)",
		"OpenBLAS as `openblas`: **Prescott** kernels (its own choice for this CPU, OPENBLAS_CORETYPE unset)",
		"**Note**: Prescott is one of OpenBLAS's kernel sets for CPUs without AVX2 and FMA",
		"PyTorch 1.13.0a0 and numpy 1.24.2",
		"here with **Haswell** kernels (OPENBLAS_CORETYPE=Haswell)",
		"±15 %",
		// headline: avx2 25, go 5, gonum 10, openblas 20
		"| Gemv | 256×256 | 25.0 | 5.00 | 10.0 | 20.0 | 1.25× | 2.50× |",
		// full table, with the roof of 256² f32 (L2: 100 GB/s × 0.5)
		"| 256×256 | 25.0 ±20% | 5.00 | 10.0 | 20.0 | 50.0 (L2) | 50% | 1.25× | 2.50× | 0.50× |",
		"| L2 read | 512 KiB | 100 GB/s | 50.0 | 25.0 |",
		"| n = 4096 | 2.00 | 0.100 | 20.00× |",
		"![GFLOP/s",
		// GEMM: every peer of the run, the FMA roof (80), the ratios.
		"### Sgemm, float32, squares",
		"| product | op m×n×k | avx2 | gonum | openblas | openblas-haswell | torch | numpy | avx2 ÷ FMA roof | " +
			"avx2 ÷ openblas | avx2 ÷ openblas-haswell | avx2 ÷ torch | avx2 ÷ numpy | avx2 ÷ gonum |",
		"| 256³ | NN 256×256×256 | 60.0 | 10.0 | 20.0 | 50.0 | 40.0 | 45.0 | 75% | 3.00× | 1.20× | 1.50× | 1.33× | 6.00× |",
		"### Sgemm, float32, the products of a training step",
		"| 784-256-128-10 b=32 L1 forward | NT 32×256×784 | 30.0 | – |",
		// training steps: µs from ns/op, samples/s, avx2 ÷ go of samples/s,
		// the time ratio to PyTorch measured in the same run
		"## Training steps (nn), and PyTorch and numpy on the same network",
		"- 784-256-128-10: `784-256(relu)-128(relu)-10(identity) softmax_cross_entropy`",
		"| network | step | avx2, µs/step | go, µs/step | torch, µs/step | avx2, samples/s | avx2 ÷ go | avx2 ÷ torch, time |",
		"| 784-256-128-10 | per-sample SGD step | 35.0 ±14% | 200 | – | 29.2 k | 5.83× | – |",
		"| 784-256-128-10 | batch-32 step | 1600 | 6400 | 800 | 20.0 k | 4.00× | 2.00× |",
		"| 2-2-1 | inference, 1 row(s) | 0.200 | 0.250 | – | 5.00 M | 1.25× | – |",
		"2-2-1, avx2: 1024 rows in one Predict call take 20.0 µs, 1024 single-row calls 205 µs: the block runs at 10.24× the single-row throughput.",
	} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, md.String())
		}
	}
}

func TestChildEnv(t *testing.T) {
	env := childEnv([]string{"A=1", "OPENBLAS_CORETYPE=Prescott", "OPENBLAS_NUM_THREADS=8", "OMP_NUM_THREADS=4"}, "Haswell", 0)
	if want := []string{"A=1", "OPENBLAS_NUM_THREADS=1", "OMP_NUM_THREADS=1", "OPENBLAS_CORETYPE=Haswell"}; !slices.Equal(env, want) {
		t.Errorf("childEnv = %q, want %q", env, want)
	}
	env = childEnv([]string{"OPENBLAS_CORETYPE=Prescott"}, "", 0)
	if want := []string{"OPENBLAS_NUM_THREADS=1", "OMP_NUM_THREADS=1"}; !slices.Equal(env, want) {
		t.Errorf("childEnv with no core type = %q, want %q", env, want)
	}
	env = childEnv([]string{"OMP_NUM_THREADS=1"}, "", 3)
	if want := []string{"OPENBLAS_NUM_THREADS=3", "OMP_NUM_THREADS=3"}; !slices.Equal(env, want) {
		t.Errorf("childEnv on 3 threads = %q, want %q", env, want)
	}
}

// TestPythonMissing checks that a run without PyTorch says so, and how to
// install it, and that a run without any Python says that.
func TestPythonMissing(t *testing.T) {
	d := &data{config: map[string]string{"python-torch": "missing", "python-numpy": "1.24.2"}}
	if got := strings.Join(pythonFacts(d), "\n"); !strings.Contains(got, "PyTorch: missing") || !strings.Contains(got, "make bench-python-deps") {
		t.Errorf("pythonFacts without torch = %q", got)
	}
	d = &data{config: map[string]string{}}
	if got := strings.Join(pythonFacts(d), "\n"); !strings.Contains(got, "not measured") {
		t.Errorf("pythonFacts without Python = %q", got)
	}
}

// TestPythonArgs checks that the script gets the bench module's lists: the
// float32 products, the network and its batch sizes.
func TestPythonArgs(t *testing.T) {
	got := strings.Join(pythonArgs("/usr/bin/python3", "100ms", 0), " ")
	for _, want := range []string{
		"/usr/bin/python3 python/mlp_bench.py --gemm NN:32x32x32,NN:64x64x64,",
		",NT:32x256x784,", ",TN:256x784x32,", ",NN:32x256x128,",
		"--net 784-256-128-10 --batches 1,8,32,128,256 --predict 1,1024 --benchtime 0.1",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("pythonArgs = %q, lacks %q", got, want)
		}
	}
	// On several threads, the sizes bench/threads_test.go runs.
	got = strings.Join(pythonArgs("/usr/bin/python3", "100ms", 2), " ")
	if want := "--gemm NN:128x128x128,NN:256x256x256,NN:512x512x512,NN:1024x1024x1024 --net 784-256-128-10 --batches 32,128,256 --predict 1024 --benchtime 0.1 --threads 2"; !strings.Contains(got, want) {
		t.Errorf("pythonArgs on 2 threads = %q, lacks %q", got, want)
	}
}

// TestRoofsOfBestImpl checks that the roofs are those of the run's best
// assembly implementation: avx512's where the run measured them, and that
// runs from before the per-implementation probes still read as avx2's.
func TestRoofsOfBestImpl(t *testing.T) {
	run := "BenchmarkRoofFMA/type=f32/impl=avx512-2 100 75346 ns/op 83.5 GFLOP/s\n" +
		"BenchmarkRoofFMA/type=f32/impl=avx2-2 100 73760 ns/op 42.6 GFLOP/s\n" +
		"BenchmarkRoofRead/level=L1/size=24KiB/impl=avx512-2 100 156 ns/op 156.7 GB/s\n" +
		"BenchmarkRoofRead/level=L1/size=24KiB/impl=avx2-2 100 332 ns/op 73.9 GB/s\n"
	d, err := parse(strings.NewReader(run), "run.txt")
	if err != nil {
		t.Fatal(err)
	}
	if r := d.roofs(); r.impl != "avx512" || r.fma["f32"] != 83.5 || r.read["L1"] != 156.7 {
		t.Errorf("roofs = %s, FMA %v, L1 %v; want avx512, 83.5, 156.7", r.impl, r.fma["f32"], r.read["L1"])
	}
	if r := readSample(t).roofs(); r.impl != "avx2" || math.IsNaN(r.fma["f32"]) {
		t.Errorf("roofs of the sample (no impl=) = %s, FMA %v; want avx2's", r.impl, r.fma["f32"])
	}
}

// TestThreads checks the Every core section: a row per product or step and
// thread count, simdnn's speed-up over its one thread (throughputs divided
// one way, times the other), and its ratios to the other libraries at the
// same count.
func TestThreads(t *testing.T) {
	run := "BenchmarkGemmThreads/op=NN/shape=512x512x512/threads=1/impl=avx512-2 100 1 ns/op 80 GFLOP/s\n" +
		"BenchmarkGemmThreads/op=NN/shape=512x512x512/threads=2/impl=avx512-2 100 1 ns/op 150 GFLOP/s\n" +
		"BenchmarkGemmThreads/op=NN/shape=512x512x512/threads=1/impl=openblas-2 100 1 ns/op 100 GFLOP/s\n" +
		"BenchmarkGemmThreads/op=NN/shape=512x512x512/threads=2/impl=openblas-2 100 1 ns/op 120 GFLOP/s\n" +
		"BenchmarkGemvThreads/op=GemvT/shape=4096x4096/threads=1/impl=avx512-2 100 1 ns/op 7 GFLOP/s\n" +
		"BenchmarkGemvThreads/op=GemvT/shape=4096x4096/threads=2/impl=avx512-2 100 1 ns/op 14 GFLOP/s\n" +
		"BenchmarkTrainStepThreads/net=784-256-128-10/step=batch128/threads=1/impl=avx512-2 100 2000000 ns/op\n" +
		"BenchmarkTrainStepThreads/net=784-256-128-10/step=batch128/threads=2/impl=avx512-2 100 1250000 ns/op\n" +
		"BenchmarkTrainStepThreads/net=784-256-128-10/step=batch128/threads=2/impl=torch 100 5000000 ns/op\n"
	d, err := parse(strings.NewReader(run), "run.txt")
	if err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	writeThreads(&md, d)
	for _, want := range []string{
		"## Every core",
		"|  | threads | avx512, GFLOP/s | openblas, GFLOP/s | avx512 ÷ 1 thread | avx512 ÷ openblas |",
		"| Sgemm NN 512×512×512 | 1 | 80.0 | 100 | 1.00× | 0.80× |",
		"|  | 2 | 150 | 120 | 1.88× | 1.25× |",
		"| SgemvT 4096×4096 | 1 | 7.00 | 1.00× |",
		"|  | 2 | 14.0 | 2.00× |",
		"| 784-256-128-10, batch-128 step | 1 | 2000 | – | 1.00× | – |",
		"|  | 2 | 1250 | 5000 | 1.60× | 0.25× |",
	} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("threads section lacks %q:\n%s", want, md.String())
		}
	}
	md.Reset()
	writeThreads(&md, readSample(t))
	if md.Len() != 0 {
		t.Errorf("a run without threads benchmarks got a threads section:\n%s", md.String())
	}
}
