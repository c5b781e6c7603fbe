// Package floattest holds what simdnn's kernel tests need to judge a
// floating-point result: an accurate reference for sums of products, the unit
// roundoff and underflow constants of float32 and float64, and a comparison
// that accepts a computed value when it lies within a stated error bound of
// the reference, with NaN and ±Inf handled as IEEE 754 says.
//
// The references are computed in float64 for float32 and float64 inputs alike,
// with Ogita, Rump and Oishi's compensated dot product (Dot2, "Accurate Sum
// and Dot Product", SIAM J. Sci. Comput. 26(6), 2005): each product is split
// exactly into a sum of two float64 values with math.FMA (TwoProduct) and the
// running sum keeps its rounding error with Knuth's TwoSum. The result is as
// accurate as if it had been computed in twice the float64 precision, so its
// own error is far below any bound a float32 or float64 kernel is held to; the
// comparison adds it to the tolerance anyway (Result.Err).
package floattest

import (
	"fmt"
	"math"
	"math/big"
	"unsafe"

	"github.com/simdnn/simdnn/kernels"
)

// Float is the set of element types the kernels are written for.
type Float = kernels.Float

// Eps returns the unit roundoff of T, the largest relative error of one
// rounding to nearest: 2⁻²⁴ for float32, 2⁻⁵³ for float64.
func Eps[T Float]() float64 {
	if isFloat32[T]() {
		return 0x1p-24
	}
	return 0x1p-53
}

// Eta returns the smallest positive subnormal of T, 2⁻¹⁴⁹ for float32 and
// 2⁻¹⁰⁷⁴ for float64. A product that underflows is off by up to Eta/2 in
// absolute terms, an error no relative bound covers.
func Eta[T Float]() float64 {
	return math.Ldexp(1, etaExp[T]())
}

// MaxFinite returns the largest finite value of T.
func MaxFinite[T Float]() float64 {
	if isFloat32[T]() {
		return math.MaxFloat32
	}
	return math.MaxFloat64
}

// overflowAt returns the smallest magnitude that rounds to ±Inf in T:
// MaxFinite plus half an ulp. For float64 that is past the float64 range
// itself, so it is +Inf: a float64 sum rounds to +Inf exactly when its exact
// value reaches it.
func overflowAt[T Float]() float64 {
	if isFloat32[T]() {
		return 0x1p128 - 0x1p103
	}
	return math.Inf(1)
}

// isFloat32 reports whether T is float32; otherwise it is float64.
func isFloat32[T Float]() bool { return unsafe.Sizeof(T(0)) == 4 }

// Bits returns the IEEE 754 encoding of v, widened to 64 bits, so that values
// can be compared bit for bit (NaN payloads and the sign of zero included).
func Bits[T Float](v T) uint64 {
	if isFloat32[T]() {
		return uint64(math.Float32bits(float32(v)))
	}
	return math.Float64bits(float64(v))
}

// TwoSum returns s = fl(a+b) and the rounding error e, so that s+e = a+b
// exactly (Knuth), provided no overflow occurs.
func TwoSum(a, b float64) (s, e float64) {
	s = a + b
	bb := s - a
	e = (a - (s - bb)) + (b - bb)
	return s, e
}

// TwoProduct returns p = fl(a·b) and the rounding error e, so that p+e = a·b
// exactly, provided neither overflows nor e underflows.
func TwoProduct(a, b float64) (p, e float64) {
	p = a * b
	return p, math.FMA(a, b, -p)
}

// A Result is the reference value of a sum of products Σ aₖbₖcₖ.
type Result struct {
	// Value is the sum rounded to float64. It is NaN or ±Inf as IEEE 754
	// arithmetic makes it when a factor is NaN or ±Inf, and ±Inf when the
	// exact sum of finite factors is beyond the float64 range.
	Value float64
	// Abs is an upper bound on Σ|aₖbₖcₖ|, the quantity the kernels' error
	// bounds are proportional to; +Inf when that sum is beyond the float64
	// range, although ε·Σ|aₖbₖcₖ| may not be (use AbsTimes).
	Abs float64
	// absScaled is 2⁻⁶⁰⁰·Abs, computed when Abs overflows.
	absScaled float64
	// Err bounds |Value − exact sum| for finite factors.
	Err float64
	// Terms is the number of products summed.
	Terms int
	// Scale is the largest magnitude of a finite factor, or 1 if that is
	// larger: the most an absolute underflow error of one product can be
	// multiplied by when that product is multiplied again (see Tiny).
	Scale float64
}

