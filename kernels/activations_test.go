package kernels_test

// The elementwise activation kernels: special values, ReLU's NaN and −0
// rules and the derivatives' exact formulas, bit for bit; every length
// 0..300 and some past the wrappers' chunks at every start offset, in place
// and not, with guards around the output; agreement of the
// implementations; and the panics.

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/simdnn/simdnn/internal/floattest"
	"github.com/simdnn/simdnn/kernels"
)

// fromBits returns the T whose encoding is b (its low 32 bits for float32).
func fromBits[T floattest.Float](b uint64) T {
	var v T
	switch p := any(&v).(type) {
	case *float32:
		*p = math.Float32frombits(uint32(b))
	case *float64:
		*p = math.Float64frombits(b)
	}
	return v
}

// nans returns NaNs of T with assorted signs and payloads, quiet and
// signalling: the kernels must pass each one through unchanged, bit for bit.
func nans[T floattest.Float]() []T {
	if elemSize[T]() == 4 {
		return []T{
			fromBits[T](0x7fc00000), fromBits[T](0xffc00000), fromBits[T](0x7f800001),
			fromBits[T](0xff800001), fromBits[T](0x7fbfffff), fromBits[T](0x7fc12345),
			fromBits[T](0xffffffff), fromBits[T](0x7fa00000),
		}
	}
	return []T{
		fromBits[T](0x7ff8000000000000), fromBits[T](0xfff8000000000000), fromBits[T](0x7ff0000000000001),
		fromBits[T](0xfff0000000000001), fromBits[T](0x7ff7ffffffffffff), fromBits[T](0x7ff8123456789abc),
		fromBits[T](0xffffffffffffffff), fromBits[T](0x7ff4000000000000),
	}
}

// specials returns values of T where elementwise kernels go wrong: ±0, the
// smallest subnormal, the largest subnormal, the smallest normal, ±1, the
// largest finite value, ±Inf, and the NaNs of nans.
func specials[T floattest.Float]() []T {
	eta, minN, maxT := T(floattest.Eta[T]()), T(minNormal[T]()), T(floattest.MaxFinite[T]())
	v := []T{0, eta, minN - eta, minN, 0.5, 1, 2, maxT, T(math.Inf(1))}
	for _, x := range slices.Clone(v) {
		v = append(v, -x)
	}
	return append(v, nans[T]()...)
}

// sameOrNaN reports whether got is want bit for bit or, when want is NaN
// and payloads are not promised, got is any NaN.
func sameOrNaN[T floattest.Float](got, want T, anyNaN bool) bool {
	if anyNaN && want != want {
		return got != got
	}
	return floattest.Bits(got) == floattest.Bits(want)
}

// reluWant is ReLU as documented: x where x > 0 or x is NaN (payload and
// sign kept), +0 elsewhere, −0 included.
func reluWant[T floattest.Float](x T) T {
	if x > 0 || x != x {
		return x
	}
	return 0
}

// sigmoidBackwardWant is g·(a·(1−a)) rounded after each operation, in that
// order, as documented; the conversions keep a compiler from fusing.
func sigmoidBackwardWant[T floattest.Float](g, a T) T {
	s := T(a * T(1-a))
	return T(g * s)
}

// tanhBackwardWant is g·((1−a)·(1+a)) rounded after each operation, in
// that order, as documented.
func tanhBackwardWant[T floattest.Float](g, a T) T {
	s := T(T(1-a) * T(1+a))
	return T(g * s)
}

// reluBackwardWant is g where a > 0 (g bit for bit, NaN and −0 included)
// and +0 elsewhere: relu'(0) = 0, and a NaN a gives 0.
func reluBackwardWant[T floattest.Float](g, a T) T {
	if a > 0 {
		return g
	}
	return 0
}

