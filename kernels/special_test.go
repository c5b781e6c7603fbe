package kernels_test

// Special values: NaN and ±Inf must propagate to exactly the outputs they
// feed, as IEEE 754 arithmetic says (a NaN in row i of A makes yᵢ NaN and no
// other output; Inf·0 is NaN; +Inf and −Inf in one sum make NaN); values
// close to overflow must stay within the bound, and sums beyond the range
// must overflow to the infinity of their sign; subnormal inputs and products
// must count (a kernel that ran with flush-to-zero or denormals-are-zero set
// would be off by far more than floattest.Tiny).
//
// Each case puts the special values into the random data of an ordinary
// sweep case (runGemv, runGer, runAxpy, runDot, runScal) and leaves the
// verdict to the same reference and floattest.Check, whose reference handles
// NaN, ±Inf and overflow; the data keep infinities apart from finite sums
// that overflow, where IEEE results would depend on the order of the sum.

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/simdnn/simdnn/internal/floattest"
	"github.com/simdnn/simdnn/kernels"
)

// minNormal returns the smallest positive normal value of T.
func minNormal[T floattest.Float]() float64 {
	if elemSize[T]() == 4 {
		return 0x1p-126
	}
	return 0x1p-1022
}

// A gemvSpecial puts special values into op(A), x and y of a Gemv or GemvT
// case. at(r, c) is the index in a of element (r, c) of op(A), which has
// len(y) rows and len(x) columns, so that one description serves A and Aᵀ.
type gemvSpecial[T floattest.Float] struct {
	name string
	prep func(rng *rand.Rand, at func(r, c int) int, a, x, y []T)
}

// gemvSpecials returns the special-value cases of Gemv and GemvT. Rows r of
// op(A) are outputs; every case needs at least 4 columns.
func gemvSpecials[T floattest.Float]() []gemvSpecial[T] {
	nan, inf := T(math.NaN()), T(math.Inf(1))
	maxT := floattest.MaxFinite[T]()
	return []gemvSpecial[T]{
		{"NaN in A: only its row is NaN", func(_ *rand.Rand, at func(r, c int) int, a, x, y []T) {
			rows, cols := len(y), len(x)
			a[at(0, 0)] = nan
			a[at(rows-1, cols-1)] = nan
			a[at(rows/2, cols/2)] = nan
		}},
		{"Inf in A: its row is ±Inf", func(_ *rand.Rand, at func(r, c int) int, a, x, y []T) {
			rows, cols := len(y), len(x)
			a[at(0, cols-1)] = inf
			a[at(rows-1, 0)] = -inf
		}},
		{"Inf·0 in A is NaN", func(_ *rand.Rand, at func(r, c int) int, a, x, y []T) {
			rows, cols := len(y), len(x)
			a[at(rows-1, cols-2)] = inf
			x[cols-2] = 0
		}},
		{"+Inf and -Inf in one row is NaN", func(_ *rand.Rand, at func(r, c int) int, a, x, y []T) {
			rows, cols := len(y), len(x)
			x[0], x[cols-1] = 0.5, 0.5
			a[at(rows/2, 0)] = inf
			a[at(rows/2, cols-1)] = -inf
		}},
		{"NaN in x: every output is NaN", func(_ *rand.Rand, _ func(r, c int) int, a, x, y []T) {
			x[len(x)-1] = nan
		}},
		{"Inf in x: ±Inf, NaN where A is 0", func(_ *rand.Rand, at func(r, c int) int, a, x, y []T) {
			x[1] = -inf
			a[at(len(y)-1, 1)] = 0
		}},
		{"near overflow stays finite", func(rng *rand.Rand, at func(r, c int) int, a, x, y []T) {
			// |Σ a·x| ≤ Σ|a||x| ≤ max/2 in any order: no partial sum can
			// overflow, and |α| ≤ 1 with |y| ≤ 1 keeps the result finite.
			s := maxT / float64(2*len(x))
			for r := range len(y) {
				for c := range len(x) {
					a[at(r, c)] = T(s * (2*rng.Float64() - 1))
				}
			}
		}},
		{"overflow gives ±Inf", func(rng *rand.Rand, at func(r, c int) int, a, x, y []T) {
			// Rows 0 and last sum ≥ 4 products of the same sign, each
			// ≥ max/2: the exact sum is ≥ 2·max and every partial sum of
			// two or more products already overflows, in any order.
			for c := range x {
				x[c] = T(1 + rng.Float64())
			}
			for _, r := range []int{0, len(y) - 1} {
				sign := 1 - 2*float64(r%2)
				for c := range len(x) {
					a[at(r, c)] = T(sign * maxT * (0.5 + 0.4*rng.Float64()))
				}
			}
		}},
		{"tiny products are subnormal", func(rng *rand.Rand, at func(r, c int) int, a, x, y []T) {
			for r := range len(y) {
				for c := range len(x) {
					a[at(r, c)] = T(minNormal[T]() * (2*rng.Float64() - 1))
				}
			}
		}},
		{"subnormal A", func(rng *rand.Rand, at func(r, c int) int, a, x, y []T) {
			for r := range len(y) {
				for c := range len(x) {
					a[at(r, c)] = T(floattest.Eta[T]() * float64(rng.IntN(2001)-1000))
				}
			}
		}},
	}
}

