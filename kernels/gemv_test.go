package kernels_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/simdnn/simdnn/internal/floattest"
	"github.com/simdnn/simdnn/kernels"
)

// gemvOp is the signature Sgemv, Dgemv, SgemvT and DgemvT share.
type gemvOp[T floattest.Float] func(m, n int, alpha T, a []T, lda int, x []T, beta T, y []T)

// A gemvCase is one call of Gemv or GemvT: the shape, the layout of the
// operands in memory, the scalars and the kind of data.
type gemvCase struct {
	m, n, lda        int
	offA, offX, offY int  // start offsets in elements past a 64-byte boundary
	longA            bool // a runs to m·lda elements instead of (m-1)·lda+n
	alpha, beta      float64
	ints             bool // small-integer data: the result must be exact
}

func (c gemvCase) String() string {
	return fmt.Sprintf("m=%d n=%d lda=%d off(a,x,y)=(%d,%d,%d) longA=%t α=%v β=%v ints=%t",
		c.m, c.n, c.lda, c.offA, c.offX, c.offY, c.longA, c.alpha, c.beta, c.ints)
}

// randomLayout returns a case of shape m×n with scalars α and β, an lda
// from ldas and offsets drawn from rng.
func randomLayout(rng *rand.Rand, m, n int, alpha, beta float64) gemvCase {
	l := ldas(n)
	return gemvCase{
		m: m, n: n, lda: l[rng.IntN(len(l))],
		offA: rng.IntN(maxOffset), offX: rng.IntN(maxOffset), offY: rng.IntN(maxOffset),
		longA: rng.IntN(4) == 0,
		alpha: alpha, beta: beta,
	}
}

// A gemvPrep changes the random data of a case just before the call, to put
// special values in place.
type gemvPrep[T floattest.Float] func(a []T, lda int, x, y []T)

// runGemv calls f, which computes y = α·op(A)·x + βy with op(A) = A, or Aᵀ
// when trans is set, on random data laid out as c says, and checks:
//
//   - a, x and every guard and gap are unchanged, bit for bit;
//   - m = 0 or n = 0 leaves y untouched, bit for bit, whatever β is;
//   - α = 0 gives y = βy bit for bit, although A and x are NaN (BLAS: A and
//     x are not read);
//   - β = 0 gives a finite result although y starts as NaN and ±Inf (BLAS: y
//     is not read);
//   - otherwise every yₖ is within the documented bound of the reference,
//     or, for small-integer data, exactly the reference.
//
// prep, if not nil, changes the data just before the call.
func runGemv[T floattest.Float](fr *failures, f gemvOp[T], trans bool, c gemvCase, rng *rand.Rand, prep gemvPrep[T]) {
	fr.t.Helper()
	name, lenX, lenY, terms := "Gemv", c.n, c.m, c.n
	if trans {
		name, lenX, lenY, terms = "GemvT", c.m, c.n, c.m
	}
	alpha, beta := T(c.alpha), T(c.beta)
	nan, inf := T(math.NaN()), T(math.Inf(1))

	mA := newMatrix(c.m, c.n, c.lda, c.offA, c.longA, inputGuard[T]())
	vX := newGuarded(lenX, c.offX, inputGuard[T]())
	vY := newGuarded(lenY, c.offY, outputGuard[T]())
	a, x, y := mA.S(), vX.S(), vY.S()
	val := uniform[T]
	if c.ints {
		val = smallInt[T]
	}
	for i := range min(c.n, 1) * c.m {
		for j := range c.n {
			a[i*c.lda+j] = val(rng)
			if alpha == 0 {
				a[i*c.lda+j] = nan
			}
		}
	}
	for i := range x {
		x[i] = val(rng)
		if alpha == 0 {
			x[i] = nan
		}
	}
	for i := range y {
		y[i] = val(rng)
		if beta == 0 {
			y[i] = []T{nan, inf, -inf}[i%3]
		}
	}
	if prep != nil {
		prep(a, c.lda, x, y)
	}
	mA.Snapshot()
	vX.Snapshot()
	vY.Snapshot()

	f(c.m, c.n, alpha, a, c.lda, x, beta, y)

	where := lazyString(func() string { return fmt.Sprintf("%s %s %v", typeName[T](), name, c) })
	mA.CheckUnchanged(fr, where, "a")
	vX.CheckUnchanged(fr, where, "x")
	vY.CheckGuards(fr, where, "y")
	a0, x0, y0 := mA.Orig(), vX.Orig(), vY.Orig()
	for k, got := range y {
		switch {
		case c.m == 0 || c.n == 0:
			if floattest.Bits(got) != floattest.Bits(y0[k]) {
				fr.Errorf("%v: y[%d] = %v, want it untouched: %v", where, k, got, y0[k])
			}
		case alpha == 0:
			if want := blasScale(beta, y0[k]); floattest.Bits(got) != floattest.Bits(want) {
				fr.Errorf("%v: y[%d] = %v, want βy = %v exactly", where, k, got, want)
			}
		default:
			r := refGemv(trans, c.m, c.n, alpha, a0, c.lda, x0, beta, y0, k)
			if c.ints {
				if want := T(r.Value); float64(want) != r.Value || got != want {
					fr.Errorf("%v: y[%d] = %v, want exactly %v", where, k, got, r.Value)
				}
			} else if err := floattest.Check(got, r, boundGemv[T](terms, r)); err != nil {
				fr.Errorf("%v: y[%d]: %v", where, k, err)
			}
		}
	}
}

