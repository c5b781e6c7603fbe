package kernels_test

// Fuzzing: one `go test -fuzz` target per kernel family. Each decodes its
// input into sizes, scalars and element values (NaN, ±Inf, subnormals and
// values near overflow included), runs every implementation this machine
// has on the same data, and holds each result to what the kernel's doc
// comment promises:
//
//   - sums of products (Dot, Axpy, Gemv, GemvT, Ger, the dense kernels)
//     within the stated error bound of the exact value, so that the assembly
//     and pure Go differ by at most twice the bound (see fuzzSum for NaN,
//     ±Inf and overflow, where IEEE 754 leaves the result to the order of
//     the sum);
//   - Scal, ReLU, the activation gradients and Adam exactly as defined, and the
//     activations bit-identical across implementations and in place;
//   - the BLAS rules (α = 0 and β = 0 do not read, empty shapes do not
//     write) bit for bit, inputs unchanged, the gaps between the rows of an
//     output matrix unchanged;
//   - every operand flush against a guard page (internal/guardmem, where
//     supported), so that an over-read or over-write faults.
//
// Run one target with e.g.
//
//	go test -run '^$' -fuzz '^FuzzGemv$' -fuzztime 30s ./kernels/
//
// .ci/fuzz.sh runs each briefly; plain `go test` runs the seed corpus
// (f.Add and testdata/fuzz/FuzzXxx/).

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/simdnn/simdnn/internal/floattest"
	"github.com/simdnn/simdnn/internal/guardmem"
	"github.com/simdnn/simdnn/kernels"
)

// fuzzMaxSize bounds every size a fuzz input can ask for (m, n, vector
// lengths); leading dimensions add up to 7 more.
const fuzzMaxSize = 300

// fuzzSigmoidULP is the error of Ssigmoid, in float32 ULPs of σ(x), that
// FuzzSigmoid allows: 1, the documented bound (measured: 0.9086 at
// x = -87.681015, bits 0xc2af5cae).
const fuzzSigmoidULP = 1.0

// The bits of an input's first byte, its flags.
const (
	fuzzF64    = 1 << 0 // float64 rather than float32
	fuzzBefore = 1 << 1 // guard pages before the operands rather than after
	fuzzNilDx  = 1 << 2 // the backward kernels get dx = nil
	fuzzDecay  = 1 << 3 // the SGD kernel gets a decay factor, read after every other value
	fuzzActSh  = 3      // bits 3–4: the activation of the dense forward kernel
)

// A fuzzInput decodes a fuzz input. Once its bytes run out it goes on with a
// random source seeded from them, so that a short input can still describe
// a large call; values drawn then are uniform in [-1, 1).
type fuzzInput struct {
	data []byte
	rng  *rand.Rand
}

func newFuzzInput(data []byte) *fuzzInput {
	h := fnv.New64a()
	h.Write(data)
	return &fuzzInput{data: data, rng: rand.New(rand.NewPCG(h.Sum64(), 0x5eed))}
}

// byte returns the next byte of the input, or a random one.
func (in *fuzzInput) byte() byte {
	if len(in.data) == 0 {
		return byte(in.rng.Uint32())
	}
	b := in.data[0]
	in.data = in.data[1:]
	return b
}

// size returns a size in [0, fuzzMaxSize]: one byte below 0xC0 gives
// 0..39, where the tails of every unrolled loop are; otherwise 14 bits do.
func (in *fuzzInput) size() int {
	b := in.byte()
	if b < 0xC0 {
		return int(b) % 40
	}
	return (int(b&0x3F)<<8 | int(in.byte())) % (fuzzMaxSize + 1)
}

// ld returns a leading dimension for n columns: max(1, n) plus 0..7.
func (in *fuzzInput) ld(n int) int {
	return max(1, n) + int(in.byte()%8)
}

// fuzzValue decodes one value of T from a tag byte and what follows it:
//
//	0x00–0x7F  (tag−64)/16, small values whose sums of products are exact
//	0x80–0xBF  a 16-bit signed fraction times 2^(5·(tag&63) − 160): every
//	           magnitude from float32 subnormals to past its overflow
//	0xC0–0xEF  the raw bits of T from the next 4 or 8 bytes: NaN payloads,
//	           subnormals, anything
//	0xF0–0xFF  a special value (fuzzSpecials)
func fuzzValue[T floattest.Float](in *fuzzInput) T {
	if len(in.data) == 0 {
		return T(2*in.rng.Float64() - 1)
	}
	tag := in.byte()
	switch {
	case tag < 0x80:
		return T(int(tag)-64) / 16
	case tag < 0xC0:
		frac := float64(int16(uint16(in.byte())<<8|uint16(in.byte()))) / 32768
		return T(math.Ldexp(frac, 5*int(tag&63)-160))
	case tag < 0xF0:
		var bits uint64
		for i := range elemSize[T]() {
			bits |= uint64(in.byte()) << (8 * i)
		}
		if elemSize[T]() == 4 {
			return T(math.Float32frombits(uint32(bits)))
		}
		return T(math.Float64frombits(bits))
	}
	return fuzzSpecials[T]()[tag&15]
}

// fuzzSpecials returns the values the tags 0xF0–0xFF stand for.
func fuzzSpecials[T floattest.Float]() [16]T {
	inf := math.Inf(1)
	maxT := floattest.MaxFinite[T]()
	eta := floattest.Eta[T]()
	minNorm := 0x1p-126
	if elemSize[T]() == 8 {
		minNorm = 0x1p-1022
	}
	negNaN := T(math.NaN())
	negNaN = -negNaN // a NaN with the sign bit set
	return [16]T{0, T(math.Copysign(0, -1)), T(inf), T(-inf), T(math.NaN()), negNaN,
		T(maxT), T(-maxT), T(eta), T(-eta), T(minNorm), 1, -1, 0.5,
		T(floattest.Eps[T]()), 0x1p60}
}

