package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/gotypes"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// dotBytes is the width of one dot product's accumulator: 64 bytes, 16
// float32 or 8 float64 partial sums, one ZMM or two YMM registers. Partial
// sum p accumulates the terms l ≡ p (mod lanes of 64 bytes) in increasing l,
// whatever the instruction set, so that every implementation sums in the
// same order.
const dotBytes = 64

// gemmDot: C[:m, :n] = α·A·Bᵀ + β·C for row-major A (m×k, lda) and B (n×k,
// ldb), m, n, k ≥ 1: every element of C is the dot product of a row of A
// and a row of B, read where they are stored. This is the product X·Wᵀ of a
// dense layer's forward pass, both operands contiguous along k; the packed
// GEMM would first copy Wᵀ into panels, which at small m costs about as
// much as the product (BLIS's "sup" kernels make the same choice).
//
// The kernel walks C in tiles of dotRows×dotCols (the isa's): for each tile
// it keeps one dotBytes-wide accumulator per element, loads dotBytes of each
// of the tile's rows of A and of B per step and multiplies every A row into
// every B row, so each load feeds dotRows or dotCols FMAs. The last partial
// step loads through lane masks (reading nothing past k) and so adds
// 0·0 to the partial sums it does not reach. The partial sums are then
// folded in a fixed tree: halves of 64 bytes, then of 32, 16 and 8 (see
// kernels.sgemmdotGo), scaled by α, and β·c is added with one FMA; C is not
// read when β = 0. An edge tile's missing rows of A or B repeat its first
// row (valid memory, results not stored).
func gemmDot(v vec) {
	label := func(s string) string { return v.prefix + "gemmdot_" + s }
	rows, cols := v.dotRows, v.dotCols
	accVecs := dotBytes / v.bytes
	vb := v.bytes
	step := dotBytes / v.size // k terms per step

	// The tile loops' state lives on the stack: the k loop needs every
	// general register for the row pointers.
	local := AllocLocal(6 * 8)
	var (
		aTile = local.Offset(0)  // A's first row of the current tile row
		cTile = local.Offset(8)  // C's first row of the current tile row
		mLeft = local.Offset(16) // rows of C from the current tile on
		bTile = local.Offset(24) // B's first row of the current tile
		cCur  = local.Offset(32) // C's element of the current tile
		nLeft = local.Offset(40) // columns of C from the current tile on
	)
	t := GP64()
	Load(Param("a").Base(), t)
	MOVQ(t, aTile)
	Load(Param("c").Base(), t)
	MOVQ(t, cTile)
	Load(Param("m"), t)
	MOVQ(t, mLeft)

	Label(label("rows"))
	Load(Param("b").Base(), t)
	MOVQ(t, bTile)
	MOVQ(cTile, t)
	MOVQ(t, cCur)
	Load(Param("n"), t)
	MOVQ(t, nLeft)

	Label(label("cols"))
	ar := dotRowPointers(aTile, mLeft, Param("lda"), v, rows)
	br := dotRowPointers(bTile, nLeft, Param("ldb"), v, cols)
	acc := make([][][]VecVirtual, rows)
	for r := range acc {
		acc[r] = make([][]VecVirtual, cols)
		for j := range acc[r] {
			acc[r][j] = make([]VecVirtual, accVecs)
			for u := range accVecs {
				acc[r][j][u] = v.reg()
				v.zero(acc[r][j][u])
			}
		}
	}
	// body multiplies the step at the row pointers into the accumulators,
	// through the lane mask mask(u) of each vector u when mask is not nil
	// (made as it is needed: AVX2 has no register to spare for two).
	body := func(mask func(u int) Op) {
		for u := range accVecs {
			var m Op
			if mask != nil {
				m = mask(u)
			}
			load := func(p Register, dst VecVirtual) {
				at := Mem{Base: p, Disp: u * vb}
				if m != nil {
					v.maskLoad(at, m, dst)
				} else {
					v.movu(at, dst)
				}
			}
			av := make([]VecVirtual, rows)
			for r := range av {
				av[r] = v.reg()
				load(ar[r], av[r])
			}
			for j := range cols {
				bv := v.reg()
				load(br[j], bv)
				for r := range rows {
					v.fma(av[r], bv, acc[r][j][u])
				}
			}
		}
	}
	kLeft := Load(Param("k"), GP64())
	Commentf("acc[r][j] += a[r][l:l+%d] ⊙ b[j][l:l+%d], %d terms per step", step, step, step)
	Label(label("loop"))
	CMPQ(kLeft, U32(step))
	JL(LabelRef(label("tail")))
	body(nil)
	for _, p := range append(append([]Register{}, ar...), br...) {
		ADDQ(U32(dotBytes), p)
	}
	SUBQ(U32(step), kLeft)
	JMP(LabelRef(label("loop")))

	Label(label("tail"))
	TESTQ(kLeft, kLeft)
	JZ(LabelRef(label("fold")))
	Comment("the last k mod step terms, through masks: 0·0 in the lanes past k")
	body(func(u int) Op { return gemmMask(v, kLeft, u) })

	Label(label("fold"))
	Comment("Fold each accumulator to one sum: 64 bytes to 32 (the two YMM halves), then the ISA's reduction")
	sums := make([][]VecVirtual, rows)
	for r := range rows {
		sums[r] = make([]VecVirtual, cols)
		for j := range cols {
			a := acc[r][j]
			if len(a) == 2 {
				v.add(a[1], a[0], a[0])
			}
			sums[r][j] = v.reduce(a[0])
		}
	}
	Comment("c = α·sum, + β·c by one FMA unless β = 0 (not NaN): C is then not read")
	cp, ldc := GP64(), Load(Param("ldc"), GP64())
	SHLQ(U8(v.shift), ldc)
	beta, zero := XMM(), XMM()
	v.loadScalar(addr(Param("beta")), beta)
	v.zero(zero)
	for r := range rows {
		for j := range cols {
			v.mulScalar(addr(Param("alpha")), sums[r][j], sums[r][j])
		}
	}
	v.ucomis(zero, beta)
	JNE(LabelRef(label("store_beta")))
	JP(LabelRef(label("store_beta")))
	for _, withBeta := range []bool{false, true} {
		name := label("store")
		if withBeta {
			name = label("store_beta")
		}
		Label(name)
		MOVQ(cCur, cp)
		for r := range rows {
			CMPQ(mLeft, U32(r))
			JLE(LabelRef(label("next")))
			for j := range cols {
				CMPQ(nLeft, U32(j))
				JLE(LabelRef(fmt.Sprintf("%s_row%d", name, r)))
				at := Mem{Base: cp, Disp: j * v.size}
				if withBeta {
					v.ins.fmaScalar(at, beta, sums[r][j])
				}
				v.storeScalar(sums[r][j], at)
			}
			Label(fmt.Sprintf("%s_row%d", name, r))
			if r < rows-1 {
				ADDQ(ldc, cp)
			}
		}
		if !withBeta {
			JMP(LabelRef(label("next")))
		}
	}

	Label(label("next"))
	Commentf("the next tile: %d columns on, or the next %d rows", cols, rows)
	n := GP64()
	MOVQ(nLeft, n)
	SUBQ(U32(cols), n)
	JLE(LabelRef(label("next_rows")))
	MOVQ(n, nLeft)
	ADDQ(U32(cols*v.size), cCur)
	ldb := Load(Param("ldb"), GP64())
	SHLQ(U8(v.shift), ldb)
	IMUL3Q(U32(cols), ldb, ldb)
	ADDQ(ldb, bTile)
	JMP(LabelRef(label("cols")))

	Label(label("next_rows"))
	m := GP64()
	MOVQ(mLeft, m)
	SUBQ(U32(rows), m)
	JLE(LabelRef(label("done")))
	MOVQ(m, mLeft)
	lda := Load(Param("lda"), GP64())
	SHLQ(U8(v.shift), lda)
	IMUL3Q(U32(rows), lda, lda)
	ADDQ(lda, aTile)
	ldcr := Load(Param("ldc"), GP64())
	SHLQ(U8(v.shift), ldcr)
	IMUL3Q(U32(rows), ldcr, ldcr)
	ADDQ(ldcr, cTile)
	JMP(LabelRef(label("rows")))

	Label(label("done"))
	ret()
}

// dotRowPointers returns count registers pointing at the rows of a tile: row
// i at first + i·ld elements when i < left, and at first (a row that exists,
// whose results are not stored) otherwise.
func dotRowPointers(first, left Mem, ld gotypes.Component, v vec, count int) []Register {
	base := GP64()
	MOVQ(first, base)
	ptrs := []Register{base}
	if count == 1 {
		return ptrs
	}
	stride := Load(ld, GP64())
	SHLQ(U8(v.shift), stride)
	for i := 1; i < count; i++ {
		p := GP64()
		if i == 1 {
			LEAQ(Mem{Base: base, Index: stride, Scale: 1}, p)
		} else {
			LEAQ(Mem{Base: ptrs[i-1], Index: stride, Scale: 1}, p)
		}
		ptrs = append(ptrs, p)
	}
	for i := 1; i < count; i++ {
		CMPQ(left, U32(i))
		CMOVQLE(base, ptrs[i])
	}
	return ptrs
}