// TestSigmoidSpecialValues checks σ at its special points, bit for bit:
// σ(±0) = σ(±tiny) = ½, σ(−∞) = +0, σ(+∞) = 1, σ(NaN) = the same NaN, and
// 1 and +0 exactly, never NaN or overflow, far out, where e^|x| overflows.
// Each value is checked at every position of a vector of 8 and of a tail,
// in place and not.
//
// The far values v have σ(v) within 2^−60 of 1 and σ(−v) below a fifth of
// the smallest subnormal: 1 and +0 are the correctly rounded results, and
// any other would be at least 0.8 ULP off (as would anything but ½ for a
// tiny x).
func TestSigmoidSpecialValues(t *testing.T) {
	runTypes(t,
		func(t *testing.T) {
			testSpecials(t, "σ", kernels.Ssigmoid, sigmoidSpecials[float32]([]float64{105, 150, 1e10, 1e30}))
		},
		func(t *testing.T) {
			testSpecials(t, "σ", kernels.Dsigmoid, sigmoidSpecials[float64]([]float64{746, 800, 1e10, 1e300}))
		})
}

// A specialPoint is an input and the one result it must give, bit for bit.
type specialPoint[T floattest.Float] struct{ x, want T }

// sigmoidSpecials returns σ's special points, with far the magnitudes where
// σ must be exactly 1 and +0.
func sigmoidSpecials[T floattest.Float](far []float64) []specialPoint[T] {
	eta := T(floattest.Eta[T]())
	maxT := T(floattest.MaxFinite[T]())
	inf := T(math.Inf(1))
	pts := []specialPoint[T]{
		{0, 0.5}, {T(math.Copysign(0, -1)), 0.5}, {eta, 0.5}, {-eta, 0.5},
		{inf, 1}, {-inf, 0}, {maxT, 1}, {-maxT, 0},
	}
	for _, v := range far {
		pts = append(pts, specialPoint[T]{T(v), 1}, specialPoint[T]{T(-v), 0})
	}
	for _, n := range nans[T]() {
		pts = append(pts, specialPoint[T]{n, n})
	}
	return pts
}

// TestTanhSpecialValues checks tanh at its special points, bit for bit:
// tanh(±0) = ±0 and tanh(x) = x for the smallest subnormal, the largest
// subnormal, the smallest normal and 2^−13 for float32, 2^−28 for float64
// (tanh(x) − x ≈ −x³/3 is below a tenth of an ULP of x there),
// tanh(±∞) = ±1, ±1 exactly from where
// 1 − tanh|x| < 2e^−2|x| drops below a quarter ULP of 1 (|x| ≥ 9.1 for
// float32, 19.1 for float64) out to the largest finite value, and
// tanh(NaN) = the same NaN.
func TestTanhSpecialValues(t *testing.T) {
	runTypes(t,
		func(t *testing.T) {
			testSpecials(t, "tanh", kernels.Stanh, tanhSpecials[float32](0x1p-13, []float64{9.1, 10, 20, 88, 1e10, 1e30}))
		},
		func(t *testing.T) {
			testSpecials(t, "tanh", kernels.Dtanh, tanhSpecials[float64](0x1p-28, []float64{19.1, 20, 40, 710, 1e10, 1e300}))
		})
}

// tanhSpecials returns tanh's special points, with small a power of two
// where tanh(x) must be x and far the magnitudes where it must be ±1.
func tanhSpecials[T floattest.Float](small T, far []float64) []specialPoint[T] {
	eta, minN := T(floattest.Eta[T]()), T(minNormal[T]())
	maxT := T(floattest.MaxFinite[T]())
	inf := T(math.Inf(1))
	pts := []specialPoint[T]{{inf, 1}, {maxT, 1}}
	for _, v := range []T{0, eta, minN - eta, minN, small} {
		pts = append(pts, specialPoint[T]{v, v})
	}
	for _, v := range far {
		pts = append(pts, specialPoint[T]{T(v), 1})
	}
	for _, p := range slices.Clone(pts) {
		pts = append(pts, specialPoint[T]{-p.x, -p.want})
	}
	for _, n := range nans[T]() {
		pts = append(pts, specialPoint[T]{n, n})
	}
	return pts
}