// fuzzValues returns n values decoded by fuzzValue.
func fuzzValues[T floattest.Float](in *fuzzInput, n int) []T {
	s := make([]T, n)
	for i := range s {
		s[i] = fuzzValue[T](in)
	}
	return s
}

// A fuzzMem hands out the operands of one call: each flush against a guard
// page of its own (after or before it) where guardmem is supported, plain
// slices with cap = len elsewhere.
type fuzzMem[T floattest.Float] struct {
	bufs [2][]*guardmem.Buffer[T] // by side: After, Before
	side guardmem.Side
	next int
}

// fuzzMemBufs is the most operands one call takes.
const fuzzMemBufs = 8

func newFuzzMem[T floattest.Float](f *testing.F) *fuzzMem[T] {
	m := &fuzzMem[T]{}
	if !guardmem.Supported() {
		return m
	}
	capacity := fuzzMaxSize * (fuzzMaxSize + 8)
	for _, side := range guardmem.Sides {
		for i := range fuzzMemBufs {
			m.bufs[side] = append(m.bufs[side], guardmem.New[T](f, fmt.Sprint("operand ", i), capacity, side))
		}
	}
	return m
}

// reset makes the buffers available again, with guards on side.
func (m *fuzzMem[T]) reset(side guardmem.Side) { m.side, m.next = side, 0 }

// clone returns a guarded copy of s (nil for nil).
func (m *fuzzMem[T]) clone(s []T) []T {
	if s == nil {
		return nil
	}
	if m.bufs[m.side] == nil {
		return append(make([]T, 0, len(s)), s...)
	}
	b := m.bufs[m.side][m.next]
	m.next++
	c := b.Slice(len(s))
	copy(c, s)
	return c
}

// fuzzMems holds the fuzzMem of each element type of a target.
type fuzzMems struct {
	m32 *fuzzMem[float32]
	m64 *fuzzMem[float64]
}

func newFuzzMems(f *testing.F) *fuzzMems {
	return &fuzzMems{newFuzzMem[float32](f), newFuzzMem[float64](f)}
}

// A fuzzCall is one kernel call under test: the checks report through it,
// naming the call, and stop the input after maxFailures failures.
type fuzzCall struct {
	t     *testing.T
	what  string
	fails int
}

func (c *fuzzCall) errorf(format string, args ...any) {
	c.t.Helper()
	c.t.Errorf("%s: %s", c.what, fmt.Sprintf(format, args...))
	if c.fails++; c.fails >= maxFailures {
		c.t.FailNow()
	}
}

// fuzzTarget is the body of a fuzz target for one element type: it decodes
// the call from in (after the flags byte), and runs it with run, which calls
// body once per implementation with that implementation selected, the
// buffers of mem available again and c naming the call (desc).
type fuzzTarget[T floattest.Float] func(c *fuzzCall, in *fuzzInput, flags byte, mem *fuzzMem[T], run func(desc string, body func(impl string)))

// fuzz registers seeds and the fuzz function of a target.
func fuzz(f *testing.F, seeds [][]byte, f32 fuzzTarget[float32], f64 fuzzTarget[float64]) {
	for _, s := range seeds {
		f.Add(s)
	}
	mems := newFuzzMems(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		in := newFuzzInput(data)
		flags := in.byte()
		side := guardmem.After
		if flags&fuzzBefore != 0 {
			side = guardmem.Before
		}
		c := &fuzzCall{t: t}
		run := func(desc string, body func(impl string)) {
			defer func() { _ = kernels.UseImplementation("") }()
			for _, name := range kernels.Implementations() {
				if err := kernels.UseImplementation(name); err != nil {
					t.Fatal(err)
				}
				mems.m32.reset(side)
				mems.m64.reset(side)
				c.what = fmt.Sprintf("%s impl=%s guard=%s", desc, name, side)
				if err := guardmem.Catch(func() { body(name) }); err != nil {
					c.errorf("%v", err)
				}
			}
		}
		if flags&fuzzF64 != 0 {
			f64(c, in, flags, mems.m64, run)
		} else {
			f32(c, in, flags, mems.m32, run)
		}
	})
}

// fuzzSum checks got, output name[i] of a kernel, against the exact value of
// Σ aₖbₖcₖ over terms, with bound(r) the kernel's error bound for the
// reference r:
//
//   - a NaN factor reaches the output: got must be NaN, in any order of
//     evaluation;
//   - otherwise an infinite factor: got must be NaN or ±Inf (an infinite
//     product stays infinite or turns NaN through Inf·0 or Inf−Inf,
//     whatever the order, so only the class is certain);
//   - otherwise, when no intermediate of any evaluation order can overflow
//     (Σₖ Πmax(1, |factor|) < MaxFinite/2): got must be finite and within
//     the bound (floattest.Check, which also allows underflow);
//   - otherwise a finite got must still be within the bound (no
//     intermediate overflowed, so the error analysis holds), and NaN or ±Inf
//     is accepted; and nothing is checked where float64 cannot hold the
//     bound (float64 data within a factor of the overflow threshold).
func fuzzSum[T floattest.Float](c *fuzzCall, name string, i int, got T, terms [][3]float64, bound func(floattest.Result) float64) {
	c.t.Helper()
	var nan, inf bool
	reach := 0.0
	for _, tm := range terms {
		p := 1.0
		for _, f := range tm {
			switch {
			case math.IsNaN(f):
				nan = true
			case math.IsInf(f, 0):
				inf = true
			default:
				p *= max(1, math.Abs(f))
			}
		}
		reach += p
	}
	g := float64(got)
	finite := !math.IsNaN(g) && !math.IsInf(g, 0)
	switch {
	case nan:
		if !math.IsNaN(g) {
			c.errorf("%s[%d] = %v, want NaN: a NaN input reaches it", name, i, got)
		}
		return
	case inf:
		if finite {
			c.errorf("%s[%d] = %v, want ±Inf or NaN: an infinite input reaches it", name, i, got)
		}
		return
	}
	safe := reach < floattest.MaxFinite[T]()/2
	if !safe && (!finite || !(reach < math.MaxFloat64)) {
		// Overflow is possible, and the result overflowed, or float64 may
		// not hold the bound (float64 data near its overflow threshold,
		// where the reference would also take math/big's slow path).
		return
	}
	r := floattest.Dot(len(terms), func(k int) (float64, float64, float64) {
		return terms[k][0], terms[k][1], terms[k][2]
	})
	b := bound(r)
	if !safe && math.IsInf(b+r.Err+r.Abs, 0) {
		return // the bound itself is out of range
	}
	if err := floattest.Check(got, r, b); err != nil {
		c.errorf("%s[%d]: %v", name, i, err)
	}
}

