package kernels_test

// The exhaustive float32 sigmoid test: every one of the 2³² float32 inputs
// through the assembly, and every 61st bit pattern (all of them with
// -sigmoid-full-go) through the pure-Go fallback, each result measured in
// ULPs against σ(x) computed in float64, and the fallback's results compared
// bit for bit with the assembly's.
//
// Run it alone, with the pure-Go path swept in full as well (about 3
// CPU-minutes, with the float64 reference; 90 s on a quiet two-core AMD EPYC
// Zen 4, and tanh's 60 s):
//
//	go test ./kernels/ -run TestSsigmoidSweep -v -sigmoid-full-go

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/simdnn/simdnn/kernels"
)

var sigmoidFullGo = flag.Bool("sigmoid-full-go", false,
	"sweep all 2³² float32 inputs through the pure-Go Ssigmoid and Stanh too, not only every 61st (minutes)")

const (
	// sigmoidStripe is the stride, in bit patterns, of the pure-Go sweep in
	// a normal run: a prime, so that the patterns it visits run through
	// every residue of the low mantissa bits and every exponent.
	sigmoidStripe = 61
	// sigmoidShortStripe is the stride of both sweeps under -short (65536
	// inputs each, spread over every exponent).
	sigmoidShortStripe = 65521
	// sigmoidBound is the accuracy Ssigmoid and Stanh promise: at most 1
	// ULP from σ(x) (tanh(x)) itself.
	sigmoidBound = 1.0
	// sweepChunk is the number of inputs one Ssigmoid call of the sweep
	// takes: fewer than the 2²³ bit patterns of one binade, so that the
	// inputs of a chunk of consecutive patterns share sign and exponent.
	sweepChunk = 1 << 16
	// sweepBatchChunks is the number of chunks in one batch: the unit of
	// work between two switches of the implementation.
	sweepBatchChunks = 64
)

// refSigmoidPair returns σ(−a) and σ(a) = 1 − σ(−a) in float64 for
// 0 ≤ a < 745, each with a relative error of a few float64 ULPs, 2^−50 at
// most: far below the 2^−24 of a float32 ULP, so that float32 errors
// measured against them are exact to about 2^−26 ULP. TestSigmoidReference
// checks this claim against the 50-digit table of sigmoid64.txt.
//
// For a < 2^−6 it sums the Maclaurin series σ(±a) = ½ ± (a/4 − a³/48 +
// a⁵/480 − 17a⁷/80640 + …), alternating with decreasing terms, so the first
// term left out, 31a⁹/1451520 < 2^−69, bounds the truncation error.
// Elsewhere e = e^(−a) from math.Exp (error below 1 float64 ULP), then
// σ(−a) = e/(1+e), which keeps the relative accuracy of the tiny values,
// and σ(a) = 1/(1+e): one exponential serves both signs.
func refSigmoidPair(a float64) (neg, pos float64) {
	if a < 0x1p-6 {
		a2 := a * a
		s := a * (0.25 + a2*(-1.0/48+a2*(1.0/480+a2*(-17.0/80640))))
		return 0.5 - s, 0.5 + s
	}
	e := math.Exp(-a)
	return e / (1 + e), 1 / (1 + e)
}

// refSigmoid returns σ(x) by refSigmoidPair, for |x| < 745.
func refSigmoid(x float64) float64 {
	neg, pos := refSigmoidPair(math.Abs(x))
	if x < 0 {
		return neg
	}
	return pos
}

// ulpErr32 returns |y − ref| in units of the float32 spacing at ref (its
// ULP: 2^(e−23) for ref in [2^e, 2^(e+1)), and 2^−149, the subnormal
// spacing, below 2^−126), for a non-negative float64 ref; +Inf when y is
// NaN, negative (−0 included) or above 1, none of which a sigmoid may
// return.
func ulpErr32(y float32, ref float64) float64 {
	if math.Float32bits(y) > 0x3f800000 {
		return math.Inf(1)
	}
	e := max(int(math.Float64bits(ref)>>52)-1023, -126)
	return math.Abs(float64(y)-ref) * math.Float64frombits(uint64(1023+23-e)<<52) // × 2^(23−e), exactly
}