// testSpecials checks f, named name, at the points pts.
func testSpecials[T floattest.Float](t *testing.T, name string, f func(dst, x []T), pts []specialPoint[T]) {
	fr := &failures{t: t}
	for _, p := range pts {
		// p at every position of a vector of 8 (the main loop) and 7 (the
		// masked tail), the other elements ordinary values.
		for _, n := range []int{8, 7, 1, 19} {
			for pos := range n {
				x := make([]T, n)
				for i := range x {
					x[i] = T(i) - 3
				}
				x[pos] = p.x
				dst := make([]T, n)
				f(dst, x)
				if floattest.Bits(dst[pos]) != floattest.Bits(p.want) {
					fr.Errorf("%s: %s(%v) (bits %#x) at %d of %d = %v (bits %#x), want %v (bits %#x)",
						typeName[T](), name, p.x, floattest.Bits(p.x), pos, n, dst[pos], floattest.Bits(dst[pos]), p.want, floattest.Bits(p.want))
				}
				f(x, x)
				if floattest.Bits(x[pos]) != floattest.Bits(p.want) {
					fr.Errorf("%s: %s(%v) (bits %#x) in place at %d of %d = %v, want %v",
						typeName[T](), name, p.x, floattest.Bits(p.x), pos, n, x[pos], p.want)
				}
			}
		}
	}
}

// TestReluSpecialValues checks ReLU bit for bit on every special value at
// every position of a main-loop vector and of a tail: NaN passes through
// with its payload and sign, −0 and negatives give +0, positives and +Inf
// themselves.
func TestReluSpecialValues(t *testing.T) {
	runTypes(t,
		func(t *testing.T) { testReluSpecials(t, kernels.Srelu) },
		func(t *testing.T) { testReluSpecials(t, kernels.Drelu) })
}

func testReluSpecials[T floattest.Float](t *testing.T, relu func(dst, x []T)) {
	fr := &failures{t: t}
	for _, v := range specials[T]() {
		for _, n := range []int{8, 7, 1, 19} {
			for pos := range n {
				x := make([]T, n)
				for i := range x {
					x[i] = T(i) - 3
				}
				x[pos] = v
				dst := make([]T, n)
				relu(dst, x)
				want := reluWant(v)
				if floattest.Bits(dst[pos]) != floattest.Bits(want) {
					fr.Errorf("%s: relu(%v) (bits %#x) at %d of %d = %v (bits %#x), want %v (bits %#x)",
						typeName[T](), v, floattest.Bits(v), pos, n, dst[pos], floattest.Bits(dst[pos]), want, floattest.Bits(want))
				}
			}
		}
	}
}

// TestActivationBackwardSpecialValues checks the derivatives on every pair
// of special values (g, a), bit for bit: sigmoid backward is g·(a·(1−a))
// and tanh backward g·((1−a)·(1+a)) (any NaN where that is NaN: payloads of
// arithmetic results are not promised), ReLU backward is g itself, NaN or −0 included, where a > 0, and
// +0 where a is 0, −0, negative or NaN.
func TestActivationBackwardSpecialValues(t *testing.T) {
	runTypes(t,
		func(t *testing.T) {
			testBackwardSpecials(t, "SsigmoidBackward", kernels.SsigmoidBackward, sigmoidBackwardWant[float32], true)
			testBackwardSpecials(t, "StanhBackward", kernels.StanhBackward, tanhBackwardWant[float32], true)
			testBackwardSpecials(t, "SreluBackward", kernels.SreluBackward, reluBackwardWant[float32], false)
		},
		func(t *testing.T) {
			testBackwardSpecials(t, "DsigmoidBackward", kernels.DsigmoidBackward, sigmoidBackwardWant[float64], true)
			testBackwardSpecials(t, "DtanhBackward", kernels.DtanhBackward, tanhBackwardWant[float64], true)
			testBackwardSpecials(t, "DreluBackward", kernels.DreluBackward, reluBackwardWant[float64], false)
		})
}