// gemvSpecialScalars are the (α, β) pairs the special cases run with: β = 0
// so that tiny results are not drowned by βy, and general values of both.
var gemvSpecialScalars = [][2]float64{{1, 0}, {-1, 0.3}, {0.7, 1}}

// testGemvSpecial runs every special case on a few shapes, for Gemv or
// GemvT.
func testGemvSpecial[T floattest.Float](t *testing.T, f gemvOp[T], trans bool, seed uint64) {
	rng := newRand(seed)
	fr := &failures{t: t}
	for _, sc := range gemvSpecials[T]() {
		for _, s := range [][2]int{{4, 4}, {5, 9}, {9, 67}, {67, 9}, {33, 200}} {
			for _, ab := range gemvSpecialScalars {
				c := randomLayout(rng, s[0], s[1], ab[0], ab[1])
				prep := func(a []T, lda int, x, y []T) {
					at := func(r, col int) int { return r*lda + col }
					if trans {
						at = func(r, col int) int { return col*lda + r }
					}
					sc.prep(rng, at, a, x, y)
				}
				before := fr.n
				runGemv(fr, f, trans, c, rng, prep)
				if fr.n > before {
					t.Logf("in special case %q", sc.name)
				}
			}
		}
	}
}

// TestGemvSpecialValues checks NaN, ±Inf, overflow and underflow in Gemv.
func TestGemvSpecialValues(t *testing.T) {
	runTypes(t,
		func(t *testing.T) { testGemvSpecial(t, kernels.Sgemv, false, 41) },
		func(t *testing.T) { testGemvSpecial(t, kernels.Dgemv, false, 42) })
}

// TestGemvTSpecialValues checks NaN, ±Inf, overflow and underflow in GemvT.
func TestGemvTSpecialValues(t *testing.T) {
	runTypes(t,
		func(t *testing.T) { testGemvSpecial(t, kernels.SgemvT, true, 43) },
		func(t *testing.T) { testGemvSpecial(t, kernels.DgemvT, true, 44) })
}

// gerSpecials returns the special-value cases of Ger, as functions of a
// (with its lda), x and y; m = len(x), n = len(y) ≥ 4.
func gerSpecials[T floattest.Float]() map[string]gerPrep[T] {
	nan, inf := T(math.NaN()), T(math.Inf(1))
	maxT := floattest.MaxFinite[T]()
	each := func(a []T, lda int, x, y []T, f func(i, j int) T) {
		for i := range x {
			for j := range y {
				a[i*lda+j] = f(i, j)
			}
		}
	}
	rng := newRand(45)
	u := func() float64 { return 2*rng.Float64() - 1 }
	return map[string]gerPrep[T]{
		"NaN in x: its row is NaN": func(a []T, lda int, x, y []T) { x[len(x)-1] = nan },
		"NaN in y: its column is NaN": func(a []T, lda int, x, y []T) {
			y[0] = nan
			y[len(y)-1] = nan
		},
		"NaN in A: only that element": func(a []T, lda int, x, y []T) {
			a[0] = nan
			a[(len(x)-1)*lda+len(y)-1] = nan
		},
		"Inf in x: ±Inf, NaN where y is 0": func(a []T, lda int, x, y []T) {
			x[0] = inf
			y[2] = 0
		},
		"near overflow stays finite": func(a []T, lda int, x, y []T) {
			// |a| ≤ max/4 and |α·x·y| ≤ max/4: no result can overflow.
			s := math.Sqrt(maxT / 4)
			each(a, lda, x, y, func(i, j int) T { return T(maxT / 4 * u()) })
			for i := range x {
				x[i] = T(s * u())
			}
			for j := range y {
				y[j] = T(s * u())
			}
		},
		"overflow gives ±Inf": func(a []T, lda int, x, y []T) {
			// |α·x₀·yⱼ| ≥ 0.7·(max/2)·4 > max for every j, and |a| ≤ 1
			// cannot bring it back: row 0 is ±Inf by the sign of x₀yⱼ.
			x[0] = T(maxT / 2)
			for j := range y {
				y[j] = T(math.Copysign(4+4*rng.Float64(), u()))
			}
		},
		"tiny products are subnormal": func(a []T, lda int, x, y []T) {
			each(a, lda, x, y, func(i, j int) T { return T(minNormal[T]() * u()) })
			for i := range x {
				x[i] = T(minNormal[T]() * u())
			}
			for j := range y {
				y[j] = T(4 * u())
			}
		},
		"subnormal A": func(a []T, lda int, x, y []T) {
			each(a, lda, x, y, func(i, j int) T { return T(floattest.Eta[T]() * float64(rng.IntN(2001)-1000)) })
		},
	}
}

