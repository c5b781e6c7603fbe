package kernels_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/simdnn/simdnn/internal/floattest"
	"github.com/simdnn/simdnn/kernels"
)

// The level-1 kernels run on every length 0..300 (each tail of each unrolled
// loop, several times over), on 4096+7, and on two lengths past
// 2·maxCallBytes so that the wrappers cut the vectors into three chunks.

// vecLens returns the lengths every level-1 sweep runs.
func vecLens[T floattest.Float]() []int {
	lens := make([]int, 301)
	for i := range lens {
		lens[i] = i
	}
	c := chunkElems[T]()
	return append(lens, 4096+7, 2*c+13)
}

// vecOffsets returns the pairs of start offsets (of x and of y) a level-1
// sweep runs for length n: all 64 pairs for n ≤ 40, where a kernel may
// align on one operand and mishandle the other, and 8 pairs with every
// offset of each operand (x at o, y at o+3) beyond that; lengths past 4096
// run just three pairs (with α = 0, 1 and -1), which is enough to cross the
// chunks misaligned.
func vecOffsets(n int) [][2]int {
	var offs [][2]int
	switch {
	case n <= 40:
		for ox := range maxOffset {
			for oy := range maxOffset {
				offs = append(offs, [2]int{ox, oy})
			}
		}
	case n <= 4096:
		for o := range maxOffset {
			offs = append(offs, [2]int{o, (o + 3) % maxOffset})
		}
	default:
		offs = [][2]int{{0, 0}, {3, 6}, {7, 1}}
	}
	return offs
}

// A vecCase is one call of a level-1 kernel.
type vecCase struct {
	n, offX, offY int
	alpha         float64
	ints          bool // small-integer data: the result must be exact
}

func (c vecCase) String() string {
	return fmt.Sprintf("n=%d off(x,y)=(%d,%d) α=%v ints=%t", c.n, c.offX, c.offY, c.alpha, c.ints)
}

// vecCases returns the cases a level-1 sweep runs for T: every length of
// vecLens with the offsets of vecOffsets (α cycling through testAlphas), then
// every α with offsets drawn at random (up to 4096), plus small-integer data
// (α = 2) on the long vectors.
func vecCases[T floattest.Float](rng *rand.Rand) []vecCase {
	var cases []vecCase
	for _, n := range vecLens[T]() {
		for i, o := range vecOffsets(n) {
			cases = append(cases, vecCase{n: n, offX: o[0], offY: o[1], alpha: testAlphas[i%len(testAlphas)]})
		}
		if n <= 4096 {
			for _, al := range testAlphas {
				cases = append(cases, vecCase{n: n, offX: rng.IntN(maxOffset), offY: rng.IntN(maxOffset), alpha: al})
			}
		}
		if n > 300 {
			cases = append(cases, vecCase{n: n, offX: 5, offY: 2, alpha: 2, ints: true})
		}
	}
	return cases
}

// A vecPrep changes the random data of a level-1 case just before the call.
type vecPrep[T floattest.Float] func(x, y []T)

// newVecs returns guarded x and y for c, x an input (NaN guards) and y of
// the given guard, filled with uniform or small-integer data.
func newVecs[T floattest.Float](c vecCase, rng *rand.Rand, yGuard T) (vX, vY *guarded[T]) {
	vX = newGuarded(c.n, c.offX, inputGuard[T]())
	vY = newGuarded(c.n, c.offY, yGuard)
	val := uniform[T]
	if c.ints {
		val = smallInt[T]
	}
	for _, v := range [][]T{vX.S(), vY.S()} {
		for i := range v {
			v[i] = val(rng)
		}
	}
	return vX, vY
}

// runAxpy calls f, which computes y += αx, and checks that x and the guards
// are unchanged, that α = 0 leaves y untouched although x is NaN (BLAS: x is
// not read), and otherwise that every yᵢ is within 2ε(|α||xᵢ| + |yᵢ|) of
// the reference (exactly the reference for small integers).
func runAxpy[T floattest.Float](fr *failures, f func(alpha T, x, y []T), c vecCase, rng *rand.Rand, prep vecPrep[T]) {
	fr.t.Helper()
	alpha := T(c.alpha)
	vX, vY := newVecs(c, rng, outputGuard[T]())
	x, y := vX.S(), vY.S()
	if alpha == 0 {
		for i := range x {
			x[i] = T(math.NaN())
		}
	}
	if prep != nil {
		prep(x, y)
	}
	vX.Snapshot()
	vY.Snapshot()

	f(alpha, x, y)

	where := lazyString(func() string { return fmt.Sprintf("%s Axpy %v", typeName[T](), c) })
	vX.CheckUnchanged(fr, where, "x")
	vY.CheckGuards(fr, where, "y")
	x0, y0 := vX.Orig(), vY.Orig()
	for i, got := range y {
		if alpha == 0 {
			if floattest.Bits(got) != floattest.Bits(y0[i]) {
				fr.Errorf("%v: y[%d] = %v, want it untouched: %v", where, i, got, y0[i])
			}
			continue
		}
		r := refAxpy(alpha, x0[i], y0[i])
		if c.ints {
			if got != T(r.Value) {
				fr.Errorf("%v: y[%d] = %v, want exactly %v", where, i, got, r.Value)
			}
		} else if err := floattest.Check(got, r, boundAxpy[T](r)); err != nil {
			fr.Errorf("%v: y[%d]: %v", where, i, err)
		}
	}
}

