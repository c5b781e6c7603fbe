package main

// The AVX2 strategies for what differs between instruction sets: partial
// vectors through a mask of sign bits loaded from a table (VMASKMOVPS/PD),
// and horizontal sums across the two 128-bit halves of a YMM register.

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

var maskTable Mem

// declareTailMask writes the table that avx2CountMask loads from:
// [-1 ×8, 0 ×8] as dwords.
func declareTailMask(s *isa) {
	maskTable = GLOBL("tailmask"+s.name, RODATA|NOPTR)
	for i := 0; i < 16; i++ {
		v := uint32(0)
		if i < 8 {
			v = 0xffffffff
		}
		DATA(4*i, U32(v))
	}
}

// avx2CountMask returns a YMM register whose first count elements (0 ≤ count
// ≤ lanes) have their sign bits set: the mask for masked loads and stores of
// a partial vector. It loads 32 bytes from the table [-1 ×8, 0 ×8] (dwords),
// starting count·size bytes before its middle; for float64 two -1 dwords make
// one lane whose sign bit is set. It consumes count.
func avx2CountMask(v vec, count Register) Op {
	p := GP64()
	SHLQ(U8(v.shift), count)
	LEAQ(maskTable.Offset(32), p)
	SUBQ(count, p)
	mask := v.reg()
	VMOVDQU(Mem{Base: p}, mask)
	return mask
}

// avx2Reduce adds the lanes of acc into the low lane of the returned XMM.
func avx2Reduce(v vec, acc VecVirtual) VecVirtual {
	hi := XMM()
	VEXTRACTF128(U8(1), acc, hi)
	v.add(hi, acc.AsX(), hi)
	v.hadd(hi, hi, hi)
	if v.single() {
		v.hadd(hi, hi, hi)
	}
	return hi
}

// avx2ReduceRows adds the lanes of each accumulator acc[r] (r < R, R a power of
// two ≤ 8) and packs the R sums in order into the low lanes of vector
// registers of at most `lanes` sums each: the row results of R dot products,
// ready to be stored to y[i:i+R] with one instruction per register. It
// returns the registers and how many sums each holds.
func avx2ReduceRows(v vec, acc []VecVirtual) ([]VecVirtual, int) {
	switch {
	case len(acc) == 1:
		return []VecVirtual{avx2Reduce(v, acc[0])}, 1
	case v.single() && len(acc) == 8:
		// t = [a0₀₁ a0₂₃ a1₀₁ a1₂₃ | …], u = [a0 a1 a2 a3 (low halves) | a0 a1 a2 a3 (high halves)].
		u0, u1 := v.reg(), v.reg()
		v.hadd(acc[1], acc[0], acc[0])
		v.hadd(acc[3], acc[2], acc[2])
		v.hadd(acc[2], acc[0], u0)
		v.hadd(acc[5], acc[4], acc[4])
		v.hadd(acc[7], acc[6], acc[6])
		v.hadd(acc[6], acc[4], u1)
		// [u0.lo u1.lo] + [u0.hi u1.hi] = [r0 r1 r2 r3 | r4 r5 r6 r7].
		lo, hi := v.reg(), v.reg()
		VPERM2F128(U8(0x20), u1, u0, lo)
		VPERM2F128(U8(0x31), u1, u0, hi)
		v.add(hi, lo, lo)
		return []VecVirtual{lo}, 8
	case v.single() && len(acc) == 4:
		v.hadd(acc[1], acc[0], acc[0])
		v.hadd(acc[3], acc[2], acc[2])
		v.hadd(acc[2], acc[0], acc[0])
		hi := XMM()
		VEXTRACTF128(U8(1), acc[0], hi)
		v.add(hi, acc[0].AsX(), hi)
		return []VecVirtual{hi}, 4
	case v.single() && len(acc) == 2:
		// [a0₀₁ a0₂₃ a1₀₁ a1₂₃] summed over both halves, then pairwise: [r0 r1 r0 r1].
		v.hadd(acc[1], acc[0], acc[0])
		hi := XMM()
		VEXTRACTF128(U8(1), acc[0], hi)
		v.add(hi, acc[0].AsX(), hi)
		v.hadd(hi, hi, hi)
		return []VecVirtual{hi}, 2
	case len(acc) == 8: // float64: two groups of four
		a, _ := avx2ReduceRows(v, acc[:4])
		b, _ := avx2ReduceRows(v, acc[4:])
		return append(a, b...), 4
	case len(acc) == 4:
		// t0 = [a0₀₁ a1₀₁ | a0₂₃ a1₂₃], t2 = [a2₀₁ a3₀₁ | a2₂₃ a3₂₃].
		v.hadd(acc[1], acc[0], acc[0])
		v.hadd(acc[3], acc[2], acc[2])
		lo, hi := v.reg(), v.reg()
		VPERM2F128(U8(0x20), acc[2], acc[0], lo)
		VPERM2F128(U8(0x31), acc[2], acc[0], hi)
		v.add(hi, lo, lo)
		return []VecVirtual{lo}, 4
	default: // float64, two rows: [a0₀₁ a1₀₁] + [a0₂₃ a1₂₃]
		v.hadd(acc[1], acc[0], acc[0])
		hi := XMM()
		VEXTRACTF128(U8(1), acc[0], hi)
		v.add(hi, acc[0].AsX(), hi)
		return []VecVirtual{hi}, 2
	}
}

