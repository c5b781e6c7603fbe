// Package expconst holds the constants of simdnn's activations built on the
// exponential, the sigmoid and tanh: the pure-Go kernels and the assembly
// generator (asm/, which imports this package through a local replace) both
// read them, so the two paths cannot drift apart and their results stay
// bit-identical.
//
// The float64 sigmoid and tanh take the exponential in float64: for an
// argument z ≤ 0 clamped to MinArg, k = round(z·log₂e); r = z − k·ln2
// (Cody–Waite, two FMAs), so |r| ≤ ln2/2; e^r = 1 + s with s = r + r²·q(r),
// q by Estrin's scheme (short dependency chains); e^z = (1+s)·2^k, or, for
// the float64 sigmoid, whose e^z can be subnormal, (1+s)·2^k1·2^k2 with k1 =
// round(k/2) and k2 = k − k1, so that neither power of two leaves the
// float64 range.
//
// The float64 sigmoid takes z = −|x| and adds the 1 to s last, keeping what
// that addition lost. Then σ(x) = e^z/(1+e^z) for x < 0 and 1/(1+e^z)
// otherwise, with the reciprocal of 1+e^z seeded by a float32 division and
// refined by a Newton step, then one more Newton step on the quotient of e^z
// (or 1) and 1+e^z, both held as sums of two float64s.
//
// The float32 sigmoid and tanh run in float32 lanes, twice as many per
// register, on the same plan with every quantity carried as a sum of two
// float32s where its rounding would show. The sigmoid (tanh's steps are
// below): k = round(z·log₂e) by adding and subtracting
// Round32; r = z − k·Ln2Hi32 (exact: k·Ln2Hi32 fits in 24 bits and r
// cancels) and rlo = −k·Ln2Lo32; s = r + w with w = r²·q(r) and slo = w −
// (s − r) (Fast2Sum); p = 1 + s, plo = (s − (p − 1)) + slo + rlo·p; e^z =
// (p + plo)·2^k. With d = 1 + e, dlo = (e − (d − 1)) + elo and y = 1/d
// (one correctly rounded division), the quotient n/(d + dlo), n = 1 or
// p + plo, is q = n·y corrected by y·((n − q·d) − q·dlo + nlo), where n −
// q·d is an FMA whose result is exact. For x < 0 the result is then scaled
// by 2^k, as 2^kr·2^kc with kc = max(k, −126) so that the one rounding of a
// subnormal result comes last. Every other operation is a plain float32
// multiply or add, rounded once, so the pure Go reproduces it bit for bit
// without an FMA; the one FMA is exact in float64 arithmetic too.
//
// tanh takes z = −2|x| (exact) and E = e^z − 1 = expm1(z), so that
// tanh|x| = −E/(2+E) keeps its relative accuracy near 0, where 1 − 2/(1+e^2x)
// would lose every digit; the sign of x is put back last, so tanh is odd bit
// for bit. r and s are carried as sums of two (r + rlo with rlo = (r1 − r) −
// k·ln2lo; s + slo), E = (2^k − 1) + 2^k·s by Fast2Sum, with what 2^k − 1
// loses kept where k is very negative, and the quotient gets the sigmoid's
// Newton step: in float64 for float64, in float32 lanes, as the float32
// sigmoid rounds, for float32.
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

// The constants of the float32 sigmoid and tanh.
const (
	// Log2E32 is log₂e rounded to float32.
	Log2E32 float32 = Log2E
	// Ln2Hi32 is ln 2 to 16 bits, so that k·Ln2Hi32 is exact for |k| < 256;
	// Ln2Hi32 + Ln2Lo32 = ln 2 to about 2⁻⁴⁰.
	Ln2Hi32 float32 = 0x1.62e4p-1
	Ln2Lo32 float32 = 0.6931471805599453094172321 - 0x1.62e4p-1
	// Round32 is 1.5·2²³: adding it to a float32 of magnitude below 2²²
	// rounds that value to an integer held in the low mantissa bits.
	Round32 float32 = 0x1.8p23
	// RoundBias32 is Round32 + 127: adding it to an integer k leaves k +
	// 127, the biased exponent of 2^k, in the low mantissa bits.
	RoundBias32 float32 = Round32 + 127
	// MinArg32 clamps z: σ(−104) < e^−104 < 2⁻¹⁵⁰ rounds to 0, and k ≥
	// −150 keeps kr = k − kc ≥ −24.
	MinArg32 float32 = -104
	// MinExp32 is the exponent of the smallest normal float32.
	MinExp32 float32 = -126
)

// Exp32 holds q's coefficients 1/(i+2)!, lowest degree first, for e^r = 1 +
// r + r²·q(r) on |r| ≤ ln2/2: the sigmoid takes the first six (degree 5,
// 2⁻²⁷ relative), tanh all seven (degree 6, 2⁻³⁰), since near |x| = ln2/4,
// where |r| is largest, e^r − 1 is all of its result.
var Exp32 = [7]float32{1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320}

// TanhMinArg32 clamps tanh's z = −2|x|: tanh|x| rounds to 1 in float32 from
// |x| = 9.01 on (1 − tanh|x| < 2e^−2|x| < 2⁻²⁵), and k ≥ −29 keeps 2^k a
// normal float32.
const TanhMinArg32 float32 = -20

// A Variant is the float64 sigmoid or tanh.
type Variant struct {
	// Exp holds the coefficients 1/i! of the Taylor polynomial for e^r on
	// |r| ≤ ln2/2, lowest degree first.
	Exp []float64
	// MinArg clamps z: below it σ rounds to 0, or tanh to ±1, in float64,
	// and k stays small enough for the powers of two.
	MinArg float64
}

var (
	// Sigmoid64: degree 13 leaves 2⁻⁵⁷, below float64's own rounding; e^−746
	// is below half the smallest subnormal.
	Sigmoid64 = Variant{Exp: taylor(13), MinArg: -746}
	// Tanh64: tanh|x| rounds to 1 in float64 from |x| = 19.1 on (2e^−2|x| <
	// 2⁻⁵⁴), so z stops at −40 (k ≥ −58).
	Tanh64 = Variant{Exp: taylor(13), MinArg: -40}
)

// Variants lists every variant, for the generator's table of constants.
var Variants = []Variant{Sigmoid64, Tanh64}

func taylor(degree int) []float64 {
	c := make([]float64, degree+1)
	c[0] = 1
	for i := 1; i <= degree; i++ {
		c[i] = c[i-1] / float64(i)
	}
	return c
}
