package kernels

import (
	"math"

	sc "github.com/simdnn/simdnn/internal/sigmoidconst"
)

// The pure-Go activations. They perform exactly the operations of the
// generated assembly, in the same order and with the same fused
// multiply-adds (math.FMA where the assembly fuses), so both paths return
// bit-identical results. Products that are later added are wrapped in
// float64(…): the Go specification lets a compiler fuse x*y + z (arm64 does),
// and an explicit conversion forbids it.

// sigmoidGeneric32 sets dst[i] = σ(x[i]) through sigmoidCore in float64.
func sigmoidGeneric32(dst, x []float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		if v != v {
			dst[i] = v // NaN keeps its payload
			continue
		}
		dst[i] = float32(sigmoidCore(float64(v), sc.Exp32, false))
	}
}

// sigmoidGeneric64 sets dst[i] = σ(x[i]).
func sigmoidGeneric64(dst, x []float64) {
	dst = dst[:len(x)]
	for i, v := range x {
		if v != v {
			dst[i] = v
			continue
		}
		dst[i] = sigmoidCore(v, sc.Exp64, true)
	}
}

// sigmoidCore returns σ(x) for a non-NaN x, evaluating e^(−|x|) with the
// polynomial exp (coefficients lowest first). refine adds the last Newton
// step on the quotient, which float64 results need and float32 ones do not.
// See package sigmoidconst for the algorithm.
func sigmoidCore(x float64, exp []float64, refine bool) float64 {
	z := -math.Abs(x)
	if !(z > sc.MinArg) {
		z = sc.MinArg
	}
	// z = k·ln2 + r with k an integer and |r| ≤ ln2/2.
	k := math.FMA(z, sc.Log2E, sc.Round) - sc.Round
	r := math.FMA(k, -sc.Ln2Hi, z)
	r = math.FMA(k, -sc.Ln2Lo, r)
	p := exp[len(exp)-1]
	for i := len(exp) - 2; i >= 0; i-- {
		p = math.FMA(p, r, exp[i])
	}
	// e = e^r·2^k1·2^k2, each power built in the exponent field.
	k1 := math.FMA(k, 0.5, sc.Round) - sc.Round
	k2 := k - k1
	s1 := math.Float64frombits(math.Float64bits(k1+sc.RoundBias) << 52)
	s2 := math.Float64frombits(math.Float64bits(k2+sc.RoundBias) << 52)
	e := float64(float64(p*s1) * s2)

	d := 1 + e
	// 1/d from a float32 division, then one Newton step: |y − 1/d| ≲ 2⁻⁴⁶/d.
	y := float64(1 / float32(d))
	h := math.FMA(-d, y, 1)
	y = math.FMA(y, h, y)
	num := 1.0
	if x < 0 {
		num = e
	}
	q := float64(num * y)
	if !refine {
		return q
	}
	// One Newton step on the quotient against d + dlo = 1 + e exactly.
	dlo := e - (d - 1)
	res := math.FMA(-q, d, num)
	res = math.FMA(-q, dlo, res)
	return math.FMA(res, y, q)
}

// reluGeneric sets dst[i] = x[i] when x[i] > 0 or x[i] is NaN, and +0
// otherwise.
func reluGeneric[T float](dst, x []T) {
	dst = dst[:len(x)]
	for i, v := range x {
		if v > 0 || v != v {
			dst[i] = v
		} else {
			dst[i] = 0
		}
	}
}

// sigmoidBackwardGeneric sets dst[i] = g[i]·(a[i]·(1−a[i])).
func sigmoidBackwardGeneric[T float](dst, g, a []T) {
	dst, g = dst[:len(a)], g[:len(a)]
	for i, ai := range a {
		dst[i] = g[i] * T(ai*(1-ai))
	}
}

// reluBackwardGeneric sets dst[i] = g[i] where a[i] > 0 and +0 elsewhere.
func reluBackwardGeneric[T float](dst, g, a []T) {
	dst, g = dst[:len(a)], g[:len(a)]
	for i, ai := range a {
		if ai > 0 {
			dst[i] = g[i]
		} else {
			dst[i] = 0
		}
	}
}