// fuzzSame checks that got is want bit for bit.
func fuzzSame[T floattest.Float](c *fuzzCall, name string, i int, got, want T) {
	c.t.Helper()
	if floattest.Bits(got) != floattest.Bits(want) {
		c.errorf("%s[%d] = %v (%#x), want %v (%#x) bit for bit", name, i, got, floattest.Bits(got), want, floattest.Bits(want))
	}
}

// fuzzEqual checks that got is want, or both are NaN (of any payload).
func fuzzEqual[T floattest.Float](c *fuzzCall, name string, i int, got, want T) {
	c.t.Helper()
	if got != got && want != want {
		return
	}
	fuzzSame(c, name, i, got, want)
}

// fuzzUnchanged checks that got holds want's bits: an input, or an output
// the call must not touch.
func fuzzUnchanged[T floattest.Float](c *fuzzCall, name string, got, want []T) {
	c.t.Helper()
	for i := range want {
		if floattest.Bits(got[i]) != floattest.Bits(want[i]) {
			c.errorf("%s[%d] changed from %v to %v", name, i, want[i], got[i])
			return
		}
	}
}

// fuzzGaps checks that the elements of an m×n output matrix a with leading
// dimension lda that are not elements (the gaps between rows) kept a0's bits.
func fuzzGaps[T floattest.Float](c *fuzzCall, name string, n, lda int, a, a0 []T) {
	c.t.Helper()
	for k := range a0 {
		if k%lda >= n && floattest.Bits(a[k]) != floattest.Bits(a0[k]) {
			c.errorf("%s[%d], a gap between rows, changed from %v to %v", name, k, a0[k], a[k])
			return
		}
	}
}

// fuzzScaled returns βy as the BLAS α = 0 path must produce it: 0 without
// reading y for β = 0, y for β = 1, otherwise one rounded product.
func fuzzScaled[T floattest.Float](beta, y T) T {
	switch beta {
	case 0:
		return 0
	case 1:
		return y
	}
	return beta * y
}

// typeLetter returns "S" or "D", to name the kernel of type T.
func typeLetter[T floattest.Float]() string {
	if elemSize[T]() == 4 {
		return "S"
	}
	return "D"
}

// Seeds shared by the targets: a flags byte (type, side, dx nil,
// activation), then sizes, then scalars; the values not given are uniform.
var (
	fuzzSeedsVec = [][]byte{
		{0, 0}, {1, 1}, {2, 7}, {3, 8}, {0, 17}, {1, 31}, {2, 33}, {3, 63},
		{0, 0xC0, 193}, {1, 0xC1, 0x2C}, // 193, 300
		// Specials: NaN, ±Inf, ±0, max, subnormal values among ordinary ones.
		{0, 20, 0x50, 0xF4, 0x48, 0xF2, 0xF3, 0xF1, 0xF0, 0xF6, 0xF8, 0x40, 0xF5, 0xFE},
		{1, 20, 0x50, 0xF4, 0x48, 0xF2, 0xF3, 0xF1, 0xF0, 0xF6, 0xF8, 0x40, 0xF5, 0xFE},
		// Magnitudes from the scaled encoding: tiny, huge, overflowing float32.
		{0, 9, 0x50, 0x80, 0x7f, 0xff, 0xBF, 0x40, 0x00, 0x9c, 0x12, 0x34, 0xAA, 0x55, 0x55},
	}
	fuzzSeedsMat = [][]byte{
		{0, 0, 0, 0}, {1, 1, 1, 0}, {2, 4, 9, 1}, {3, 5, 17, 3}, {0, 8, 8, 0}, {1, 17, 33, 7},
		{4, 24, 31, 2}, {5, 3, 0xC0, 193, 5}, {6, 0xC0, 65, 2, 1},
		{0, 6, 6, 2, 0x50, 0x48, 0xF4, 0x44, 0xF2, 0x42, 0xF3, 0xF0, 0xF1, 0x41},
		{1, 6, 6, 2, 0x50, 0x48, 0xF4, 0x44, 0xF2, 0x42, 0xF3, 0xF0, 0xF1, 0x41},
	}
)

// FuzzAxpy checks y += αx.
func FuzzAxpy(f *testing.F) { fuzz(f, fuzzSeedsVec, fuzzAxpy[float32], fuzzAxpy[float64]) }

