package kernels

import (
	"fmt"
	"math"

	sc "github.com/simdnn/simdnn/internal/expconst"
)

// The pure-Go activations. They perform exactly the operations of the
// generated assembly, in the same order and with the same fused
// multiply-adds (math.FMA where the assembly fuses), so both paths return
// bit-identical results. Products that are later added are wrapped in
// float64(…): the Go specification lets a compiler fuse x*y + z (arm64 does),
// and an explicit conversion forbids it.

// ssigmoidGo sets dst[i] = σ(x[i]) in float32 arithmetic; see package
// expconst for the algorithm. Every product and sum is rounded to float32
// once, as the assembly's float32 lanes round it; the one fused
// multiply-add, a residual, is exact in float64, so it needs no FMA here.
// The choices between x < 0 and x ≥ 0 are masks of the sign bit, not
// branches, which would mispredict on mixed signs (for x = −0 both give
// σ = ½ bit for bit).
func ssigmoidGo(dst, x []float32) {
	dst = dst[:len(x)]
	c := &sc.Exp32
	for i, v := range x {
		if v != v {
			dst[i] = v // NaN keeps its payload
			continue
		}
		z := math.Float32frombits(math.Float32bits(v) | 1<<31) // −|x|
		if z < sc.MinArg32 {
			z = sc.MinArg32
		}
		k := float32(z*sc.Log2E32) + sc.Round32
		k -= sc.Round32
		r := z - float32(k*sc.Ln2Hi32) // exact
		rlo := float32(k * -sc.Ln2Lo32)
		r2 := float32(r * r)
		a0 := c[0] + float32(c[1]*r)
		a1 := c[2] + float32(c[3]*r)
		a2 := c[4] + float32(c[5]*r)
		r4 := float32(r2 * r2)
		q := (a0 + float32(a1*r2)) + float32(a2*r4)
		w := float32(q * r2)
		s := r + w
		slo := w - (s - r)
		p := 1 + s
		plo := (s - (p - 1)) + slo
		plo += float32(rlo * p)
		kc := k
		if kc < sc.MinExp32 {
			kc = sc.MinExp32
		}
		s1, s2 := pow2f32(kc), pow2f32(k-kc)
		e, elo := float32(p*s1), float32(plo*s1)
		d := 1 + e
		dlo := (e - (d - 1)) + elo
		y := 1 / d
		neg := uint32(int32(math.Float32bits(v)) >> 31)
		num := selectf32(neg, p, 1)
		numlo := selectf32(neg, plo, 0)
		t1, t2 := selectf32(neg, s1, 1), selectf32(neg, s2, 1)
		qv := float32(num * y)
		res := float32(float64(num) - float64(qv)*float64(d)) // exact, as the assembly's FMA
		res -= float32(qv * dlo)
		res += numlo
		qf := qv + float32(res*y)
		dst[i] = float32(qf*t2) * t1
	}
}

// pow2f32 returns 2^k for an integer-valued k with −126 ≤ k ≤ 127, as the
// assembly builds it (see pow2).
func pow2f32(k float32) float32 {
	return math.Float32frombits(math.Float32bits(k+sc.RoundBias32) << 23)
}

// selectf32 returns a where mask is all ones and b where it is zero.
func selectf32(mask uint32, a, b float32) float32 {
	return math.Float32frombits(math.Float32bits(a)&mask | math.Float32bits(b)&^mask)
}

// dsigmoidGo sets dst[i] = σ(x[i]).
func dsigmoidGo(dst, x []float64) {
	dst = dst[:len(x)]
	for i, v := range x {
		if v != v {
			dst[i] = v
			continue
		}
		dst[i] = sigmoidCore(v, &sc.Sigmoid64)
	}
}