// testGerSpecial runs every special case of Ger on a few shapes.
func testGerSpecial[T floattest.Float](t *testing.T, f gerOp[T], seed uint64) {
	rng := newRand(seed)
	fr := &failures{t: t}
	for name, prep := range gerSpecials[T]() {
		for _, s := range [][2]int{{4, 4}, {5, 9}, {9, 67}, {67, 9}, {33, 200}} {
			for _, al := range []float64{1, -1, 0.7} {
				c := randomGerLayout(rng, s[0], s[1], al)
				before := fr.n
				runGer(fr, f, c, rng, prep)
				if fr.n > before {
					t.Logf("in special case %q", name)
				}
			}
		}
	}
}

// TestGerSpecialValues checks NaN, ±Inf, overflow and underflow in Ger.
func TestGerSpecialValues(t *testing.T) {
	runTypes(t,
		func(t *testing.T) { testGerSpecial(t, kernels.Sger, 46) },
		func(t *testing.T) { testGerSpecial(t, kernels.Dger, 47) })
}

// vecSpecials returns the special-value cases of Axpy and Dot, on x and y
// of length n ≥ 4. In Axpy a special value affects its own element only; in
// Dot, the one result.
func vecSpecials[T floattest.Float](rng *rand.Rand) map[string]vecPrep[T] {
	nan, inf := T(math.NaN()), T(math.Inf(1))
	maxT := floattest.MaxFinite[T]()
	u := func() float64 { return 2*rng.Float64() - 1 }
	return map[string]vecPrep[T]{
		"NaN": func(x, y []T) {
			x[len(x)-1] = nan
			y[len(y)/2] = nan
		},
		"Inf": func(x, y []T) {
			x[0] = inf
			y[len(y)-1] = -inf
		},
		"Inf·0 is NaN": func(x, y []T) {
			x[1], y[1] = inf, 0
		},
		"+Inf and -Inf": func(x, y []T) {
			x[0], y[0] = inf, inf
			x[2], y[2] = -inf, inf
		},
		"near overflow stays finite": func(x, y []T) {
			// For Dot Σ|xᵢ||yᵢ| ≤ n·(max/4)·(2/n) = max/2; for Axpy
			// |αxᵢ| + |yᵢ| ≤ max/4 + 2: no sum can overflow.
			for i := range x {
				x[i], y[i] = T(maxT/4*u()), T(2/float64(len(y))*u())
			}
		},
		"overflow gives ±Inf": func(x, y []T) {
			// xᵢ and yᵢ of one sign, each ≥ 0.8·max: every product xᵢyᵢ
			// overflows to +Inf, and y + αx does for α ≥ 0.7 (1.36·max);
			// for α = -1 it cancels and must stay within the bound.
			for i := range x {
				sign := math.Copysign(1, u())
				x[i] = T(sign * maxT * (0.8 + 0.1*rng.Float64()))
				y[i] = T(sign * maxT * (0.8 + 0.1*rng.Float64()))
			}
		},
		"tiny products are subnormal": func(x, y []T) {
			// Dot: xᵢyᵢ near the smallest normal, many of them subnormal;
			// Axpy: y + αx where both are that small (odd i).
			for i := range x {
				x[i], y[i] = T(4*minNormal[T]()*u()), T(u())
				if i%2 == 1 {
					y[i] = T(minNormal[T]() * u())
				}
			}
		},
		"subnormal inputs": func(x, y []T) {
			// Subnormal x; y a small integer (Dot: exact subnormal
			// products) or subnormal too (Axpy: subnormal sums).
			for i := range x {
				x[i] = T(floattest.Eta[T]() * float64(rng.IntN(2001)-1000))
				y[i] = T(rng.IntN(7) - 3)
				if i%2 == 1 {
					y[i] = T(floattest.Eta[T]() * float64(rng.IntN(2001)-1000))
				}
			}
		},
	}
}

