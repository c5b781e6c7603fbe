// Package expconst holds the constants of simdnn's activations built on the
// exponential, the sigmoid and tanh: the pure-Go kernels and the assembly
// generator (asm/, which imports this package through a local replace) both
// read them, so the two paths cannot drift apart and their results stay
// bit-identical.
//
// The exponential, in float64 for both element types: for an argument z ≤ 0
// clamped to MinArg, k = round(z·log₂e); r = z − k·ln2 (Cody–Waite, two
// FMAs), so |r| ≤ ln2/2; e^r = 1 + s with s = r + r²·q(r), q by Estrin's
// scheme (short dependency chains); e^z = (1+s)·2^k, or (1+s)·2^k1·2^k2 with
// k1 = round(k/2) and k2 = k − k1 where e^z can be subnormal in float64, so
// that neither power of two leaves the float64 range.
//
// The sigmoid takes z = −|x| and adds the 1 to s last, keeping what that
// addition lost. Then σ(x) = e^z/(1+e^z) for x < 0 and 1/(1+e^z) otherwise,
// with the reciprocal of 1+e^z seeded by a float32 division and refined by a
// Newton step in float64; float64 results get one more Newton step, on the
// quotient of e^z (or 1) and 1+e^z, both held as sums of two float64s.
//
// tanh takes z = −2|x| (exact) and E = e^z − 1 = expm1(z), so that
// tanh|x| = −E/(2+E) keeps its relative accuracy near 0, where 1 − 2/(1+e^2x)
// would lose every digit; the sign of x is put back last, so tanh is odd bit
// for bit. For float32, E = 2^k·s + (2^k − 1) in one FMA (2^k − 1 is exact
// for k ≥ −53); for float64, r and s are carried as sums of two float64s, E
// = (2^k − 1) + 2^k·s by Fast2Sum, and the quotient gets the sigmoid's second
// Newton step.
package expconst

const (
	// Log2E is log₂e rounded to float64.
	Log2E = 1.44269504088896338700e+00
	// Ln2Hi + Ln2Lo = ln 2 to about 2⁻⁸⁵ (the fdlibm split).
	Ln2Hi = 6.93147180369123816490e-01
	Ln2Lo = 1.90821492927058770002e-10
	// Round is 1.5·2⁵²: adding it to a float64 of magnitude below 2⁵¹ rounds
	// that value to an integer held in the low mantissa bits.
	Round = 0x1.8p52
	// RoundBias is Round + 1023: adding it to an integer k leaves k + 1023,
	// the biased exponent of 2^k, in the low mantissa bits.
	RoundBias = Round + 1023
)

// A Variant is the sigmoid or tanh for one element type.
type Variant struct {
	// Exp holds the coefficients 1/i! of the Taylor polynomial for e^r on
	// |r| ≤ ln2/2, lowest degree first.
	Exp []float64
	// MinArg clamps z: below it σ rounds to 0, or tanh to ±1, in the
	// element type, and k stays small enough for the powers of two.
	MinArg float64
	// SplitScale builds 2^k as 2^k1·2^k2, for results that can be subnormal
	// in float64.
	SplitScale bool
	// Refine carries e^z (tanh: s and e^z − 1) as a sum of two float64s and
	// adds the Newton step on the quotient.
	Refine bool
}

var (
	// Sigmoid32: degree 7 leaves a relative error below 2⁻²⁷, which a
	// float32 result, rounded once at the end, hardly sees; e^−105 < 2⁻¹⁵⁰
	// rounds to 0 in float32, and 2^k with k ≥ −152 is a normal float64.
	Sigmoid32 = Variant{Exp: taylor(7), MinArg: -105}
	// Sigmoid64: degree 13 leaves 2⁻⁵⁷, below float64's own rounding; e^−746
	// is below half the smallest subnormal.
	Sigmoid64 = Variant{Exp: taylor(13), MinArg: -746, SplitScale: true, Refine: true}
	// Tanh32: near |x| = ln2/4, where |r| is largest and E = s, degree 7
	// would leave ¼ ULP of relative error in tanh; degree 8 leaves 2⁻³⁰.
	// tanh|x| rounds to 1 in float32 from |x| = 9.01 on (1 − tanh|x| <
	// 2e^−2|x| < 2⁻²⁵), so z = −2|x| stops at −20, where k ≥ −29 keeps
	// 2^k − 1 exact.
	Tanh32 = Variant{Exp: taylor(8), MinArg: -20}
	// Tanh64: tanh|x| rounds to 1 in float64 from |x| = 19.1 on (2e^−2|x| <
	// 2⁻⁵⁴), so z stops at −40 (k ≥ −58).
	Tanh64 = Variant{Exp: taylor(13), MinArg: -40, Refine: true}
)

// Variants lists every variant, for the generator's table of constants.
var Variants = []Variant{Sigmoid32, Sigmoid64, Tanh32, Tanh64}

func taylor(degree int) []float64 {
	c := make([]float64, degree+1)
	c[0] = 1
	for i := 1; i <= degree; i++ {
		c[i] = c[i-1] / float64(i)
	}
	return c
}
