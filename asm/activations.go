package main

import (
	"fmt"
	"math"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"

	sc "github.com/simdnn/simdnn/internal/expconst"
)

// consts64 holds float64 constants as rows one vector register wide (the
// value in every lane), so that instructions can take them straight from
// memory.
var consts64 struct {
	mem    Mem
	offset map[uint64]int
}

// declareConsts64 writes the table of every float64 constant the kernels
// use. Avo appends DATA to the most recently declared GLOBL, so each table is
// written whole, at once, before any function.
func declareConsts64(s *isa) {
	values := []float64{math.Copysign(0, -1), 0.5, 1, 2, sc.Log2E, sc.Ln2Hi, sc.Ln2Lo, sc.Round, sc.RoundBias}
	for _, v := range sc.Variants {
		values = append(values, v.MinArg)
		values = append(values, v.Exp...)
	}
	consts64.mem = GLOBL("consts64"+s.name, RODATA|NOPTR)
	consts64.offset = map[uint64]int{}
	for _, v := range values {
		bits := math.Float64bits(v)
		if _, ok := consts64.offset[bits]; ok {
			continue
		}
		off := s.bytes * len(consts64.offset)
		consts64.offset[bits] = off
		for i := 0; i < s.bytes/8; i++ {
			DATA(off+8*i, U64(bits))
		}
	}
}

// c64 returns the address of a row of copies of v, one register wide.
func c64(v float64) Mem {
	off, ok := consts64.offset[math.Float64bits(v)]
	if !ok {
		panic(fmt.Sprintf("c64: %v is not in the table of declareConsts64", v))
	}
	return consts64.mem.Offset(off)
}

var one32 Mem

// declareOne32 writes the float32 constant 1.
func declareOne32(s *isa) {
	one32 = GLOBL("one32"+s.name, RODATA|NOPTR)
	DATA(0, U32(math.Float32bits(1)))
}

// sigmoidCore computes σ(x) for the float64 lanes of x into the returned
// register, exactly as kernels.sigmoidCore does lane by lane for variant cs
// (d is the float64 vector type of the instruction set)
// (see package expconst). x is not modified; NaN lanes give garbage that
// the caller replaces.
func sigmoidCore(d vec, x VecVirtual, cs sc.Variant) VecVirtual {
	c := c64
	Comment("z = max(−|x|, MinArg)")
	z := d.reg()
	VORPD(c(math.Copysign(0, -1)), x, z)
	VMAXPD(c(cs.MinArg), z, z)
	Comment("k = round(z·log₂e); r = z − k·ln2")
	k, r := d.reg(), d.reg()
	VMOVUPD(c(sc.Round), k)
	VFMADD231PD(c(sc.Log2E), z, k)
	VSUBPD(c(sc.Round), k, k)
	VMOVAPD(z, r)
	VFNMADD231PD(c(sc.Ln2Hi), k, r)
	VFNMADD231PD(c(sc.Ln2Lo), k, r)
	Commentf("e^r = 1 + s, s = r + r²·q(r), q of degree %d by Estrin's scheme", len(cs.Exp)-3)
	r2 := d.reg()
	VMULPD(r, r, r2)
	s := estrin(d, r, r2, cs.Exp[2:])
	VFMADD213PD(r, r2, s) // s = s·r² + r
	p := d.reg()
	VADDPD(c(1), s, p)
	var lost VecVirtual // s − (p − 1): what rounding 1 + s lost, exactly
	if cs.Refine {
		lost = d.reg()
		VSUBPD(c(1), p, lost)
		VSUBPD(lost, s, lost)
	}
	e, elo := d.reg(), d.reg()
	scale := func(s VecVirtual) {
		VMULPD(s, p, e)
		if cs.Refine {
			VMULPD(s, lost, elo)
		}
	}
	if cs.SplitScale {
		Comment("e = p·2^k1·2^k2 with k1 = round(k/2), k2 = k − k1 (elo likewise)")
		k1 := d.reg()
		VMOVUPD(c(sc.Round), k1)
		VFMADD231PD(c(0.5), k, k1)
		VSUBPD(c(sc.Round), k1, k1)
		VSUBPD(k1, k, k)
		pow2(k1)
		pow2(k)
		scale(k1)
		VMULPD(k, e, e)
		if cs.Refine {
			VMULPD(k, elo, elo)
		}
	} else {
		Comment("e = p·2^k (elo likewise)")
		pow2(k)
		scale(k)
	}
	Comment("den = 1 + e; y = 1/den from a float32 division and a Newton step")
	den, y, h := d.reg(), d.reg(), d.reg()
	VADDPD(c(1), e, den)
	d.narrow(den, d.half(y))
	ones := d.half(d.reg())
	VBROADCASTSS(one32, ones)
	VDIVPS(d.half(y), ones, d.half(y))
	VCVTPS2PD(d.half(y), y)
	VMOVUPD(c(1), h)
	VFNMADD231PD(y, den, h)
	VFMADD231PD(h, y, y)
	Comment("num = x < 0 ? e : 1; q = num·y")
	zero, num := d.reg(), d.reg()
	VXORPD(zero, zero, zero)
	mask := d.compare(0x11, x, zero) // x < 0, ordered, quiet
	VMOVUPD(c(1), num)
	d.choose(mask, num, e, num)
	q := d.reg()
	VMULPD(y, num, q)
	if cs.Refine {
		Comment("q += y·((num + numlo) − q·(den + dlo)), numlo = x < 0 ? elo : 0,")
		Comment("dlo = (e − (den − 1)) + elo: den + dlo = 1 + e + elo")
		dlo := d.reg()
		VSUBPD(c(1), den, dlo)
		VSUBPD(dlo, e, dlo)
		VADDPD(elo, dlo, dlo)
		d.keep(mask, elo, zero) // numlo
		VFNMADD231PD(den, q, num)
		VFNMADD231PD(dlo, q, num)
		VADDPD(zero, num, num)
		VFMADD231PD(num, y, q)
	}
	return q
}

