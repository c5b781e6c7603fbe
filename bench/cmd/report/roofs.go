package main

import (
	"cmp"
	"maps"
	"math"
)

// levels are the memory levels BenchmarkRoofRead measures, nearest first.
var levels = []string{"L1", "L2", "L3", "DRAM"}

// roofImpls are the implementations whose roofs the probes measure, best
// first: the report compares the kernels with the first one the run has. ""
// stands for the runs from before the AVX-512 probes, whose roofs carry no
// impl= and are AVX2's.
var roofImpls = []string{"avx512", "avx2", ""}

// roofs are the machine's ceilings measured in the same run as the kernels,
// with the registers of the run's best assembly implementation (impl): the
// FMA peak per element type, and the read bandwidth of each memory level. Each is the best of its samples, not their median: a roof is what
// the machine can do, and on a shared machine a sample falls short of that
// whenever another job takes the core or the memory bus. A missing
// measurement is NaN.
type roofs struct {
	// impl is the implementation whose roofs these are and whose kernels the
	// tables compare with them, e.g. "avx512".
	impl string
	fma  map[string]float64 // GFLOP/s by type, "f32" and "f64"
	read map[string]float64 // GB/s by level
	// set is the working set that measured each level, e.g. "512KiB".
	set map[string]string
	// cache sizes in bytes from the run's configuration; 0 if unknown.
	l1d, l2, l3 int
}

func (d *data) roofs() roofs {
	r := roofs{
		fma:  map[string]float64{},
		read: map[string]float64{},
		set:  map[string]string{},
		l1d:  d.configInt("cache-l1d"),
		l2:   d.configInt("cache-l2"),
		l3:   d.configInt("cache-l3"),
	}
	impl := ""
	for _, i := range roofImpls {
		if _, ok := d.get(sampleKey{Bench: "RoofFMA", Type: "f32", Impl: i, Unit: "GFLOP/s"}); ok {
			impl = i
			break
		}
	}
	r.impl = cmp.Or(impl, "avx2")
	for _, t := range []string{"f32", "f64"} {
		r.fma[t] = d.best(sampleKey{Bench: "RoofFMA", Type: t, Impl: impl, Unit: "GFLOP/s"})
	}
	for _, l := range levels {
		r.read[l] = d.best(sampleKey{Bench: "RoofRead", Size: l, Impl: impl, Unit: "GB/s"})
	}
	maps.Copy(r.set, d.sets)
	return r
}

// haveAny reports whether the run measured any roof.
func (r roofs) haveAny() bool {
	for _, v := range r.fma {
		if !math.IsNaN(v) {
			return true
		}
	}
	for _, v := range r.read {
		if !math.IsNaN(v) {
			return true
		}
	}
	return false
}

// intensity returns the flops per byte of A of a matrix-vector product in
// type t: 2 flops per element, 4 or 8 bytes per element.
func intensity(t string) float64 {
	if t == "f64" {
		return 0.25
	}
	return 0.5
}

// elemBytes returns the size of an element of type t.
func elemBytes(t string) int {
	if t == "f64" {
		return 8
	}
	return 4
}

// levelOf returns the nearest memory level an m×n matrix of type t fits in,
// by the cache sizes of the run, or "" if they are unknown.
func (r roofs) levelOf(t string, m, n int) string {
	if r.l1d == 0 || r.l2 == 0 || r.l3 == 0 {
		return ""
	}
	switch b := m * n * elemBytes(t); {
	case b <= r.l1d:
		return "L1"
	case b <= r.l2:
		return "L2"
	case b <= r.l3:
		return "L3"
	}
	return "DRAM"
}

// gemv returns the roof of an m×n matrix-vector product in type t, the
// smaller of the FMA peak and the read bandwidth of the level A lives in
// times the intensity, and which of them it is, or NaN.
func (r roofs) gemv(t string, m, n int) (gflops float64, bound string) {
	fma := r.fma[t]
	l := r.levelOf(t, m, n)
	bw := math.NaN()
	if l != "" {
		bw = r.read[l] * intensity(t)
	}
	switch {
	case math.IsNaN(bw) && math.IsNaN(fma):
		return math.NaN(), ""
	case math.IsNaN(bw) || fma <= bw:
		return fma, "FMA"
	}
	return bw, l
}