// Dot returns the reference value of Σ aₖbₖcₖ for k < n, where term(k)
// returns the three factors; use c = 1 for a plain product. Three factors
// cover the kernels' α·aᵢⱼ·xⱼ without rounding α·aᵢⱼ first.
//
// Finite factors: the compensated Dot2 sum of the products, each split as
// aₖbₖcₖ = h + e exactly up to a rounding of 2⁻¹⁰⁶|aₖbₖcₖ| (two TwoProducts),
// whose error is at most 2⁻⁵³|Value| + (γ² + 2⁻¹⁰⁴)·Σ|aₖbₖcₖ| with
// γ = 4n·2⁻⁵³/(1 − 4n·2⁻⁵³) (Ogita, Rump and Oishi, Proposition 5.5); when
// that sum overflows, the exact sum in math/big, rounded to float64, is ±Inf
// or finite as the exact value says. A NaN or ±Inf factor: the plain float64
// sum of the plain products, which is what IEEE 754 arithmetic gives in any
// order, as long as the finite products do not overflow float64 (tests must
// not mix infinities with values whose sums overflow).
func Dot(n int, term func(k int) (a, b, c float64)) Result {
	var p, s, plain, abs float64
	scale := 1.0
	finite := true
	for k := range n {
		a, b, c := term(k)
		plain += a * b * c
		aa, ab, ac := math.Abs(a), math.Abs(b), math.Abs(c)
		abs += absProduct(aa, ab, ac)
		if (a-a)+(b-b)+(c-c) != 0 { // NaN unless all three are finite
			finite = false
			continue
		}
		scale = max(scale, aa, ab, ac)
		h, l := TwoProduct(a, b) // a·b = h + l
		if c != 1 {
			var hl float64
			h, hl = TwoProduct(h, c) // h·c = h' + hl
			s += hl
			if l != 0 {
				l *= c // l·c is 2⁻⁵³ of the term: its rounding is of order 2⁻¹⁰⁶
			}
		}
		var q float64
		p, q = TwoSum(p, h)
		s += q + l
	}
	r := Result{Terms: n, Scale: scale}
	// abs carries up to n+2 roundings of relative size 2⁻⁵³ each; inflating it
	// by that much makes it an upper bound.
	r.Abs = abs * (1 + float64(n+3)*0x1p-52)
	if finite && math.IsInf(r.Abs, 1) {
		// Sum again, scaled: terms small enough to underflow here are
		// far below 2⁻⁵³ of a sum past the float64 range.
		abs = 0
		for k := range n {
			a, b, c := term(k)
			abs += absProduct(math.Ldexp(math.Abs(a), -600), math.Abs(b), math.Abs(c))
		}
		r.absScaled = abs*(1+float64(n+3)*0x1p-52) + 0x1p-600
	}
	switch {
	case !finite:
		r.Value = plain
		r.Err = math.NaN()
		return r
	case !isFinite(p + s):
		r.Value = exactDot(n, term)
		r.Err = 0x1p-53 * math.Abs(r.Value) // one rounding, to float64
		return r
	}
	r.Value = p + s
	g := float64(4*n) * 0x1p-53
	g /= 1 - g
	r.Err = 0x1p-53*math.Abs(r.Value) + r.AbsTimes(g*g+0x1p-104)
	return r
}

// absProduct returns a·b·c for a, b, c ≥ 0, as 0 when one of them is 0
// although the product of the others overflowed (Inf·0 would be NaN).
func absProduct(a, b, c float64) float64 {
	if a == 0 || b == 0 || c == 0 {
		return 0
	}
	return a * b * c
}

// AbsTimes returns c·Abs for 0 ≤ c ≤ 1, finite whenever that product is, also
// when Abs itself is +Inf.
func (r Result) AbsTimes(c float64) float64 {
	if !math.IsInf(r.Abs, 1) || r.absScaled == 0 {
		return c * r.Abs
	}
	return math.Ldexp(c*r.absScaled, 600)
}

// Sum returns the reference value of Σ aₖbₖcₖ over terms given directly,
// each as {aₖ, bₖ, cₖ}; see Dot.
func Sum(terms ...[3]float64) Result {
	return Dot(len(terms), func(k int) (float64, float64, float64) {
		return terms[k][0], terms[k][1], terms[k][2]
	})
}

