package main

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// transpose8: dst[l·ldd + r] = src[r·lds + l] for the 8 rows r of src and
// l < k: the GEMM packing of eight rows of a matrix stored along k into
// k-major rows of 8 (the A panels of an 8-row tile, the B panels of a
// transposed B, 8 columns at a time; kernels/gemm_pack.go).
//
// In YMM registers on every instruction set, 8×8 float32 or 8×4 float64
// blocks at a time: the classic in-register transposes (unpack pairs, then
// shuffle quadruples, then swap 128-bit halves: 24 shuffles per 64 float32,
// 12 per 32 float64), so that a block costs its 8 loads and 8 stores plus
// the shuffles rather than one scalar load and store per element. The last
// k mod 8 (mod 4) columns are copied one element at a time. A copy: the
// bits are the source's, whatever the implementation.
func transpose8(v vec) {
	label := func(s string) string { return v.prefix + "transpose8_" + s }
	k := Load(Param("k"), GP64())
	src, lds, lds3 := matrixArg(v, "src", "lds")
	dst, ldd, ldd3 := matrixArg(v, "dst", "ldd")
	in, out := newRows(src, lds, lds3, 8), newRows(dst, ldd, ldd3, 8)
	block := 8 // columns of src per block: one YMM of float32
	if !v.single() {
		block = 4
	}
	Label(label("block"))
	CMPQ(k, U8(block))
	JL(LabelRef(label("tail")))
	r := make([]VecVirtual, 8)
	for i := range r {
		r[i] = YMM()
		v.movu(in.at(i, 0), r[i])
	}
	var cols []VecVirtual
	if v.single() {
		cols = transpose8x8(r)
	} else {
		cols = transpose8x4(r)
	}
	// Column l of the block is row l of dst: 8 elements, in one YMM of
	// float32 or two of float64 (cols[per·l + h]).
	per := 8 * v.size / 32
	for l := range block {
		for h := range per {
			v.movu(cols[per*l+h], out.at(l, 32*h))
		}
	}
	in.advance(block * v.size)
	nextBlock(out.p0, ldd, block)
	nextBlock(out.p4, ldd, block)
	SUBQ(U8(block), k)
	JMP(LabelRef(label("block")))

	Comment("the last k mod the block's columns, one element at a time")
	Label(label("tail"))
	TESTQ(k, k)
	JZ(LabelRef(label("done")))
	t := XMM()
	for i := range 8 {
		v.ins.loadScalar(in.at(i, 0), t)
		v.ins.storeScalar(t, out.at(0, i*v.size))
	}
	in.advance(v.size)
	nextBlock(out.p0, ldd, 1)
	DECQ(k)
	JMP(LabelRef(label("tail")))
	Label(label("done"))
	ret()
}

// transpose8x8 returns the 8 columns of the 8×8 float32 block whose rows
// are rows, as YMM registers.
func transpose8x8(rows []VecVirtual) []VecVirtual {
	// t: pairs of rows interleaved (Intel operand order in the comments):
	// t0 = [r0₀ r1₀ r0₁ r1₁ | r0₄ r1₄ r0₅ r1₅], t1 = [r0₂ r1₂ r0₃ r1₃ | …].
	t := make([]VecVirtual, 8)
	for p := 0; p < 8; p += 2 {
		t[p], t[p+1] = YMM(), YMM()
		VUNPCKLPS(rows[p+1], rows[p], t[p])
		VUNPCKHPS(rows[p+1], rows[p], t[p+1])
	}
	// s: quadruples, s0 = [r0₀ r1₀ r2₀ r3₀ | r0₄ r1₄ r2₄ r3₄] (column 0 |
	// column 4 of rows 0–3), s1 columns 1 | 5, s2 2 | 6, s3 3 | 7; s4–s7
	// the same of rows 4–7.
	s := make([]VecVirtual, 8)
	for h := 0; h < 8; h += 4 {
		for q := range 2 {
			lo, hi := t[h+q], t[h+q+2]
			s[h+2*q], s[h+2*q+1] = YMM(), YMM()
			VSHUFPS(U8(0x44), hi, lo, s[h+2*q])
			VSHUFPS(U8(0xee), hi, lo, s[h+2*q+1])
		}
	}
	// Column c < 4 is the low halves of s[c] and s[c+4]; column c+4 their
	// high halves.
	cols := make([]VecVirtual, 8)
	for c := range 4 {
		cols[c], cols[c+4] = YMM(), YMM()
		VPERM2F128(U8(0x20), s[c+4], s[c], cols[c])
		VPERM2F128(U8(0x31), s[c+4], s[c], cols[c+4])
	}
	return cols
}

// transpose8x4 returns the 4 columns of the 8×4 float64 block whose rows
// are rows, each as two YMM registers (rows 0–3, then 4–7): cols[2c+h].
func transpose8x4(rows []VecVirtual) []VecVirtual {
	cols := make([]VecVirtual, 8)
	for h := range 2 {
		r := rows[4*h:]
		// t0 = [r0₀ r1₀ | r0₂ r1₂], t1 = [r0₁ r1₁ | r0₃ r1₃], t2, t3 the
		// same of rows 2 and 3.
		t := []VecVirtual{YMM(), YMM(), YMM(), YMM()}
		VUNPCKLPD(r[1], r[0], t[0])
		VUNPCKHPD(r[1], r[0], t[1])
		VUNPCKLPD(r[3], r[2], t[2])
		VUNPCKHPD(r[3], r[2], t[3])
		for c := range 4 {
			cols[2*c+h] = YMM()
		}
		VPERM2F128(U8(0x20), t[2], t[0], cols[2*0+h])
		VPERM2F128(U8(0x20), t[3], t[1], cols[2*1+h])
		VPERM2F128(U8(0x31), t[2], t[0], cols[2*2+h])
		VPERM2F128(U8(0x31), t[3], t[1], cols[2*3+h])
	}
	return cols
}
