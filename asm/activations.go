package main

import (
	"fmt"
	"math"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"

	sc "github.com/simdnn/simdnn/internal/expconst"
)

// A constTable holds constants as rows one vector register wide (the value
// in every lane), so that instructions can take them straight from memory.
type constTable struct {
	name   string
	mem    Mem
	offset map[uint64]int // by the bits of the value
}

// consts64 and consts32 are the float64 and float32 constants the kernels
// use.
var consts64, consts32 constTable

// declare writes the table of the values whose bits are given, size bytes
// each, once each. Avo appends DATA to the most recently declared GLOBL, so
// each table is written whole, at once, before any function.
func (t *constTable) declare(s *isa, name string, size int, bits []uint64) {
	t.name = name
	t.mem = GLOBL(name+s.name, RODATA|NOPTR)
	t.offset = map[uint64]int{}
	for _, b := range bits {
		if _, ok := t.offset[b]; ok {
			continue
		}
		off := s.bytes * len(t.offset)
		t.offset[b] = off
		for i := 0; i < s.bytes/size; i++ {
			if size == 8 {
				DATA(off+8*i, U64(b))
			} else {
				DATA(off+4*i, U32(uint32(b)))
			}
		}
	}
}

// row returns the address of the row of the value v whose bits are given.
func (t *constTable) row(bits uint64, v any) Mem {
	off, ok := t.offset[bits]
	if !ok {
		panic(fmt.Sprintf("%s: %v is not in the table", t.name, v))
	}
	return t.mem.Offset(off)
}

// declareConsts writes consts64 and consts32: every constant the kernels use.
func declareConsts(s *isa) {
	values64 := []float64{math.Copysign(0, -1), 0.5, 1, 2, sc.Log2E, sc.Ln2Hi, sc.Ln2Lo, sc.Round, sc.RoundBias}
	for _, v := range sc.Variants {
		values64 = append(values64, v.MinArg)
		values64 = append(values64, v.Exp...)
	}
	var bits64 []uint64
	for _, v := range values64 {
		bits64 = append(bits64, math.Float64bits(v))
	}
	consts64.declare(s, "consts64", 8, bits64)
	values32 := []float32{float32(math.Copysign(0, -1)), 1, 2, sc.MinArg32, sc.TanhMinArg32, sc.Log2E32, sc.Round32, sc.RoundBias32,
		sc.Ln2Hi32, -sc.Ln2Lo32, sc.MinExp32}
	values32 = append(values32, sc.Exp32[:]...)
	var bits32 []uint64
	for _, v := range values32 {
		bits32 = append(bits32, uint64(math.Float32bits(v)))
	}
	consts32.declare(s, "consts32", 4, bits32)
}

// c64 returns the address of a row of copies of the float64 v.
func c64(v float64) Mem { return consts64.row(math.Float64bits(v), v) }

// c32 returns the address of a row of copies of the float32 v.
func c32(v float32) Mem { return consts32.row(uint64(math.Float32bits(v)), v) }