// sigmoidErr32 returns how many ULPs y, a computed float32 σ(x) for a
// non-NaN x, is from the exact σ(x) (+Inf for a result no sigmoid may
// return, see ulpErr32).
//
// Two ranges need no exponential: for x ≥ 32 the exact value lies within
// e^−32 < 2^−46 below 1, whose correctly rounded float32 is 1, and for
// x ≤ −128 it lies below e^−128 < 2^−184, which rounds to +0; there the
// error is measured against 1 and 0, which changes it by less than 2^−22
// ULP (2^−35 ULP of the subnormal spacing).
func sigmoidErr32(x, y float32) float64 {
	switch {
	case math.Float32bits(y) > 0x3f800000:
		return math.Inf(1)
	case x >= 32:
		return (1 - float64(y)) * 0x1p24 // ULP 2^−24 just below 1
	case x <= -128:
		return float64(y) * 0x1p149
	}
	return ulpErr32(y, refSigmoid(float64(x)))
}

// sweepStats is what one worker of the sweep found.
type sweepStats struct {
	checked    uint64  // inputs checked
	maxErr     float64 // the largest error, in ULPs
	maxX, maxY float32 // where it occurs: the input and the result
	overHalf   uint64  // results more than ½ ULP from σ(x): not correctly rounded
	subMaxErr  float64 // the largest error of a subnormal result, in ULPs of 2^−149
	subMaxX    float32 // where it occurs
	subOver    uint64  // subnormal results more than ½ ULP from σ(x)
	nonMono    uint64  // adjacent inputs whose results go the wrong way
	bad        uint64  // results outside the bound, or not bitwise the assembly's
	examples   []string
}

func (s *sweepStats) fail(format string, args ...any) {
	s.bad++
	if len(s.examples) < maxFailures {
		s.examples = append(s.examples, fmt.Sprintf(format, args...))
	}
}

// record counts the result y for x with error e.
func (s *sweepStats) record(x, y float32, e float64) {
	if e > 0.5 {
		s.overHalf++
	}
	if e > s.maxErr {
		s.maxErr, s.maxX, s.maxY = e, x, y
	}
	if b := math.Float32bits(y); b != 0 && b < 0x00800000 {
		if e > 0.5 {
			s.subOver++
		}
		if e > s.subMaxErr {
			s.subMaxErr, s.subMaxX = e, x
		}
	}
	if !(e <= sigmoidBound) {
		s.fail("σ(%v) (bits %#08x) = %v (%#08x): %.4g ULP from σ(x) = %.17g, want ≤ %v",
			x, math.Float32bits(x), y, math.Float32bits(y), e, refSigmoid(float64(x)), sigmoidBound)
	}
}

func (s *sweepStats) merge(o *sweepStats) {
	s.checked += o.checked
	s.overHalf += o.overHalf
	s.nonMono += o.nonMono
	s.bad += o.bad
	s.examples = append(s.examples, o.examples...)
	if o.maxErr > s.maxErr || o.maxErr == s.maxErr && math.Float32bits(o.maxX) < math.Float32bits(s.maxX) {
		s.maxErr, s.maxX, s.maxY = o.maxErr, o.maxX, o.maxY
	}
	s.subOver += o.subOver
	if o.subMaxErr > s.subMaxErr {
		s.subMaxErr, s.subMaxX = o.subMaxErr, o.subMaxX
	}
}

// forChunks calls f(w, c) for every c in [0, n) from runtime.NumCPU()
// goroutines, w being the goroutine's index, and returns when all are done.
func forChunks(n int, f func(w, c int)) {
	workers := min(runtime.NumCPU(), n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for c := int(next.Add(1) - 1); c < n; c = int(next.Add(1) - 1) {
				f(w, c)
			}
		})
	}
	wg.Wait()
}

