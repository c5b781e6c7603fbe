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
	if got, want := d.impls, []string{"avx2", "go", "gonum", "openblas", "naive"}; !slices.Equal(got, want) {
		t.Errorf("impls = %q, want %q", got, want)
	}
	if got, want := d.sizes[[2]string{"Gemv", "f32"}], []string{"256x256", "4096x4096", "10x256"}; !slices.Equal(got, want) {
		t.Errorf("sizes = %q, want %q", got, want)
	}
	if got := d.config["openblas-core"]; got != "Haswell" {
		t.Errorf("openblas-core = %q, want Haswell", got)
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
		"**Haswell** kernels (OPENBLAS_CORETYPE=Haswell)",
		"±15 %",
		// headline: avx2 25, go 5, gonum 10, openblas 20
		"| Gemv | 256×256 | 25.0 | 5.00 | 10.0 | 20.0 | 1.25× | 2.50× |",
		// full table, with the roof of 256² f32 (L2: 100 GB/s × 0.5)
		"| 256×256 | 25.0 ±20% | 5.00 | 10.0 | 20.0 | 50.0 (L2) | 50% | 1.25× | 2.50× | 0.50× |",
		"| L2 read | 512 KiB | 100 GB/s | 50.0 | 25.0 |",
		"| n = 4096 | 2.00 | 0.100 | 20.00× |",
		"![GFLOP/s",
		// training steps: µs from ns/op, samples/s, avx2 ÷ go of samples/s
		"## Training steps (nn)",
		"- 784-256-128-10: `784-256(relu)-128(relu)-10(identity) softmax_cross_entropy`",
		"| network | step | avx2, µs/step | go, µs/step | avx2, samples/s | go, samples/s | avx2 ÷ go |",
		"| 784-256-128-10 | per-sample SGD step | 35.0 ±14% | 200 | 29.2 k | 5.00 k | 5.83× |",
		"| 784-256-128-10 | batch-32 step | 1600 | 6400 | 20.0 k | 5.00 k | 4.00× |",
		"| 2-2-1 | batch-1 inference | 0.200 | 0.250 | 5.00 M | 4.00 M | 1.25× |",
		// the figures measured elsewhere, labelled so, only for the network they are for
		"measured elsewhere, not in this run",
		"| per-sample SGD step | 35.0 µs | 206 µs | 46 µs (in-place BLAS rank-1 update) |",
		"| batch-32 step | 1600 µs | 484 µs | – |",
		"no equivalent",
	} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, md.String())
		}
	}
}

func TestChildEnv(t *testing.T) {
	env := childEnv([]string{"A=1", "OPENBLAS_CORETYPE=Prescott", "OPENBLAS_NUM_THREADS=8"}, "Haswell")
	if want := []string{"A=1", "OPENBLAS_NUM_THREADS=1", "OPENBLAS_CORETYPE=Haswell"}; !slices.Equal(env, want) {
		t.Errorf("childEnv = %q, want %q", env, want)
	}
	env = childEnv([]string{"OPENBLAS_CORETYPE=Prescott"}, "")
	if want := []string{"OPENBLAS_NUM_THREADS=1"}; !slices.Equal(env, want) {
		t.Errorf("childEnv with no core type = %q, want %q", env, want)
	}
}
