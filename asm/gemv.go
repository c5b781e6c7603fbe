package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// rows addresses up to eight consecutive rows of a row-major matrix from two
// base pointers and the row stride in bytes: row r < 4 is p0 + r·lda, row r ≥ 4
// is p4 + (r−4)·lda, using the scaled-index forms 1, 2 and lda3 = 3·lda.
type rows struct {
	p0, p4, lda, lda3 Register
}

func newRows(a, lda, lda3 Register, count int) rows {
	rs := rows{p0: GP64(), lda: lda, lda3: lda3}
	MOVQ(a, rs.p0)
	if count > 4 {
		rs.p4 = GP64()
		LEAQ(Mem{Base: a, Index: lda, Scale: 4}, rs.p4)
	}
	return rs
}

// at returns the address of row r, offset bytes into the row.
func (rs rows) at(r, offset int) Mem {
	base := rs.p0
	if r >= 4 {
		base, r = rs.p4, r-4
	}
	switch r {
	case 0:
		return Mem{Base: base, Disp: offset}
	case 1:
		return Mem{Base: base, Index: rs.lda, Scale: 1, Disp: offset}
	case 2:
		return Mem{Base: base, Index: rs.lda, Scale: 2, Disp: offset}
	default:
		return Mem{Base: base, Index: rs.lda3, Scale: 1, Disp: offset}
	}
}

// advance moves every row pointer bytes along its row.
func (rs rows) advance(bytes int) {
	ADDQ(U32(bytes), rs.p0)
	if rs.p4 != nil {
		ADDQ(U32(bytes), rs.p4)
	}
}

// nextBlock advances a, the first row of a block, by count rows.
func nextBlock(a, lda Register, count int) {
	if count == 1 {
		ADDQ(lda, a)
		return
	}
	LEAQ(Mem{Base: a, Index: lda, Scale: uint8(count)}, a)
}

// rowBlocks emits block(R) for blocks of R = largest, …, 4, 2, 1 rows (largest
// 8 or 4) until all m rows are done: a loop of blocks of the largest size,
// then at most one block of each smaller size. block must consume nothing;
// rowBlocks decrements m.
func rowBlocks(v vec, kernel string, m Register, largest int, block func(count int)) {
	for count := largest; count >= 1; count /= 2 {
		label := fmt.Sprintf("%s%s_rows%d", v.prefix, kernel, count)
		done := label + "_done"
		Label(label)
		CMPQ(m, U32(count))
		JL(LabelRef(done))
		block(count)
		SUBQ(U32(count), m)
		if count == largest {
			JMP(LabelRef(label))
		}
		Label(done)
	}
}

// gemv: y = αAx + βy for row-major A, m = len(y), n = len(x) ≥ 1. It reads y
// even when β = 0; the Go wrapper clears y first.
//
// The dot-product shape of OpenBLAS sgemv_t and BLIS dotxf: R rows at a time
// (8, then 4, 2, 1 for the last rows), each holding 8/R chunks of x in flight,
// so that every loaded chunk of x serves R rows and eight independent FMA
// chains cover the FMA latency. The R row sums are transposed into one
// vector and y[i:i+R] is updated with one load and one store.
func gemv(v vec) {
	a, lda, lda3 := matrixArg(v, "a", "lda")
	x := Load(Param("x").Base(), GP64())
	n := Load(Param("x").Len(), GP64())
	y := Load(Param("y").Base(), GP64())
	m := Load(Param("y").Len(), GP64())
	alpha, beta := v.reg(), v.reg()
	v.broadcast(addr(Param("alpha")), alpha)
	v.broadcast(addr(Param("beta")), beta)
	mask := v.tailMask(n)

	rowBlocks(v, "gemv", m, 8, func(count int) {
		label := fmt.Sprintf("%sgemv_rows%d", v.prefix, count)
		unroll := 8 / count
		Commentf("%d rows: acc[r][u] += A[r][j+u·lanes : …] · x[j+u·lanes : …]", count)
		rs := newRows(a, lda, lda3, count)
		xp, left := GP64(), GP64()
		MOVQ(x, xp)
		MOVQ(n, left)
		acc := make([][]VecVirtual, count)
		for r := range acc {
			acc[r] = make([]VecVirtual, unroll)
			for u := range acc[r] {
				acc[r][u] = v.reg()
				v.zero(acc[r][u])
			}
		}
		columns(v, label, left, unroll, func(vecs int) {
			for u := 0; u < vecs; u++ {
				xv := v.reg()
				v.movu(Mem{Base: xp, Disp: v.bytes * u}, xv)
				for r := 0; r < count; r++ {
					v.fma(rs.at(r, v.bytes*u), xv, acc[r][u])
				}
			}
		}, func(bytes int) {
			rs.advance(bytes)
			ADDQ(U32(bytes), xp)
		}, func() {
			Comment("The last n mod lanes columns, through the mask.")
			xv, t := v.reg(), v.reg()
			v.maskLoad(Mem{Base: xp}, mask, xv)
			for r := 0; r < count; r++ {
				v.maskLoad(rs.at(r, 0), mask, t)
				v.fma(t, xv, acc[r][0])
			}
		})
		sums := make([]VecVirtual, count)
		for r := range acc {
			for u := 1; u < unroll; u++ {
				v.add(acc[r][u], acc[r][0], acc[r][0])
			}
			sums[r] = acc[r][0]
		}
		packed, per := v.reduceRows(sums)
		Comment("y[i:i+R] = α·sums + β·y[i:i+R]")
		for g, s := range packed {
			yv := v.reg()
			at := Mem{Base: y, Disp: per * v.size * g}
			loadN(v, per, at, yv)
			v.mul(width(v, per, alpha), width(v, per, s), width(v, per, s))
			v.fma(width(v, per, yv), width(v, per, beta), width(v, per, s))
			storeN(v, per, s, at)
		}
		nextBlock(a, lda, count)
		ADDQ(U32(count*v.size), y)
	})
	ret()
}