// sweepSsigmoid runs Ssigmoid with implementation impl on the float32 bit
// patterns 0, stride, 2·stride, … below 2³², chunk by chunk on every core,
// and checks every result: NaN inputs must come back unchanged, bit for bit;
// any other result must be within sigmoidBound ULPs of σ(x), non-negative
// and at most 1. When against is not "", every result must also equal, bit
// for bit, what implementation against returns for the same input.
func sweepSsigmoid(t *testing.T, impl, against string, stride uint64) sweepStats {
	t.Helper()
	t.Cleanup(func() { _ = kernels.UseImplementation("") })
	use := func(name string) {
		t.Helper()
		if err := kernels.UseImplementation(name); err != nil {
			t.Fatal(err)
		}
	}
	total := int((1<<32 + stride - 1) / stride)
	workers := runtime.NumCPU()
	stats := make([]sweepStats, workers)
	// Each worker has its own buffers, which stay in its core's cache from
	// one chunk to the next.
	bufs := make([][4][]float32, workers)
	for w := range bufs {
		for i := range bufs[w] {
			bufs[w][i] = make([]float32, sweepChunk)
		}
	}
	// inputs fills x with the inputs first, first+stride, … (as bit
	// patterns) and returns them, and y, cut to the same length.
	inputs := func(x, y []float32, first int) ([]float32, []float32) {
		n := min(sweepChunk, total-first)
		x, y = x[:n], y[:n]
		b := uint32(uint64(first) * stride)
		for k := range x {
			x[k] = math.Float32frombits(b)
			b += uint32(stride)
		}
		return x, y
	}
	switch {
	case stride == 1 && against == "":
		// Chunk c holds the magnitudes c·sweepChunk + k, both signs.
		use(impl)
		forChunks(total/2/sweepChunk, func(w, c int) {
			xp, yp := inputs(bufs[w][0], bufs[w][1], c*sweepChunk)
			xn, yn := bufs[w][2], bufs[w][3]
			for k, v := range xp {
				xn[k] = math.Float32frombits(math.Float32bits(v) | 1<<31)
			}
			kernels.Ssigmoid(yp, xp)
			kernels.Ssigmoid(yn, xn)
			checkMagnitudes(&stats[w], xp, yp, xn, yn)
		})
	case against == "":
		use(impl)
		forChunks((total+sweepChunk-1)/sweepChunk, func(w, c int) {
			x, y := inputs(bufs[w][0], bufs[w][1], c*sweepChunk)
			kernels.Ssigmoid(y, x)
			checkSweepChunk(&stats[w], x, y, nil, stride == 1)
		})
	default:
		// Batches of chunks: the results of against for a whole batch,
		// then impl's, checked against them, switching implementations
		// in between, while no kernel runs.
		chunks := (total + sweepChunk - 1) / sweepChunk
		want := make([]float32, sweepBatchChunks*sweepChunk)
		for c0 := 0; c0 < chunks; c0 += sweepBatchChunks {
			nc := min(sweepBatchChunks, chunks-c0)
			use(against)
			forChunks(nc, func(w, c int) {
				x, _ := inputs(bufs[w][0], bufs[w][1], (c0+c)*sweepChunk)
				kernels.Ssigmoid(want[c*sweepChunk:][:len(x)], x)
			})
			use(impl)
			forChunks(nc, func(w, c int) {
				x, y := inputs(bufs[w][0], bufs[w][1], (c0+c)*sweepChunk)
				kernels.Ssigmoid(y, x)
				checkSweepChunk(&stats[w], x, y, want[c*sweepChunk:][:len(x)], stride == 1)
			})
		}
	}
	var s sweepStats
	for i := range stats {
		s.merge(&stats[i])
	}
	if s.checked != uint64(total) {
		t.Fatalf("checked %d inputs, want %d", s.checked, total)
	}
	return s
}

