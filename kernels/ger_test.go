package kernels_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/simdnn/simdnn/internal/floattest"
	"github.com/simdnn/simdnn/kernels"
)

// gerOp is the signature Sger and Dger share.
type gerOp[T floattest.Float] func(m, n int, alpha T, x, y []T, a []T, lda int)

// A gerCase is one call of Ger: the shape, the layout of the operands in
// memory, α and the kind of data.
type gerCase struct {
	m, n, lda        int
	offA, offX, offY int  // start offsets in elements past a 64-byte boundary
	longA            bool // a runs to m·lda elements instead of (m-1)·lda+n
	alpha            float64
	ints             bool // small-integer data: the result must be exact
}

func (c gerCase) String() string {
	return fmt.Sprintf("m=%d n=%d lda=%d off(a,x,y)=(%d,%d,%d) longA=%t α=%v ints=%t",
		c.m, c.n, c.lda, c.offA, c.offX, c.offY, c.longA, c.alpha, c.ints)
}

// randomGerLayout returns a case of shape m×n with scalar α, an lda from
// ldas and offsets drawn from rng.
func randomGerLayout(rng *rand.Rand, m, n int, alpha float64) gerCase {
	l := ldas(n)
	return gerCase{
		m: m, n: n, lda: l[rng.IntN(len(l))],
		offA: rng.IntN(maxOffset), offX: rng.IntN(maxOffset), offY: rng.IntN(maxOffset),
		longA: rng.IntN(4) == 0,
		alpha: alpha,
	}
}

// A gerPrep changes the random data of a case just before the call, to put
// special values in place.
type gerPrep[T floattest.Float] func(a []T, lda int, x, y []T)

// runGer calls f, which computes A += αxyᵀ, on random data laid out as c
// says, and checks:
//
//   - x, y, their guards and the guards and gaps of A are unchanged, bit for
//     bit;
//   - α = 0 leaves A untouched, bit for bit, although x and y are NaN (BLAS:
//     x and y are not read);
//   - otherwise every aᵢⱼ is within 3ε(|α||xᵢ||yⱼ| + |aᵢⱼ|) of the reference,
//     or, for small-integer data, exactly the reference.
//
// prep, if not nil, changes the data just before the call.
func runGer[T floattest.Float](fr *failures, f gerOp[T], c gerCase, rng *rand.Rand, prep gerPrep[T]) {
	fr.t.Helper()
	alpha := T(c.alpha)
	nan := T(math.NaN())

	mA := newMatrix(c.m, c.n, c.lda, c.offA, c.longA, outputGuard[T]())
	vX := newGuarded(c.m, c.offX, inputGuard[T]())
	vY := newGuarded(c.n, c.offY, inputGuard[T]())
	a, x, y := mA.S(), vX.S(), vY.S()
	val := uniform[T]
	if c.ints {
		val = smallInt[T]
	}
	for i := range min(c.n, 1) * c.m {
		for j := range c.n {
			a[i*c.lda+j] = val(rng)
		}
	}
	for _, v := range [][]T{x, y} {
		for i := range v {
			v[i] = val(rng)
			if alpha == 0 {
				v[i] = nan
			}
		}
	}
	if prep != nil {
		prep(a, c.lda, x, y)
	}
	mA.Snapshot()
	vX.Snapshot()
	vY.Snapshot()

	f(c.m, c.n, alpha, x, y, a, c.lda)

	where := lazyString(func() string { return fmt.Sprintf("%s Ger %v", typeName[T](), c) })
	vX.CheckUnchanged(fr, where, "x")
	vY.CheckUnchanged(fr, where, "y")
	mA.CheckGaps(fr, where, "a", func(k int) bool { return isElem(c.m, c.n, c.lda, k) })
	a0, x0, y0 := mA.Orig(), vX.Orig(), vY.Orig()
	for i := range min(c.n, 1) * c.m {
		for j := range c.n {
			k := i*c.lda + j
			got := a[k]
			if alpha == 0 {
				if floattest.Bits(got) != floattest.Bits(a0[k]) {
					fr.Errorf("%v: a[%d,%d] = %v, want it untouched: %v", where, i, j, got, a0[k])
				}
				continue
			}
			r := refGer(alpha, x0[i], y0[j], a0[k])
			if c.ints {
				if want := T(r.Value); float64(want) != r.Value || got != want {
					fr.Errorf("%v: a[%d,%d] = %v, want exactly %v", where, i, j, got, r.Value)
				}
			} else if err := floattest.Check(got, r, boundGer[T](r)); err != nil {
				fr.Errorf("%v: a[%d,%d]: %v", where, i, j, err)
			}
		}
	}
}

