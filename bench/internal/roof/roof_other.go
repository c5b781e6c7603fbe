//go:build !amd64 || !gc || purego

package roof

// Available reports whether the probes can run: on amd64 with AVX2 and FMA.
var Available = false

// Without assembly there are no probes.
var avx512Probes, avx2Probes probes
