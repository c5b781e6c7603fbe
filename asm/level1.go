package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// level1Unroll is how many vectors the level-1 loops handle per iteration:
// enough independent FMAs to cover their latency.
const level1Unroll = 4

// axpy: y += αx, len(y) = len(x).
func axpy(e elem) {
	kernel(e, "axpy", "func(alpha %[1]s, x, y []%[1]s)", "y += αx for len(y) = len(x).")
	x := Mem{Base: Load(Param("x").Base(), GP64())}
	y := Mem{Base: Load(Param("y").Base(), GP64())}
	n := Load(Param("x").Len(), GP64())
	alpha := YMM()
	e.broadcast(addr(Param("alpha")), alpha)
	mask := tailMask(e, n)

	stream(e, "axpy", n, []Mem{x, y}, level1Unroll, func(vecs int, at func(Mem, int) Mem) {
		for u := 0; u < vecs; u++ {
			v := YMM()
			e.movu(at(y, u), v)
			e.fma(at(x, u), alpha, v) // y += α·x
			e.movu(v, at(y, u))
		}
	}, func() {
		v, t := YMM(), YMM()
		e.maskLoad(y, mask, v)
		e.maskLoad(x, mask, t)
		e.fma(t, alpha, v)
		e.maskStore(v, mask, y)
	})
	ret()
}

// scal: x = αx.
func scal(e elem) {
	kernel(e, "scal", "func(alpha %[1]s, x []%[1]s)", "x = αx.")
	x := Mem{Base: Load(Param("x").Base(), GP64())}
	n := Load(Param("x").Len(), GP64())
	alpha := YMM()
	e.broadcast(addr(Param("alpha")), alpha)
	mask := tailMask(e, n)

	stream(e, "scal", n, []Mem{x}, level1Unroll, func(vecs int, at func(Mem, int) Mem) {
		for u := 0; u < vecs; u++ {
			v := YMM()
			e.mul(at(x, u), alpha, v)
			e.movu(v, at(x, u))
		}
	}, func() {
		v := YMM()
		e.maskLoad(x, mask, v)
		e.mul(v, alpha, v)
		e.maskStore(v, mask, x)
	})
	ret()
}

// dot: xᵀy, len(y) = len(x), in level1Unroll partial sums.
func dot(e elem) {
	kernel(e, "dot", "func(x, y []%[1]s) %[1]s", "xᵀy for len(y) = len(x).")
	x := Mem{Base: Load(Param("x").Base(), GP64())}
	y := Mem{Base: Load(Param("y").Base(), GP64())}
	n := Load(Param("x").Len(), GP64())
	mask := tailMask(e, n)
	acc := make([]VecVirtual, level1Unroll)
	for i := range acc {
		acc[i] = YMM()
		e.zero(acc[i])
	}

	stream(e, "dot", n, []Mem{x, y}, level1Unroll, func(vecs int, at func(Mem, int) Mem) {
		for u := 0; u < vecs; u++ {
			v := YMM()
			e.movu(at(x, u), v)
			e.fma(at(y, u), v, acc[u]) // acc_u += x·y
		}
	}, func() {
		v, t := YMM(), YMM()
		e.maskLoad(x, mask, v)
		e.maskLoad(y, mask, t)
		e.fma(t, v, acc[0])
	})

	Comment("Sum the partial sums pairwise, then the lanes.")
	for w := len(acc) / 2; w >= 1; w /= 2 {
		for i := 0; i < w; i++ {
			e.add(acc[i+w], acc[i], acc[i])
		}
	}
	s := reduce(e, acc[0])
	e.storeScalar(s, addr(ReturnIndex(0)))
	ret()
}

// stream emits the loop of an elementwise kernel over n elements of the
// vectors whose addresses are the bases of ptrs: unroll vectors per
// iteration, then one vector at a time, then the masked partial vector. body(vecs, at)
// emits the work for vecs whole vectors, addressing vector u of p as at(p, u);
// tail emits the masked work at the bases of ptrs. It advances the bases and
// consumes n.
func stream(e elem, kernel string, n Register, ptrs []Mem, unroll int, body func(vecs int, at func(Mem, int) Mem), tail func()) {
	at := func(p Mem, u int) Mem { return p.Offset(32 * u) }
	for _, vecs := range []int{unroll, 1}[:min(unroll, 2)] {
		loop := fmt.Sprintf("%s%s_by%d", e.prefix, kernel, vecs)
		done := loop + "_done"
		Label(loop)
		CMPQ(n, U32(vecs*e.lanes))
		JL(LabelRef(done))
		body(vecs, at)
		for _, p := range ptrs {
			ADDQ(U32(32*vecs), p.Base)
		}
		SUBQ(U32(vecs*e.lanes), n)
		JMP(LabelRef(loop))
		Label(done)
	}
	end := fmt.Sprintf("%s%s_end", e.prefix, kernel)
	TESTQ(n, n)
	JZ(LabelRef(end))
	tail()
	Label(end)
}
