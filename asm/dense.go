package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// denseBackward emits the fused backward step of a dense layer: one pass
// along the rows of W that computes dx += Wᵀδ and, in the same sweep, the
// rank-1 update of the weights:
//
//   - sgd = false: dW += δxᵀ into a separate gradient matrix (mini-batches);
//   - sgd = true: W ← decay·W + αδxᵀ in place with α = −lr and decay =
//     1 − lr·λ for weight decay λ, every element of W read once for dx, before
//     it is overwritten (per-sample gradient descent). The product decay·W is
//     rounded before the FMA adds αδxᵀ; 1·W is exact, so decay = 1 gives
//     the plain update bit for bit.
//
// For a block of R rows (4, 2, 1) it broadcasts δᵣ (and αδᵣ), then for each
// vector of columns j loads x[j] and dx[j] once, and for every row r adds
// δᵣ·W[r][j] to dx and writes the updated row. m = len(δ) ≥ 1, n = len(x) =
// len(dx) ≥ 1.
func denseBackward(e elem, sgd bool) {
	kernel := "denseBackward"
	signature := "func(w []%[1]s, ldw int, dw []%[1]s, lddw int, delta, x, dx []%[1]s)"
	doc := "dx += Wᵀδ and dW += δxᵀ in one pass, m = len(δ) ≥ 1, n = len(x) = len(dx) ≥ 1."
	if sgd {
		kernel = "denseBackwardSGD"
		signature = "func(w []%[1]s, ldw int, delta, x, dx []%[1]s, alpha, decay %[1]s)"
		doc = "dx += Wᵀδ with W before the update, then W ← decay·W + αδxᵀ, in one pass; m = len(δ) ≥ 1, n = len(x) = len(dx) ≥ 1."
	}
	TEXT(e.name(kernel), NOSPLIT, e.sig(signature))
	Doc(doc)
	w := Load(Param("w").Base(), GP64())
	ldw := Load(Param("ldw"), GP64())
	SHLQ(U8(e.shift()), ldw)
	ldw3 := GP64()
	LEAQ(Mem{Base: ldw, Index: ldw, Scale: 2}, ldw3)
	var g, ldg, ldg3 Register
	if !sgd {
		g = Load(Param("dw").Base(), GP64())
		ldg = Load(Param("lddw"), GP64())
		SHLQ(U8(e.shift()), ldg)
		ldg3 = GP64()
		LEAQ(Mem{Base: ldg, Index: ldg, Scale: 2}, ldg3)
	}
	delta := Load(Param("delta").Base(), GP64())
	m := Load(Param("delta").Len(), GP64())
	mask := tailMask(e, Load(Param("x").Len(), GP64()))

	rowBlocks(e, kernel, m, 4, func(count int) {
		label := fmt.Sprintf("%s%s_rows%d", e.prefix, kernel, count)
		Commentf("%d rows: dx[j] += Σᵣ δᵣ·W[r][j]; G[r][j] += cᵣ·x[j]", count)
		d := make([]VecVirtual, count)
		for r := range d {
			d[r] = YMM()
			e.broadcast(Mem{Base: delta, Disp: r * e.size}, d[r])
		}
		coef := d // dW += δᵣ·x
		var decay VecVirtual
		if sgd {
			decay = YMM()
			e.broadcast(addr(Param("decay")), decay)
			alpha := XMM()
			e.loadScalar(addr(Param("alpha")), alpha)
			coef = make([]VecVirtual, count)
			for r := range coef {
				coef[r] = YMM()
				e.mulScalar(Mem{Base: delta, Disp: r * e.size}, alpha, coef[r].AsX())
				e.broadcast(coef[r].AsX(), coef[r])
			}
		}
		ws := newRows(w, ldw, ldw3, count)
		gs := ws
		if !sgd {
			gs = newRows(g, ldg, ldg3, count)
		}
		// x, dx and n are reloaded for every block: there are not enough
		// registers to keep them.
		xp := Load(Param("x").Base(), GP64())
		dxp := Load(Param("dx").Base(), GP64())
		left := Load(Param("x").Len(), GP64())

		// step handles one vector of columns, whole or through the mask.
		step := func(load func(Mem, VecVirtual), store func(VecVirtual, Mem)) {
			xv, acc := YMM(), YMM()
			load(Mem{Base: xp}, xv)
			load(Mem{Base: dxp}, acc)
			for r := 0; r < count; r++ {
				wv := YMM()
				load(ws.at(r, 0), wv)
				e.fma(wv, d[r], acc) // dx += δᵣ·W[r][j], W as it was
				if sgd {
					e.mul(wv, decay, wv) // decay·W[r][j]
				} else {
					load(gs.at(r, 0), wv)
				}
				e.fma(xv, coef[r], wv) // += cᵣ·x[j]
				store(wv, gs.at(r, 0))
			}
			store(acc, Mem{Base: dxp})
		}
		loop := label + "_by1"
		Label(loop)
		CMPQ(left, U32(e.lanes))
		JL(LabelRef(loop + "_done"))
		step(func(m Mem, v VecVirtual) { e.movu(m, v) }, func(v VecVirtual, m Mem) { e.movu(v, m) })
		ws.advance(32)
		if !sgd {
			gs.advance(32)
		}
		ADDQ(U32(32), xp)
		ADDQ(U32(32), dxp)
		SUBQ(U32(e.lanes), left)
		JMP(LabelRef(loop))
		Label(loop + "_done")
		TESTQ(left, left)
		JZ(LabelRef(label + "_next"))
		Comment("The last n mod lanes columns, through the mask.")
		step(func(m Mem, v VecVirtual) { e.maskLoad(m, mask, v) }, func(v VecVirtual, m Mem) { e.maskStore(v, mask, m) })
		Label(label + "_next")
		nextBlock(w, ldw, count)
		if !sgd {
			nextBlock(g, ldg, count)
		}
		ADDQ(U32(count*e.size), delta)
	})
	ret()
}