func fuzzAxpy[T floattest.Float](c *fuzzCall, in *fuzzInput, _ byte, mem *fuzzMem[T], run func(string, func(string))) {
	n := in.size()
	alpha := fuzzValue[T](in)
	x, y0 := fuzzValues[T](in, n), fuzzValues[T](in, n)
	k := kernels.For[T]()
	run(fmt.Sprintf("%saxpy n=%d α=%v", typeLetter[T](), n, alpha), func(string) {
		xs, y := mem.clone(x), mem.clone(y0)
		k.Axpy(alpha, xs, y)
		fuzzUnchanged(c, "x", xs, x)
		for i := range y {
			if alpha == 0 {
				fuzzSame(c, "y", i, y[i], y0[i])
				continue
			}
			fuzzSum(c, "y", i, y[i], [][3]float64{{float64(alpha), float64(x[i]), 1}, {float64(y0[i]), 1, 1}}, boundAxpy[T])
		}
	})
}

// FuzzDot checks xᵀy.
func FuzzDot(f *testing.F) { fuzz(f, fuzzSeedsVec, fuzzDot[float32], fuzzDot[float64]) }

func fuzzDot[T floattest.Float](c *fuzzCall, in *fuzzInput, _ byte, mem *fuzzMem[T], run func(string, func(string))) {
	n := in.size()
	x, y := fuzzValues[T](in, n), fuzzValues[T](in, n)
	k := kernels.For[T]()
	terms := make([][3]float64, n)
	for i := range terms {
		terms[i] = [3]float64{float64(x[i]), float64(y[i]), 1}
	}
	run(fmt.Sprintf("%sdot n=%d", typeLetter[T](), n), func(string) {
		xs, ys := mem.clone(x), mem.clone(y)
		got := k.Dot(xs, ys)
		fuzzUnchanged(c, "x", xs, x)
		fuzzUnchanged(c, "y", ys, y)
		if n == 0 {
			fuzzSame(c, "dot", 0, got, 0)
			return
		}
		fuzzSum(c, "dot", 0, got, terms, func(r floattest.Result) float64 { return boundDot[T](n, r) })
	})
}

// FuzzScal checks x = αx, which is one correctly rounded product per element
// (α = 0 gives +0 without reading x, α = 1 leaves x alone).
func FuzzScal(f *testing.F) { fuzz(f, fuzzSeedsVec, fuzzScal[float32], fuzzScal[float64]) }

func fuzzScal[T floattest.Float](c *fuzzCall, in *fuzzInput, _ byte, mem *fuzzMem[T], run func(string, func(string))) {
	n := in.size()
	alpha := fuzzValue[T](in)
	x0 := fuzzValues[T](in, n)
	k := kernels.For[T]()
	run(fmt.Sprintf("%sscal n=%d α=%v", typeLetter[T](), n, alpha), func(string) {
		x := mem.clone(x0)
		k.Scal(alpha, x)
		for i := range x {
			switch alpha {
			case 0:
				fuzzSame(c, "x", i, x[i], 0)
			case 1:
				fuzzSame(c, "x", i, x[i], x0[i])
			default:
				fuzzEqual(c, "x", i, x[i], x0[i]*alpha)
			}
		}
	})
}

// FuzzGemv checks y = αAx + βy.
func FuzzGemv(f *testing.F) {
	fuzz(f, fuzzSeedsMat, fuzzGemv[float32](false), fuzzGemv[float64](false))
}

// FuzzGemvT checks y = αAᵀx + βy.
func FuzzGemvT(f *testing.F) {
	fuzz(f, fuzzSeedsMat, fuzzGemv[float32](true), fuzzGemv[float64](true))
}

func fuzzGemv[T floattest.Float](trans bool) fuzzTarget[T] {
	return func(c *fuzzCall, in *fuzzInput, _ byte, mem *fuzzMem[T], run func(string, func(string))) {
		m, n := in.size(), in.size()
		lda := in.ld(n)
		alpha, beta := fuzzValue[T](in), fuzzValue[T](in)
		lenX, lenY, name, gemv := n, m, "gemv", kernels.For[T]().Gemv
		if trans {
			lenX, lenY, name, gemv = m, n, "gemvT", kernels.For[T]().GemvT
		}
		a := fuzzValues[T](in, matrixLen(m, n, lda))
		x, y0 := fuzzValues[T](in, lenX), fuzzValues[T](in, lenY)
		run(fmt.Sprintf("%s%s m=%d n=%d lda=%d α=%v β=%v", typeLetter[T](), name, m, n, lda, alpha, beta), func(string) {
			as, xs, y := mem.clone(a), mem.clone(x), mem.clone(y0)
			gemv(m, n, alpha, as, lda, xs, beta, y)
			fuzzUnchanged(c, "a", as, a)
			fuzzUnchanged(c, "x", xs, x)
			for k := range y {
				switch {
				case m == 0 || n == 0:
					fuzzSame(c, "y", k, y[k], y0[k])
					continue
				case alpha == 0:
					fuzzEqual(c, "y", k, y[k], fuzzScaled(beta, y0[k]))
					continue
				}
				var terms [][3]float64
				for j := range lenX {
					at := k*lda + j // row k of A
					if trans {
						at = j*lda + k // column k of A
					}
					terms = append(terms, [3]float64{float64(a[at]), float64(x[j]), float64(alpha)})
				}
				if beta != 0 {
					terms = append(terms, [3]float64{float64(beta), float64(y0[k]), 1})
				}
				fuzzSum(c, "y", k, y[k], terms, func(r floattest.Result) float64 { return boundGemv[T](lenX, r) })
			}
		})
	}
}

// FuzzGer checks A += αxyᵀ.
func FuzzGer(f *testing.F) { fuzz(f, fuzzSeedsMat, fuzzGer[float32], fuzzGer[float64]) }

