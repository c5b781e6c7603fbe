package main

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// gemm: the GEMM micro-kernel, C[:mr, :nr] = α·Σₗ a[l]ᵀ·b[l] + β·C[:mr, :nr]
// for an MR×k panel a (element (l, r) at a[l·lda + r]) and a k×NR panel b
// (element (l, j) at b[l·ldb + j]), k ≥ 1, mr ≤ MR, nr ≤ NR.
//
// The tile is the instruction set's: MR = gemmMR rows of C, one broadcast
// element of A each per step, by NR = gemmVecs·lanes columns, loaded from B
// once per step (AVX2 6×16 float32, 6×8 float64; AVX-512 8×32 and 8×16);
// kernels/gemm_driver.go packs its panels to fit through the generated
// gemmTile.
//
// The broadcast form of BLIS's haswell gemm kernels and XNNPACK's
// f32-gemm avx-broadcast: MR·NR/lanes accumulators (12 YMM, 16 ZMM), and per step l
// NR/lanes loads of b, MR broadcasts of a and MR·NR/lanes FMAs, each
// accumulator an FMA chain over l in order. The tile is stored with plain
// moves when it is full and through lane masks (maskLoad/maskStore) and a
// row count otherwise, so that no element of C outside the mr×nr tile is
// read or written. C is not read when β = 0.
func gemm(v vec) {
	vb := v.bytes // bytes per vector
	label := func(s string) string { return v.prefix + "gemm_" + s }
	gemmMR, gemmVecs := v.gemmMR, v.gemmVecs
	k := Load(Param("k"), GP64())
	ap := Load(Param("a").Base(), GP64())
	lda := Load(Param("lda"), GP64())
	SHLQ(U8(v.shift), lda)
	bp := Load(Param("b").Base(), GP64())
	ldb := Load(Param("ldb"), GP64())
	SHLQ(U8(v.shift), ldb)

	acc := make([][]VecVirtual, gemmMR)
	for r := range acc {
		acc[r] = make([]VecVirtual, gemmVecs)
		for u := range acc[r] {
			acc[r][u] = v.reg()
			v.zero(acc[r][u])
		}
	}
	Comment("Prefetch the tile of C, which the kernel updates at the end.")
	{
		cp, ldc := Load(Param("c").Base(), GP64()), Load(Param("ldc"), GP64())
		SHLQ(U8(v.shift), ldc)
		for r := range gemmMR {
			PREFETCHT0(Mem{Base: cp})
			PREFETCHT0(Mem{Base: cp, Disp: gemmVecs*vb - 1})
			if r < gemmMR-1 {
				ADDQ(ldc, cp)
			}
		}
	}
	lda3, ldb3 := GP64(), GP64()
	LEAQ(Mem{Base: lda, Index: lda, Scale: 2}, lda3)
	LEAQ(Mem{Base: ldb, Index: ldb, Scale: 2}, ldb3)
	// step emits one step l: the row of b at bp + off(ldb), the column of a
	// at ap + off(lda), off being 0, 1, 2 or 3 strides.
	step := func(s int) {
		at := func(base, ld, ld3 Register, disp int) Mem {
			switch s {
			case 0:
				return Mem{Base: base, Disp: disp}
			case 3:
				return Mem{Base: base, Index: ld3, Scale: 1, Disp: disp}
			}
			return Mem{Base: base, Index: ld, Scale: uint8(s), Disp: disp}
		}
		bv := make([]VecVirtual, gemmVecs)
		for u := range bv {
			bv[u] = v.reg()
			v.movu(at(bp, ldb, ldb3, u*vb), bv[u])
		}
		for r := range gemmMR {
			t := v.reg()
			v.broadcast(at(ap, lda, lda3, r*v.size), t)
			for u := range bv {
				v.fma(bv[u], t, acc[r][u])
			}
		}
	}
	Comment("acc[r][u] += a[l][r] · b[l][u·lanes : (u+1)·lanes], four steps l at a time")
	Label(label("loop4"))
	CMPQ(k, U8(4))
	JL(LabelRef(label("loop1")))
	for s := range 4 {
		step(s)
	}
	LEAQ(Mem{Base: ap, Index: lda, Scale: 4}, ap)
	LEAQ(Mem{Base: bp, Index: ldb, Scale: 4}, bp)
	SUBQ(U8(4), k)
	JMP(LabelRef(label("loop4")))
	Comment("the last k mod 4 steps")
	Label(label("loop1"))
	TESTQ(k, k)
	JZ(LabelRef(label("scale")))
	step(0)
	ADDQ(lda, ap)
	ADDQ(ldb, bp)
	DECQ(k)
	JMP(LabelRef(label("loop1")))

	Label(label("scale"))
	Comment("acc = α·acc")
	alpha := v.reg()
	v.broadcast(addr(Param("alpha")), alpha)
	for r := range acc {
		for u := range acc[r] {
			v.mul(alpha, acc[r][u], acc[r][u])
		}
	}
	beta := v.reg()
	v.broadcast(addr(Param("beta")), beta)
	cp := Load(Param("c").Base(), GP64())
	ldc := Load(Param("ldc"), GP64())
	SHLQ(U8(v.shift), ldc)
	mr := Load(Param("mr"), GP64())
	nr := Load(Param("nr"), GP64())
	zero := XMM()
	v.zero(zero)
	Comment("β = 0 (not NaN) selects the paths that do not read C")
	v.ucomis(zero, beta.AsX())
	JNE(LabelRef(label("beta")))
	JP(LabelRef(label("beta")))
	CMPQ(mr, U32(gemmMR))
	JNE(LabelRef(label("edge")))
	CMPQ(nr, U32(gemmVecs*v.lanes))
	JNE(LabelRef(label("edge")))
	gemmStoreFull(v, acc, cp, ldc, nil)
	Label(label("beta"))
	CMPQ(mr, U32(gemmMR))
	JNE(LabelRef(label("edge_beta")))
	CMPQ(nr, U32(gemmVecs*v.lanes))
	JNE(LabelRef(label("edge_beta")))
	gemmStoreFull(v, acc, cp, ldc, beta)

	for _, withBeta := range []bool{false, true} {
		name := label("edge")
		b := VecVirtual(nil)
		if withBeta {
			name, b = label("edge_beta"), beta
		}
		Label(name)
		Comment("A partial tile: mr rows, the first nr columns through masks")
		masks := make([]Op, gemmVecs)
		for u := range masks {
			masks[u] = gemmMask(v, nr, u)
		}
		for r := range acc {
			CMPQ(mr, U32(r))
			JLE(LabelRef(name + "_done"))
			for u := range acc[r] {
				at := Mem{Base: cp, Disp: u * vb}
				if b != nil {
					t := v.reg()
					v.maskLoad(at, masks[u], t)
					v.fma(t, b, acc[r][u])
				}
				v.maskStore(acc[r][u], masks[u], at)
			}
			ADDQ(ldc, cp)
		}
		Label(name + "_done")
		ret()
	}
}