func testBackwardSpecials[T floattest.Float](t *testing.T, name string, f func(dst, g, a []T), want func(g, a T) T, anyNaN bool) {
	fr := &failures{t: t}
	vals := append(specials[T](), 0.25, 0.75, 3, -0.3, T(0.1))
	// Every pair, laid out in vectors of 13 so that each pair meets the
	// main loop and the tail.
	var g, a []T
	for _, gv := range vals {
		for _, av := range vals {
			g, a = append(g, gv), append(a, av)
		}
	}
	for start := 0; start < len(g); start += 13 {
		end := min(len(g), start+13)
		dst := make([]T, end-start)
		f(dst, g[start:end], a[start:end])
		for i, got := range dst {
			gv, av := g[start+i], a[start+i]
			if w := want(gv, av); !sameOrNaN(got, w, anyNaN) {
				fr.Errorf("%s(g = %v (bits %#x), a = %v (bits %#x)) = %v (bits %#x), want %v (bits %#x)",
					name, gv, floattest.Bits(gv), av, floattest.Bits(av), got, floattest.Bits(got), w, floattest.Bits(w))
			}
		}
	}
	// Spot checks of the documented rules, spelled out.
	nan := nans[T]()[2]
	for _, c := range []struct {
		g, a, want T
		what       string
	}{
		{2, 0, 0, "relu'(0) = 0"},
		{2, T(math.Copysign(0, -1)), 0, "relu'(−0) = 0"},
		{2, nans[T]()[0], 0, "a NaN gives 0"},
		{nan, 1, nan, "NaN g with a > 0 is that NaN"},
		{T(math.Copysign(0, -1)), 1, T(math.Copysign(0, -1)), "−0 g with a > 0 is −0"},
		{-3, T(floattest.Eta[T]()), -3, "a subnormal a > 0 passes g"},
	} {
		if name[1:] != "reluBackward" {
			break
		}
		dst := []T{7}
		f(dst, []T{c.g}, []T{c.a})
		if floattest.Bits(dst[0]) != floattest.Bits(c.want) {
			fr.Errorf("%s: %s: got %v (bits %#x), want %v (bits %#x)", name, c.what, dst[0], floattest.Bits(dst[0]), c.want, floattest.Bits(c.want))
		}
	}
}

// A unaryKernel is Ssigmoid, Stanh, Srelu or their float64 versions.
type unaryKernel[T floattest.Float] struct {
	name string
	f    func(dst, x []T)
}

// A binaryKernel is one of the derivatives, dst = f(g, a).
type binaryKernel[T floattest.Float] struct {
	name   string
	f      func(dst, g, a []T)
	want   func(g, a T) T
	anyNaN bool // NaN results may carry any payload
}

// actLens returns the lengths the layout sweep runs: every length 0..300
// and those of vecLens past it (4096+7 and 2·maxCallBytes+13 bytes' worth,
// three wrapper chunks), plus 3·2^15+5, which crosses the smaller chunks
// the wrappers cut sigmoid into (2^15 elements) but not the others. Under
// -short, not the longest.
func actLens[T floattest.Float]() []int {
	lens := append(vecLens[T](), 3<<15+5)
	if testing.Short() {
		lens = slices.DeleteFunc(lens, func(n int) bool { return n > 3<<15+5 })
	}
	return lens
}