// sigmoid32Core computes σ(x) for the float32 lanes of x into the returned
// register, exactly as kernels.ssigmoidGo does lane by lane (see package
// expconst). x is not modified; NaN lanes give garbage that the caller
// replaces. Avo's operand order: VSUBPS(a, b, dst) is dst = b − a.
func sigmoid32Core(v vec, x VecVirtual) VecVirtual {
	c := c32
	Comment("z = max(−|x|, MinArg32)")
	z := v.reg()
	VORPS(c(float32(math.Copysign(0, -1))), x, z)
	VMAXPS(c(sc.MinArg32), z, z)
	k := round32(v, z)
	Comment("r = z − k·ln2hi (exact), rlo = −k·ln2lo")
	r, rlo := v.reg(), v.reg()
	VMULPS(c(sc.Ln2Hi32), k, r)
	VSUBPS(r, z, r)
	VMULPS(c(-sc.Ln2Lo32), k, rlo)
	r2 := v.reg()
	VMULPS(r, r, r2)
	w := exp32Poly(v, r, r2, sc.Exp32[:6])
	Comment("s + slo = r + w (Fast2Sum); p + plo = 1 + s + slo + rlo·p")
	s, slo := v.reg(), v.reg()
	VADDPS(w, r, s)
	VSUBPS(r, s, slo)
	VSUBPS(slo, w, slo)
	p, plo := v.reg(), v.reg()
	VADDPS(c(1), s, p)
	VSUBPS(c(1), p, plo)
	VSUBPS(plo, s, plo)
	VADDPS(slo, plo, plo)
	VMULPS(p, rlo, rlo)
	VADDPS(rlo, plo, plo)
	Comment("s1 = 2^kc with kc = max(k, MinExp32), s2 = 2^(k − kc)")
	s1, s2 := v.reg(), v.reg()
	VMAXPS(c(sc.MinExp32), k, s1)
	VSUBPS(s1, k, s2)
	pow2f32(s1)
	pow2f32(s2)
	Comment("e + elo = (p + plo)·s1; d + dlo = 1 + e + elo (Fast2Sum); y = 1/d")
	e, elo := v.reg(), v.reg()
	VMULPS(s1, p, e)
	VMULPS(s1, plo, elo)
	d, dlo := v.reg(), v.reg()
	VADDPS(c(1), e, d)
	VSUBPS(c(1), d, dlo)
	VSUBPS(dlo, e, dlo)
	VADDPS(elo, dlo, dlo)
	y := v.reg()
	VMOVUPS(c(1), y)
	VDIVPS(d, y, y)
	Comment("by the sign bit of x: num, numlo, t1, t2 = p, plo, s1, s2, or 1, 0, 1, 1")
	neg := v.signMask(x)
	num, numlo, t1, t2 := v.reg(), v.reg(), v.reg(), v.reg()
	for _, sel := range []struct{ ifNeg, dst VecVirtual }{{p, num}, {s1, t1}, {s2, t2}} {
		VMOVUPS(c(1), sel.dst)
		v.choose(neg, sel.dst, sel.ifNeg, sel.dst)
	}
	v.keep(neg, plo, numlo)
	Comment("q = num·y, plus y·((num − q·d) − q·dlo + numlo), num − q·d exact in one FMA")
	q, res := v.reg(), v.reg()
	VMULPS(y, num, q)
	VMOVAPS(num, res)
	VFNMADD231PS(d, q, res)
	VMULPS(dlo, q, dlo)
	VSUBPS(dlo, res, res)
	VADDPS(numlo, res, res)
	VMULPS(y, res, res)
	VADDPS(res, q, q)
	Comment("σ = (q·t2)·t1: a subnormal σ is rounded once, last")
	VMULPS(t2, q, q)
	VMULPS(t1, q, q)
	return q
}