// checkSweepChunk checks the results y of Ssigmoid for the inputs x, and
// that they equal want bit for bit when want is not nil. When adjacent is
// set, x holds consecutive bit patterns, and a result that breaks the
// monotonicity of σ with respect to its neighbour is counted (not an error:
// the kernels do not promise it).
//
// Most inputs take one of three quick paths, on their bits, before
// sigmoidErr32: |x| < 2^−25 with the result ½ (σ(x) − ½ ≈ x/4, so the
// error is |x|/4 in ULPs of ½ above ½ or of ¼ below it, exact to a relative
// 2^−50), x ≥ 32 with the result 1, and x ≤ −128 with the result +0 (both
// errors below 2^−22 ULP, counted as 0; see sigmoidErr32).
func checkSweepChunk(s *sweepStats, x, y, want []float32, adjacent bool) {
	s.checked += uint64(len(x))
	y = y[:len(x)]
	for k, xk := range x {
		xb, yb := math.Float32bits(xk), math.Float32bits(y[k])
		if want != nil && yb != math.Float32bits(want[k]) {
			s.fail("σ(%v) (bits %#08x) = %v (%#08x), but the other implementation returns %v (%#08x)",
				xk, xb, y[k], yb, want[k], math.Float32bits(want[k]))
		}
		var e float64
		switch ax := xb &^ (1 << 31); {
		case ax > 0x7f800000: // NaN
			if yb != xb {
				s.fail("σ(NaN %#08x) = %v (%#08x), want the input NaN, payload and all", xb, y[k], yb)
			}
			continue
		case ax < 0x33000000 && yb == 0x3f000000: // |x| < 2^−25, y = ½
			e = float64(xk) * 0x1p22
			if xb>>31 != 0 {
				e = -float64(xk) * 0x1p23
			}
		case xb >= 0x42000000 && xb <= 0x7f800000 && yb == 0x3f800000: // x ≥ 32, y = 1
		case xb >= 0xc3000000 && yb == 0: // x ≤ −128, y = +0
		default:
			e = sigmoidErr32(xk, y[k])
		}
		if adjacent && k > 0 && wrongWay(xk, y[k-1], y[k]) {
			s.nonMono++
		}
		s.record(xk, y[k], e)
	}
}

// wrongWay reports whether σ(x) = y after σ(x⁻) = prev, for x⁻ the input
// of the bit pattern before x's (of the same sign), breaks monotonicity:
// along increasing bit patterns |x| grows, so σ(x) grows for x > 0 and
// shrinks for x < 0. NaN results count too; they are errors anyway.
func wrongWay(x, prev, y float32) bool {
	d := y - prev
	if math.Signbit(float64(x)) {
		return d > 0
	}
	return d < 0
}

// Constant chunks the quick paths of checkMagnitudes compare results with.
var (
	chunkOfHalves = constChunk(0.5)
	chunkOfOnes   = constChunk(1)
	chunkOfZeros  = constChunk(0)
)

func constChunk(v float32) []byte {
	s := make([]float32, sweepChunk)
	for i := range s {
		s[i] = v
	}
	return asBytes(s)
}

func asBytes(s []float32) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), 4*len(s))
}

// isAll reports whether y holds nothing but the bits of c's elements.
func isAll(y []float32, c []byte) bool {
	return bytes.Equal(asBytes(y), c[:4*len(y)])
}

// checkMagnitudes checks the results yp of Ssigmoid for the consecutive
// non-negative inputs xp, of one sign and binade, and yn for xn = −xp. By
// binade:
//
//   - |x| < 2^−25: every result must be ½, which is |x|/4 in ULPs of ½ from
//     σ(x) for x > 0 and of ¼ for x < 0: the largest error is the last
//     negative input's;
//   - |x| ≥ 128 (and not NaN): every σ(x) must be 1 and every σ(−x) +0, as
//     in sigmoidErr32;
//   - 32 ≤ |x| < 128: every σ(x) must be 1, and σ(−x) is checked one by one;
//   - between: one by one, σ(−|x|) and σ(|x|) from one refSigmoidPair;
//   - Inf and NaN, and any chunk that fails its quick check: by
//     checkSweepChunk, which also reports the errors.
func checkMagnitudes(s *sweepStats, xp, yp, xn, yn []float32) {
	const (
		tiny   = 127 - 25 // binade of 2^−25
		thirty = 127 + 5  // of 32
		large  = 127 + 7  // of 128
	)
	switch exp := math.Float32bits(xp[0]) >> 23; {
	case exp == 255:
	case exp < tiny:
		if isAll(yp, chunkOfHalves) && isAll(yn, chunkOfHalves) {
			s.checked += uint64(2 * len(xp))
			last := len(xn) - 1
			s.record(xn[last], yn[last], -float64(xn[last])*0x1p23)
			return
		}
	case exp >= large:
		if isAll(yp, chunkOfOnes) && isAll(yn, chunkOfZeros) {
			s.checked += uint64(2 * len(xp))
			return
		}
	case exp >= thirty:
		if isAll(yp, chunkOfOnes) {
			s.checked += uint64(len(xp))
			checkSweepChunk(s, xn, yn, nil, true)
			return
		}
	default:
		checkPairs(s, xp, yp, xn, yn)
		return
	}
	checkSweepChunk(s, xp, yp, nil, true)
	checkSweepChunk(s, xn, yn, nil, true)
}