// actPool returns pool inputs for the layout sweep: mostly ordinary values
// of every magnitude that matters to σ, with special values sprinkled in.
func actPool[T floattest.Float](rng *rand.Rand, n int, probs bool) []T {
	sp := specials[T]()
	p := make([]T, n)
	for i := range p {
		switch r := rng.IntN(100); {
		case r < 3:
			p[i] = sp[rng.IntN(len(sp))]
		case probs && r < 80:
			p[i] = T(rng.Float64()) // an activation a in [0, 1)
		default:
			p[i] = T(rng.NormFloat64() * math.Pow(10, 3*rng.Float64()-1))
		}
	}
	return p
}

// TestActivationLayouts runs every elementwise kernel on every length of
// actLens, at every start offset of dst and of the inputs (all pairs up to
// length 40), in place (dst = x; for the derivatives dst = g and dst = a)
// and not, and checks bit for bit that each result is what the element's
// value alone determines, that no guard around dst changed and that the
// inputs did not change. The expected values: ReLU and the derivatives by
// their documented formulas (reluWant, sigmoidBackwardWant,
// tanhBackwardWant, reluBackwardWant); σ and tanh by the pure-Go path over
// the whole pool, which the sweeps have checked, so that the assembly's
// tails, chunks and alignments are held to the fallback's bits.
func TestActivationLayouts(t *testing.T) {
	t.Cleanup(func() { _ = kernels.UseImplementation("") })
	rng := newRand(71)
	const pad = 64
	x32 := actPool[float32](rng, slices.Max(actLens[float32]())+pad, false)
	x64 := actPool[float64](rng, slices.Max(actLens[float64]())+pad, false)
	a32 := actPool[float32](rng, len(x32), true)
	a64 := actPool[float64](rng, len(x64), true)
	// σ and tanh of the pools by the pure-Go path, in pieces shorter than
	// any chunk the wrappers cut, so that the expected values do not depend
	// on the chunking under test.
	require.NoError(t, kernels.UseImplementation("go"))
	sig32, tanh32 := inPieces(kernels.Ssigmoid, x32), inPieces(kernels.Stanh, x32)
	sig64, tanh64 := inPieces(kernels.Dsigmoid, x64), inPieces(kernels.Dtanh, x64)
	require.NoError(t, kernels.UseImplementation(""))

	runTypes(t,
		func(t *testing.T) {
			layoutsUnary(t, unaryKernel[float32]{"Ssigmoid", kernels.Ssigmoid}, x32, func(i int) float32 { return sig32[i] }, 72)
			layoutsUnary(t, unaryKernel[float32]{"Stanh", kernels.Stanh}, x32, func(i int) float32 { return tanh32[i] }, 81)
			layoutsUnary(t, unaryKernel[float32]{"Srelu", kernels.Srelu}, x32, func(i int) float32 { return reluWant(x32[i]) }, 73)
			layoutsBinary(t, binaryKernel[float32]{"SsigmoidBackward", kernels.SsigmoidBackward, sigmoidBackwardWant[float32], true}, x32, a32, 74)
			layoutsBinary(t, binaryKernel[float32]{"StanhBackward", kernels.StanhBackward, tanhBackwardWant[float32], true}, x32, a32, 82)
			layoutsBinary(t, binaryKernel[float32]{"SreluBackward", kernels.SreluBackward, reluBackwardWant[float32], false}, x32, a32, 75)
		},
		func(t *testing.T) {
			layoutsUnary(t, unaryKernel[float64]{"Dsigmoid", kernels.Dsigmoid}, x64, func(i int) float64 { return sig64[i] }, 76)
			layoutsUnary(t, unaryKernel[float64]{"Dtanh", kernels.Dtanh}, x64, func(i int) float64 { return tanh64[i] }, 83)
			layoutsUnary(t, unaryKernel[float64]{"Drelu", kernels.Drelu}, x64, func(i int) float64 { return reluWant(x64[i]) }, 77)
			layoutsBinary(t, binaryKernel[float64]{"DsigmoidBackward", kernels.DsigmoidBackward, sigmoidBackwardWant[float64], true}, x64, a64, 78)
			layoutsBinary(t, binaryKernel[float64]{"DtanhBackward", kernels.DtanhBackward, tanhBackwardWant[float64], true}, x64, a64, 84)
			layoutsBinary(t, binaryKernel[float64]{"DreluBackward", kernels.DreluBackward, reluBackwardWant[float64], false}, x64, a64, 79)
		})
}

