package main

import (
	. "github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/gotypes"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// ret leaves an AVX function. VZEROUPPER first: with dirty upper YMM halves
// every later SSE instruction, that is all scalar Go float code, runs several
// times slower.
func ret() {
	VZEROUPPER()
	RET()
}

var maskTable Mem

// declareTailMask writes the table that tailMask loads from:
// [-1 ×8, 0 ×8] as dwords.
func declareTailMask() {
	maskTable = GLOBL("tailmask", RODATA|NOPTR)
	for i := 0; i < 16; i++ {
		v := uint32(0)
		if i < 8 {
			v = 0xffffffff
		}
		DATA(4*i, U32(v))
	}
}

// tailMask returns a YMM register whose first n mod lanes elements have
// their sign bits set: the mask for masked loads and stores of the last,
// partial vector of an n-element row. It loads 32 bytes from the table
// [-1 ×8, 0 ×8] (dwords), starting (n mod lanes)·size bytes before its middle;
// for float64 two -1 dwords make one lane whose sign bit is set.
func tailMask(e elem, n Register) VecVirtual {
	Comment("mask = the sign bits of the first n mod lanes elements")
	rem, p := GP64(), GP64()
	MOVQ(n, rem)
	ANDQ(U32(e.lanes-1), rem)
	SHLQ(U8(e.shift()), rem)
	LEAQ(maskTable.Offset(32), p)
	SUBQ(rem, p)
	mask := YMM()
	VMOVDQU(Mem{Base: p}, mask)
	return mask
}

// reduce adds the lanes of acc into the low lane of the returned XMM.
func reduce(e elem, acc VecVirtual) VecVirtual {
	hi := XMM()
	VEXTRACTF128(U8(1), acc, hi)
	e.add(hi, acc.AsX(), hi)
	e.hadd(hi, hi, hi)
	if e.single() {
		e.hadd(hi, hi, hi)
	}
	return hi
}

// reduceRows adds the lanes of each accumulator acc[r] (r < R, R a power of
// two ≤ 8) and packs the R sums in order into the low lanes of vector
// registers of at most `lanes` sums each: the row results of R dot products,
// ready to be stored to y[i:i+R] with one instruction per register. It
// returns the registers and how many sums each holds.
func reduceRows(e elem, acc []VecVirtual) ([]VecVirtual, int) {
	switch {
	case len(acc) == 1:
		return []VecVirtual{reduce(e, acc[0])}, 1
	case e.single() && len(acc) == 8:
		// t = [a0₀₁ a0₂₃ a1₀₁ a1₂₃ | …], u = [a0 a1 a2 a3 (low halves) | a0 a1 a2 a3 (high halves)].
		u0, u1 := YMM(), YMM()
		e.hadd(acc[1], acc[0], acc[0])
		e.hadd(acc[3], acc[2], acc[2])
		e.hadd(acc[2], acc[0], u0)
		e.hadd(acc[5], acc[4], acc[4])
		e.hadd(acc[7], acc[6], acc[6])
		e.hadd(acc[6], acc[4], u1)
		// [u0.lo u1.lo] + [u0.hi u1.hi] = [r0 r1 r2 r3 | r4 r5 r6 r7].
		lo, hi := YMM(), YMM()
		VPERM2F128(U8(0x20), u1, u0, lo)
		VPERM2F128(U8(0x31), u1, u0, hi)
		e.add(hi, lo, lo)
		return []VecVirtual{lo}, 8
	case e.single() && len(acc) == 4:
		e.hadd(acc[1], acc[0], acc[0])
		e.hadd(acc[3], acc[2], acc[2])
		e.hadd(acc[2], acc[0], acc[0])
		hi := XMM()
		VEXTRACTF128(U8(1), acc[0], hi)
		e.add(hi, acc[0].AsX(), hi)
		return []VecVirtual{hi}, 4
	case e.single() && len(acc) == 2:
		// [a0₀₁ a0₂₃ a1₀₁ a1₂₃] summed over both halves, then pairwise: [r0 r1 r0 r1].
		e.hadd(acc[1], acc[0], acc[0])
		hi := XMM()
		VEXTRACTF128(U8(1), acc[0], hi)
		e.add(hi, acc[0].AsX(), hi)
		e.hadd(hi, hi, hi)
		return []VecVirtual{hi}, 2
	case len(acc) == 8: // float64: two groups of four
		a, _ := reduceRows(e, acc[:4])
		b, _ := reduceRows(e, acc[4:])
		return append(a, b...), 4
	case len(acc) == 4:
		// t0 = [a0₀₁ a1₀₁ | a0₂₃ a1₂₃], t2 = [a2₀₁ a3₀₁ | a2₂₃ a3₂₃].
		e.hadd(acc[1], acc[0], acc[0])
		e.hadd(acc[3], acc[2], acc[2])
		lo, hi := YMM(), YMM()
		VPERM2F128(U8(0x20), acc[2], acc[0], lo)
		VPERM2F128(U8(0x31), acc[2], acc[0], hi)
		e.add(hi, lo, lo)
		return []VecVirtual{lo}, 4
	default: // float64, two rows: [a0₀₁ a1₀₁] + [a0₂₃ a1₂₃]
		e.hadd(acc[1], acc[0], acc[0])
		hi := XMM()
		VEXTRACTF128(U8(1), acc[0], hi)
		e.add(hi, acc[0].AsX(), hi)
		return []VecVirtual{hi}, 2
	}
}

// loadN loads count elements (1, 2, 4 or 8 float32; 1, 2 or 4 float64) from
// mem into the low lanes of dst, reading nothing past them.
func loadN(e elem, count int, mem Mem, dst VecVirtual) {
	switch count * e.size {
	case 32:
		e.movu(mem, dst)
	case 16:
		e.movu(mem, dst.AsX())
	case 8:
		VMOVQ(mem, dst.AsX())
	default:
		VMOVSS(mem, dst.AsX())
	}
}

// storeN stores the low count elements of src to mem, writing nothing past
// them.
func storeN(e elem, count int, src VecVirtual, mem Mem) {
	switch count * e.size {
	case 32:
		e.movu(src, mem)
	case 16:
		e.movu(src.AsX(), mem)
	case 8:
		VMOVQ(src.AsX(), mem)
	default:
		VMOVSS(src.AsX(), mem)
	}
}

// vec returns the register of the width count elements need: YMM for a full
// vector, XMM otherwise.
func vec(e elem, count int, r VecVirtual) Op {
	if count*e.size == 32 {
		return r.AsY()
	}
	return r.AsX()
}

// addr returns the stack address of a scalar argument or result, for
// instructions that take it straight from memory.
func addr(c gotypes.Component) Mem {
	b, err := c.Resolve()
	if err != nil {
		panic(err)
	}
	return b.Addr
}

// kernel opens the assembly function e.name(name) with the Go signature
// signature (see elem.sig) and the doc comment of its stub. The stub is
// marked //go:noescape: the assembly keeps no pointer it is given, and
// without the pragma every slice a caller passes would escape to the heap.
func kernel(e elem, name, signature, doc string) {
	TEXT(e.name(name), NOSPLIT, e.sig(signature))
	Pragma("noescape")
	Doc(doc)
}
