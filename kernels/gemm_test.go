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

// The blocking of kernels/gemm_driver.go, which the sweeps place sizes
// around (with the tile of the implementation in use, kernels.GemmTile): kc,
// mc and nc.
const (
	gemmKC = 256
	gemmNC = 3072
)

// gemmNR returns the tile width of the implementation in use.
func gemmNR[T floattest.Float]() int {
	_, nr := kernels.GemmTile[T]()
	return nr
}
func gemmMC[T floattest.Float]() int { return 192 * 4 / elemSize[T]() }

var gemmTrans = []kernels.Transpose{kernels.NoTrans, kernels.Trans}

// A gemmCase is one call of Gemm: the operand forms, the shape, the layout
// of the operands in memory, the scalars and the kind of data.
type gemmCase struct {
	tA, tB        kernels.Transpose
	m, n, k       int
	lda, ldb, ldc int
	offA, offB    int
	offC          int
	alpha, beta   float64
	ints          bool // small-integer data: the result must be exact
}

func (c gemmCase) String() string {
	return fmt.Sprintf("%v,%v m=%d n=%d k=%d ld(a,b,c)=(%d,%d,%d) off(a,b,c)=(%d,%d,%d) α=%v β=%v ints=%t",
		c.tA, c.tB, c.m, c.n, c.k, c.lda, c.ldb, c.ldc, c.offA, c.offB, c.offC, c.alpha, c.beta, c.ints)
}

// stored returns the rows and columns of A and B as stored.
func (c gemmCase) stored() (ar, ac, br, bc int) {
	ar, ac, br, bc = c.m, c.k, c.k, c.n
	if c.tA == kernels.Trans {
		ar, ac = c.k, c.m
	}
	if c.tB == kernels.Trans {
		br, bc = c.n, c.k
	}
	return ar, ac, br, bc
}

// gemmLayout returns a case with random leading dimensions (from ldas) and
// offsets.
func gemmLayout(rng *rand.Rand, tA, tB kernels.Transpose, m, n, k int, alpha, beta float64) gemmCase {
	c := gemmCase{tA: tA, tB: tB, m: m, n: n, k: k, alpha: alpha, beta: beta,
		offA: rng.IntN(maxOffset), offB: rng.IntN(maxOffset), offC: rng.IntN(maxOffset)}
	_, ac, _, bc := c.stored()
	pick := func(cols int) int { l := ldas(cols); return l[rng.IntN(len(l))] }
	c.lda, c.ldb, c.ldc = pick(ac), pick(bc), pick(n)
	return c
}

// opA returns the index of op(A)[i][l] in a, opB that of op(B)[l][j] in b.
func (c gemmCase) opA(i, l int) int {
	if c.tA == kernels.Trans {
		return l*c.lda + i
	}
	return i*c.lda + l
}

func (c gemmCase) opB(l, j int) int {
	if c.tB == kernels.Trans {
		return j*c.ldb + l
	}
	return l*c.ldb + j
}

// refGemm returns the reference for cᵢⱼ: Σₗ α·op(A)ᵢₗ·op(B)ₗⱼ + β·cᵢⱼ, the
// β term dropped for β = 0 as BLAS does.
func refGemm[T floattest.Float](c gemmCase, a, b, c0 []T, i, j int) floattest.Result {
	terms := c.k
	if c.beta != 0 {
		terms++
	}
	return floattest.Dot(terms, func(l int) (float64, float64, float64) {
		if l == c.k {
			return c.beta, float64(c0[i*c.ldc+j]), 1
		}
		return float64(a[c.opA(i, l)]), float64(b[c.opB(l, j)]), c.alpha
	})
}

// boundGemm returns the error bound of one element of C:
// (k+2)·ε·(|α|·Σ|aᵢₗ||bₗⱼ| + |β||cᵢⱼ|).
func boundGemm[T floattest.Float](k int, r floattest.Result) float64 {
	return r.AbsTimes(float64(k+2) * floattest.Eps[T]())
}

// A gemmPrep changes the random data of a case just before the call.
type gemmPrep[T floattest.Float] func(a, b, c []T)