// gemmStoreFull stores the full MR×NR tile acc to C (row r at cp + r·ldc),
// first adding β·C when beta is not nil, and returns.
func gemmStoreFull(v vec, acc [][]VecVirtual, cp, ldc Register, beta VecVirtual) {
	if beta != nil {
		Comment("C = acc + β·C, full tile")
	} else {
		Comment("C = acc, full tile")
	}
	for r := range acc {
		for u := range acc[r] {
			at := Mem{Base: cp, Disp: u * v.lanes * v.size}
			if beta != nil {
				v.fma(at, beta, acc[r][u])
			}
			v.movu(acc[r][u], at)
		}
		if r < len(acc)-1 {
			ADDQ(ldc, cp)
		}
	}
	ret()
}

// gemmMask returns the lane mask of vector u of a row of nr columns: that of
// its first clamp(nr − u·lanes, 0, lanes) elements.
func gemmMask(v vec, nr Register, u int) Op {
	Commentf("mask %d = the first clamp(nr − %d, 0, %d) lanes", u, u*v.lanes, v.lanes)
	count, bound := GP64(), GP64()
	MOVQ(nr, count)
	if u > 0 {
		SUBQ(U32(u*v.lanes), count)
		XORQ(bound, bound)
		CMPQ(count, bound)
		CMOVQLT(bound, count)
	}
	MOVQ(U32(v.lanes), bound)
	CMPQ(count, bound)
	CMOVQGT(bound, count)
	return v.countMask(count)
}