// sweepSmall are the sizes m and n take together in full: every size through
// 20, which covers each row remainder of the kernels' row blocks and each
// tail of a vector of 4 or 8 lanes, once around and past a full block.
func sweepSmall() []int {
	s := make([]int, 21)
	for i := range s {
		s[i] = i
	}
	return s
}

// sweepLarge samples sizes to 200 around the multiples of 32 and 64 (an
// unrolled AVX2 loop of 8 registers of 4 float64 or 8 float32) up to
// 3·64+1 = 193, where the main loop runs three times plus a one-element tail.
var sweepLarge = []int{24, 31, 32, 33, 63, 64, 65, 95, 96, 97, 127, 128, 129, 191, 192, 193, 200}

// sweepGemv runs f on every m×n with m, n ∈ sweepSmall ∪ sweepLarge:
//
//   - shapes with both sizes in sweepSmall with every α and β (offsets, lda and
//     the length of a drawn at random), and again with every start offset and
//     every lda of ldas (α = 0.7, β = 0.3);
//   - the larger shapes with four (two when both sizes are large) (α, β)
//     pairs and layouts drawn at random, which keeps the sweep fast while
//     every pair and offset still meets every row remainder and column tail
//     many times over.
func sweepGemv[T floattest.Float](t *testing.T, f gemvOp[T], trans bool, seed uint64) {
	rng := newRand(seed)
	fr := &failures{t: t}
	sizes := append(sweepSmall(), sweepLarge...)
	for _, m := range sizes {
		for _, n := range sizes {
			if m > 20 || n > 20 {
				// Four cases where one size is small, two where neither is.
				cases := 4
				if m > 20 && n > 20 {
					cases = 2
				}
				for range cases {
					al, be := testAlphas[rng.IntN(len(testAlphas))], testBetas[rng.IntN(len(testBetas))]
					runGemv(fr, f, trans, randomLayout(rng, m, n, al, be), rng, nil)
				}
				continue
			}
			for _, al := range testAlphas {
				for _, be := range testBetas {
					runGemv(fr, f, trans, randomLayout(rng, m, n, al, be), rng, nil)
				}
			}
			for o := range maxOffset {
				for _, lda := range ldas(n) {
					c := gemvCase{m: m, n: n, lda: lda, offA: o, offX: (o + 3) % maxOffset, offY: (o + 6) % maxOffset,
						longA: o%2 == 1, alpha: 0.7, beta: 0.3}
					runGemv(fr, f, trans, c, rng, nil)
				}
			}
		}
	}
}

// chunkShapes returns shapes whose matrix exceeds maxCallBytes, so that the
// wrappers cut it into blocks: 3 rows each longer than one block (column
// blocks, the later ones adding to the partial sums with β = 1) and ~1000
// columns by enough rows for two row blocks.
func chunkShapes[T floattest.Float]() [][2]int {
	c := chunkElems[T]()
	return [][2]int{{3, c + c/8 + 3}, {c/1003 + 7, 1003}}
}