// runGemm calls Gemm on random data laid out as c says and checks that A, B
// and the guards and gaps of C are unchanged, bit for bit; that m = 0 or
// n = 0 leaves C alone; that α = 0 or k = 0 gives βC bit for bit although
// A and B are NaN; that β = 0 gives a finite result although C starts NaN
// and ±Inf; and that every other cᵢⱼ is within boundGemm of the reference
// (exact for small-integer data). It returns C.
func runGemm[T floattest.Float](fr *failures, c gemmCase, rng *rand.Rand, prep gemmPrep[T]) []T {
	fr.t.Helper()
	alpha, beta := T(c.alpha), T(c.beta)
	nan, inf := T(math.NaN()), T(math.Inf(1))
	ar, ac, br, bc := c.stored()
	mA := newMatrix(ar, ac, c.lda, c.offA, false, inputGuard[T]())
	mB := newMatrix(br, bc, c.ldb, c.offB, false, inputGuard[T]())
	mC := newMatrix(c.m, c.n, c.ldc, c.offC, false, outputGuard[T]())
	a, b, cs := mA.S(), mB.S(), mC.S()
	val := uniform[T]
	if c.ints {
		val = smallInt[T]
	}
	fill := func(s []T, rows, cols, ld int, special func(k int) (T, bool)) {
		for i := range rows {
			for j := range cols {
				v := val(rng)
				if x, ok := special(i*cols + j); ok {
					v = x
				}
				s[i*ld+j] = v
			}
		}
	}
	unread := func(int) (T, bool) { return nan, alpha == 0 }
	fill(a, ar, ac, c.lda, unread)
	fill(b, br, bc, c.ldb, unread)
	fill(cs, c.m, c.n, c.ldc, func(k int) (T, bool) { return []T{nan, inf, -inf}[k%3], beta == 0 })
	if prep != nil {
		prep(a, b, cs)
	}
	mA.Snapshot()
	mB.Snapshot()
	mC.Snapshot()

	kernels.For[T]().Gemm(c.tA, c.tB, c.m, c.n, c.k, alpha, a, c.lda, b, c.ldb, beta, cs, c.ldc)

	where := lazyString(func() string { return fmt.Sprintf("%s Gemm %v", typeName[T](), c) })
	mA.CheckUnchanged(fr, where, "a")
	mB.CheckUnchanged(fr, where, "b")
	mC.CheckGaps(fr, where, "c", func(k int) bool { return isElem(c.m, c.n, c.ldc, k) })
	a0, b0, c0 := mA.Orig(), mB.Orig(), mC.Orig()
	for i := range c.m {
		for j := range c.n {
			got := cs[i*c.ldc+j]
			if alpha == 0 || c.k == 0 {
				if want := blasScale(beta, c0[i*c.ldc+j]); floattest.Bits(got) != floattest.Bits(want) {
					fr.Errorf("%v: c[%d][%d] = %v, want βc = %v exactly", where, i, j, got, want)
				}
				continue
			}
			r := refGemm(c, a0, b0, c0, i, j)
			if c.ints {
				if want := T(r.Value); float64(want) != r.Value || got != want {
					fr.Errorf("%v: c[%d][%d] = %v, want exactly %v", where, i, j, got, r.Value)
				}
			} else if err := floattest.Check(got, r, boundGemm[T](c.k, r)); err != nil {
				fr.Errorf("%v: c[%d][%d]: %v", where, i, j, err)
			}
		}
	}
	return slices.Clone(cs)
}

// gemmSmallSizes are the m, n and k of the full sweep: every size through
// MR+1 and around one and two tiles of 8 and 16 columns.
var gemmSmallSizes = []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 15, 16, 17, 33}

// sweepGemm runs every operand form on every m×n×k of gemmSmallSizes with a
// random (α, β) and layout, every (α, β) pair on a few shapes, and then the
// sizes around kc, mc and nc, where the driver's blocking changes.
func sweepGemm[T floattest.Float](t *testing.T, seed uint64) {
	rng := newRand(seed)
	fr := &failures{t: t}
	pickAB := func() (float64, float64) {
		return testAlphas[rng.IntN(len(testAlphas))], testBetas[rng.IntN(len(testBetas))]
	}
	mr, nr := kernels.GemmTile[T]()
	mc := gemmMC[T]()
	for _, tA := range gemmTrans {
		for _, tB := range gemmTrans {
			for _, m := range gemmSmallSizes {
				for _, n := range gemmSmallSizes {
					for _, k := range gemmSmallSizes {
						al, be := pickAB()
						runGemm[T](fr, gemmLayout(rng, tA, tB, m, n, k, al, be), rng, nil)
					}
				}
			}
			for _, s := range [][3]int{{6, 16, 9}, {7, 17, 3}, {5, 9, 1}, {13, 8, 4}} {
				for _, al := range testAlphas {
					for _, be := range testBetas {
						runGemm[T](fr, gemmLayout(rng, tA, tB, s[0], s[1], s[2], al, be), rng, nil)
					}
				}
			}
			large := [][3]int{
				{mr + 1, nr + 1, gemmKC - 1}, {mr, nr, gemmKC}, {mr - 1, nr - 1, gemmKC + 1},
				{3, 5, 2*gemmKC + 7}, {mc - 1, 3, 5}, {mc, nr + 3, 2}, {mc + 1, 2*nr - 1, gemmKC + 1},
				{2*mc + 5, 7, 3}, {2, gemmNC - 1, 3}, {3, gemmNC, 2}, {2, gemmNC + 1, gemmKC + 2},
				{40, 70, 300},
			}
			for _, s := range large {
				al, be := pickAB()
				if al == 0 {
					al = 0.7
				}
				runGemm[T](fr, gemmLayout(rng, tA, tB, s[0], s[1], s[2], al, be), rng, nil)
			}
		}
	}
}

