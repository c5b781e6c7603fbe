package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// elem describes an element type: its Go name, its size, and the packed
// (PS/PD) or scalar (SS/SD) form of each instruction the kernels use.
type elem struct {
	prefix string // BLAS prefix of the function names: "s" or "d"
	goType string
	size   int   // bytes
	shift  uint8 // log2(size), for turning element counts into byte offsets
	ins    *instructions
}

// instructions is the table of the instructions that differ between float32
// and float64, each with its operands in Avo's (Go assembler) order, as the
// comments show. Each computes on every lane of its vector operands (the
// scalar forms on the low lane); a source operand may be memory.
type instructions struct {
	movu        func(...Op)         // dst = src, unaligned; (src, k, dst) merge-masked, AVX-512
	movuZ       func(a, b, c Op)    // (src, k, dst): dst = src in the lanes k selects, 0 elsewhere, AVX-512
	maskmov     func(a, b, c Op)    // VMASKMOVPS/PD: masked load (mem, mask, dst) or store (src, mask, mem), AVX2
	broadcast   func(...Op)         // every lane of dst = the scalar src (memory or XMM)
	fma         func(...Op)         // acc += a·b, rounded once
	mul         func(...Op)         // dst = a·b
	sub         func(...Op)         // dst = b−a
	add         func(...Op)         // dst = a+b
	div         func(...Op)         // dst = b/a, rounded once
	sqrt        func(...Op)         // dst = √src, rounded once
	hadd        func(a, b, c Op)    // adjacent pairs added within each 128-bit lane
	xor         func(...Op)         // dst = a ^ b, bitwise
	and         func(...Op)         // dst = a & b, bitwise
	cmp         func(...Op)         // (imm, b, a, dst): dst = all ones in the lanes where a imm b holds, else 0; AVX2
	blendv      func(a, b, c, d Op) // (mask, b, a, dst): dst = mask sign bit set ? b : a, lane by lane; AVX2
	blendm      func(...Op)         // (b, a, k, dst): dst = k ? b : a, lane by lane; AVX-512
	mulScalar   func(...Op)         // low lane of dst = a·b
	fmaScalar   func(...Op)         // low lane of acc += a·b, rounded once
	loadScalar  func(...Op)         // low lane of dst = one element
	storeScalar func(...Op)         // one element = low lane of src
	ucomis      func(a, b Op)       // compare the low lanes: ZF for equal; ZF, PF and CF for unordered
}

var (
	f32 = elem{prefix: "s", goType: "float32", size: 4, shift: 2, ins: &instructions{
		movu: VMOVUPS, movuZ: VMOVUPS_Z, maskmov: VMASKMOVPS, broadcast: VBROADCASTSS,
		fma: VFMADD231PS, mul: VMULPS, sub: VSUBPS, add: VADDPS, div: VDIVPS, sqrt: VSQRTPS, hadd: VHADDPS, xor: VXORPS,
		and: VANDPS, cmp: VCMPPS, blendv: VBLENDVPS, blendm: VBLENDMPS,
		mulScalar: VMULSS, fmaScalar: VFMADD231SS, loadScalar: VMOVSS, storeScalar: VMOVSS, ucomis: VUCOMISS,
	}}
	f64 = elem{prefix: "d", goType: "float64", size: 8, shift: 3, ins: &instructions{
		movu: VMOVUPD, movuZ: VMOVUPD_Z, maskmov: VMASKMOVPD, broadcast: VBROADCASTSD,
		fma: VFMADD231PD, mul: VMULPD, sub: VSUBPD, add: VADDPD, div: VDIVPD, sqrt: VSQRTPD, hadd: VHADDPD, xor: VXORPD,
		and: VANDPD, cmp: VCMPPD, blendv: VBLENDVPD, blendm: VBLENDMPD,
		mulScalar: VMULSD, fmaScalar: VFMADD231SD, loadScalar: VMOVSD, storeScalar: VMOVSD, ucomis: VUCOMISD,
	}}
)

// elems are the element types every kernel is generated for.
var elems = []elem{f32, f64}

func (e elem) single() bool { return e.size == 4 }

// vec is a vector type: an element type in the registers of an instruction
// set. Every kernel is described once, as a function of a vec.
type vec struct {
	elem
	*isa
	lanes int // elements per register
}