// inPieces returns f(x), computed 1000 elements at a time.
func inPieces[T floattest.Float](f func(dst, x []T), x []T) []T {
	dst := make([]T, len(x))
	for lo := 0; lo < len(x); lo += 1000 {
		hi := min(lo+1000, len(x))
		f(dst[lo:hi], x[lo:hi])
	}
	return dst
}

// layoutsUnary runs k over actLens and the offsets of vecOffsets, each case
// on the pool elements pool[p:p+n] from a random p, expecting want(p+i) at
// element i.
func layoutsUnary[T floattest.Float](t *testing.T, k unaryKernel[T], pool []T, want func(i int) T, seed uint64) {
	t.Run(k.name, func(t *testing.T) {
		fr := &failures{t: t}
		rng := newRand(seed)
		for _, n := range actLens[T]() {
			for _, o := range vecOffsets(n) {
				p := rng.IntN(len(pool) - n + 1)
				for _, inPlace := range []bool{false, true} {
					where := lazyString(func() string {
						return fmt.Sprintf("%s n=%d off(x,dst)=(%d,%d) in place=%t", k.name, n, o[0], o[1], inPlace)
					})
					vX := newGuarded(n, o[0], inputGuard[T]())
					copy(vX.S(), pool[p:p+n])
					vD := vX
					if !inPlace {
						vD = newGuarded(n, o[1], outputGuard[T]())
					}
					vX.Snapshot()
					vD.Snapshot()
					k.f(vD.S(), vX.S())
					vD.CheckGuards(fr, where, "dst")
					if !inPlace {
						vX.CheckUnchanged(fr, where, "x")
					}
					for i, got := range vD.S() {
						if w := want(p + i); floattest.Bits(got) != floattest.Bits(w) {
							fr.Errorf("%v: dst[%d] = %v (bits %#x) for x = %v (bits %#x), want %v (bits %#x)",
								where, i, got, floattest.Bits(got), pool[p+i], floattest.Bits(pool[p+i]), w, floattest.Bits(w))
							break
						}
					}
				}
			}
		}
	})
}

// layoutsBinary runs k as layoutsUnary does, with g from gPool and a from
// aPool, dst apart or aliasing g or a.
func layoutsBinary[T floattest.Float](t *testing.T, k binaryKernel[T], gPool, aPool []T, seed uint64) {
	t.Run(k.name, func(t *testing.T) {
		fr := &failures{t: t}
		rng := newRand(seed)
		for _, n := range actLens[T]() {
			for _, o := range vecOffsets(n) {
				p := rng.IntN(len(gPool) - n + 1)
				for _, alias := range []string{"none", "g", "a"} {
					where := lazyString(func() string {
						return fmt.Sprintf("%s n=%d off(g,a,dst)=(%d,%d,%d) dst aliases %s",
							k.name, n, o[0], o[1], (o[0]+o[1]+5)%maxOffset, alias)
					})
					vG := newGuarded(n, o[0], inputGuard[T]())
					vA := newGuarded(n, o[1], inputGuard[T]())
					copy(vG.S(), gPool[p:p+n])
					copy(vA.S(), aPool[p:p+n])
					var vD *guarded[T]
					switch alias {
					case "g":
						vD = vG
					case "a":
						vD = vA
					default:
						vD = newGuarded(n, (o[0]+o[1]+5)%maxOffset, outputGuard[T]())
					}
					vG.Snapshot()
					vA.Snapshot()
					vD.Snapshot()
					k.f(vD.S(), vG.S(), vA.S())
					vD.CheckGuards(fr, where, "dst")
					if alias != "g" {
						vG.CheckUnchanged(fr, where, "g")
					}
					if alias != "a" {
						vA.CheckUnchanged(fr, where, "a")
					}
					for i, got := range vD.S() {
						g, a := gPool[p+i], aPool[p+i]
						if w := k.want(g, a); !sameOrNaN(got, w, k.anyNaN) {
							fr.Errorf("%v: dst[%d] = %v (bits %#x) for g = %v, a = %v, want %v (bits %#x)",
								where, i, got, floattest.Bits(got), g, a, w, floattest.Bits(w))
							break
						}
					}
				}
			}
		}
	})
}