// TestGemm checks C = α·op(A)·op(B) + βC over the sweep of forms, shapes,
// layouts and scalars.
func TestGemm(t *testing.T) {
	runTypes(t, func(t *testing.T) { sweepGemm[float32](t, 11) }, func(t *testing.T) { sweepGemm[float64](t, 12) })
}

// gemmDotRows, gemmDotCols and gemmDotMaxK bound the shapes of
// NoTrans·Trans products that kernels/gemm_dot.go computes as dot products
// of rows (m ≤ gemmDotRows or n ≤ gemmDotCols, and k ≤ gemmDotMaxK); beyond
// them the packed path runs.
const (
	gemmDotRows = 64
	gemmDotCols = 12
	gemmDotMaxK = 16384
)

// TestGemmDotPath checks A·Bᵀ around the dot path's tiles (up to 4×5 for
// any instruction set), its blocks of 16 rows, its steps of 64 bytes of k
// and its limits on m and k, with integer data (exact in every order, so a
// term missed or taken twice shows) and random data (against the bound).
func TestGemmDotPath(t *testing.T) {
	dot := func(t *testing.T, run func(fr *failures, c gemmCase, rng *rand.Rand)) {
		rng := newRand(20)
		fr := &failures{t: t}
		for _, m := range []int{1, 2, 3, 4, 5, 7, 16, 17, 33, gemmDotRows, gemmDotRows + 1} {
			for _, n := range []int{1, 2, 3, 4, 5, 6, 10, 11} {
				for _, k := range []int{1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 49, 784} {
					c := gemmLayout(rng, kernels.NoTrans, kernels.Trans, m, n, k, testAlphas[rng.IntN(len(testAlphas))], testBetas[rng.IntN(len(testBetas))])
					run(fr, c, rng)
				}
			}
		}
		for _, s := range [][3]int{{2, 3, gemmDotMaxK}, {3, 5, gemmDotMaxK + 1}, {gemmDotRows, 70, 300}, {gemmDotRows + 1, 70, 300},
			{257, gemmDotCols, 129}, {200, gemmDotCols + 1, 129}, {gemmDotRows + 1, 1, 33}} {
			run(fr, gemmLayout(rng, kernels.NoTrans, kernels.Trans, s[0], s[1], s[2], 0.7, 0.3), rng)
		}
	}
	runTypes(t, func(t *testing.T) {
		dot(t, func(fr *failures, c gemmCase, rng *rand.Rand) {
			runGemm[float32](fr, c, rng, nil)
			c.ints, c.alpha, c.beta = true, 2, -1 // integer scalars: exact too
			runGemm[float32](fr, c, rng, nil)
		})
	}, func(t *testing.T) {
		dot(t, func(fr *failures, c gemmCase, rng *rand.Rand) {
			runGemm[float64](fr, c, rng, nil)
			c.ints, c.alpha, c.beta = true, 2, -1 // integer scalars: exact too
			runGemm[float64](fr, c, rng, nil)
		})
	})
}