// sweepGer runs f on every m×n with m, n ∈ sweepSmall ∪ sweepLarge, as
// sweepGemv does: small shapes with every α (twice, layouts drawn at random)
// and again with every start offset and lda (α = 0.7); larger shapes with
// three layouts and α drawn at random, or, when both sizes are large, one
// for every third shape.
func sweepGer[T floattest.Float](t *testing.T, f gerOp[T], seed uint64) {
	rng := newRand(seed)
	fr := &failures{t: t}
	sizes := append(sweepSmall(), sweepLarge...)
	for im, m := range sizes {
		for in, n := range sizes {
			if m > 20 || n > 20 {
				// Ger checks every element against its own reference, which
				// costs more than Gemv's one sum per row: fewer cases here,
				// and a third of the shapes where both sizes are large.
				cases := 3
				if m > 20 && n > 20 {
					cases = 0
					if (im+in)%3 == 0 {
						cases = 1
					}
				}
				for range cases {
					runGer(fr, f, randomGerLayout(rng, m, n, testAlphas[rng.IntN(len(testAlphas))]), rng, nil)
				}
				continue
			}
			for _, al := range testAlphas {
				for range 2 {
					runGer(fr, f, randomGerLayout(rng, m, n, al), rng, nil)
				}
			}
			for o := range maxOffset {
				for _, lda := range ldas(n) {
					c := gerCase{m: m, n: n, lda: lda, offA: o, offX: (o + 3) % maxOffset, offY: (o + 6) % maxOffset,
						longA: o%2 == 1, alpha: 0.7}
					runGer(fr, f, c, rng, nil)
				}
			}
		}
	}
}

// TestGer checks A += αxyᵀ over the sweep of shapes, layouts and α.
func TestGer(t *testing.T) {
	runTypes(t,
		func(t *testing.T) { sweepGer(t, kernels.Sger, 21) },
		func(t *testing.T) { sweepGer(t, kernels.Dger, 22) })
}

// TestGerChunked checks Ger on matrices larger than one assembly call (see
// chunkShapes): with small integers, for which every element must be exact
// (a block applied twice, skipped or shifted shows), and with α = 0. Rounding
// is per element and the same at any size; the sweep covers it.
func TestGerChunked(t *testing.T) {
	run := func(t *testing.T, f32 bool) {
		t.Helper()
		fr := &failures{t: t}
		rng := newRand(23)
		cases := func(m, n int) []gerCase {
			return []gerCase{
				{m: m, n: n, lda: n + 7, offA: 6, offX: 2, offY: 3, alpha: 2, ints: true, longA: true},
				{m: m, n: n, lda: n, alpha: 0},
			}
		}
		if f32 {
			for _, s := range chunkShapes[float32]() {
				for _, c := range cases(s[0], s[1]) {
					runGer(fr, kernels.Sger, c, rng, nil)
				}
			}
			return
		}
		for _, s := range chunkShapes[float64]() {
			for _, c := range cases(s[0], s[1]) {
				runGer(fr, kernels.Dger, c, rng, nil)
			}
		}
	}
	runTypes(t,
		func(t *testing.T) { run(t, true) },
		func(t *testing.T) { run(t, false) })
}