// checkPairs checks yp = σ(xp) and yn = σ(xn) for xn = −xp elementwise, for
// finite non-negative consecutive xp, with one refSigmoidPair for both.
func checkPairs(s *sweepStats, xp, yp, xn, yn []float32) {
	s.checked += uint64(2 * len(xp))
	yp, xn, yn = yp[:len(xp)], xn[:len(xp)], yn[:len(xp)]
	for k, x := range xp {
		neg, pos := refSigmoidPair(float64(x))
		s.record(x, yp[k], ulpErr32(yp[k], pos))
		s.record(xn[k], yn[k], ulpErr32(yn[k], neg))
		if k > 0 && (wrongWay(x, yp[k-1], yp[k]) || wrongWay(xn[k], yn[k-1], yn[k])) {
			s.nonMono++
		}
	}
}

// report logs what a sweep found and fails the test on any error.
func (s *sweepStats) report(t *testing.T, what string) {
	t.Helper()
	t.Logf("%s: %d inputs: max error %.4f ULP at x = %v (bits %#08x): got %v, σ(x) = %.10g",
		what, s.checked, s.maxErr, s.maxX, math.Float32bits(s.maxX), s.maxY, refSigmoid(float64(s.maxX)))
	t.Logf("%s: %d results (%.3g%%) are more than ½ ULP from σ(x), so not correctly rounded; %d breaks of monotonicity between adjacent inputs",
		what, s.overHalf, 100*float64(s.overHalf)/float64(s.checked), s.nonMono)
	t.Logf("%s: subnormal results: max error %.4f ULP (of 2^−149) at x = %v; %d more than ½ ULP from σ(x)",
		what, s.subMaxErr, s.subMaxX, s.subOver)
	if s.bad > 0 {
		slices.Sort(s.examples)
		for _, e := range s.examples[:min(len(s.examples), maxFailures)] {
			t.Error(e)
		}
		t.Errorf("%s: %d bad results", what, s.bad)
	}
}

// TestSsigmoidSweep checks Ssigmoid on every float32 input with each
// assembly implementation, and on every 61st bit pattern (every one with
// -sigmoid-full-go) with the pure-Go fallback; every implementation's results
// must also be the default one's (the first) bit for bit. Each result must be within 2 ULP of σ(x); the
// test logs the largest error and where it occurs. With -short both sweep
// every 65521st bit pattern only.
func TestSsigmoidSweep(t *testing.T) {
	impls := kernels.Implementations()
	for _, impl := range impls {
		t.Run(impl, func(t *testing.T) {
			stride, against := uint64(1), ""
			if impl != impls[0] {
				against = impls[0] // every other path, bit for bit
			}
			if impl == "go" {
				stride = sigmoidStripe
				if *sigmoidFullGo {
					stride = 1
				}
			}
			if testing.Short() {
				stride = sigmoidShortStripe
			}
			s := sweepSsigmoid(t, impl, against, stride)
			what := fmt.Sprintf("Ssigmoid (%s, every %sinput)", impl, ordinal(stride))
			if against != "" {
				what += ", bitwise equal to " + against
			}
			s.report(t, what)
		})
	}
}

// ordinal returns "61st ", "65521st " and so on, or "" for 1.
func ordinal(n uint64) string {
	switch {
	case n == 1:
		return ""
	case n%10 == 1 && n%100 != 11:
		return fmt.Sprintf("%dst ", n)
	case n%10 == 2 && n%100 != 12:
		return fmt.Sprintf("%dnd ", n)
	case n%10 == 3 && n%100 != 13:
		return fmt.Sprintf("%drd ", n)
	}
	return fmt.Sprintf("%dth ", n)
}