// tanhCore computes tanh(x) for the float64 lanes of x into the returned
// register, exactly as kernels.tanhCore does lane by lane for variant cs (d
// is the float64 vector type of the instruction set). x is not modified;
// NaN lanes give garbage that the caller replaces.
func tanhCore(d vec, x VecVirtual, cs sc.Variant) VecVirtual {
	c := c64
	Comment("z = max(−2|x|, MinArg)")
	sign, z := d.reg(), d.reg()
	VMOVUPD(c(math.Copysign(0, -1)), sign)
	VORPD(sign, x, z)
	VADDPD(z, z, z)
	VMAXPD(c(cs.MinArg), z, z)
	Comment("k = round(z·log₂e); r = z − k·ln2")
	k, r := d.reg(), d.reg()
	VMOVUPD(c(sc.Round), k)
	VFMADD231PD(c(sc.Log2E), z, k)
	VSUBPD(c(sc.Round), k, k)
	VMOVAPD(z, r)
	VFNMADD231PD(c(sc.Ln2Hi), k, r)
	var rlo VecVirtual
	if cs.Refine {
		Comment("rlo = (r1 − r) − k·ln2lo, what rounding r lost")
		rlo = d.reg()
		VMOVAPD(r, rlo) // r1
		VFNMADD231PD(c(sc.Ln2Lo), k, r)
		VSUBPD(r, rlo, rlo)
		VFNMADD231PD(c(sc.Ln2Lo), k, rlo)
	} else {
		VFNMADD231PD(c(sc.Ln2Lo), k, r)
	}
	Commentf("e^r = 1 + s, s = r + r²·q(r), q of degree %d by Estrin's scheme", len(cs.Exp)-3)
	r2 := d.reg()
	VMULPD(r, r, r2)
	q := estrin(d, r, r2, cs.Exp[2:])
	s := d.reg()
	VMOVAPD(r, s)
	VFMADD231PD(q, r2, s) // s = q·r² + r
	pow2(k)
	e, elo := d.reg(), d.reg()
	if cs.Refine {
		Comment("s + slo = r + r²·q + rlo·(1+s)")
		slo, a, b := d.reg(), d.reg(), d.reg()
		VSUBPD(s, r, slo)
		VFMADD231PD(q, r2, slo)
		VADDPD(rlo, slo, slo)
		VFMADD231PD(s, rlo, slo)
		Comment("a = 2^k − 1, alo = 2^k − (a + 1), b = 2^k·s;")
		Comment("e = a + b, elo = ((b − (e − a)) + 2^k·slo) + alo")
		alo := d.reg()
		VSUBPD(c(1), k, a)
		VADDPD(c(1), a, alo)
		VSUBPD(alo, k, alo)
		VMULPD(k, s, b)
		VADDPD(b, a, e)
		VSUBPD(a, e, elo)
		VSUBPD(elo, b, elo)
		VMULPD(k, slo, slo)
		VADDPD(slo, elo, elo)
		VADDPD(alo, elo, elo)
	} else {
		Comment("e = 2^k·s + (2^k − 1)")
		VSUBPD(c(1), k, e)
		VFMADD231PD(k, s, e)
	}
	Comment("den = 2 + e; y = 1/den from a float32 division and a Newton step")
	den, y, h := d.reg(), d.reg(), d.reg()
	VADDPD(c(2), e, den)
	d.narrow(den, d.half(y))
	ones := d.half(d.reg())
	VBROADCASTSS(one32, ones)
	VDIVPS(d.half(y), ones, d.half(y))
	VCVTPS2PD(d.half(y), y)
	VMOVUPD(c(1), h)
	VFNMADD231PD(y, den, h)
	VFMADD231PD(h, y, y)
	Comment("t = −e·y")
	t := d.reg()
	VXORPD(sign, e, t)
	VMULPD(y, t, t)
	if cs.Refine {
		Comment("t −= y·(t·(den + dlo) + e + elo), dlo = ((2 − den) + e) + elo")
		dlo, res := d.reg(), d.reg()
		VMOVUPD(c(2), dlo)
		VSUBPD(den, dlo, dlo)
		VADDPD(e, dlo, dlo)
		VADDPD(elo, dlo, dlo)
		VMOVAPD(e, res)
		VFMADD231PD(t, den, res)
		VFMADD231PD(t, dlo, res)
		VADDPD(elo, res, res)
		VFNMADD231PD(res, y, t)
	}
	Comment("the sign of x")
	VANDNPD(t, sign, t)
	VANDPD(x, sign, sign)
	VORPD(sign, t, t)
	return t
}

