package main

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// The coefficients of adam, in the order of its coef argument
// (kernels/adam.go fills it).
const (
	adamDecay = iota
	adamL2
	adamBeta1
	adamOneMinusBeta1
	adamBeta2
	adamOneMinusBeta2
	adamStepSize
	adamInvBias2
	adamEps
	adamCoefs
)

// adam: one step of Adam's rule on every element i < len(w), each operation
// rounded once, in this order, no two fused:
//
//	wᵢ ← decay·wᵢ
//	gᵢ′ = gᵢ + l2·wᵢ
//	mᵢ ← β₁·mᵢ + (1−β₁)·gᵢ′
//	vᵢ ← β₂·vᵢ + ((1−β₂)·gᵢ′)·gᵢ′
//	wᵢ ← wᵢ − (stepSize·mᵢ) / (√vᵢ·invBias2 + ε)
//
// Plain multiplications and additions, VSQRTPS/PD and VDIVPS/PD are each
// correctly rounded, so the pure-Go adamGo, which writes the same
// operations, gives the same bits. The nine coefficients are broadcast
// into registers once, which leaves room for one vector of each array in
// flight per step.
//
// On AVX-512 too the kernel works in YMM registers (halfWidth):
// with ZMM, and with four vectors in flight, it ran 10–13 % slower than
// AVX2 once the parameters outgrow L1 (Intel Xeon, BenchmarkAdam at
// n = 235146 and 4 Mi, interleaved processes), 7 % faster only within L1.
// Each element costs a division and a square root, whose units do the same
// work per cycle at either width, and seven streams of memory traffic.
func adam(v vec) {
	v = halfWidth(v)
	coef := Load(Param("coef").Base(), GP64())
	w := Mem{Base: Load(Param("w").Base(), GP64())}
	g := Mem{Base: Load(Param("g").Base(), GP64())}
	m := Mem{Base: Load(Param("m").Base(), GP64())}
	vv := Mem{Base: Load(Param("v").Base(), GP64())}
	n := Load(Param("w").Len(), GP64())
	c := make([]VecVirtual, adamCoefs)
	for i := range c {
		c[i] = v.reg()
		v.broadcast(Mem{Base: coef, Disp: i * v.size}, c[i])
	}
	mask := v.tailMask(n)
	// step updates one vector of each array: load reads operand p into a
	// register, store writes one back.
	step := func(load func(p Mem, r VecVirtual), store func(r VecVirtual, p Mem)) {
		wi, gi, mi, vi, t, s := v.reg(), v.reg(), v.reg(), v.reg(), v.reg(), v.reg()
		load(w, wi)
		v.mul(c[adamDecay], wi, wi)
		load(g, gi)
		v.mul(c[adamL2], wi, t)
		v.add(t, gi, gi)
		load(m, mi)
		v.mul(c[adamBeta1], mi, mi)
		v.mul(c[adamOneMinusBeta1], gi, t)
		v.add(t, mi, mi)
		store(mi, m)
		load(vv, vi)
		v.mul(c[adamBeta2], vi, vi)
		v.mul(c[adamOneMinusBeta2], gi, t)
		v.mul(gi, t, t)
		v.add(t, vi, vi)
		store(vi, vv)
		v.sqrt(vi, t)
		v.mul(c[adamInvBias2], t, t)
		v.add(c[adamEps], t, t)
		v.mul(c[adamStepSize], mi, s)
		v.div(t, s, s)
		v.sub(s, wi, wi)
		store(wi, w)
	}
	stream(v, "adam", n, []Mem{w, g, m, vv}, 1, func(vecs int, at func(Mem, int) Mem) {
		for u := range vecs {
			step(func(p Mem, r VecVirtual) { v.movu(at(p, u), r) }, func(r VecVirtual, p Mem) { v.movu(r, at(p, u)) })
		}
	}, func() {
		step(func(p Mem, r VecVirtual) { v.maskLoad(p, mask, r) }, func(r VecVirtual, p Mem) { v.maskStore(r, mask, p) })
	})
	ret()
}
