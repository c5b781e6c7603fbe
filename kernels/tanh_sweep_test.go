package kernels_test

// The exhaustive float32 tanh test: every non-negative float32 input x and
// its negation −x through the assembly, and every 61st bit pattern (all of
// them with -sigmoid-full-go) through the pure-Go fallback, each result
// measured in ULPs against tanh(x) in float64, tanh(−x) required to be
// −tanh(x) bit for bit, and every implementation's results compared bit for
// bit with the default one's.

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"testing"

	"github.com/simdnn/simdnn/kernels"
)

// stanhBound is the accuracy Stanh promises: at most 1 ULP from tanh(x).
const stanhBound = 1.0

// refTanh32 returns tanh(x) in float64 for 0 ≤ x < 16, with a relative
// error of a few float64 ULPs: a float32 error measured against it is exact
// to about 2^−26 ULP. Below 2^−6 it sums the Maclaurin series x − x³/3 +
// 2x⁵/15 − 17x⁷/315, whose first term left out, 62x⁹/2835, is below 2^−52
// of x; above, math.Tanh.
func refTanh32(x float64) float64 {
	if x < 0x1p-6 {
		x2 := x * x
		return x + x*x2*(-1.0/3+x2*(2.0/15+x2*(-17.0/315)))
	}
	return math.Tanh(x)
}

// tanhSweepStats is what one worker of the tanh sweep found.
type tanhSweepStats struct {
	checked  uint64  // inputs checked, both signs
	maxErr   float64 // the largest error, in ULPs
	maxX     float32 // where it occurs
	overHalf uint64  // results more than ½ ULP from tanh(x): not correctly rounded
	nonMono  uint64  // adjacent inputs whose results go the wrong way
	bad      uint64  // results outside the bound, not odd, or not the other implementation's
	examples []string
}

func (s *tanhSweepStats) fail(format string, args ...any) {
	s.bad++
	if len(s.examples) < maxFailures {
		s.examples = append(s.examples, fmt.Sprintf(format, args...))
	}
}

func (s *tanhSweepStats) merge(o *tanhSweepStats) {
	s.checked += o.checked
	s.overHalf += o.overHalf
	s.nonMono += o.nonMono
	s.bad += o.bad
	s.examples = append(s.examples, o.examples...)
	if o.maxErr > s.maxErr || o.maxErr == s.maxErr && math.Float32bits(o.maxX) < math.Float32bits(s.maxX) {
		s.maxErr, s.maxX = o.maxErr, o.maxX
	}
}

// checkTanhChunk checks yp = Stanh(xp) and yn = Stanh(−xp) for non-negative
// xp, in increasing order of bit pattern (consecutive ones when adjacent is
// set, so that monotonicity can be counted), and that yp equals want bit for
// bit when want is not nil.
//
// Two ranges need no float64 tanh: |x| < 2^−6, measured against the series
// of refTanh32, and |x| ≥ 16, where every result must be 1 (the exact value
// lies within 2e^−32 < 2^−45 below it).
func checkTanhChunk(s *tanhSweepStats, xp, yp, yn, want []float32, adjacent bool) {
	s.checked += uint64(2 * len(xp))
	yp, yn = yp[:len(xp)], yn[:len(xp)]
	for k, x := range xp {
		xb, yb := math.Float32bits(x), math.Float32bits(yp[k])
		if want != nil && yb != math.Float32bits(want[k]) {
			s.fail("tanh(%v) (bits %#08x) = %v (%#08x), but the other implementation returns %v (%#08x)",
				x, xb, yp[k], yb, want[k], math.Float32bits(want[k]))
		}
		if xb > 0x7f800000 { // NaN
			if yb != xb || math.Float32bits(yn[k]) != xb|1<<31 {
				s.fail("tanh(±NaN %#08x) = %#08x, %#08x: want the input NaNs, payload and all", xb, yb, math.Float32bits(yn[k]))
			}
			continue
		}
		if nb := math.Float32bits(yn[k]); nb != yb|1<<31 {
			s.fail("tanh(−%v) = %v (%#08x), want −tanh(%v) = −%v bit for bit", x, yn[k], nb, x, yp[k])
		}
		var e float64
		switch {
		case xb >= 0x41800000: // x ≥ 16
			if yb != 0x3f800000 {
				e = math.Inf(1)
			}
		case math.Float32bits(yp[k]) > 0x3f800000:
			e = math.Inf(1) // above 1, or negative
		default:
			e = ulpErr32(yp[k], refTanh32(float64(x)))
		}
		if e > 0.5 {
			s.overHalf++
		}
		if e > s.maxErr {
			s.maxErr, s.maxX = e, x
		}
		if !(e <= stanhBound) {
			s.fail("tanh(%v) (bits %#08x) = %v (%#08x): %.4g ULP from tanh(x) = %.17g, want ≤ %v",
				x, xb, yp[k], yb, e, math.Tanh(float64(x)), stanhBound)
		}
		if adjacent && k > 0 && yp[k] < yp[k-1] {
			s.nonMono++
		}
	}
}