// TestGemmExact checks small-integer data, whose products and sums are exact
// in every order, so that a term applied twice, skipped or taken from the
// wrong element shows however long the sums: across k blocks (β must become
// 1 after the first) and m and n blocks.
func TestGemmExact(t *testing.T) {
	exact := func(seed uint64) func(t *testing.T) {
		return func(t *testing.T) {
			rng := newRand(seed)
			fr := &failures{t: t}
			for _, tA := range gemmTrans {
				for _, tB := range gemmTrans {
					for _, s := range [][3]int{{13, 33, 2*gemmKC + 3}, {200, 19, 300}, {7, 3100, 5}} {
						for _, ab := range [][2]float64{{2, 0}, {-1, -1}, {1, 1}} {
							c := gemmLayout(rng, tA, tB, s[0], s[1], s[2], ab[0], ab[1])
							c.ints = true
							runGemm[float32](fr, c, rng, nil)
							runGemm[float64](fr, c, rng, nil)
						}
					}
				}
			}
		}
	}
	runTypes(t, exact(13), func(t *testing.T) {})
}

// TestGemmSpecials checks that NaN and ±Inf in A or B reach exactly the
// elements of C whose sums they enter, and that values near the overflow
// threshold stay within the bound.
func TestGemmSpecials(t *testing.T) {
	runTypes(t, func(t *testing.T) { specialsGemm[float32](t, 14) }, func(t *testing.T) { specialsGemm[float64](t, 15) })
}

func specialsGemm[T floattest.Float](t *testing.T, seed uint64) {
	rng := newRand(seed)
	fr := &failures{t: t}
	big := T(floattest.MaxFinite[T]() / 64)
	for _, tA := range gemmTrans {
		for _, tB := range gemmTrans {
			for _, v := range []T{T(math.NaN()), T(math.Inf(1)), T(math.Inf(-1))} {
				c := gemmLayout(rng, tA, tB, 9, 19, 7, 0.7, 0.3)
				got := runGemm(fr, c, rng, func(a, b, _ []T) { a[c.opA(4, 3)] = v; b[c.opB(5, 17)] = v })
				for i := range c.m {
					for j := range c.n {
						x := got[i*c.ldc+j]
						hit := i == 4 || j == 17
						if hit != (x != x || math.IsInf(float64(x), 0)) {
							fr.Errorf("%v with %v at op(A)[4][3] and op(B)[5][17]: c[%d][%d] = %v", c, v, i, j, x)
						}
					}
				}
			}
			// Large values whose products stay finite: the bound still holds.
			c := gemmLayout(rng, tA, tB, 7, 17, 9, 1, 0.5)
			runGemm(fr, c, rng, func(a, b, cs []T) {
				for i := range a {
					a[i] *= big
				}
				for i := range cs {
					cs[i] *= big
				}
			})
		}
	}
}

// TestGemmImplementationsAgree runs every implementation on the same data and
// requires the same bits: each element has one accumulation order, and the
// pure-Go micro-kernel rounds as the assembly does.
func TestGemmImplementationsAgree(t *testing.T) {
	t.Cleanup(func() { _ = kernels.UseImplementation("") })
	t.Run("f32", func(t *testing.T) { agreeGemm[float32](t, 16) })
	t.Run("f64", func(t *testing.T) { agreeGemm[float64](t, 17) })
}

func agreeGemm[T floattest.Float](t *testing.T, seed uint64) {
	rng := newRand(seed)
	impls := kernels.Implementations()
	for _, tA := range gemmTrans {
		for _, tB := range gemmTrans {
			for _, s := range [][3]int{{1, 1, 1}, {7, 17, 9}, {5, 7, 33}, {64, 64, 64}, {33, 70, 600}, {200, 9, 257}, {17, 10, 784}} {
				m, n, k := s[0], s[1], s[2]
				a, b, c0 := make([]T, m*k), make([]T, k*n), make([]T, m*n)
				fillUniform(rng, a)
				fillUniform(rng, b)
				fillUniform(rng, c0)
				lda, ldb := k, n
				if tA == kernels.Trans {
					lda = m
				}
				if tB == kernels.Trans {
					ldb = k
				}
				var first []T
				for _, name := range impls {
					if err := kernels.UseImplementation(name); err != nil {
						t.Fatal(err)
					}
					c := slices.Clone(c0)
					kernels.For[T]().Gemm(tA, tB, m, n, k, 0.7, a, lda, b, ldb, 0.3, c, n)
					if first == nil {
						first = c
						continue
					}
					for i := range c {
						if floattest.Bits(c[i]) != floattest.Bits(first[i]) {
							t.Fatalf("%s %v,%v %dx%dx%d: c[%d] = %v (%s), %v (%s): not bit-identical",
								typeName[T](), tA, tB, m, n, k, i, first[i], impls[0], c[i], name)
						}
					}
				}
			}
		}
	}
}

