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
func denseBackward(v vec, sgd bool) {
	name := "denseBackward"
	if sgd {
		name = "denseBackwardSGD"
	}
	w, ldw, ldw3 := matrixArg(v, "w", "ldw")
	var g, ldg, ldg3 Register
	if !sgd {
		g, ldg, ldg3 = matrixArg(v, "dw", "lddw")
	}
	delta := Load(Param("delta").Base(), GP64())
	m := Load(Param("delta").Len(), GP64())
	mask := v.tailMask(Load(Param("x").Len(), GP64()))

	rowBlocks(v, name, m, 4, func(count int) {
		label := fmt.Sprintf("%s%s_rows%d", v.prefix, name, count)
		Commentf("%d rows: dx[j] += Σᵣ δᵣ·W[r][j]; G[r][j] += cᵣ·x[j]", count)
		d := make([]VecVirtual, count)
		for r := range d {
			d[r] = v.reg()
			v.broadcast(Mem{Base: delta, Disp: r * v.size}, d[r])
		}
		coef := d // dW += δᵣ·x
		var decay VecVirtual
		if sgd {
			decay = v.reg()
			v.broadcast(addr(Param("decay")), decay)
			alpha := XMM()
			v.loadScalar(addr(Param("alpha")), alpha)
			coef = make([]VecVirtual, count)
			for r := range coef {
				coef[r] = v.reg()
				v.mulScalar(Mem{Base: delta, Disp: r * v.size}, alpha, coef[r].AsX())
				v.broadcast(coef[r].AsX(), coef[r])
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
			xv, acc := v.reg(), v.reg()
			load(Mem{Base: xp}, xv)
			load(Mem{Base: dxp}, acc)
			for r := 0; r < count; r++ {
				wv := v.reg()
				load(ws.at(r, 0), wv)
				v.fma(wv, d[r], acc) // dx += δᵣ·W[r][j], W as it was
				if sgd {
					v.mul(wv, decay, wv) // decay·W[r][j]
				} else {
					load(gs.at(r, 0), wv)
				}
				v.fma(xv, coef[r], wv) // += cᵣ·x[j]
				store(wv, gs.at(r, 0))
			}
			store(acc, Mem{Base: dxp})
		}
		columns(v, label, left, 1, func(int) {
			step(func(m Mem, vr VecVirtual) { v.movu(m, vr) }, func(vr VecVirtual, m Mem) { v.movu(vr, m) })
		}, func(bytes int) {
			ws.advance(bytes)
			if !sgd {
				gs.advance(bytes)
			}
			ADDQ(U32(bytes), xp)
			ADDQ(U32(bytes), dxp)
		}, func() {
			Comment("The last n mod lanes columns, through the mask.")
			step(func(m Mem, vr VecVirtual) { v.maskLoad(m, mask, vr) }, func(vr VecVirtual, m Mem) { v.maskStore(vr, mask, m) })
		})
		nextBlock(w, ldw, count)
		if !sgd {
			nextBlock(g, ldg, count)
		}
		ADDQ(U32(count*v.size), delta)
	})
	ret()
}