// TestActivationImplementationsIdentical runs every elementwise kernel with
// each implementation on the same 100003 random inputs (special values
// included) and checks that the results are the same bits, except that two
// NaNs from the sigmoid and tanh derivatives' arithmetic may differ in
// payload.
func TestActivationImplementationsIdentical(t *testing.T) {
	impls := kernels.Implementations()
	if len(impls) < 2 {
		t.Skipf("only %v on this machine", impls)
	}
	t.Cleanup(func() { _ = kernels.UseImplementation("") })
	rng := newRand(80)
	const n = 100003
	t.Run("f32", func(t *testing.T) {
		identical(t, impls, actPool[float32](rng, n, false), actPool[float32](rng, n, true))
	})
	t.Run("f64", func(t *testing.T) {
		identical(t, impls, actPool[float64](rng, n, false), actPool[float64](rng, n, true))
	})
}

func identical[T floattest.Float](t *testing.T, impls []string, x, a []T) {
	fr := &failures{t: t}
	type kernel struct {
		name   string
		run    func(dst []T)
		anyNaN bool
	}
	f := kernels.For[T]()
	for _, k := range []kernel{
		{"sigmoid", func(dst []T) { f.Sigmoid(dst, x) }, false},
		{"tanh", func(dst []T) { f.Tanh(dst, x) }, false},
		{"relu", func(dst []T) { f.Relu(dst, x) }, false},
		{"sigmoidBackward", func(dst []T) { f.SigmoidBackward(dst, x, a) }, true},
		{"tanhBackward", func(dst []T) { f.TanhBackward(dst, x, a) }, true},
		{"reluBackward", func(dst []T) { f.ReluBackward(dst, x, a) }, false},
	} {
		results := make([][]T, len(impls))
		for i, name := range impls {
			require.NoError(t, kernels.UseImplementation(name))
			results[i] = make([]T, len(x))
			k.run(results[i])
		}
		for i := 1; i < len(impls); i++ {
			for j := range x {
				if !sameOrNaN(results[i][j], results[0][j], k.anyNaN) {
					fr.Errorf("%s %s: element %d (x = %v, a = %v): %s returns %v (bits %#x), %s %v (bits %#x)",
						typeName[T](), k.name, j, x[j], a[j], impls[0], results[0][j], floattest.Bits(results[0][j]),
						impls[i], results[i][j], floattest.Bits(results[i][j]))
				}
			}
		}
	}
}

