// Package roof measures the ceilings that bound a single core running a BLAS
// level-2 kernel, for the benchmark report to draw next to the kernels, with
// the registers of each instruction set simdnn has assembly for (ISAs:
// "avx512", ZMM; "avx2", YMM), so that a kernel is compared with the roof of
// its own instruction set:
//
//   - the FMA peak: independent fused multiply-adds on full registers, as
//     many as the core retires per second (FMA32, FMA64);
//   - the read bandwidth of each memory level: loads of full registers
//     streaming through a buffer that fits that level, with nothing computed
//     (Read).
//
// A matrix-vector product reads each element of A once and does one
// multiply-add (2 flops) with it: 0.5 flop/byte in float32, 0.25 in float64.
// Its roof at a size whose matrix lives in a given level is the smaller of the
// FMA peak and that level's read bandwidth times that intensity.
//
// The probes (roof_amd64.s) are generated with Avo by asm/roof, like every
// other assembly file of the project.
package roof

//go:generate go run -C ../../../asm ./roof -out ../bench/internal/roof/roof_amd64.s -stubs ../bench/internal/roof/roof_amd64.go -pkg roof

import "unsafe"

// maxReadCall bounds the bytes one assembly call reads, so that a garbage
// collection never waits long on it (assembly is not preemptible): 2 MiB, well
// under 100 µs even at DRAM bandwidth.
const maxReadCall = 2 << 20

// fmaCallIters is the number of loop iterations of one FMA32 or FMA64 call:
// 12 FMAs each, about 100k cycles (some 25 µs) at two FMAs per cycle.
const fmaCallIters = 1 << 14

// BlockBytes is the granularity of Read: buffers are a multiple of it.
const BlockBytes = 256

// probes are one instruction set's probes.
type probes struct {
	available    bool
	bytes        int // register width
	fma32, fma64 func(iters int)
	load         func(p *byte, blocks int)
}

// isas are the instruction sets of the probes, best first.
var isas = []struct {
	name string
	p    probes
}{
	{"avx512", avx512Probes},
	{"avx2", avx2Probes},
}

// ISAs returns the names of the instruction sets whose probes this machine
// can run, best first: the names of simdnn's kernel implementations ("avx512",
// "avx2"). It is empty unless Available.
func ISAs() []string {
	var names []string
	for _, s := range isas {
		if s.p.available {
			names = append(names, s.name)
		}
	}
	return names
}

// probesOf returns the probes of isa, panicking unless this machine runs them.
func probesOf(isa string) probes {
	for _, s := range isas {
		if s.name == isa && s.p.available {
			return s.p
		}
	}
	panic("roof: the machine has no probes for instruction set " + isa)
}

// FMA32 runs one burst of independent float32 FMAs on the registers of isa
// (one of ISAs) and returns the flops it did (2 per lane per FMA).
func FMA32(isa string) (flops int) {
	p := probesOf(isa)
	p.fma32(fmaCallIters)
	return fmaCallIters * 12 * p.bytes / 4 * 2
}

// FMA64 runs one burst of independent float64 FMAs on the registers of isa
// and returns the flops it did.
func FMA64(isa string) (flops int) {
	p := probesOf(isa)
	p.fma64(fmaCallIters)
	return fmaCallIters * 12 * p.bytes / 8 * 2
}

// Buffer returns a buffer of at least n bytes for Read: a multiple of
// BlockBytes long, 64-byte aligned so that every load stays within one cache
// line, and written through, so that every page is backed by memory of its
// own (untouched pages all map the kernel's one zero page, which would make
// any size read at L1 speed).
func Buffer(n int) []byte {
	n = (n + BlockBytes - 1) / BlockBytes * BlockBytes
	raw := make([]byte, n+64)
	off := 0
	for addrMod64(raw[off:]) != 0 {
		off++
	}
	buf := raw[off : off+n : off+n]
	for i := range buf {
		buf[i] = byte(i)
	}
	return buf
}

// Read loads every byte of buf once, one register of isa (one of ISAs) at a
// time, and discards them; len(buf) must be a multiple of BlockBytes.
func Read(isa string, buf []byte) {
	p := probesOf(isa)
	if len(buf)%BlockBytes != 0 {
		panic("roof: Read: len(buf) is not a multiple of BlockBytes")
	}
	for lo := 0; lo < len(buf); lo += maxReadCall {
		hi := min(len(buf), lo+maxReadCall)
		p.load(&buf[lo], (hi-lo)/BlockBytes)
	}
}

// addrMod64 returns the address of b's first element modulo 64.
func addrMod64(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) % 64 }