func fuzzGer[T floattest.Float](c *fuzzCall, in *fuzzInput, _ byte, mem *fuzzMem[T], run func(string, func(string))) {
	m, n := in.size(), in.size()
	lda := in.ld(n)
	alpha := fuzzValue[T](in)
	a0 := fuzzValues[T](in, matrixLen(m, n, lda))
	x, y := fuzzValues[T](in, m), fuzzValues[T](in, n)
	run(fmt.Sprintf("%sger m=%d n=%d lda=%d α=%v", typeLetter[T](), m, n, lda, alpha), func(string) {
		a, xs, ys := mem.clone(a0), mem.clone(x), mem.clone(y)
		kernels.For[T]().Ger(m, n, alpha, xs, ys, a, lda)
		fuzzUnchanged(c, "x", xs, x)
		fuzzUnchanged(c, "y", ys, y)
		fuzzGaps(c, "a", n, lda, a, a0)
		for i := range m {
			for j := range n {
				k := i*lda + j
				if alpha == 0 {
					fuzzSame(c, "a", k, a[k], a0[k])
					continue
				}
				fuzzSum(c, "a", k, a[k], [][3]float64{{float64(alpha), float64(x[i]), float64(y[j])}, {float64(a0[k]), 1, 1}}, boundGer[T])
			}
		}
	})
}

// fuzzUnary runs an activation dst = h(x) on every implementation, into a
// separate dst (filled with junk) and in place, checks both against each
// other and every implementation against the first bit for bit, and calls
// check on each result of the first implementation.
func fuzzUnary[T floattest.Float](c *fuzzCall, mem *fuzzMem[T], run func(string, func(string)), desc string, h func(dst, x []T), x []T, check func(i int, got T)) {
	var first []T
	run(desc, func(impl string) {
		junk := make([]T, len(x))
		for i := range junk {
			junk[i] = T(math.NaN())
		}
		xs, dst, inplace := mem.clone(x), mem.clone(junk), mem.clone(x)
		h(dst, xs)
		h(inplace, inplace)
		fuzzUnchanged(c, "x", xs, x)
		for i := range dst {
			fuzzSame(c, "in place", i, inplace[i], dst[i])
		}
		if first == nil {
			first = append([]T{}, dst...)
			for i, v := range dst {
				check(i, v)
			}
			return
		}
		for i := range dst {
			fuzzSame(c, "dst (vs "+kernels.Implementations()[0]+")", i, dst[i], first[i])
		}
	})
}

// FuzzSigmoid checks σ(x): bit-identical across implementations and in
// place, σ(NaN) = NaN, σ(±Inf) = 1 or 0, results in [0, 1], and for float32
// within fuzzSigmoidULP of σ computed in float64 (whose own error is below
// 2⁻²⁷ ULP).
func FuzzSigmoid(f *testing.F) { fuzz(f, fuzzSeedsVec, fuzzSigmoid[float32], fuzzSigmoid[float64]) }

func fuzzSigmoid[T floattest.Float](c *fuzzCall, in *fuzzInput, _ byte, mem *fuzzMem[T], run func(string, func(string))) {
	n := in.size()
	x := fuzzValues[T](in, n)
	fuzzUnary(c, mem, run, fmt.Sprintf("%ssigmoid n=%d", typeLetter[T](), n), kernels.For[T]().Sigmoid, x, func(i int, got T) {
		v := float64(x[i])
		switch {
		case math.IsNaN(v):
			if got == got {
				c.errorf("σ(x[%d] = NaN) = %v, want NaN", i, got)
			}
			return
		case math.IsInf(v, 1):
			fuzzSame(c, "σ(+Inf)", i, got, 1)
			return
		case math.IsInf(v, -1):
			fuzzSame(c, "σ(-Inf)", i, got, 0)
			return
		}
		if !(got >= 0 && got <= 1) {
			c.errorf("σ(x[%d] = %v) = %v, outside [0, 1]", i, v, got)
			return
		}
		if elemSize[T]() != 4 {
			return
		}
		// σ in float64: a few float64 roundings, 2⁻²⁷ of a float32 ULP.
		var want float64
		if v >= 0 {
			want = 1 / (1 + math.Exp(-v))
		} else {
			e := math.Exp(v)
			want = e / (1 + e)
		}
		_, exp := math.Frexp(want)
		ulp := math.Ldexp(1, max(exp-24, -149))
		if d := math.Abs(float64(got) - want); d > fuzzSigmoidULP*ulp {
			c.errorf("σ(x[%d] = %v) = %v, want %v: off by %.4f ULP > %v", i, v, got, want, d/ulp, fuzzSigmoidULP)
		}
	})
}

// FuzzRelu checks max(x, 0) exactly: NaN passes with its payload, −0 and
// negative values give +0.
func FuzzRelu(f *testing.F) { fuzz(f, fuzzSeedsVec, fuzzRelu[float32], fuzzRelu[float64]) }

func fuzzRelu[T floattest.Float](c *fuzzCall, in *fuzzInput, _ byte, mem *fuzzMem[T], run func(string, func(string))) {
	n := in.size()
	x := fuzzValues[T](in, n)
	fuzzUnary(c, mem, run, fmt.Sprintf("%srelu n=%d", typeLetter[T](), n), kernels.For[T]().Relu, x, func(i int, got T) {
		want := T(0)
		if v := x[i]; v > 0 || v != v {
			want = v
		}
		fuzzSame(c, "relu", i, got, want)
	})
}