// exactDot returns Σ aₖbₖcₖ for finite factors, computed exactly and rounded
// once to float64 (±Inf beyond its range).
func exactDot(n int, term func(k int) (a, b, c float64)) float64 {
	// Products of three float64 values span 2⁻³²²² to 2³⁰⁷², so a sum of
	// them is exact with 6400 bits plus log₂(n); 8192 is plenty.
	const prec = 8192
	sum := new(big.Float).SetPrec(prec)
	var t, f big.Float
	t.SetPrec(prec)
	f.SetPrec(prec)
	for k := range n {
		a, b, c := term(k)
		t.SetFloat64(a)
		t.Mul(&t, f.SetFloat64(b))
		t.Mul(&t, f.SetFloat64(c))
		sum.Add(sum, &t)
	}
	v, _ := sum.Float64()
	return v
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Tiny returns the absolute error that underflow can add to a result of T
// that sums r.Terms products: each product (or product of a product) that
// lands in the subnormal range is off by up to Eta/2, and a later
// multiplication can scale that error by up to r.Scale; additions are exact
// in that range and the roundings that follow grow it by less than a factor 2.
// The kernel and the reference may both underflow, hence the factor 2, and
// two more products (α·s and β·y) are allowed for:
//
//	Tiny = 2·(Terms+2)·Scale·Eta.
func Tiny[T Float](r Result) float64 {
	// Scale first: 2(Terms+2)·Scale can overflow when Scale is near the
	// largest float64.
	return math.Ldexp(r.Scale, etaExp[T]()) * float64(2*(r.Terms+2))
}

// etaExp returns the binary exponent of Eta.
func etaExp[T Float]() int {
	if isFloat32[T]() {
		return -149
	}
	return -1074
}

// Check reports, as a non-nil error, that got is not an acceptable computed
// value of the reference r for a kernel whose error bound is bound:
//
//   - r.Value NaN: got must be NaN;
//   - r.Value ±Inf: got must be the same infinity;
//   - otherwise got must be finite with |got − r.Value| ≤ tol, where
//     tol = bound + r.Err + Tiny(r), or be the infinity of r's sign when
//     |r.Value| + tol reaches the overflow threshold of T, the largest finite
//     value plus half an ulp (the bound allows a value that rounds to Inf; for
//     float32 this is how a float64 reference beyond the float32 range is
//     checked).
//
// tol is inflated by 2⁻⁵⁰ of itself because bound, r.Err and Tiny are
// themselves evaluated in float64 with a few roundings.
func Check[T Float](got T, r Result, bound float64) error {
	g := float64(got)
	switch {
	case math.IsNaN(r.Value):
		if !math.IsNaN(g) {
			return fmt.Errorf("got %v, want NaN", g)
		}
		return nil
	case math.IsInf(r.Value, 0):
		if g != r.Value {
			return fmt.Errorf("got %v, want %v", g, r.Value)
		}
		return nil
	case math.IsNaN(g):
		return fmt.Errorf("got NaN, want %v", r.Value)
	}
	tol := bound + r.Err
	// Tiny is added only where it matters: when it is below 2⁻⁶⁰·tol the
	// 2⁻⁵⁰ inflation covers it, and skipping it keeps float64 tolerances out
	// of subnormal arithmetic, for which x86 CPUs take a microcode assist of
	// ~100 cycles (the sweeps would spend most of their time on it). t is
	// 2⁶⁰·Tiny, computed without a subnormal.
	if t := math.Ldexp(r.Scale, etaExp[T]()+60) * float64(2*(r.Terms+2)); tol < t {
		tol += Tiny[T](r)
	}
	tol *= 1 + 0x1p-50
	if !isFinite(tol) {
		// A bound of Inf would accept anything: the test's data are out of
		// the range the bound can be evaluated in.
		return fmt.Errorf("got %v, want %v: error bound %v is not finite", g, r.Value, tol)
	}
	if math.IsInf(g, 0) {
		if math.Signbit(g) != math.Signbit(r.Value) || math.Abs(r.Value)+tol < overflowAt[T]() {
			return fmt.Errorf("got %v, want %v (±%.3g)", g, r.Value, tol)
		}
		return nil
	}
	if d := math.Abs(g - r.Value); !(d <= tol) {
		return fmt.Errorf("got %v, want %v: error %.3g > bound %.3g (%.2f× the bound)", g, r.Value, d, tol, d/tol)
	}
	return nil
}