// vecSpecialLens are the lengths the level-1 special cases run on: short,
// around one unrolled loop, and long enough to take every path.
var vecSpecialLens = []int{4, 7, 9, 33, 64, 100, 257}

// TestAxpySpecialValues checks NaN, ±Inf, overflow and underflow in Axpy.
func TestAxpySpecialValues(t *testing.T) {
	run := func(t *testing.T, f32 bool) {
		fr := &failures{t: t}
		rng := newRand(48)
		for _, n := range vecSpecialLens {
			for _, al := range []float64{1, -1, 0.7} {
				c := vecCase{n: n, offX: rng.IntN(maxOffset), offY: rng.IntN(maxOffset), alpha: al}
				if f32 {
					for _, prep := range vecSpecials[float32](rng) {
						runAxpy(fr, kernels.Saxpy, c, rng, prep)
					}
				} else {
					for _, prep := range vecSpecials[float64](rng) {
						runAxpy(fr, kernels.Daxpy, c, rng, prep)
					}
				}
			}
		}
	}
	runTypes(t, func(t *testing.T) { run(t, true) }, func(t *testing.T) { run(t, false) })
}

// TestDotSpecialValues checks NaN, ±Inf, overflow and underflow in Dot.
func TestDotSpecialValues(t *testing.T) {
	run := func(t *testing.T, f32 bool) {
		fr := &failures{t: t}
		rng := newRand(49)
		for _, n := range vecSpecialLens {
			c := vecCase{n: n, offX: rng.IntN(maxOffset), offY: rng.IntN(maxOffset)}
			if f32 {
				for _, prep := range vecSpecials[float32](rng) {
					runDot(fr, kernels.Sdot, c, rng, prep)
				}
			} else {
				for _, prep := range vecSpecials[float64](rng) {
					runDot(fr, kernels.Ddot, c, rng, prep)
				}
			}
		}
	}
	runTypes(t, func(t *testing.T) { run(t, true) }, func(t *testing.T) { run(t, false) })
}

// TestScalSpecialValues checks Scal on NaN, ±Inf, subnormal inputs and
// results, and α = ±Inf or NaN: every element must be the correctly rounded
// product, so a flush-to-zero mode shows as a wrong subnormal.
func TestScalSpecialValues(t *testing.T) {
	run := func(t *testing.T, f32 bool) {
		fr := &failures{t: t}
		rng := newRand(50)
		for _, n := range vecSpecialLens {
			for _, al := range []float64{0.7, -3, 0x1p-10, math.Inf(1), math.NaN()} {
				c := vecCase{n: n, offX: rng.IntN(maxOffset), alpha: al}
				if f32 {
					runScal(fr, kernels.Sscal, c, rng, scalSpecials[float32](rng))
				} else {
					runScal(fr, kernels.Dscal, c, rng, scalSpecials[float64](rng))
				}
			}
		}
	}
	runTypes(t, func(t *testing.T) { run(t, true) }, func(t *testing.T) { run(t, false) })
}

// scalSpecials returns a prep for Scal that puts NaN, ±Inf, 0 and subnormal
// values into x, with normal values whose products with small α are
// subnormal.
func scalSpecials[T floattest.Float](rng *rand.Rand) func(x []T) {
	return func(x []T) {
		for i := range x {
			switch i % 6 {
			case 0:
				x[i] = T(math.NaN())
			case 1:
				x[i] = T(math.Inf(1 - 2*(i/6%2)))
			case 2:
				x[i] = 0
			case 3:
				x[i] = T(floattest.Eta[T]() * float64(rng.IntN(2001)-1000))
			default:
				x[i] = T(minNormal[T]() * (2*rng.Float64() - 1) * 8)
			}
		}
	}
}
