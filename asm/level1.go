package main

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// level1Unroll is how many vectors the level-1 loops handle per iteration:
// enough independent FMAs to cover their latency.
const level1Unroll = 4

// axpy: y += αx, len(y) = len(x).
func axpy(v vec) {
	x := Mem{Base: Load(Param("x").Base(), GP64())}
	y := Mem{Base: Load(Param("y").Base(), GP64())}
	n := Load(Param("x").Len(), GP64())
	alpha := v.reg()
	v.broadcast(addr(Param("alpha")), alpha)
	mask := v.tailMask(n)

	stream(v, "axpy", n, []Mem{x, y}, level1Unroll, func(vecs int, at func(Mem, int) Mem) {
		for u := 0; u < vecs; u++ {
			vr := v.reg()
			v.movu(at(y, u), vr)
			v.fma(at(x, u), alpha, vr) // y += α·x
			v.movu(vr, at(y, u))
		}
	}, func() {
		vr, t := v.reg(), v.reg()
		v.maskLoad(y, mask, vr)
		v.maskLoad(x, mask, t)
		v.fma(t, alpha, vr)
		v.maskStore(vr, mask, y)
	})
	ret()
}

// scal: x = αx.
func scal(v vec) {
	x := Mem{Base: Load(Param("x").Base(), GP64())}
	n := Load(Param("x").Len(), GP64())
	alpha := v.reg()
	v.broadcast(addr(Param("alpha")), alpha)
	mask := v.tailMask(n)

	stream(v, "scal", n, []Mem{x}, level1Unroll, func(vecs int, at func(Mem, int) Mem) {
		for u := 0; u < vecs; u++ {
			vr := v.reg()
			v.mul(at(x, u), alpha, vr)
			v.movu(vr, at(x, u))
		}
	}, func() {
		vr := v.reg()
		v.maskLoad(x, mask, vr)
		v.mul(vr, alpha, vr)
		v.maskStore(vr, mask, x)
	})
	ret()
}

// dot: xᵀy, len(y) = len(x), in level1Unroll partial sums.
func dot(v vec) {
	x := Mem{Base: Load(Param("x").Base(), GP64())}
	y := Mem{Base: Load(Param("y").Base(), GP64())}
	n := Load(Param("x").Len(), GP64())
	mask := v.tailMask(n)
	acc := make([]VecVirtual, level1Unroll)
	for i := range acc {
		acc[i] = v.reg()
		v.zero(acc[i])
	}

	stream(v, "dot", n, []Mem{x, y}, level1Unroll, func(vecs int, at func(Mem, int) Mem) {
		for u := 0; u < vecs; u++ {
			vr := v.reg()
			v.movu(at(x, u), vr)
			v.fma(at(y, u), vr, acc[u]) // acc_u += x·y
		}
	}, func() {
		vr, t := v.reg(), v.reg()
		v.maskLoad(x, mask, vr)
		v.maskLoad(y, mask, t)
		v.fma(t, vr, acc[0])
	})

	Comment("Sum the partial sums pairwise, then the lanes.")
	for w := len(acc) / 2; w >= 1; w /= 2 {
		for i := 0; i < w; i++ {
			v.add(acc[i+w], acc[i], acc[i])
		}
	}
	s := v.reduce(acc[0])
	v.storeScalar(s, addr(ReturnIndex(0)))
	ret()
}