// sigmoidCore returns σ(x) for a non-NaN float64 x as variant v computes
// it; see package expconst for the algorithm.
func sigmoidCore(x float64, v *sc.Variant) float64 {
	z := -math.Abs(x)
	if !(z > v.MinArg) {
		z = v.MinArg
	}
	// z = k·ln2 + r with k an integer and |r| ≤ ln2/2.
	k := math.FMA(z, sc.Log2E, sc.Round) - sc.Round
	r := math.FMA(k, -sc.Ln2Hi, z)
	r = math.FMA(k, -sc.Ln2Lo, r)
	// e^r = 1 + s with s = r + r²·q(r), the 1 added last so that it rounds
	// once; s − (p − 1) is exactly what that addition lost.
	r2 := float64(r * r)
	s := math.FMA(estrin(r, r2, v.Exp[2:]), r2, r)
	p := 1 + s
	// e + elo = e^r·2^k1·2^k2, each power of two built in the exponent
	// field: k = k1 + k2 keeps both in the float64 range.
	k1 := math.FMA(k, 0.5, sc.Round) - sc.Round
	s1, s2 := pow2(k1), pow2(k-k1)
	e := float64(float64(p*s1) * s2)
	elo := float64(float64((s-(p-1))*s1) * s2)

	d := 1 + e
	// 1/d from a float32 division, then one Newton step: |y − 1/d| ≲ 2⁻⁴⁶/d.
	y := float64(1 / float32(d))
	h := math.FMA(-d, y, 1)
	y = math.FMA(y, h, y)
	num, numlo := 1.0, 0.0
	if x < 0 {
		num, numlo = e, elo
	}
	q := float64(num * y)
	// One Newton step on the quotient (num + numlo)/(d + dlo), where
	// d + dlo = 1 + e + elo to within far below an ulp.
	dlo := (e - (d - 1)) + elo
	res := math.FMA(-q, d, num)
	res = math.FMA(-q, dlo, res) + numlo
	return math.FMA(res, y, q)
}

// stanhGo sets dst[i] = tanh(x[i]) in float32 arithmetic, rounded as
// ssigmoidGo's: the quotient −E/(2+E) for E = e^(−2|x|) − 1 carried as e +
// elo, with the sign of x; see package expconst for the algorithm.
func stanhGo(dst, x []float32) {
	dst = dst[:len(x)]
	c := &sc.Exp32
	for i, v := range x {
		if v != v {
			dst[i] = v // NaN keeps its payload
			continue
		}
		z := math.Float32frombits(math.Float32bits(v)|1<<31) * 2 // −2|x|, exact
		if z < sc.TanhMinArg32 {
			z = sc.TanhMinArg32
		}
		k := float32(z*sc.Log2E32) + sc.Round32
		k -= sc.Round32
		r1 := z - float32(k*sc.Ln2Hi32) // exact
		m := float32(k * -sc.Ln2Lo32)
		r := r1 + m
		rlo := (r1 - r) + m
		r2 := float32(r * r)
		a0 := c[0] + float32(c[1]*r)
		a1 := c[2] + float32(c[3]*r)
		a2 := c[4] + float32(c[5]*r)
		r4 := float32(r2 * r2)
		a2 += float32(c[6] * r2)
		q := (a0 + float32(a1*r2)) + float32(a2*r4)
		w := float32(q * r2)
		s := r + w
		slo := w - (s - r)
		slo += float32(rlo * s)
		slo += rlo
		pk := pow2f32(k)
		a := pk - 1 // exact down to k = −24; alo keeps what it loses below
		alo := pk - (a + 1)
		b := float32(pk * s) // exact: pk is a power of two
		e := a + b
		elo := ((b - (e - a)) + float32(slo*pk)) + alo
		den := 2 + e
		y := 1 / den
		t := float32(-e * y)
		dlo := ((2 - den) + e) + elo
		res := float32(float64(t)*float64(den) + float64(e)) // exact, as the assembly's FMA
		res += float32(t * dlo)
		res += elo
		t -= float32(res * y)
		dst[i] = math.Float32frombits(math.Float32bits(t)&^(1<<31) | math.Float32bits(v)&(1<<31))
	}
}

// dtanhGo sets dst[i] = tanh(x[i]).
func dtanhGo(dst, x []float64) {
	dst = dst[:len(x)]
	for i, v := range x {
		if v != v {
			dst[i] = v
			continue
		}
		dst[i] = tanhCore(v, &sc.Tanh64)
	}
}