// tanh32Core computes tanh(x) for the float32 lanes of x into the returned
// register, exactly as kernels.stanhGo does lane by lane (see package
// expconst; the steps it shares with sigmoid32Core are emitted by the same
// helpers). x is not modified; NaN lanes give garbage that the caller
// replaces.
func tanh32Core(v vec, x VecVirtual) VecVirtual {
	c := c32
	Comment("z = max(−2|x|, TanhMinArg32)")
	sign, z := v.reg(), v.reg()
	VMOVUPS(c(float32(math.Copysign(0, -1))), sign)
	VORPS(sign, x, z)
	VADDPS(z, z, z)
	VMAXPS(c(sc.TanhMinArg32), z, z)
	k := round32(v, z)
	Comment("r + rlo = z − k·ln2: r1 = z − k·ln2hi exact, m = −k·ln2lo, r = r1 + m, rlo = (r1 − r) + m")
	r, m, rlo := v.reg(), v.reg(), v.reg()
	VMULPS(c(sc.Ln2Hi32), k, rlo)
	VSUBPS(rlo, z, rlo) // r1
	VMULPS(c(-sc.Ln2Lo32), k, m)
	VADDPS(m, rlo, r)
	VSUBPS(r, rlo, rlo)
	VADDPS(m, rlo, rlo)
	r2 := v.reg()
	VMULPS(r, r, r2)
	w := exp32Poly(v, r, r2, sc.Exp32[:])
	Comment("s + slo = r + w (Fast2Sum) + rlo·(1 + s)")
	s, slo := v.reg(), v.reg()
	VADDPS(w, r, s)
	VSUBPS(r, s, slo)
	VSUBPS(slo, w, slo)
	VMULPS(s, rlo, w)
	VADDPS(w, slo, slo)
	VADDPS(rlo, slo, slo)
	Comment("e + elo = (2^k − 1) + 2^k·(s + slo): a = 2^k − 1, alo = 2^k − (a + 1), b = 2^k·s")
	pow2f32(k)
	a, alo, e, elo := v.reg(), v.reg(), v.reg(), v.reg()
	VSUBPS(c(1), k, a)
	VADDPS(c(1), a, alo)
	VSUBPS(alo, k, alo)
	VMULPS(k, s, s) // b
	VADDPS(s, a, e)
	VSUBPS(a, e, elo)
	VSUBPS(elo, s, elo)
	VMULPS(k, slo, slo)
	VADDPS(slo, elo, elo)
	VADDPS(alo, elo, elo)
	Comment("den + dlo = 2 + e + elo (Fast2Sum); y = 1/den; t = −e·y")
	den, dlo, y, t := v.reg(), v.reg(), v.reg(), v.reg()
	VADDPS(c(2), e, den)
	VMOVUPS(c(2), dlo)
	VSUBPS(den, dlo, dlo)
	VADDPS(e, dlo, dlo)
	VADDPS(elo, dlo, dlo)
	VMOVUPS(c(1), y)
	VDIVPS(den, y, y)
	VXORPS(sign, e, t)
	VMULPS(y, t, t)
	Comment("t −= y·((t·den + e) + t·dlo + elo), t·den + e exact in one FMA")
	res := v.reg()
	VMOVAPS(e, res)
	VFMADD231PS(t, den, res)
	VMULPS(t, dlo, dlo)
	VADDPS(dlo, res, res)
	VADDPS(elo, res, res)
	VMULPS(y, res, res)
	VSUBPS(res, t, t)
	Comment("the sign of x")
	VANDNPS(t, sign, t)
	VANDPS(x, sign, sign)
	VORPS(sign, t, t)
	return t
}

// round32 returns k = round(z·log₂e) for the float32 lanes of z, by adding
// and subtracting Round32.
func round32(v vec, z VecVirtual) VecVirtual {
	Comment("k = round(z·log₂e), by adding and subtracting Round32")
	k := v.reg()
	VMULPS(c32(sc.Log2E32), z, k)
	VADDPS(c32(sc.Round32), k, k)
	VSUBPS(c32(sc.Round32), k, k)
	return k
}

// exp32Poly returns w = r²·q(r) for the float32 lanes of r, given r2 = r·r,
// q with the coefficients c (6 or 7, lowest first) by Estrin's scheme in
// plain products and sums, exactly as ssigmoidGo (6) and stanhGo (7) do:
// t0 = c0 + c1·r, t1 = c2 + c3·r, t2 = c4 + c5·r (+ c6·r²), q = (t0 + t1·r²)
// + t2·r⁴.
func exp32Poly(v vec, r, r2 VecVirtual, c []float32) VecVirtual {
	if len(c) != 6 && len(c) != 7 {
		panic(fmt.Sprintf("exp32Poly: %d coefficients, want 6 or 7", len(c)))
	}
	Commentf("w = r²·q(r), q of degree %d by Estrin's scheme", len(c)-1)
	var t [3]VecVirtual
	for i := range t {
		t[i] = v.reg()
		VMULPS(c32(c[2*i+1]), r, t[i])
		VADDPS(c32(c[2*i]), t[i], t[i])
	}
	if len(c) == 7 {
		u := v.reg()
		VMULPS(c32(c[6]), r2, u)
		VADDPS(u, t[2], t[2])
	}
	r4 := v.reg()
	VMULPS(r2, r2, r4)
	VMULPS(r2, t[1], t[1])
	VADDPS(t[1], t[0], t[0])
	VMULPS(r4, t[2], t[2])
	VADDPS(t[2], t[0], t[0])
	VMULPS(r2, t[0], t[0])
	return t[0]
}

// pow2f32 turns the integer-valued float32 lanes k into 2^k (see pow2).
func pow2f32(k VecVirtual) {
	VADDPS(c32(sc.RoundBias32), k, k)
	VPSLLD(U8(23), k, k)
}