// runDot calls f, which returns xᵀy, and checks that x, y and the guards are
// unchanged and that the result is within n·ε·Σ|xᵢ||yᵢ| of the reference
// (exactly 0 for n = 0, exactly the reference for small integers).
func runDot[T floattest.Float](fr *failures, f func(x, y []T) T, c vecCase, rng *rand.Rand, prep vecPrep[T]) {
	fr.t.Helper()
	vX, vY := newVecs(c, rng, inputGuard[T]())
	x, y := vX.S(), vY.S()
	if prep != nil {
		prep(x, y)
	}
	vX.Snapshot()
	vY.Snapshot()

	got := f(x, y)

	where := lazyString(func() string { return fmt.Sprintf("%s Dot %v", typeName[T](), c) })
	vX.CheckUnchanged(fr, where, "x")
	vY.CheckUnchanged(fr, where, "y")
	r := refDot(vX.Orig(), vY.Orig())
	switch {
	case c.n == 0:
		if got != 0 {
			fr.Errorf("%v: got %v, want 0", where, got)
		}
	case c.ints:
		if want := T(r.Value); float64(want) != r.Value || got != want {
			fr.Errorf("%v: got %v, want exactly %v", where, got, r.Value)
		}
	default:
		if err := floattest.Check(got, r, boundDot[T](c.n, r)); err != nil {
			fr.Errorf("%v: %v", where, err)
		}
	}
}

// runScal calls f, which computes x = αx, and checks that the guards are
// unchanged and that every xᵢ is exactly T(α·xᵢ), the correctly rounded
// product every implementation computes the same: 0 for α = 0 although x
// holds NaN (x is not read), x itself for α = 1, and NaN where that product
// is NaN (payloads may differ).
func runScal[T floattest.Float](fr *failures, f func(alpha T, x []T), c vecCase, rng *rand.Rand, prep func(x []T)) {
	fr.t.Helper()
	alpha := T(c.alpha)
	vX := newGuarded(c.n, c.offX, outputGuard[T]())
	x := vX.S()
	for i := range x {
		x[i] = uniform[T](rng)
		if alpha == 0 {
			x[i] = T(math.NaN())
		}
	}
	if prep != nil {
		prep(x)
	}
	vX.Snapshot()

	f(alpha, x)

	where := lazyString(func() string { return fmt.Sprintf("%s Scal %v", typeName[T](), c) })
	vX.CheckGuards(fr, where, "x")
	for i, got := range x {
		want := blasScale(alpha, vX.Orig()[i])
		if math.IsNaN(float64(want)) {
			if !math.IsNaN(float64(got)) {
				fr.Errorf("%v: x[%d] = %v, want NaN", where, i, got)
			}
		} else if floattest.Bits(got) != floattest.Bits(want) {
			fr.Errorf("%v: x[%d] = %v, want %v exactly", where, i, got, want)
		}
	}
}

// TestAxpy checks y += αx over every length, offset pair and α.
func TestAxpy(t *testing.T) {
	run := func(t *testing.T, f32 bool) {
		fr := &failures{t: t}
		rng := newRand(31)
		if f32 {
			for _, c := range vecCases[float32](rng) {
				runAxpy(fr, kernels.Saxpy, c, rng, nil)
			}
			return
		}
		for _, c := range vecCases[float64](rng) {
			runAxpy(fr, kernels.Daxpy, c, rng, nil)
		}
	}
	runTypes(t, func(t *testing.T) { run(t, true) }, func(t *testing.T) { run(t, false) })
}

// TestDot checks xᵀy over every length and offset pair.
func TestDot(t *testing.T) {
	run := func(t *testing.T, f32 bool) {
		fr := &failures{t: t}
		rng := newRand(32)
		if f32 {
			for _, c := range vecCases[float32](rng) {
				runDot(fr, kernels.Sdot, c, rng, nil)
			}
			return
		}
		for _, c := range vecCases[float64](rng) {
			runDot(fr, kernels.Ddot, c, rng, nil)
		}
	}
	runTypes(t, func(t *testing.T) { run(t, true) }, func(t *testing.T) { run(t, false) })
}

// TestScal checks x = αx over every length, offset and α.
func TestScal(t *testing.T) {
	run := func(t *testing.T, f32 bool) {
		fr := &failures{t: t}
		rng := newRand(33)
		if f32 {
			for _, c := range vecCases[float32](rng) {
				runScal(fr, kernels.Sscal, c, rng, nil)
			}
			return
		}
		for _, c := range vecCases[float64](rng) {
			runScal(fr, kernels.Dscal, c, rng, nil)
		}
	}
	runTypes(t, func(t *testing.T) { run(t, true) }, func(t *testing.T) { run(t, false) })
}