// sweepStanh runs Stanh with implementation impl on the non-negative float32
// bit patterns 0, stride, 2·stride, … up to +Inf and the NaNs above it, and
// on their negations, chunk by chunk on every core, and checks every result
// (checkTanhChunk); when against is not "", also against what
// implementation against returns, bit for bit.
func sweepStanh(t *testing.T, impl, against string, stride uint64) tanhSweepStats {
	t.Helper()
	t.Cleanup(func() { _ = kernels.UseImplementation("") })
	use := func(name string) {
		t.Helper()
		if err := kernels.UseImplementation(name); err != nil {
			t.Fatal(err)
		}
	}
	total := int((1<<31 + stride - 1) / stride)
	chunks := (total + sweepChunk - 1) / sweepChunk
	workers := runtime.NumCPU()
	stats := make([]tanhSweepStats, workers)
	bufs := make([][3][]float32, workers)
	for w := range bufs {
		for i := range bufs[w] {
			bufs[w][i] = make([]float32, sweepChunk)
		}
	}
	// inputs fills x with the chunk's inputs and xn with their negations.
	inputs := func(w, c int) (x, xn []float32) {
		n := min(sweepChunk, total-c*sweepChunk)
		x, xn = bufs[w][0][:n], bufs[w][1][:n]
		b := uint32(uint64(c*sweepChunk) * stride)
		for k := range x {
			x[k] = math.Float32frombits(b)
			xn[k] = math.Float32frombits(b | 1<<31)
			b += uint32(stride)
		}
		return x, xn
	}
	run := func(w, c int, want []float32) {
		x, xn := inputs(w, c)
		y := bufs[w][2][:len(x)]
		kernels.Stanh(y, x)
		kernels.Stanh(xn, xn)
		checkTanhChunk(&stats[w], x, y, xn, want, stride == 1)
	}
	if against == "" {
		use(impl)
		forChunks(chunks, func(w, c int) { run(w, c, nil) })
	} else {
		// Batches of chunks: against's results for a whole batch, then
		// impl's, switching implementations while no kernel runs.
		want := make([]float32, sweepBatchChunks*sweepChunk)
		for c0 := 0; c0 < chunks; c0 += sweepBatchChunks {
			nc := min(sweepBatchChunks, chunks-c0)
			use(against)
			forChunks(nc, func(w, c int) {
				x, _ := inputs(w, c0+c)
				kernels.Stanh(want[c*sweepChunk:][:len(x)], x)
			})
			use(impl)
			forChunks(nc, func(w, c int) { run(w, c0+c, want[c*sweepChunk:][:sweepChunk]) })
		}
	}
	var s tanhSweepStats
	for i := range stats {
		s.merge(&stats[i])
	}
	if s.checked != uint64(2*total) {
		t.Fatalf("checked %d inputs, want %d", s.checked, 2*total)
	}
	return s
}

// TestStanhSweep checks Stanh on every float32 input with each assembly
// implementation, and on every 61st bit pattern (every one with
// -sigmoid-full-go) with the pure-Go fallback: every result within 1 ULP of
// tanh(x), tanh(−x) = −tanh(x) bit for bit, and every implementation's
// results the default one's (the first) bit for bit. It logs the largest
// error and where it occurs. With -short, every 65521st bit pattern only.
func TestStanhSweep(t *testing.T) {
	impls := kernels.Implementations()
	for _, impl := range impls {
		t.Run(impl, func(t *testing.T) {
			stride, against := uint64(1), ""
			if impl != impls[0] {
				against = impls[0]
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
			s := sweepStanh(t, impl, against, stride)
			what := fmt.Sprintf("Stanh (%s, every %sinput)", impl, ordinal(stride))
			if against != "" {
				what += ", bitwise equal to " + against
			}
			t.Logf("%s: %d inputs: max error %.4f ULP at x = ±%v (bits %#08x); %d results (%.3g%%) more than ½ ULP from tanh(x); %d breaks of monotonicity",
				what, s.checked, s.maxErr, s.maxX, math.Float32bits(s.maxX), s.overHalf,
				100*float64(s.overHalf)/float64(s.checked), s.nonMono)
			if s.bad > 0 {
				slices.Sort(s.examples)
				for _, e := range s.examples[:min(len(s.examples), maxFailures)] {
					t.Error(e)
				}
				t.Errorf("%s: %d bad results", what, s.bad)
			}
		})
	}
}
