package main

// The AVX-512 strategies for what differs between instruction sets: partial
// vectors through opmask registers (an all-ones word cut to the count by
// BZHI, zero-masked loads and merge-masked stores, which never touch the
// masked-off lanes, so no table and no scalar tail), comparisons into opmasks,
// and horizontal sums that fold a ZMM register into a YMM one and finish with
// the AVX2 steps.

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// avx512CountMask returns an opmask whose low count bits (0 ≤ count ≤ lanes
// ≤ 16) are set: all ones with the bits from count up cleared by BZHI. It
// consumes count.
func avx512CountMask(v vec, count Register) Op {
	ones := GP64()
	MOVQ(I32(-1), ones)
	BZHIQ(count, ones, ones)
	k := K()
	KMOVW(ones.As32(), k)
	return k
}

// avx512MaskLoad loads the lanes of mem the opmask selects and zeroes the
// others; masked-off lanes are never read (their faults are suppressed), so
// they may lie past the end of a slice.
func avx512MaskLoad(v vec, mem, mask, dst Op) { v.ins.movuZ(mem, mask, dst) }

// avx512MaskStore stores the lanes of src the opmask selects and leaves the
// other elements of mem untouched (never written).
func avx512MaskStore(v vec, src, mask, mem Op) { v.ins.movu(src, mask, mem) }

// fold adds the upper 256-bit half of the ZMM acc to its lower half and
// returns the YMM sum.
func fold(v vec, acc VecVirtual) VecVirtual {
	hi := YMM()
	VEXTRACTF64X4(U8(1), acc, hi)
	v.add(hi, acc.AsY(), hi)
	return hi
}

// avx512Reduce adds the lanes of acc into the low lane of the returned XMM,
// in avx2Reduce's order after the fold (so both give the same bits): the
// upper 128 bits added to the lower, then lanes paired as VHADDPS/PD pairs
// them. It uses only instructions with EVEX forms (VEXTRACTF32X4 and
// VPERMILPS/PD with additions rather than VEXTRACTF128 and VHADDPS), so that
// it works on any of the 32 registers: a kernel with many accumulators live
// gets some from X16 up, which VEX cannot encode.
func avx512Reduce(v vec, acc VecVirtual) VecVirtual {
	y := fold(v, acc)
	x, t := XMM(), XMM()
	VEXTRACTF32X4(U8(1), y, x)
	v.add(x, y.AsX(), x)
	if v.single() {
		VPERMILPS(U8(0xb1), x, t) // [x1 x0 x3 x2]
		v.add(t, x, x)            // [x0+x1 · x2+x3 ·]
		VPERMILPS(U8(0x4e), x, t) // [x2+x3 · x0+x1 ·]
		v.add(t, x, x)
	} else {
		VPERMILPD(U8(1), x, t) // [x1 x0]
		v.add(t, x, x)
	}
	return x
}

// avx512ReduceRows is avx2ReduceRows after folding each accumulator to a YMM
// register: the row sums it packs fit in a YMM register either way.
func avx512ReduceRows(v vec, acc []VecVirtual) ([]VecVirtual, int) {
	ys := make([]VecVirtual, len(acc))
	for r, a := range acc {
		ys[r] = fold(v, a)
	}
	return avx2ReduceRows(newVec(v.elem, avx2), ys)
}

// avx512Compare returns an opmask with the bits set of the lanes where a
// pred b holds (pred a VCMPPS/PD predicate, a and b in Intel's order; b may
// be memory).
func avx512Compare(v vec, pred uint8, a, b Op) Op {
	k := K()
	v.ins.cmp(U8(pred), b, a, k)
	return k
}

// avx512SignMask moves the sign bits of the float32 lanes of x into an
// opmask (VPMOVD2M, AVX512DQ).
func avx512SignMask(v vec, x Op) Op {
	k := K()
	VPMOVD2M(x, k)
	return k
}

// avx512Choose sets dst = mask ? ifTrue : ifFalse lane by lane, for an
// opmask: one VBLENDMPS/PD. ifTrue may be memory.
func avx512Choose(v vec, mask, ifFalse, ifTrue, dst Op) { v.ins.blendm(ifTrue, ifFalse, mask, dst) }

// avx512Keep sets dst = mask ? src : +0 lane by lane: a zero-masked move, so
// src's bits are kept exactly (a signalling NaN stays signalling).
func avx512Keep(v vec, mask, src, dst Op) { v.ins.movuZ(src, mask, dst) }