// pow2 turns the integer-valued lanes k into 2^k: adding RoundBias leaves
// k+1023 in the low bits, and a shift moves them into the exponent field.
func pow2(k VecVirtual) {
	VADDPD(c64(sc.RoundBias), k, k)
	VPSLLQ(U8(52), k, k)
}

// estrin evaluates the polynomial with coefficients c (lowest first) at the
// lanes of r, given r2 = r·r, exactly as kernels.estrin does: pairs c[2i] +
// c[2i+1]·r, then pairs of those with r², r⁴, …, an odd one out passing up
// unchanged.
func estrin(d vec, r, r2 VecVirtual, c []float64) VecVirtual {
	t := make([]VecVirtual, 0, (len(c)+1)/2)
	for i := 0; i+1 < len(c); i += 2 {
		u := d.reg()
		VMOVUPD(c64(c[i+1]), u)
		VFMADD213PD(c64(c[i]), r, u) // u = c[i+1]·r + c[i]
		t = append(t, u)
	}
	if len(c)%2 == 1 {
		u := d.reg()
		VMOVUPD(c64(c[len(c)-1]), u)
		t = append(t, u)
	}
	pow := r2
	for level := 1; len(t) > 1; level++ {
		if level > 1 {
			sq := d.reg()
			VMULPD(pow, pow, sq)
			pow = sq
		}
		next := t[:0]
		for i := 0; i+1 < len(t); i += 2 {
			VFMADD213PD(t[i], pow, t[i+1]) // t[i+1] = t[i+1]·pow + t[i]
			next = append(next, t[i+1])
		}
		if len(t)%2 == 1 {
			next = append(next, t[len(t)-1])
		}
		t = next
	}
	return t[0]
}