// tanhCore returns tanh(x) for a non-NaN x as variant v computes it: the
// quotient −E/(2+E) for E = e^(−2|x|) − 1, with the sign of x; see package
// expconst for the algorithm.
func tanhCore(x float64, v *sc.Variant) float64 {
	z := -2 * math.Abs(x)
	if !(z > v.MinArg) {
		z = v.MinArg
	}
	k := math.FMA(z, sc.Log2E, sc.Round) - sc.Round
	r1 := math.FMA(k, -sc.Ln2Hi, z) // exact
	r := math.FMA(k, -sc.Ln2Lo, r1)
	r2 := float64(r * r)
	q := estrin(r, r2, v.Exp[2:])
	s := math.FMA(q, r2, r) // e^r − 1
	pk := pow2(k)
	// r + rlo = z − k·ln2: r1 − r is exact, and k·ln2lo tiny.
	rlo := math.FMA(k, -sc.Ln2Lo, r1-r)
	// s + slo = e^(r+rlo) − 1 = r + r²·q + rlo·(1+s): r − s is exact (s is
	// within 20 % of r), and the FMA rounds only the tiny difference.
	slo := math.FMA(q, r2, r-s)
	slo = math.FMA(s, rlo, slo+rlo)
	// E = e + elo = (2^k − 1) + 2^k·(s + slo), by Fast2Sum: |2^k − 1| ≥
	// |2^k·s| for k < 0, and for k = 0 the sum is s itself. 2^k − 1 is exact
	// down to k = −53; below, alo keeps what it lost.
	a := pk - 1
	alo := pk - (a + 1)
	b := float64(pk * s) // exact: pk is a power of two
	e := a + b
	elo := ((b - (e - a)) + float64(slo*pk)) + alo
	// 1/den, den = 2 + e, from a float32 division and one Newton step.
	den := 2 + e
	y := float64(1 / float32(den))
	h := math.FMA(-den, y, 1)
	y = math.FMA(y, h, y)
	t := float64(-e * y)
	// One Newton step on −(e + elo)/(den + dlo), where den + dlo = 2 + e +
	// elo (Fast2Sum: |e| < 2).
	dlo := ((2 - den) + e) + elo
	res := math.FMA(t, den, e)
	res = math.FMA(t, dlo, res) + elo
	t = math.FMA(-res, y, t)
	return math.Copysign(t, x)
}

// pow2 returns 2^k for an integer-valued k with −1022 ≤ k ≤ 1023, as the
// assembly builds it: adding RoundBias leaves k+1023 in the low bits, and a
// shift moves them into the exponent field.
func pow2(k float64) float64 {
	return math.Float64frombits(math.Float64bits(k+sc.RoundBias) << 52)
}

// estrin evaluates the polynomial q with coefficients c (lowest first) at r,
// given r2 = r·r, by Estrin's scheme: adjacent pairs c[2i] + c[2i+1]·r, then
// pairs of those with r², r⁴, r⁸, an odd one out passing up unchanged; its
// dependency chain is logarithmic in the degree where Horner's is linear.
// The generator (asm/activations.go) emits the same tree for any length;
// written out here for the length the variants use, 12, it makes the pure
// Go 3.5× faster than a loop over a scratch array did.
func estrin(r, r2 float64, c []float64) float64 {
	switch len(c) {
	case 12:
		t0 := math.FMA(c[1], r, c[0])
		t1 := math.FMA(c[3], r, c[2])
		t2 := math.FMA(c[5], r, c[4])
		t3 := math.FMA(c[7], r, c[6])
		t4 := math.FMA(c[9], r, c[8])
		t5 := math.FMA(c[11], r, c[10])
		t0 = math.FMA(t1, r2, t0)
		t2 = math.FMA(t3, r2, t2)
		t4 = math.FMA(t5, r2, t4)
		r4 := float64(r2 * r2)
		t0 = math.FMA(t2, r4, t0) // t4 passes up
		r8 := float64(r4 * r4)
		return math.FMA(t4, r8, t0)
	}
	panic(fmt.Sprintf("kernels: estrin: no scheme for %d coefficients", len(c)))
}

// reluGo sets dst[i] = x[i] when x[i] > 0 or x[i] is NaN, and +0
// otherwise.
func reluGo[T Float](dst, x []T) {
	dst = dst[:len(x)]
	for i, v := range x {
		if v > 0 || v != v {
			dst[i] = v
		} else {
			dst[i] = 0
		}
	}
}

// sigmoidBackwardGo sets dst[i] = g[i]·(a[i]·(1−a[i])).
func sigmoidBackwardGo[T Float](dst, g, a []T) {
	dst, g = dst[:len(a)], g[:len(a)]
	for i, ai := range a {
		dst[i] = g[i] * T(ai*(1-ai))
	}
}

// tanhBackwardGo sets dst[i] = g[i]·((1−a[i])·(1+a[i])), which is
// 1 − a² without the cancellation of 1 − a·a near |a| = 1: 1 − a is exact for
// a ≥ ½ and 1 + a for a ≤ −½.
func tanhBackwardGo[T Float](dst, g, a []T) {
	dst, g = dst[:len(a)], g[:len(a)]
	for i, ai := range a {
		dst[i] = g[i] * T((1-ai)*(1+ai))
	}
}

// reluBackwardGo sets dst[i] = g[i] where a[i] > 0 and +0 elsewhere.
func reluBackwardGo[T Float](dst, g, a []T) {
	dst, g = dst[:len(a)], g[:len(a)]
	for i, ai := range a {
		if ai > 0 {
			dst[i] = g[i]
		} else {
			dst[i] = 0
		}
	}
}
