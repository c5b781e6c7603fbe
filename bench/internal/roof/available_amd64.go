//go:build amd64 && gc && !purego

package roof

import "golang.org/x/sys/cpu"

// Available reports whether the probes can run: on amd64 with AVX2 and FMA.
var Available = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// The probes of each instruction set; AVX-512's need F and, for VXORPS on
// ZMM registers, DQ.
var (
	avx512Probes = probes{available: Available && cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ,
		bytes: 64, fma32: fma32AVX512, fma64: fma64AVX512, load: loadAVX512}
	avx2Probes = probes{available: Available, bytes: 32, fma32: fma32AVX2, fma64: fma64AVX2, load: loadAVX2}
)
