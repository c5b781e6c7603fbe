package kernels

// Ssigmoid sets dst[i] = σ(x[i]) = 1/(1+e^(−x[i])); len(dst) = len(x), and dst
// may be x itself (but not otherwise overlap it).
//
// Every result is within 1 ULP of σ(x[i]), measured over all 2³² inputs
// (max 0.9086, at a subnormal result; 99.95 % are correctly rounded): the
// function is evaluated in float32 lanes, with the rounding errors that would
// show carried as second float32s and one Newton step on the quotient (see
// internal/expconst). σ(−∞) = 0, σ(+∞) = 1, σ(NaN) = NaN with its payload,
// and results for x < −87.3 are subnormal. The assembly and the pure-Go path
// run the same operations and return bit-identical results on every CPU
// (checked over all 2³² inputs on the assembly, every 61st on the pure Go).
func Ssigmoid(dst, x []float32) {
	checkLen("Ssigmoid", "dst", len(dst), "len(x)", len(x))
	activate(Sigmoid, dst, x)
}

// Dsigmoid sets dst[i] = σ(x[i]) for float64; len(dst) = len(x), and dst may
// be x itself.
//
// Every result is within 2 ULP of σ(x[i]); measured, within 0.90 ULP on a
// 20 335-point reference table computed to 50 digits, and within 1 ULP where
// the result is subnormal (x < −708.4). e^(−|x|) comes from a degree-13
// polynomial after Cody–Waite range reduction and is carried as the sum of two
// doubles, so that 1+e and, for x < 0, the numerator e lose nothing before the
// quotient, which one Newton step refines. The assembly and the pure-Go path
// return bit-identical results.
func Dsigmoid(dst, x []float64) {
	checkLen("Dsigmoid", "dst", len(dst), "len(x)", len(x))
	activate(Sigmoid, dst, x)
}

// Srelu sets dst[i] = max(x[i], 0); len(dst) = len(x), and dst may be x
// itself. NaN propagates (as in PyTorch) and −0 gives +0, so no result is
// ever negative; both paths return bit-identical results.
func Srelu(dst, x []float32) {
	checkLen("Srelu", "dst", len(dst), "len(x)", len(x))
	activate(ReLU, dst, x)
}

// Drelu sets dst[i] = max(x[i], 0) for float64; see Srelu.
func Drelu(dst, x []float64) {
	checkLen("Drelu", "dst", len(dst), "len(x)", len(x))
	activate(ReLU, dst, x)
}

// Stanh sets dst[i] = tanh(x[i]); len(dst) = len(x), and dst may be x
// itself (but not otherwise overlap it).
//
// Every result is within 1 ULP of tanh(x[i]), measured over all 2³² inputs
// (max 0.8633; 99.97 % are correctly rounded): it is evaluated in float32
// lanes as Ssigmoid is, as −E/(2+E) with E = e^(−2|x|) − 1 carried as two
// float32s, which keeps the relative accuracy near 0 (tanh(x) = x for |x| <
// 2⁻¹², subnormals included). tanh is odd bit for bit (tanh(−0) = −0),
// tanh(±∞) = ±1 (from |x| ≥ 9.01 on), tanh(NaN) = NaN with its payload. The
// assembly and the pure-Go path return bit-identical results.
func Stanh(dst, x []float32) {
	checkLen("Stanh", "dst", len(dst), "len(x)", len(x))
	activate(Tanh, dst, x)
}

// Dtanh sets dst[i] = tanh(x[i]) for float64; len(dst) = len(x), and dst may
// be x itself.
//
// Every result is within 1 ULP of tanh(x[i]); measured, within 0.65 ULP on
// a 20 000-point reference table computed to 50 digits (max 0.6483):
// z − k·ln2, e^(−2|x|) − 1 and 2 + e^(−2|x|) − 1 are carried as sums of two
// doubles and the quotient gets one Newton step, as in Dsigmoid. The
// assembly and the pure-Go path return bit-identical results.
func Dtanh(dst, x []float64) {
	checkLen("Dtanh", "dst", len(dst), "len(x)", len(x))
	activate(Tanh, dst, x)
}

// SsigmoidBackward sets dst[i] = g[i]·a[i]·(1−a[i]), the gradient through a
// sigmoid given its output a = σ(z) and the gradient g with respect to a; all
// three have the same length and dst may be g or a. It is computed as
// g·(a·(1−a)) with three roundings, identically on every path.
func SsigmoidBackward(dst, g, a []float32) {
	checkBackward("SsigmoidBackward", len(dst), len(g), len(a))
	activateBackward(Sigmoid, dst, g, a)
}