// fuzzBinary runs an activation gradient dst = h(g, a) on every
// implementation, into a separate dst and in place over g and over a, checks
// the three against each other and every implementation against the first
// bit for bit, and the first against want (NaN of any payload where want is
// NaN).
func fuzzBinary[T floattest.Float](c *fuzzCall, mem *fuzzMem[T], run func(string, func(string)), desc string, h func(dst, g, a []T), g, a []T, want func(g, a T) T) {
	var first []T
	run(desc, func(impl string) {
		gs, as, dst := mem.clone(g), mem.clone(a), mem.clone(g)
		clear(dst)
		h(dst, gs, as)
		fuzzUnchanged(c, "g", gs, g)
		fuzzUnchanged(c, "a", as, a)
		overG, overA := mem.clone(g), mem.clone(a)
		h(overG, overG, as)
		h(overA, gs, overA)
		for i := range dst {
			fuzzSame(c, "dst = g", i, overG[i], dst[i])
			fuzzSame(c, "dst = a", i, overA[i], dst[i])
		}
		if first == nil {
			first = append([]T{}, dst...)
			for i := range dst {
				fuzzEqual(c, "dst", i, dst[i], want(g[i], a[i]))
			}
			return
		}
		for i := range dst {
			fuzzSame(c, "dst (vs "+kernels.Implementations()[0]+")", i, dst[i], first[i])
		}
	})
}

// FuzzSigmoidBackward checks g·(a·(1−a)), three roundings in that order.
func FuzzSigmoidBackward(f *testing.F) {
	fuzz(f, fuzzSeedsVec, fuzzSigmoidBackward[float32], fuzzSigmoidBackward[float64])
}

func fuzzSigmoidBackward[T floattest.Float](c *fuzzCall, in *fuzzInput, _ byte, mem *fuzzMem[T], run func(string, func(string))) {
	n := in.size()
	g, a := fuzzValues[T](in, n), fuzzValues[T](in, n)
	fuzzBinary(c, mem, run, fmt.Sprintf("%ssigmoidBackward n=%d", typeLetter[T](), n), kernels.For[T]().SigmoidBackward, g, a,
		func(g, a T) T { return g * T(a*(1-a)) })
}

// FuzzReluBackward checks g where a > 0, +0 elsewhere (NaN in a included).
func FuzzReluBackward(f *testing.F) {
	fuzz(f, fuzzSeedsVec, fuzzReluBackward[float32], fuzzReluBackward[float64])
}

func fuzzReluBackward[T floattest.Float](c *fuzzCall, in *fuzzInput, _ byte, mem *fuzzMem[T], run func(string, func(string))) {
	n := in.size()
	g, a := fuzzValues[T](in, n), fuzzValues[T](in, n)
	fuzzBinary(c, mem, run, fmt.Sprintf("%sreluBackward n=%d", typeLetter[T](), n), kernels.For[T]().ReluBackward, g, a,
		func(g, a T) T {
			if a > 0 {
				return g
			}
			return 0
		})
}

// FuzzDenseForward checks out = h(Wx + b): with the identity within Gemv's
// bound, and with σ, ReLU or tanh bit-identical to that activation applied to the
// same implementation's identity result; out = b gives the same bits.
func FuzzDenseForward(f *testing.F) {
	fuzz(f, fuzzSeedsMat, fuzzDenseForward[float32], fuzzDenseForward[float64])
}

func fuzzDenseForward[T floattest.Float](c *fuzzCall, in *fuzzInput, flags byte, mem *fuzzMem[T], run func(string, func(string))) {
	h := kernels.Activation(flags >> fuzzActSh & 3)
	m, n := in.size(), in.size()
	ldw := in.ld(n)
	w := fuzzValues[T](in, matrixLen(m, n, ldw))
	x, b := fuzzValues[T](in, n), fuzzValues[T](in, m)
	k := kernels.For[T]()
	run(fmt.Sprintf("%sdenseForward h=%v m=%d n=%d ldw=%d", typeLetter[T](), h, m, n, ldw), func(string) {
		ws, xs, bs := mem.clone(w), mem.clone(x), mem.clone(b)
		z, out, outB := mem.clone(b), mem.clone(b), mem.clone(b)
		clear(z)
		clear(out)
		k.DenseForward(kernels.Identity, m, n, ws, ldw, xs, bs, z)
		k.DenseForward(h, m, n, ws, ldw, xs, bs, out)
		k.DenseForward(h, m, n, ws, ldw, xs, outB, outB)
		fuzzUnchanged(c, "w", ws, w)
		fuzzUnchanged(c, "x", xs, x)
		fuzzUnchanged(c, "b", bs, b)
		for i := range z {
			terms := [][3]float64{{float64(b[i]), 1, 1}}
			for j := range n {
				terms = append(terms, [3]float64{float64(w[i*ldw+j]), float64(x[j]), 1})
			}
			fuzzSum(c, "identity out", i, z[i], terms, func(r floattest.Result) float64 { return boundGemv[T](n, r) })
		}
		hz := mem.clone(z)
		activateWith(k, h, hz)
		for i := range out {
			fuzzSame(c, "out (vs h of the identity out)", i, out[i], hz[i])
			fuzzSame(c, "out = b", i, outB[i], out[i])
		}
	})
}

// FuzzDenseBackward checks dx = Wᵀδ (GemvT's bound), dW += δxᵀ (Ger's) and
// db += δ (Axpy's), with dx nil or not.
func FuzzDenseBackward(f *testing.F) {
	fuzz(f, fuzzSeedsMat, fuzzDenseBackward[float32], fuzzDenseBackward[float64])
}

