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
func broadcastScaled(v vec, x Register, count int) []VecVirtual {
	alpha := XMM()
	v.loadScalar(addr(Param("alpha")), alpha)
	b := make([]VecVirtual, count)
	for r := range b {
		b[r] = v.reg()
		v.mulScalar(Mem{Base: x, Disp: r * v.size}, alpha, b[r].AsX())
		v.broadcast(b[r].AsX(), b[r])
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
func gemvT(v vec) {
	a, lda, lda3 := matrixArg(v, "a", "lda")
	x := Load(Param("x").Base(), GP64())
	m := Load(Param("x").Len(), GP64())
	y := Load(Param("y").Base(), GP64())
	n := Load(Param("y").Len(), GP64())
	mask := v.tailMask(n)

	rowBlocks(v, "gemvT", m, 8, func(count int) {
		label := fmt.Sprintf("%sgemvT_rows%d", v.prefix, count)
		Commentf("%d rows: y[j:…] += Σᵣ bᵣ·A[r][j:…] with bᵣ = α·x[r]", count)
		b := broadcastScaled(v, x, count)
		rs := newRows(a, lda, lda3, count)
		yp, left := GP64(), GP64()
		MOVQ(y, yp)
		MOVQ(n, left)
		columns(v, label, left, gemvTUnroll, func(vecs int) {
			acc := make([]VecVirtual, vecs)
			for u := range acc {
				acc[u] = v.reg()
				v.movu(Mem{Base: yp, Disp: v.bytes * u}, acc[u])
			}
			for r := 0; r < count; r++ {
				for u := range acc {
					v.fma(rs.at(r, v.bytes*u), b[r], acc[u])
				}
			}
			for u := range acc {
				v.movu(acc[u], Mem{Base: yp, Disp: v.bytes * u})
			}
		}, func(bytes int) {
			rs.advance(bytes)
			ADDQ(U32(bytes), yp)
		}, func() {
			Comment("The last n mod lanes columns, through the mask.")
			acc, t := v.reg(), v.reg()
			v.maskLoad(Mem{Base: yp}, mask, acc)
			for r := 0; r < count; r++ {
				v.maskLoad(rs.at(r, 0), mask, t)
				v.fma(t, b[r], acc)
			}
			v.maskStore(acc, mask, Mem{Base: yp})
		})
		nextBlock(a, lda, count)
		ADDQ(U32(count*v.size), x)
	})
	ret()
}