func newVec(e elem, s *isa) vec { return vec{elem: e, isa: s, lanes: s.bytes / e.size} }

// name returns the assembly function name for a kernel, e.g. "sgemvAVX2".
func (v vec) name(kernel string) string { return v.prefix + kernel + v.isa.name }

// sig substitutes the element type for every %[1]s of a Go signature.
func (v vec) sig(format string) string { return fmt.Sprintf(format, v.goType) }

func (v vec) movu(src, dst Op) { v.ins.movu(src, dst) }

// tailMask returns the mask of the first n mod lanes elements of a vector,
// for maskLoad and maskStore.
func (v vec) tailMask(n Register) Op {
	Comment("mask = the first n mod lanes elements")
	rem := GP64()
	MOVQ(n, rem)
	ANDQ(U32(v.lanes-1), rem)
	return v.countMask(rem)
}

// countMask returns the mask of the first count elements of a vector, 0 ≤
// count ≤ lanes; it consumes count.
func (v vec) countMask(count Register) Op { return v.isa.countMask(v, count) }

// maskLoad loads the lanes of mem that mask selects and zeroes the others,
// never reading the masked-off lanes (they may lie past a slice's end).
func (v vec) maskLoad(mem, mask, dst Op) { v.isa.maskLoad(v, mem, mask, dst) }

// maskStore stores the lanes of src that mask selects, never writing the
// others.
func (v vec) maskStore(src, mask, mem Op) { v.isa.maskStore(v, src, mask, mem) }

// reduce adds the lanes of acc into the low lane of the returned register.
func (v vec) reduce(acc VecVirtual) VecVirtual { return v.isa.reduce(v, acc) }

// reduceRows adds the lanes of each accumulator acc[r] (R of them, a power
// of two) and packs the R sums in order into the low lanes of registers of
// at most lanes sums each, returning the registers and how many each holds.
func (v vec) reduceRows(acc []VecVirtual) ([]VecVirtual, int) { return v.isa.reduceRows(v, acc) }

func (v vec) broadcast(src, dst Op) { v.ins.broadcast(src, dst) }
func (v vec) fma(a, b, acc Op)      { v.ins.fma(a, b, acc) }
func (v vec) mul(a, b, dst Op)      { v.ins.mul(a, b, dst) }
func (v vec) sub(a, b, dst Op)      { v.ins.sub(a, b, dst) }
func (v vec) add(a, b, dst Op)      { v.ins.add(a, b, dst) }
func (v vec) div(a, b, dst Op)      { v.ins.div(a, b, dst) }
func (v vec) sqrt(src, dst Op)      { v.ins.sqrt(src, dst) }
func (v vec) hadd(b, a, dst Op)     { v.ins.hadd(b, a, dst) }

// compare returns the mask of the lanes where a pred b holds (pred a
// VCMPPS/PD predicate, a and b in Intel's order; b may be memory), in the
// form choose and keep take: a vector on AVX2, an opmask on AVX-512.
func (v vec) compare(pred uint8, a, b Op) Op { return v.isa.compare(v, pred, a, b) }

// signMask returns the mask of the float32 lanes of x whose sign bit is
// set, in the form choose and keep take.
func (v vec) signMask(x Op) Op { return v.isa.signMask(v, x) }

// choose sets dst = mask ? ifTrue : ifFalse lane by lane. ifFalse must be a
// register; ifTrue may be memory.
func (v vec) choose(mask, ifFalse, ifTrue, dst Op) { v.isa.choose(v, mask, ifFalse, ifTrue, dst) }

// keep sets dst = mask ? src : +0 lane by lane, keeping src's bits exactly.
func (v vec) keep(mask, src, dst Op) { v.isa.keep(v, mask, src, dst) }

func (v vec) zero(r Op)               { v.ins.xor(r, r, r) }
func (v vec) mulScalar(a, b, dst Op)  { v.ins.mulScalar(a, b, dst) }
func (v vec) loadScalar(mem, dst Op)  { v.ins.loadScalar(mem, dst) }
func (v vec) storeScalar(src, mem Op) { v.ins.storeScalar(src, mem) }
func (v vec) ucomis(a, b Op)          { v.ins.ucomis(a, b) }