// chunkGemv runs f on chunkShapes: with small integers, for which every
// output must be exact, so that a block applied twice, skipped or shifted
// shows although the rounding bound has grown to hundreds of terms (α = 2,
// β = 0: later column blocks must add with β = 1 and y must not be read;
// α = -1, β = -1); with α = 0; and once with random data, for the rounding of
// sums that long (α = 0.7, β = 0.3).
func chunkGemv[T floattest.Float](t *testing.T, f gemvOp[T], trans bool, seed uint64) {
	rng := newRand(seed)
	fr := &failures{t: t}
	for i, s := range chunkShapes[T]() {
		m, n := s[0], s[1]
		cases := []gemvCase{
			{m: m, n: n, lda: n + 7, offA: 6, offX: 2, offY: 3, alpha: 2, beta: 0, ints: true},
			{m: m, n: n, lda: n, offA: 1, offX: 0, offY: 7, alpha: -1, beta: -1, ints: true, longA: true},
			{m: m, n: n, lda: n, offA: 0, offX: 0, offY: 0, alpha: 0, beta: 0.3},
		}
		if i == 0 {
			cases = append(cases, gemvCase{m: m, n: n, lda: n + 1, offA: 3, offX: 5, offY: 1, alpha: 0.7, beta: 0.3})
		}
		for _, c := range cases {
			runGemv(fr, f, trans, c, rng, nil)
		}
	}
}

// TestGemv checks y = αAx + βy over the sweep of shapes, layouts and scalars.
func TestGemv(t *testing.T) {
	runTypes(t,
		func(t *testing.T) { sweepGemv(t, kernels.Sgemv, false, 1) },
		func(t *testing.T) { sweepGemv(t, kernels.Dgemv, false, 2) })
}

// TestGemvChunked checks Gemv on matrices larger than one assembly call.
func TestGemvChunked(t *testing.T) {
	runTypes(t,
		func(t *testing.T) { chunkGemv(t, kernels.Sgemv, false, 3) },
		func(t *testing.T) { chunkGemv(t, kernels.Dgemv, false, 4) })
}

// TestGemvImplementationsAgree runs Gemv and GemvT with each implementation
// on the same random data and checks that any two results differ by at most
// twice the error bound: each is within the bound of the exact result. (The
// sweeps already check each implementation against the reference; this says
// the same thing about the implementations directly.)
func TestGemvImplementationsAgree(t *testing.T) {
	t.Cleanup(func() { _ = kernels.UseImplementation("") })
	t.Run("f32", func(t *testing.T) {
		agreeGemv(t, kernels.Sgemv, false, 5)
		agreeGemv(t, kernels.SgemvT, true, 6)
	})
	t.Run("f64", func(t *testing.T) {
		agreeGemv(t, kernels.Dgemv, false, 7)
		agreeGemv(t, kernels.DgemvT, true, 8)
	})
}

func agreeGemv[T floattest.Float](t *testing.T, f gemvOp[T], trans bool, seed uint64) {
	rng := newRand(seed)
	fr := &failures{t: t}
	impls := kernels.Implementations()
	for _, s := range [][2]int{{1, 1}, {7, 9}, {64, 64}, {65, 193}, {193, 65}, {200, 200}} {
		m, n := s[0], s[1]
		lenX, lenY, terms := n, m, n
		if trans {
			lenX, lenY, terms = m, n, m
		}
		a := make([]T, m*n)
		x := make([]T, lenX)
		y0 := make([]T, lenY)
		fillUniform(rng, a)
		fillUniform(rng, x)
		fillUniform(rng, y0)
		alpha, beta := T(0.7), T(0.3)
		results := make([][]T, len(impls))
		for i, name := range impls {
			if err := kernels.UseImplementation(name); err != nil {
				t.Fatal(err)
			}
			results[i] = slices.Clone(y0)
			f(m, n, alpha, a, n, x, beta, results[i])
		}
		for k := range lenY {
			r := refGemv(trans, m, n, alpha, a, n, x, beta, y0, k)
			tol := 2 * (boundGemv[T](terms, r) + r.Err + floattest.Tiny[T](r))
			for i := 1; i < len(impls); i++ {
				if d := math.Abs(float64(results[i][k]) - float64(results[0][k])); !(d <= tol) {
					fr.Errorf("%s trans=%t m=%d n=%d: y[%d] = %v (%s) and %v (%s) differ by %.3g > %.3g",
						typeName[T](), trans, m, n, k, results[0][k], impls[0], results[i][k], impls[i], d, tol)
				}
			}
		}
	}
}