// sigmoid: dst = σ(x), len(dst) = len(x); dst may be x.
func sigmoid(v vec) { expActivation(v, "sigmoid", sigmoidCore, sc.Sigmoid32, sc.Sigmoid64) }

// tanh: dst = tanh(x), len(dst) = len(x); dst may be x.
func tanh(v vec) { expActivation(v, "tanh", tanhCore, sc.Tanh32, sc.Tanh64) }

// expActivation emits an activation built on the exponential, dst = h(x),
// core computing h on float64 lanes.
//
// float64: one vector through core with variant v64. float32: each vector
// is widened to two float64 vectors (its halves), evaluated with variant v32
// and rounded back once. NaN lanes are replaced by x itself, keeping their
// payload.
func expActivation(v vec, name string, core func(vec, VecVirtual, sc.Variant) VecVirtual, v32, v64 sc.Variant) {
	dst := Mem{Base: Load(Param("dst").Base(), GP64())}
	x := Mem{Base: Load(Param("x").Base(), GP64())}
	n := Load(Param("x").Len(), GP64())
	mask := v.tailMask(n)
	d := newVec(f64, v.isa)

	one := func(load func(VecVirtual), store func(VecVirtual)) {
		in := v.reg()
		load(in)
		var res VecVirtual
		if v.single() {
			lo, hi := v.reg(), v.reg()
			VCVTPS2PD(v.half(in), lo)
			v.extractHigh(in, v.half(hi))
			VCVTPS2PD(v.half(hi), hi)
			slo := core(d, lo, v32)
			shi := core(d, hi, v32)
			res = v.reg()
			v.narrow(slo, v.half(res))
			v.narrow(shi, v.half(shi))
			v.insertHigh(v.half(shi), res)
		} else {
			res = core(d, in, v64)
		}
		nan := v.compare(3, in, in) // unordered
		v.choose(nan, res, in, res)
		store(res)
	}
	stream(v, name, n, []Mem{dst, x}, 1, func(_ int, _ func(Mem, int) Mem) {
		one(func(r VecVirtual) { v.movu(x, r) }, func(r VecVirtual) { v.movu(r, dst) })
	}, func() {
		one(func(r VecVirtual) { v.maskLoad(x, mask, r) }, func(r VecVirtual) { v.maskStore(r, mask, dst) })
	})
	ret()
}

// relu: dst = max(x, 0) with NaN kept bit for bit and −0 made +0,
// len(dst) = len(x): dst = x AND (x > 0 or x unordered), a mask rather than
// arithmetic, which would quiet a signalling NaN.
func relu(v vec) {
	dst := Mem{Base: Load(Param("dst").Base(), GP64())}
	x := Mem{Base: Load(Param("x").Base(), GP64())}
	n := Load(Param("x").Len(), GP64())
	mask := v.tailMask(n)
	zero := v.reg()
	v.zero(zero)
	op := func(r VecVirtual) {
		keep := v.compare(0x16, r, zero) // NLE_UQ: !(x ≤ 0)
		v.keep(keep, r, r)
	}
	stream(v, "relu", n, []Mem{dst, x}, level1Unroll, func(vecs int, at func(Mem, int) Mem) {
		for u := 0; u < vecs; u++ {
			r := v.reg()
			v.movu(at(x, u), r)
			op(r)
			v.movu(r, at(dst, u))
		}
	}, func() {
		r := v.reg()
		v.maskLoad(x, mask, r)
		op(r)
		v.maskStore(r, mask, dst)
	})
	ret()
}

