package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// gerUnroll is how many vectors of y the rank-1 update loads per step and
// reuses for every row of a block.
const gerUnroll = 2

// ger: A += αxyᵀ for row-major A, m = len(x) ≥ 1, n = len(y) ≥ 1.
//
// For a block of R rows (8, then 4, 2, 1), broadcast bᵣ = α·x[i+r]; each
// chunk of y is loaded once and added, times bᵣ, to the R rows: every element
// of A is read once and written once.
func ger(e elem) {
	kernel(e, "ger", "func(a []%[1]s, lda int, x, y []%[1]s, alpha %[1]s)", "A += αxyᵀ for row-major A with m = len(x) ≥ 1, n = len(y) ≥ 1.")
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

	rowBlocks(e, "ger", m, 8, func(count int) {
		label := fmt.Sprintf("%sger_rows%d", e.prefix, count)
		Commentf("%d rows: A[r][j:…] += bᵣ·y[j:…] with bᵣ = α·x[r]", count)
		b := broadcastScaled(e, x, count)
		rs := newRows(a, lda, lda3, count)
		yp, left := GP64(), GP64()
		MOVQ(y, yp)
		MOVQ(n, left)
		for _, vecs := range []int{gerUnroll, 1} {
			loop := fmt.Sprintf("%s_by%d", label, vecs)
			Label(loop)
			CMPQ(left, U32(vecs*e.lanes))
			JL(LabelRef(loop + "_done"))
			yv := make([]VecVirtual, vecs)
			for u := range yv {
				yv[u] = YMM()
				e.movu(Mem{Base: yp, Disp: 32 * u}, yv[u])
			}
			for r := 0; r < count; r++ {
				for u := range yv {
					t := YMM()
					e.movu(rs.at(r, 32*u), t)
					e.fma(yv[u], b[r], t)
					e.movu(t, rs.at(r, 32*u))
				}
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
		yv := YMM()
		e.maskLoad(Mem{Base: yp}, mask, yv)
		for r := 0; r < count; r++ {
			t := YMM()
			e.maskLoad(rs.at(r, 0), mask, t)
			e.fma(yv, b[r], t)
			e.maskStore(t, mask, rs.at(r, 0))
		}
		Label(label + "_next")
		nextBlock(a, lda, count)
		ADDQ(U32(count*e.size), x)
	})
	ret()
}