// TestGemmBlockingInvariant checks that a block of rows and columns of C
// computed on its own has the bits it has in the whole product: the result
// does not depend on how m and n are cut into tiles and blocks, on the
// packed path (NoTrans·NoTrans) and on the dot path (NoTrans·Trans, m ≤
// gemmDotRows).
func TestGemmBlockingInvariant(t *testing.T) {
	runTypes(t, func(t *testing.T) {
		invariantGemm[float32](t, 18, kernels.NoTrans, gemmMC[float32]()+9)
		invariantGemm[float32](t, 21, kernels.Trans, gemmDotRows-3)
	}, func(t *testing.T) {
		invariantGemm[float64](t, 19, kernels.NoTrans, gemmMC[float64]()+9)
		invariantGemm[float64](t, 22, kernels.Trans, gemmDotRows-3)
	})
}

// invariantGemm checks one operand form of B on an m-row product.
func invariantGemm[T floattest.Float](t *testing.T, seed uint64, tB kernels.Transpose, m int) {
	rng := newRand(seed)
	n, k := 2*gemmNR[T]()+5, gemmKC+40
	a, b, c0 := make([]T, m*k), make([]T, k*n), make([]T, m*n)
	fillUniform(rng, a)
	fillUniform(rng, b)
	fillUniform(rng, c0)
	// opB(j0) is op(B) from column j0 on, ldb its leading dimension.
	ldb, opB := n, func(j0 int) []T { return b[j0:] }
	if tB == kernels.Trans {
		ldb, opB = k, func(j0 int) []T { return b[j0*k:] }
	}
	whole := slices.Clone(c0)
	kernels.For[T]().Gemm(kernels.NoTrans, tB, m, n, k, 0.7, a, k, b, ldb, 0.3, whole, n)
	for _, blk := range [][4]int{{0, 1, 0, 1}, {3, 11, 5, 6}, {1, m, 7, n}, {m - 4, m, 0, n - 3}} {
		i0, i1, j0, j1 := blk[0], blk[1], blk[2], blk[3]
		part := slices.Clone(c0)
		kernels.For[T]().Gemm(kernels.NoTrans, tB, i1-i0, j1-j0, k, 0.7, a[i0*k:], k, opB(j0), ldb, 0.3, part[i0*n+j0:], n)
		for i := i0; i < i1; i++ {
			for j := j0; j < j1; j++ {
				if floattest.Bits(part[i*n+j]) != floattest.Bits(whole[i*n+j]) {
					t.Fatalf("%s %v rows %d..%d cols %d..%d: c[%d][%d] = %v alone, %v in the whole product",
						typeName[T](), tB, i0, i1, j0, j1, i, j, part[i*n+j], whole[i*n+j])
				}
			}
		}
	}
}

// TestGemmNoAllocs checks that a warm Gemm allocates nothing, on one
// goroutine or several: the packing buffers and the parts of a call come
// from pools.
func TestGemmNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's sync.Pool drops items on purpose")
	}
	t.Cleanup(func() { _ = kernels.UseImplementation("") })
	defer kernels.SetWorkers(kernels.SetWorkers(2))
	for _, name := range kernels.Implementations() {
		if err := kernels.UseImplementation(name); err != nil {
			t.Fatal(err)
		}
		a, b, c := make([]float32, 256*784), make([]float32, 784*256), make([]float32, 256*256)
		for _, s := range []struct{ m, n, k int }{{32, 256, 196}, {256, 256, 196}, {256, 10, 196}, {7, 9, 9}} {
			if n := testing.AllocsPerRun(20, func() {
				kernels.Sgemm(kernels.NoTrans, kernels.Trans, s.m, s.n, s.k, 1, a, s.k, b, s.k, 0, c, s.n)
				kernels.Sgemm(kernels.Trans, kernels.NoTrans, s.m, s.n, s.k, 1, a, s.m, b, s.n, 0, c, s.n)
			}); n != 0 {
				t.Errorf("%s: Sgemm %d×%d×%d allocates %v times per call, want 0", name, s.m, s.n, s.k, n)
			}
		}
	}
}

// TestTransposeString checks the names of the operand forms.
func TestTransposeString(t *testing.T) {
	for tr, want := range map[kernels.Transpose]string{kernels.NoTrans: "NoTrans", kernels.Trans: "Trans", 7: "Transpose(7)"} {
		if got := tr.String(); got != want {
			t.Errorf("Transpose(%d).String() = %q, want %q", int(tr), got, want)
		}
	}
}