// sigmoidBackward: dst = g·(a·(1−a)), len(dst) = len(g) = len(a).
func sigmoidBackward(v vec) {
	dst := Mem{Base: Load(Param("dst").Base(), GP64())}
	g := Mem{Base: Load(Param("g").Base(), GP64())}
	a := Mem{Base: Load(Param("a").Base(), GP64())}
	n := Load(Param("a").Len(), GP64())
	mask := v.tailMask(n)
	one := v.reg()
	if v.single() {
		VBROADCASTSS(one32, one)
	} else {
		VMOVUPD(c64(1), one)
	}
	stream(v, "sigmoidBackward", n, []Mem{dst, g, a}, level1Unroll, func(vecs int, at func(Mem, int) Mem) {
		for u := 0; u < vecs; u++ {
			av, t := v.reg(), v.reg()
			v.movu(at(a, u), av)
			v.sub(av, one, t) // t = 1 − a
			v.mul(av, t, t)   // t = a·(1−a)
			v.mul(at(g, u), t, t)
			v.movu(t, at(dst, u))
		}
	}, func() {
		av, gv, t := v.reg(), v.reg(), v.reg()
		v.maskLoad(a, mask, av)
		v.maskLoad(g, mask, gv)
		v.sub(av, one, t)
		v.mul(av, t, t)
		v.mul(gv, t, t)
		v.maskStore(t, mask, dst)
	})
	ret()
}

// tanhBackward: dst = g·((1−a)·(1+a)), len(dst) = len(g) = len(a).
func tanhBackward(v vec) {
	dst := Mem{Base: Load(Param("dst").Base(), GP64())}
	g := Mem{Base: Load(Param("g").Base(), GP64())}
	a := Mem{Base: Load(Param("a").Base(), GP64())}
	n := Load(Param("a").Len(), GP64())
	mask := v.tailMask(n)
	one := v.reg()
	if v.single() {
		VBROADCASTSS(one32, one)
	} else {
		VMOVUPD(c64(1), one)
	}
	op := func(av, gv Op, t VecVirtual) {
		u := v.reg()
		v.sub(av, one, t) // t = 1 − a
		v.add(av, one, u) // u = 1 + a
		v.mul(u, t, t)
		v.mul(gv, t, t)
	}
	stream(v, "tanhBackward", n, []Mem{dst, g, a}, level1Unroll, func(vecs int, at func(Mem, int) Mem) {
		for u := 0; u < vecs; u++ {
			av, t := v.reg(), v.reg()
			v.movu(at(a, u), av)
			op(av, at(g, u), t)
			v.movu(t, at(dst, u))
		}
	}, func() {
		av, gv, t := v.reg(), v.reg(), v.reg()
		v.maskLoad(a, mask, av)
		v.maskLoad(g, mask, gv)
		op(av, gv, t)
		v.maskStore(t, mask, dst)
	})
	ret()
}

// reluBackward: dst = a > 0 ? g : +0, len(dst) = len(g) = len(a).
func reluBackward(v vec) {
	dst := Mem{Base: Load(Param("dst").Base(), GP64())}
	g := Mem{Base: Load(Param("g").Base(), GP64())}
	a := Mem{Base: Load(Param("a").Base(), GP64())}
	n := Load(Param("a").Len(), GP64())
	mask := v.tailMask(n)
	zero := v.reg()
	v.zero(zero)
	// dst = a > 0 ? g : +0 (ordered: false for NaN).
	op := func(av, gv Op, dst VecVirtual) {
		v.keep(v.compare(0x1e, av, zero), gv, dst)
	}
	stream(v, "reluBackward", n, []Mem{dst, g, a}, level1Unroll, func(vecs int, at func(Mem, int) Mem) {
		for u := 0; u < vecs; u++ {
			av, keep := v.reg(), v.reg()
			v.movu(at(a, u), av)
			op(av, at(g, u), keep)
			v.movu(keep, at(dst, u))
		}
	}, func() {
		av, gv, keep := v.reg(), v.reg(), v.reg()
		v.maskLoad(a, mask, av)
		v.maskLoad(g, mask, gv)
		op(av, gv, keep)
		v.maskStore(keep, mask, dst)
	})
	ret()
}