// sigmoidCore computes σ(x) for the float64 lanes of x into the returned
// register, exactly as kernels.sigmoidCore does lane by lane for variant cs
// (d is the float64 vector type; see package expconst). x is not modified; NaN lanes give garbage that
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
	lost := d.reg() // s − (p − 1): what rounding 1 + s lost, exactly
	VSUBPD(c(1), p, lost)
	VSUBPD(lost, s, lost)
	Comment("e = p·2^k1·2^k2 with k1 = round(k/2), k2 = k − k1 (elo likewise)")
	e, elo := d.reg(), d.reg()
	k1 := d.reg()
	VMOVUPD(c(sc.Round), k1)
	VFMADD231PD(c(0.5), k, k1)
	VSUBPD(c(sc.Round), k1, k1)
	VSUBPD(k1, k, k)
	pow2(k1)
	pow2(k)
	VMULPD(k1, p, e)
	VMULPD(k1, lost, elo)
	VMULPD(k, e, e)
	VMULPD(k, elo, elo)
	Comment("den = 1 + e; y = 1/den from a float32 division and a Newton step")
	den, y, h := d.reg(), d.reg(), d.reg()
	VADDPD(c(1), e, den)
	d.narrow(den, d.half(y))
	ones := d.half(d.reg())
	VMOVUPS(c32(1), ones)
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
	Comment("rlo = (r1 − r) − k·ln2lo, what rounding r lost")
	rlo := d.reg()
	VMOVAPD(r, rlo) // r1
	VFNMADD231PD(c(sc.Ln2Lo), k, r)
	VSUBPD(r, rlo, rlo)
	VFNMADD231PD(c(sc.Ln2Lo), k, rlo)
	Commentf("e^r = 1 + s, s = r + r²·q(r), q of degree %d by Estrin's scheme", len(cs.Exp)-3)
	r2 := d.reg()
	VMULPD(r, r, r2)
	q := estrin(d, r, r2, cs.Exp[2:])
	s := d.reg()
	VMOVAPD(r, s)
	VFMADD231PD(q, r2, s) // s = q·r² + r
	pow2(k)
	e, elo := d.reg(), d.reg()
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
	Comment("den = 2 + e; y = 1/den from a float32 division and a Newton step")
	den, y, h := d.reg(), d.reg(), d.reg()
	VADDPD(c(2), e, den)
	d.narrow(den, d.half(y))
	ones := d.half(d.reg())
	VMOVUPS(c32(1), ones)
	VDIVPS(d.half(y), ones, d.half(y))
	VCVTPS2PD(d.half(y), y)
	VMOVUPD(c(1), h)
	VFNMADD231PD(y, den, h)
	VFMADD231PD(h, y, y)
	Comment("t = −e·y")
	t := d.reg()
	VXORPD(sign, e, t)
	VMULPD(y, t, t)
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

// sigmoid: dst = σ(x), len(dst) = len(x); dst may be x. float32 in float32
// lanes, float64 in float64 lanes.
func sigmoid(v vec) {
	expActivation(v, "sigmoid", func(x VecVirtual) VecVirtual {
		if v.single() {
			return sigmoid32Core(v, x)
		}
		return sigmoidCore(v, x, sc.Sigmoid64)
	})
}

// tanh: dst = tanh(x), len(dst) = len(x); dst may be x. float32 in float32
// lanes, float64 in float64 lanes.
func tanh(v vec) {
	expActivation(v, "tanh", func(x VecVirtual) VecVirtual {
		if v.single() {
			return tanh32Core(v, x)
		}
		return tanhCore(v, x, sc.Tanh64)
	})
}

// expActivation emits an activation built on the exponential, dst = h(x),
// core computing h on one vector. NaN lanes are replaced by x itself,
// keeping their payload.
func expActivation(v vec, name string, core func(x VecVirtual) VecVirtual) {
	dst := Mem{Base: Load(Param("dst").Base(), GP64())}
	x := Mem{Base: Load(Param("x").Base(), GP64())}
	n := Load(Param("x").Len(), GP64())
	mask := v.tailMask(n)
	one := func(load func(VecVirtual), store func(VecVirtual)) {
		in := v.reg()
		load(in)
		res := core(in)
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
		VMOVUPS(c32(1), one)
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
		VMOVUPS(c32(1), one)
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