// avx2MaskLoad loads the lanes of mem whose mask element has its sign bit set
// and zeroes the others; masked-off lanes are never read, so they may lie
// past the end of a slice.
func avx2MaskLoad(v vec, mem, mask, dst Op) { v.ins.maskmov(mem, mask, dst) }

// avx2MaskStore stores the lanes of src whose mask element has its sign bit
// set and leaves the other elements of mem untouched (never written).
func avx2MaskStore(v vec, src, mask, mem Op) { v.ins.maskmov(src, mask, mem) }

// avx2Compare returns a register whose lanes are all ones where a pred b
// holds (pred is a VCMPPS/PD predicate, a and b in Intel's order; b may be
// memory) and zero elsewhere.
func avx2Compare(v vec, pred uint8, a, b Op) Op {
	mask := v.reg()
	v.ins.cmp(U8(pred), b, a, mask)
	return mask
}

// avx2SignMask spreads the sign bit of each float32 lane of x over the lane.
func avx2SignMask(v vec, x Op) Op {
	mask := v.reg()
	VPSRAD(U8(31), x, mask)
	return mask
}

// avx2Choose sets dst = mask ? ifTrue : ifFalse lane by lane, from the sign
// bits of the mask lanes. ifFalse must be a register; ifTrue may be memory.
func avx2Choose(v vec, mask, ifFalse, ifTrue, dst Op) { v.ins.blendv(mask, ifTrue, ifFalse, dst) }

// avx2Keep sets dst = mask ? src : +0 lane by lane, for a mask from
// avx2Compare: a bitwise and, so src's bits are kept exactly (a signalling
// NaN stays signalling).
func avx2Keep(v vec, mask, src, dst Op) { v.ins.and(src, mask, dst) }

// loadN loads count elements (1, 2, 4 or 8 float32; 1, 2 or 4 float64) from
// mem into the low lanes of dst, reading nothing past them.
func loadN(v vec, count int, mem Mem, dst VecVirtual) {
	switch count * v.size {
	case 32:
		v.movu(mem, dst.AsY())
	case 16:
		v.movu(mem, dst.AsX())
	case 8:
		VMOVQ(mem, dst.AsX())
	default:
		VMOVSS(mem, dst.AsX())
	}
}

// storeN stores the low count elements of src to mem, writing nothing past
// them.
func storeN(v vec, count int, src VecVirtual, mem Mem) {
	switch count * v.size {
	case 32:
		v.movu(src.AsY(), mem)
	case 16:
		v.movu(src.AsX(), mem)
	case 8:
		VMOVQ(src.AsX(), mem)
	default:
		VMOVSS(src.AsX(), mem)
	}
}

// width returns the register of the width count elements need: YMM for 32
// bytes, XMM for fewer.
func width(v vec, count int, r VecVirtual) Op {
	if count*v.size == 32 {
		return r.AsY()
	}
	return r.AsX()
}
