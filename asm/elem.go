package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
)

// elem describes an element type: its Go name, its size and how many fit in
// a YMM register, and the packed (PS/PD) or scalar (SS/SD) form of each
// instruction the kernels use.
type elem struct {
	prefix string // BLAS prefix of the function names: "s" or "d"
	goType string
	size   int // bytes
	lanes  int // elements per YMM register
}

var (
	f32 = elem{prefix: "s", goType: "float32", size: 4, lanes: 8}
	f64 = elem{prefix: "d", goType: "float64", size: 8, lanes: 4}
)

// name returns the assembly function name for a kernel, e.g. "sgemvAVX2".
func (e elem) name(kernel string) string { return e.prefix + kernel + "AVX2" }

// sig substitutes the element type for every %[1]s of a Go signature.
func (e elem) sig(format string) string { return fmt.Sprintf(format, e.goType) }

func (e elem) single() bool { return e.size == 4 }

// shift is log2(size), for turning element counts into byte offsets.
func (e elem) shift() uint8 {
	if e.single() {
		return 2
	}
	return 3
}

func (e elem) movu(src, dst Op) {
	if e.single() {
		VMOVUPS(src, dst)
	} else {
		VMOVUPD(src, dst)
	}
}

// maskLoad loads the lanes of mem whose mask element has its sign bit set
// and zeroes the others; masked-off lanes are never read, so they may lie
// past the end of a slice.
func (e elem) maskLoad(mem, mask, dst Op) {
	if e.single() {
		VMASKMOVPS(mem, mask, dst)
	} else {
		VMASKMOVPD(mem, mask, dst)
	}
}

// maskStore stores the lanes of src whose mask element has its sign bit set
// and leaves the other elements of mem untouched (never written).
func (e elem) maskStore(src, mask, mem Op) {
	if e.single() {
		VMASKMOVPS(src, mask, mem)
	} else {
		VMASKMOVPD(src, mask, mem)
	}
}

// broadcast fills every lane of dst with the scalar at src (memory or XMM).
func (e elem) broadcast(src, dst Op) {
	if e.single() {
		VBROADCASTSS(src, dst)
	} else {
		VBROADCASTSD(src, dst)
	}
}

// fma computes acc += a·b with a single rounding; a may be memory.
func (e elem) fma(a, b, acc Op) {
	if e.single() {
		VFMADD231PS(a, b, acc)
	} else {
		VFMADD231PD(a, b, acc)
	}
}

// mul computes dst = a·b; a may be memory.
func (e elem) mul(a, b, dst Op) {
	if e.single() {
		VMULPS(a, b, dst)
	} else {
		VMULPD(a, b, dst)
	}
}

// sub computes dst = b−a; a may be memory.
func (e elem) sub(a, b, dst Op) {
	if e.single() {
		VSUBPS(a, b, dst)
	} else {
		VSUBPD(a, b, dst)
	}
}

// add computes dst = a+b; a may be memory.
func (e elem) add(a, b, dst Op) {
	if e.single() {
		VADDPS(a, b, dst)
	} else {
		VADDPD(a, b, dst)
	}
}

// hadd adds adjacent pairs within each 128-bit lane:
// dst = [a₀+a₁, b₀+b₁ | a₂+a₃, b₂+b₃] for PD, [a₀+a₁, a₂+a₃, b₀+b₁, b₂+b₃ | …] for PS.
func (e elem) hadd(b, a, dst Op) {
	if e.single() {
		VHADDPS(b, a, dst)
	} else {
		VHADDPD(b, a, dst)
	}
}

func (e elem) zero(r Op) {
	if e.single() {
		VXORPS(r, r, r)
	} else {
		VXORPD(r, r, r)
	}
}

// mulScalar computes the low lane of dst = a·b; a may be memory.
func (e elem) mulScalar(a, b, dst Op) {
	if e.single() {
		VMULSS(a, b, dst)
	} else {
		VMULSD(a, b, dst)
	}
}

// loadScalar loads one element into the low lane of dst.
func (e elem) loadScalar(mem, dst Op) {
	if e.single() {
		VMOVSS(mem, dst)
	} else {
		VMOVSD(mem, dst)
	}
}

// storeScalar stores the low lane of src.
func (e elem) storeScalar(src, mem Op) {
	if e.single() {
		VMOVSS(src, mem)
	} else {
		VMOVSD(src, mem)
	}
}

// Instructions added for the GEMM micro-kernel (asm/gemm.go).

// ucomis compares the low lanes of a and b, setting ZF for equal and ZF, PF
// and CF for unordered (a NaN), as UCOMISS/UCOMISD do.
func (e elem) ucomis(a, b Op) {
	if e.single() {
		VUCOMISS(a, b)
	} else {
		VUCOMISD(a, b)
	}
}