// TestActivationPanics checks that every elementwise kernel panics, with
// the exact message and before writing anything, when the lengths differ:
// len(dst) against len(x); for the derivatives len(g), then len(a), against
// len(dst).
func TestActivationPanics(t *testing.T) {
	for _, c := range []struct{ lenDst, lenX int }{{3, 4}, {4, 3}, {0, 1}, {1, 0}, {300, 299}} {
		msg := func(fn string) string {
			return fmt.Sprintf("kernels: %s: len(dst) = %d, want len(x) = %d", fn, c.lenDst, c.lenX)
		}
		checkUnaryPanic(t, "Ssigmoid", kernels.Ssigmoid, c.lenDst, c.lenX, msg("Ssigmoid"))
		checkUnaryPanic(t, "Dsigmoid", kernels.Dsigmoid, c.lenDst, c.lenX, msg("Dsigmoid"))
		checkUnaryPanic(t, "Stanh", kernels.Stanh, c.lenDst, c.lenX, msg("Stanh"))
		checkUnaryPanic(t, "Dtanh", kernels.Dtanh, c.lenDst, c.lenX, msg("Dtanh"))
		checkUnaryPanic(t, "Srelu", kernels.Srelu, c.lenDst, c.lenX, msg("Srelu"))
		checkUnaryPanic(t, "Drelu", kernels.Drelu, c.lenDst, c.lenX, msg("Drelu"))
	}
	for _, c := range []struct {
		lenDst, lenG, lenA int
		msg                string
	}{
		{4, 3, 4, "kernels: %s: len(g) = 3, want len(dst) = 4"},
		{4, 5, 4, "kernels: %s: len(g) = 5, want len(dst) = 4"},
		{4, 4, 3, "kernels: %s: len(a) = 3, want len(dst) = 4"},
		{4, 4, 5, "kernels: %s: len(a) = 5, want len(dst) = 4"},
		{4, 3, 5, "kernels: %s: len(g) = 3, want len(dst) = 4"}, // g is checked first
		{0, 1, 1, "kernels: %s: len(g) = 1, want len(dst) = 0"},
		{2, 3, 3, "kernels: %s: len(g) = 3, want len(dst) = 2"}, // g and a agree, dst does not
		{1, 1, 0, "kernels: %s: len(a) = 0, want len(dst) = 1"},
	} {
		checkBinaryPanic(t, "SsigmoidBackward", kernels.SsigmoidBackward, c.lenDst, c.lenG, c.lenA, c.msg)
		checkBinaryPanic(t, "DsigmoidBackward", kernels.DsigmoidBackward, c.lenDst, c.lenG, c.lenA, c.msg)
		checkBinaryPanic(t, "StanhBackward", kernels.StanhBackward, c.lenDst, c.lenG, c.lenA, c.msg)
		checkBinaryPanic(t, "DtanhBackward", kernels.DtanhBackward, c.lenDst, c.lenG, c.lenA, c.msg)
		checkBinaryPanic(t, "SreluBackward", kernels.SreluBackward, c.lenDst, c.lenG, c.lenA, c.msg)
		checkBinaryPanic(t, "DreluBackward", kernels.DreluBackward, c.lenDst, c.lenG, c.lenA, c.msg)
	}
}

// checkUnaryPanic calls f with dst and x of the given lengths and requires
// the panic msg, with dst unchanged.
func checkUnaryPanic[T floattest.Float](t *testing.T, name string, f func(dst, x []T), lenDst, lenX int, msg string) {
	t.Helper()
	dst, x := make([]T, lenDst), make([]T, lenX)
	for i := range dst {
		dst[i] = T(i + 1)
	}
	dst0 := slices.Clone(dst)
	require.PanicsWithValue(t, msg, func() { f(dst, x) }, "%s len(dst)=%d len(x)=%d", name, lenDst, lenX)
	require.Equal(t, dst0, dst, "%s wrote dst before the panic", name)
}

// checkBinaryPanic is checkUnaryPanic for the derivatives; msg has a %s for
// the name.
func checkBinaryPanic[T floattest.Float](t *testing.T, name string, f func(dst, g, a []T), lenDst, lenG, lenA int, msg string) {
	t.Helper()
	dst, g, a := make([]T, lenDst), make([]T, lenG), make([]T, lenA)
	for i := range dst {
		dst[i] = T(i + 1)
	}
	dst0 := slices.Clone(dst)
	require.PanicsWithValue(t, fmt.Sprintf(msg, name), func() { f(dst, g, a) },
		"%s len(dst)=%d len(g)=%d len(a)=%d", name, lenDst, lenG, lenA)
	require.Equal(t, dst0, dst, "%s wrote dst before the panic", name)
}