func fuzzDenseBackward[T floattest.Float](c *fuzzCall, in *fuzzInput, flags byte, mem *fuzzMem[T], run func(string, func(string))) {
	m, n := in.size(), in.size()
	ldw, lddw := in.ld(n), in.ld(n)
	w, dw0 := fuzzValues[T](in, matrixLen(m, n, ldw)), fuzzValues[T](in, matrixLen(m, n, lddw))
	delta, x, db0 := fuzzValues[T](in, m), fuzzValues[T](in, n), fuzzValues[T](in, m)
	var dx0 []T
	if flags&fuzzNilDx == 0 {
		dx0 = fuzzValues[T](in, n) // overwritten: the kernel clears dx
	}
	run(fmt.Sprintf("%sdenseBackward m=%d n=%d ldw=%d lddw=%d dx=nil:%t", typeLetter[T](), m, n, ldw, lddw, dx0 == nil), func(string) {
		ws, deltas, xs := mem.clone(w), mem.clone(delta), mem.clone(x)
		dx, dw, db := mem.clone(dx0), mem.clone(dw0), mem.clone(db0)
		kernels.For[T]().DenseBackward(m, n, ws, ldw, deltas, xs, dx, dw, lddw, db)
		fuzzUnchanged(c, "w", ws, w)
		fuzzUnchanged(c, "delta", deltas, delta)
		fuzzUnchanged(c, "x", xs, x)
		fuzzGaps(c, "dw", n, lddw, dw, dw0)
		fuzzDx(c, m, n, w, ldw, delta, dx)
		for i := range m {
			for j := range n {
				k := i*lddw + j
				fuzzSum(c, "dw", k, dw[k], [][3]float64{{float64(delta[i]), float64(x[j]), 1}, {float64(dw0[k]), 1, 1}}, boundGer[T])
			}
			fuzzSum(c, "db", i, db[i], [][3]float64{{1, float64(delta[i]), 1}, {float64(db0[i]), 1, 1}}, boundAxpy[T])
		}
	})
}

// fuzzDx checks dx = Wᵀδ within GemvT's bound, where dx is not nil.
func fuzzDx[T floattest.Float](c *fuzzCall, m, n int, w []T, ldw int, delta, dx []T) {
	c.t.Helper()
	if dx == nil {
		return
	}
	for j := range n {
		terms := make([][3]float64, m)
		for i := range m {
			terms[i] = [3]float64{float64(w[i*ldw+j]), float64(delta[i]), 1}
		}
		fuzzSum(c, "dx", j, dx[j], terms, func(r floattest.Result) float64 { return boundGemv[T](m, r) })
	}
}

// FuzzDenseBackwardSGD checks dx = Wᵀδ with W before the update (GemvT's
// bound), W ← decay·W − lr·δxᵀ (Ger's, with decay·W for W) and b ← decay·b
// − lr·δ (Axpy's), with dx nil or not; decay = 1 unless the input's
// fuzzDecay flag is set, so that the corpora written before the factor
// decode as they did.
//
// lr = 0 gives W ← decay·W and b ← decay·b, bit for bit, without forming
// δxᵀ (the BLAS α = 0 rule), with dx nil or not.
func FuzzDenseBackwardSGD(f *testing.F) {
	fuzz(f, fuzzSeedsMat, fuzzDenseBackwardSGD[float32], fuzzDenseBackwardSGD[float64])
}

func fuzzDenseBackwardSGD[T floattest.Float](c *fuzzCall, in *fuzzInput, flags byte, mem *fuzzMem[T], run func(string, func(string))) {
	m, n := in.size(), in.size()
	ldw := in.ld(n)
	lr := fuzzValue[T](in)
	w0 := fuzzValues[T](in, matrixLen(m, n, ldw))
	delta, x, b0 := fuzzValues[T](in, m), fuzzValues[T](in, n), fuzzValues[T](in, m)
	var dx0 []T
	if flags&fuzzNilDx == 0 {
		dx0 = fuzzValues[T](in, n)
	}
	decay := T(1)
	if flags&fuzzDecay != 0 {
		decay = fuzzValue[T](in)
	}
	run(fmt.Sprintf("%sdenseBackwardSGD m=%d n=%d ldw=%d lr=%v decay=%v dx=nil:%t", typeLetter[T](), m, n, ldw, lr, decay, dx0 == nil), func(string) {
		w, deltas, xs := mem.clone(w0), mem.clone(delta), mem.clone(x)
		dx, b := mem.clone(dx0), mem.clone(b0)
		kernels.For[T]().DenseBackwardSGD(m, n, lr, decay, w, ldw, deltas, xs, dx, b)
		fuzzUnchanged(c, "delta", deltas, delta)
		fuzzUnchanged(c, "x", xs, x)
		fuzzGaps(c, "w", n, ldw, w, w0)
		fuzzDx(c, m, n, w0, ldw, delta, dx)
		for i := range m {
			for j := range n {
				k := i*ldw + j
				if lr == 0 {
					fuzzSame(c, "w", k, w[k], scaled(w0[k], decay))
					continue
				}
				fuzzSum(c, "w", k, w[k], [][3]float64{{float64(-lr), float64(delta[i]), float64(x[j])}, {float64(decay), float64(w0[k]), 1}}, boundGer[T])
			}
			if lr == 0 {
				fuzzSame(c, "b", i, b[i], scaled(b0[i], decay))
				continue
			}
			fuzzSum(c, "b", i, b[i], [][3]float64{{float64(-lr), float64(delta[i]), 1}, {float64(decay), float64(b0[i]), 1}}, boundAxpy[T])
		}
	})
}

// scaled returns v·decay as the SGD kernel computes it when lr = 0: v itself
// for decay = 1, which must not even quiet a signaling NaN.
func scaled[T floattest.Float](v, decay T) T {
	if decay == 1 {
		return v
	}
	return v * decay
}

