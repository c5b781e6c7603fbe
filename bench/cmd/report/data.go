package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/perf/benchfmt"
)

// A sampleKey names one series of measurements: one benchmark, element type,
// size, implementation and unit, over the repetitions of -count.
type sampleKey struct {
	Bench string // the base name without "Benchmark": "Gemv", "RoofRead", …
	Type  string // "f32", "f64", or "" where the name has no type= key
	Size  string // the value of shape=, n= or level= ("256x256", "65536", "L2"), op=/shape= ("NT/32x256x784"), or net=/step= ("784-256-128-10/sgd1"), then /threads= if given ("NN/512x512x512/2")
	Impl  string // the value of impl=, or "" for the roofs
	Unit  string // "GFLOP/s", "Gelem/s", "GB/s", "ns/op", "samples/s", … as the benchmark wrote it
}

// data holds the measurements of one benchmark run.
type data struct {
	// config is the file configuration of the results, such as cpu,
	// openblas-core and cache-l2 (the last value each key took).
	config  map[string]string
	samples map[sampleKey][]float64
	// sizes lists the sizes of each benchmark and type in the order they
	// first appeared; impls the implementations in that order.
	sizes map[[2]string][]string
	impls []string
	// sets maps each level of BenchmarkRoofRead to its working set, e.g.
	// "L2" to "512KiB".
	sets map[string]string
	// cores maps each OpenBLAS implementation to the configuration its
	// process reported, by key ("openblas-core", "openblas-config", …): one
	// run has a process per OpenBLAS kernel set.
	cores map[string]map[string]string
}

// parse reads benchmark results in the Go benchmark format from r.
func parse(r io.Reader, name string) (*data, error) {
	d := &data{
		config:  map[string]string{},
		samples: map[sampleKey][]float64{},
		sizes:   map[[2]string][]string{},
		sets:    map[string]string{},
		cores:   map[string]map[string]string{},
	}
	br := benchfmt.NewReader(r, name)
	var syntaxErrs []string
	for br.Scan() {
		switch rec := br.Result().(type) {
		case *benchfmt.SyntaxError:
			syntaxErrs = append(syntaxErrs, rec.Error())
		case *benchfmt.Result:
			d.add(rec)
		}
	}
	if err := br.Err(); err != nil {
		return nil, err
	}
	if len(d.samples) == 0 {
		msg := fmt.Sprintf("%s: no benchmark results", name)
		if len(syntaxErrs) > 0 {
			msg += " (" + strings.Join(syntaxErrs[:min(3, len(syntaxErrs))], "; ") + ")"
		}
		return nil, fmt.Errorf("%s", msg)
	}
	return d, nil
}

func (d *data) add(res *benchfmt.Result) {
	file := map[string]string{}
	for _, c := range res.Config {
		if c.File {
			d.config[c.Key] = string(c.Value)
			file[c.Key] = string(c.Value)
		}
	}
	base, parts := res.Name.Parts()
	k := sampleKey{Bench: string(base)}
	set, net, step, op, threads := "", "", "", "", ""
	for _, p := range parts {
		key, val, ok := strings.Cut(strings.TrimPrefix(string(p), "/"), "=")
		if !ok {
			continue // the GOMAXPROCS suffix, or a part without a key.
		}
		switch key {
		case "type":
			k.Type = val
		case "shape", "n", "level":
			k.Size = val
		case "impl":
			k.Impl = val
		case "size":
			set = val
		case "net":
			net = val
		case "step":
			step = val
		case "op":
			op = val
		case "threads":
			threads = val
		}
	}
	if net != "" {
		k.Size = net + "/" + step
	}
	if op != "" {
		k.Size = op + "/" + k.Size
	}
	if threads != "" {
		k.Size += "/" + threads
	}
	if impl := file["openblas-impl"]; impl != "" && impl == k.Impl {
		d.cores[impl] = file
	}
	if set != "" {
		d.sets[k.Size] = set
	}
	ts := [2]string{k.Bench, k.Type}
	if !slices.Contains(d.sizes[ts], k.Size) {
		d.sizes[ts] = append(d.sizes[ts], k.Size)
	}
	if k.Impl != "" && !slices.Contains(d.impls, k.Impl) {
		d.impls = append(d.impls, k.Impl)
	}
	for _, v := range res.Values {
		u := k
		u.Unit = v.Unit
		val := v.Value
		if v.OrigUnit != "" { // keep the units as the benchmark wrote them.
			u.Unit, val = v.OrigUnit, v.OrigValue
		}
		d.samples[u] = append(d.samples[u], val)
	}
}

// stat is the summary of one series: its median, half its range relative to
// the median, its largest value, and the number of samples.
type stat struct {
	Median, Spread, Max float64
	N                   int
}

// get returns the summary of the series k.
func (d *data) get(k sampleKey) (stat, bool) {
	s := d.samples[k]
	if len(s) == 0 {
		return stat{}, false
	}
	s = slices.Sorted(slices.Values(s))
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	spread := 0.0
	if med != 0 {
		spread = (s[len(s)-1] - s[0]) / 2 / math.Abs(med)
	}
	return stat{Median: med, Spread: spread, Max: s[len(s)-1], N: len(s)}, true
}

// median returns the median of the series k, or NaN.
func (d *data) median(k sampleKey) float64 {
	if s, ok := d.get(k); ok {
		return s.Median
	}
	return math.NaN()
}

// best returns the largest value of the series k, or NaN.
func (d *data) best(k sampleKey) float64 {
	if s, ok := d.get(k); ok {
		return s.Max
	}
	return math.NaN()
}

// configInt returns the integer configuration value key, or 0.
func (d *data) configInt(key string) int {
	n, _ := strconv.Atoi(d.config[key])
	return n
}

// hasImpl reports whether any result has implementation name.
func (d *data) hasImpl(name string) bool { return slices.Contains(d.impls, name) }

// parseShape parses "784x256".
func parseShape(s string) (m, n int, ok bool) {
	ms, ns, ok := strings.Cut(s, "x")
	if !ok {
		return 0, 0, false
	}
	m, err1 := strconv.Atoi(ms)
	n, err2 := strconv.Atoi(ns)
	return m, n, err1 == nil && err2 == nil
}
