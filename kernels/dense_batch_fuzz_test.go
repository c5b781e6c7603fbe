package kernels_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/simdnn/simdnn/internal/floattest"
	"github.com/simdnn/simdnn/kernels"
)

// FuzzDenseBatch checks DenseForwardBatch and DenseBackwardBatch (batch, m
// and n below 40, the activation from the flags, dx = nil by fuzzNilDx) on
// arbitrary values, NaN, ±Inf and subnormals included: each bit for bit the
// composition of the unfused kernels in the same implementation (whose
// bounds FuzzGemm and the activation targets check), every implementation
// the same values (NaN payloads aside, as in FuzzGemm), inputs other than g
// unchanged, the gaps of every output matrix unchanged, every operand flush
// against a guard page.
func FuzzDenseBatch(f *testing.F) {
	seeds := [][]byte{
		{0, 1, 1, 1}, {1 | 1<<fuzzActSh, 6, 16, 9}, {2 | 2<<fuzzActSh, 7, 17, 3}, {fuzzNilDx | 1<<fuzzActSh, 13, 9, 5},
		{1<<fuzzActSh | fuzzF64, 5, 9, 4, 0x44, 0xF0, 0xF4, 0xF2, 0xF3, 0xF6, 0xF7, 0xF8},
		{2 << fuzzActSh, 0, 3, 2}, {0, 3, 0, 2}, {1 << fuzzActSh, 3, 2, 0},
	}
	fuzz(f, seeds, fuzzDenseBatch[float32], fuzzDenseBatch[float64])
}

func fuzzDenseBatch[T floattest.Float](c *fuzzCall, in *fuzzInput, flags byte, mem *fuzzMem[T], run func(string, func(string))) {
	h := denseActivations[int(flags>>fuzzActSh&3)]
	bc := batchCase{h: h, batch: in.size() % 40, m: in.size() % 40, n: in.size() % 40, noDx: flags&fuzzNilDx != 0}
	bc.ldw, bc.ldx, bc.ldo, bc.ldg, bc.lddx, bc.lddw = in.ld(bc.n), in.ld(bc.n), in.ld(bc.m), in.ld(bc.m), in.ld(bc.n), in.ld(bc.n)
	w := fuzzValues[T](in, matrixLen(bc.m, bc.n, bc.ldw))
	x := fuzzValues[T](in, matrixLen(bc.batch, bc.n, bc.ldx))
	b := fuzzValues[T](in, bc.m)
	out0 := fuzzValues[T](in, matrixLen(bc.batch, bc.m, bc.ldo))
	a := fuzzValues[T](in, matrixLen(bc.batch, bc.m, bc.ldo))
	g0 := fuzzValues[T](in, matrixLen(bc.batch, bc.m, bc.ldg))
	dx0 := fuzzValues[T](in, matrixLen(bc.batch, bc.n, bc.lddx))
	dw0 := fuzzValues[T](in, matrixLen(bc.m, bc.n, bc.lddw))
	db0 := fuzzValues[T](in, bc.m)
	k := kernels.For[T]()

	var first []T
	run(fmt.Sprintf("%sdenseForwardBatch %v", typeLetter[T](), bc), func(string) {
		ws, xs, bs, out := mem.clone(w), mem.clone(x), mem.clone(b), mem.clone(out0)
		k.DenseForwardBatch(h, bc.batch, bc.m, bc.n, ws, bc.ldw, xs, bc.ldx, bs, out, bc.ldo)
		fuzzUnchanged(c, "w", ws, w)
		fuzzUnchanged(c, "x", xs, x)
		fuzzUnchanged(c, "b", bs, b)
		fuzzGaps(c, "out", bc.m, bc.ldo, out, out0)
		want := slices.Clone(out0)
		composedForward(bc, w, x, b, want)
		for i := range want {
			fuzzSame(c, "out (against the unfused kernels)", i, out[i], want[i])
			if first != nil {
				fuzzEqual(c, "out (against the first implementation)", i, out[i], first[i])
			}
		}
		if first == nil {
			first = slices.Clone(out)
		}
	})

	var firstG, firstDw []T
	run(fmt.Sprintf("%sdenseBackwardBatch %v", typeLetter[T](), bc), func(string) {
		ws, as, g, xs := mem.clone(w), mem.clone(a), mem.clone(g0), mem.clone(x)
		dx, dw, db := mem.clone(dx0), mem.clone(dw0), mem.clone(db0)
		wantG, wantDx, wantDw, wantDb := slices.Clone(g0), slices.Clone(dx0), slices.Clone(dw0), slices.Clone(db0)
		if bc.noDx {
			dx, wantDx = nil, nil
		}
		k.DenseBackwardBatch(h, bc.batch, bc.m, bc.n, ws, bc.ldw, as, bc.ldo, g, bc.ldg, xs, bc.ldx, dx, bc.lddx, dw, bc.lddw, db)
		fuzzUnchanged(c, "w", ws, w)
		fuzzUnchanged(c, "a", as, a)
		fuzzUnchanged(c, "x", xs, x)
		fuzzGaps(c, "g", bc.m, bc.ldg, g, g0)
		fuzzGaps(c, "dw", bc.n, bc.lddw, dw, dw0)
		composedBackward(bc, w, a, wantG, x, wantDx, wantDw, wantDb)
		for _, o := range []struct {
			name      string
			got, want []T
		}{{"g (δ)", g, wantG}, {"dw", dw, wantDw}, {"db", db, wantDb}, {"dx", dx, wantDx}} {
			for i := range o.want {
				fuzzSame(c, o.name+" (against the unfused kernels)", i, o.got[i], o.want[i])
			}
		}
		if !bc.noDx {
			fuzzGaps(c, "dx", bc.n, bc.lddx, dx, dx0)
		}
		if firstG == nil {
			firstG, firstDw = slices.Clone(g), slices.Clone(dw)
			return
		}
		for i := range g {
			fuzzEqual(c, "g (against the first implementation)", i, g[i], firstG[i])
		}
		for i := range dw {
			fuzzEqual(c, "dw (against the first implementation)", i, dw[i], firstDw[i])
		}
	})
}