// TestFuzzInputDecoding pins the decoding that the committed seed corpora
// rely on: changing it silently changes what each corpus file tests.
func TestFuzzInputDecoding(t *testing.T) {
	in := newFuzzInput([]byte{5, 0xC0, 193, 0x50, 0xF4, 0x80, 0x40, 0x00})
	if got := in.byte(); got != 5 {
		t.Fatalf("flags = %d, want 5", got)
	}
	if got := in.size(); got != 193 {
		t.Fatalf("size = %d, want 193", got)
	}
	if got := fuzzValue[float32](in); got != 1 {
		t.Fatalf("value 0x50 = %v, want 1", got)
	}
	if got := fuzzValue[float32](in); got == got {
		t.Fatalf("value 0xF4 = %v, want NaN", got)
	}
	if got, want := fuzzValue[float64](in), math.Ldexp(0.5, -160); got != want {
		t.Fatalf("value 0x80 0x40 0x00 = %v, want %v", got, want)
	}
	if len(in.data) != 0 {
		t.Fatalf("%d bytes left", len(in.data))
	}
	v := fuzzValue[float64](in)
	if !(v >= -1 && v < 1) {
		t.Fatalf("value after the input = %v, want uniform in [-1, 1)", v)
	}
}

// FuzzGemm checks C = α·op(A)·op(B) + βC in every operand form (m and n
// below 50, k up to fuzzMaxSize, so that the k blocking of 256 is crossed),
// and that every implementation gives the same bits (NaN payloads aside:
// which NaN operand an FMA propagates is up to the hardware).
func FuzzGemm(f *testing.F) {
	seeds := [][]byte{
		{0, 0, 1, 1, 1}, {1, 1, 6, 16, 9}, {2, 2, 7, 17, 3}, {3, 3, 13, 9, 0xC1, 0x01}, // k = 257
		{0, 1, 6, 6, 2, 0x50, 0x48, 0xF4, 0x44, 0xF2, 0x42, 0xF3, 0xF0, 0xF1, 0x41},
		{1, 2, 5, 9, 4, 0x44, 0xF0, 0xF6, 0xF7, 0xF8},
	}
	fuzz(f, seeds, fuzzGemm[float32], fuzzGemm[float64])
}

func fuzzGemm[T floattest.Float](c *fuzzCall, in *fuzzInput, _ byte, mem *fuzzMem[T], run func(string, func(string))) {
	forms := in.byte()
	tA, tB := gemmTrans[forms&1], gemmTrans[forms>>1&1]
	m, n, k := in.size()%50, in.size()%50, in.size()
	g := gemmCase{tA: tA, tB: tB, m: m, n: n, k: k}
	ar, ac, br, bc := g.stored()
	g.lda, g.ldb, g.ldc = in.ld(ac), in.ld(bc), in.ld(n)
	alpha, beta := fuzzValue[T](in), fuzzValue[T](in)
	a := fuzzValues[T](in, matrixLen(ar, ac, g.lda))
	b := fuzzValues[T](in, matrixLen(br, bc, g.ldb))
	c0 := fuzzValues[T](in, matrixLen(m, n, g.ldc))
	var first []T
	run(fmt.Sprintf("%sgemm %v,%v m=%d n=%d k=%d ld(a,b,c)=(%d,%d,%d) α=%v β=%v", typeLetter[T](), tA, tB, m, n, k, g.lda, g.ldb, g.ldc, alpha, beta), func(string) {
		as, bs, cs := mem.clone(a), mem.clone(b), mem.clone(c0)
		kernels.For[T]().Gemm(tA, tB, m, n, k, alpha, as, g.lda, bs, g.ldb, beta, cs, g.ldc)
		fuzzUnchanged(c, "a", as, a)
		fuzzUnchanged(c, "b", bs, b)
		fuzzGaps(c, "c", n, g.ldc, cs, c0)
		if first != nil {
			for i := range cs {
				fuzzEqual(c, "c (against the first implementation)", i, cs[i], first[i])
			}
			return
		}
		first = append([]T{}, cs...)
		for i := range m {
			for j := range n {
				at := i*g.ldc + j
				if alpha == 0 || k == 0 {
					fuzzEqual(c, "c", at, cs[at], fuzzScaled(beta, c0[at]))
					continue
				}
				terms := make([][3]float64, 0, k+1)
				for l := range k {
					terms = append(terms, [3]float64{float64(a[g.opA(i, l)]), float64(b[g.opB(l, j)]), float64(alpha)})
				}
				if beta != 0 {
					terms = append(terms, [3]float64{float64(beta), float64(c0[at]), 1})
				}
				fuzzSum(c, "c", at, cs[at], terms, func(r floattest.Result) float64 { return boundGemm[T](k, r) })
			}
		}
	})
}

// FuzzAdam checks Sadam's step, coefficients fuzzed too, against adamWant
// on every implementation: each result the same bits, or NaN where adamWant
// gives NaN; g unchanged.
func FuzzAdam(f *testing.F) {
	fuzz(f, fuzzSeedsVec, fuzzAdam[float32], fuzzAdam[float64])
}

func fuzzAdam[T floattest.Float](c *fuzzCall, in *fuzzInput, _ byte, mem *fuzzMem[T], run func(string, func(string))) {
	n := in.size()
	w, g, m, v := fuzzValues[T](in, n), fuzzValues[T](in, n), fuzzValues[T](in, n), fuzzValues[T](in, n)
	k := fuzzValues[T](in, 7)
	co := kernels.AdamCoefs[T]{Decay: k[0], L2: k[1], Beta1: k[2], Beta2: k[3], StepSize: k[4], InvBias2: k[5], Eps: k[6]}
	run(fmt.Sprintf("%sadam n=%d %+v", typeLetter[T](), n, co), func(string) {
		ws, gs, ms, vs := mem.clone(w), mem.clone(g), mem.clone(m), mem.clone(v)
		kernels.For[T]().Adam(co, ws, gs, ms, vs)
		fuzzUnchanged(c, "g", gs, g)
		for i := range w {
			ww, wm, wv := adamWant(co, w[i], g[i], m[i], v[i])
			fuzzEqual(c, "w", i, ws[i], ww)
			fuzzEqual(c, "m", i, ms[i], wm)
			fuzzEqual(c, "v", i, vs[i], wv)
		}
	})
}