// DsigmoidBackward sets dst[i] = g[i]·a[i]·(1−a[i]) for float64; see
// SsigmoidBackward.
func DsigmoidBackward(dst, g, a []float64) {
	checkBackward("DsigmoidBackward", len(dst), len(g), len(a))
	activateBackward(Sigmoid, dst, g, a)
}

// SreluBackward sets dst[i] = g[i] if a[i] > 0 and 0 otherwise, the gradient
// through a ReLU given its output a; relu'(0) = 0 as in PyTorch, and a NaN in a
// gives 0. dst may be g or a.
func SreluBackward(dst, g, a []float32) {
	checkBackward("SreluBackward", len(dst), len(g), len(a))
	activateBackward(ReLU, dst, g, a)
}

// DreluBackward is SreluBackward for float64.
func DreluBackward(dst, g, a []float64) {
	checkBackward("DreluBackward", len(dst), len(g), len(a))
	activateBackward(ReLU, dst, g, a)
}

// StanhBackward sets dst[i] = g[i]·(1−a[i]²), the gradient through tanh given
// its output a = tanh(z) and the gradient g with respect to a; all three have
// the same length and dst may be g or a. It is computed as
// g·((1−a)·(1+a)) with four roundings, identically on every path: 1 − a is
// exact for a ≥ ½ and 1 + a for a ≤ −½, so the factor keeps its relative
// accuracy where 1 − a·a would cancel.
func StanhBackward(dst, g, a []float32) {
	checkBackward("StanhBackward", len(dst), len(g), len(a))
	activateBackward(Tanh, dst, g, a)
}

// DtanhBackward is StanhBackward for float64.
func DtanhBackward(dst, g, a []float64) {
	checkBackward("DtanhBackward", len(dst), len(g), len(a))
	activateBackward(Tanh, dst, g, a)
}

func checkBackward(fn string, lenDst, lenG, lenA int) {
	checkLen(fn, "g", lenG, "len(dst)", lenDst)
	checkLen(fn, "a", lenA, "len(dst)", lenDst)
}

// expCallElems bounds one sigmoid or tanh call: they cost tens of
// instructions per element, so they get far fewer elements per call than the
// memory-bound kernels, to stay well under 100 µs.
const expCallElems = 1 << 15

// activate sets dst = h(x) elementwise, in bounded pieces; each call reads x
// and writes dst. Identity copies.
func activate[T Float](h Activation, dst, x []T) {
	switch h {
	case Identity:
		copy(dst, x)
	case Sigmoid:
		spans(len(x), expCallElems, func(lo, hi int) {
			observeCall[T](len(dst[lo:hi]) + len(x[lo:hi]))
			sigmoidKernel(dst[lo:hi], x[lo:hi])
		})
	case Tanh:
		spans(len(x), expCallElems, func(lo, hi int) {
			observeCall[T](len(dst[lo:hi]) + len(x[lo:hi]))
			tanhKernel(dst[lo:hi], x[lo:hi])
		})
	case ReLU:
		spans(len(x), maxCallElems[T]()/2, func(lo, hi int) {
			observeCall[T](len(dst[lo:hi]) + len(x[lo:hi]))
			reluKernel(dst[lo:hi], x[lo:hi])
		})
	}
}

// activateBackward sets dst = g·h′ elementwise, h′ computed from the output a,
// in bounded pieces; each call reads g and a and writes dst. Identity copies g.
func activateBackward[T Float](h Activation, dst, g, a []T) {
	step := maxCallElems[T]() / 3
	switch h {
	case Identity:
		copy(dst, g)
	case Sigmoid:
		spans(len(a), step, func(lo, hi int) {
			observeCall[T](len(dst[lo:hi]) + len(g[lo:hi]) + len(a[lo:hi]))
			sigmoidBackwardKernel(dst[lo:hi], g[lo:hi], a[lo:hi])
		})
	case Tanh:
		spans(len(a), step, func(lo, hi int) {
			observeCall[T](len(dst[lo:hi]) + len(g[lo:hi]) + len(a[lo:hi]))
			tanhBackwardKernel(dst[lo:hi], g[lo:hi], a[lo:hi])
		})
	case ReLU:
		spans(len(a), step, func(lo, hi int) {
			observeCall[T](len(dst[lo:hi]) + len(g[lo:hi]) + len(a[lo:hi]))
			reluBackwardKernel(dst[lo:hi], g[lo:hi], a[lo:hi])
		})
	}
}
