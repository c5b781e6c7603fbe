package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// gemvTUnroll is how many vectors of y the transposed product keeps in
// registers while it streams a block of rows.
const gemvTUnroll = 4

// broadcastScaled fills one register per row r < count with α·x[r]: the
// coefficients with which a block of rows is added to y (or to A's rows).
func broadcastScaled(e elem, x Register, count int) []VecVirtual {
	alpha := XMM()
	e.loadScalar(addr(Param("alpha")), alpha)
	b := make([]VecVirtual, count)
	for r := range b {
		b[r] = YMM()
		e.mulScalar(Mem{Base: x, Disp: r * e.size}, alpha, b[r].AsX())
		e.broadcast(b[r].AsX(), b[r])
	}
	return b
}

// gemvT: y += αAᵀx for row-major A, m = len(x) ≥ 1, n = len(y) ≥ 1.
//
// The axpy shape of OpenBLAS sgemv_n: for a block of R rows (8, then 4, 2,
// 1), broadcast bᵣ = α·x[i+r], then walk along the rows gemvTUnroll vectors at
// a time, loading those vectors of y once, adding bᵣ·A[r][j:…] for all R rows
// in registers and storing y once. A streams row by row, R rows in parallel,
// and y stays in L1.
func gemvT(e elem) {
	kernel(e, "gemvT", "func(a []%[1]s, lda int, x, y []%[1]s, alpha %[1]s)", "y += αAᵀx for row-major A with m = len(x) ≥ 1, n = len(y) ≥ 1.")
	a := Load(Param("a").Base(), GP64())
	lda := Load(Param("lda"), GP64())
	SHLQ(U8(e.shift()), lda)
	lda3 := GP64()
	LEAQ(Mem{Base: lda, Index: lda, Scale: 2}, lda3)
	x := Load(Param("x").Base(), GP64())
	m := Load(Param("x").Len(), GP64())
	y := Load(Param("y").Base(), GP64())
	n := Load(Param("y").Len(), GP64())
	mask := tailMask(e, n)

	rowBlocks(e, "gemvT", m, 8, func(count int) {
		label := fmt.Sprintf("%sgemvT_rows%d", e.prefix, count)
		Commentf("%d rows: y[j:…] += Σᵣ bᵣ·A[r][j:…] with bᵣ = α·x[r]", count)
		b := broadcastScaled(e, x, count)
		rs := newRows(a, lda, lda3, count)
		yp, left := GP64(), GP64()
		MOVQ(y, yp)
		MOVQ(n, left)
		for _, vecs := range []int{gemvTUnroll, 1} {
			loop := fmt.Sprintf("%s_by%d", label, vecs)
			Label(loop)
			CMPQ(left, U32(vecs*e.lanes))
			JL(LabelRef(loop + "_done"))
			acc := make([]VecVirtual, vecs)
			for u := range acc {
				acc[u] = YMM()
				e.movu(Mem{Base: yp, Disp: 32 * u}, acc[u])
			}
			for r := 0; r < count; r++ {
				for u := range acc {
					e.fma(rs.at(r, 32*u), b[r], acc[u])
				}
			}
			for u := range acc {
				e.movu(acc[u], Mem{Base: yp, Disp: 32 * u})
			}
			rs.advance(32 * vecs)
			ADDQ(U32(32*vecs), yp)
			SUBQ(U32(vecs*e.lanes), left)
			JMP(LabelRef(loop))
			Label(loop + "_done")
		}
		TESTQ(left, left)
		JZ(LabelRef(label + "_next"))
		Comment("The last n mod lanes columns, through the mask.")
		acc, t := YMM(), YMM()
		e.maskLoad(Mem{Base: yp}, mask, acc)
		for r := 0; r < count; r++ {
			e.maskLoad(rs.at(r, 0), mask, t)
			e.fma(t, b[r], acc)
		}
		e.maskStore(acc, mask, Mem{Base: yp})
		Label(label + "_next")
		nextBlock(a, lda, count)
		ADDQ(U32(count*e.size), x)
	})
	ret()
}
