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
//
// On AVX-512 in YMM registers (halfWidth): with ZMM, Ger ran 11–14 % slower
// than AVX2 at 256² and 784×256 (Intel Xeon, BenchmarkGer, interleaved
// processes), level at 1024²; in YMM it is level with AVX2 at all three.
func ger(v vec) {
	v = halfWidth(v)
	a, lda, lda3 := matrixArg(v, "a", "lda")
	x := Load(Param("x").Base(), GP64())
	m := Load(Param("x").Len(), GP64())
	y := Load(Param("y").Base(), GP64())
	n := Load(Param("y").Len(), GP64())
	mask := v.tailMask(n)

	rowBlocks(v, "ger", m, 8, func(count int) {
		label := fmt.Sprintf("%sger_rows%d", v.prefix, count)
		Commentf("%d rows: A[r][j:…] += bᵣ·y[j:…] with bᵣ = α·x[r]", count)
		b := broadcastScaled(v, x, count)
		rs := newRows(a, lda, lda3, count)
		yp, left := GP64(), GP64()
		MOVQ(y, yp)
		MOVQ(n, left)
		columns(v, label, left, gerUnroll, func(vecs int) {
			yv := make([]VecVirtual, vecs)
			for u := range yv {
				yv[u] = v.reg()
				v.movu(Mem{Base: yp, Disp: v.bytes * u}, yv[u])
			}
			for r := 0; r < count; r++ {
				for u := range yv {
					t := v.reg()
					v.movu(rs.at(r, v.bytes*u), t)
					v.fma(yv[u], b[r], t)
					v.movu(t, rs.at(r, v.bytes*u))
				}
			}
		}, func(bytes int) {
			rs.advance(bytes)
			ADDQ(U32(bytes), yp)
		}, func() {
			Comment("The last n mod lanes columns, through the mask.")
			yv := v.reg()
			v.maskLoad(Mem{Base: yp}, mask, yv)
			for r := 0; r < count; r++ {
				t := v.reg()
				v.maskLoad(rs.at(r, 0), mask, t)
				v.fma(yv, b[r], t)
				v.maskStore(t, mask, rs.at(r, 0))
			}
		})
		nextBlock(a, lda, count)
		ADDQ(U32(count*v.size), x)
	})
	ret()
}
