package bench

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/simdnn/simdnn/internal/benchshape"
)

// gemmShapes returns the products BenchmarkGemm runs in type T: in float32
// (the type package nn trains in) benchshape.GemmCompare, the squares 32³ to
// 1024³ and the products of a training step; in float64 the squares.
func gemmShapes[T benchshape.Float]() []benchshape.GemmShape {
	if isFloat32[T]() {
		return benchshape.GemmCompare()
	}
	return benchshape.GemmSquares()
}

// BenchmarkGemm measures C = α·op(A)·op(B) + βC: 2mnk flops; it reads A, B
// and C and writes C. The names say which operands are stored transposed
// and the sizes m×n×k:
//
//	BenchmarkGemm/type=f32/op=NT/shape=32x256x784/impl=openblas
func BenchmarkGemm(b *testing.B) {
	b.Run(benchshape.TypeKey[float32](), benchGemm[float32])
	b.Run(benchshape.TypeKey[float64](), benchGemm[float64])
}

func benchGemm[T benchshape.Float](b *testing.B) {
	for _, s := range gemmShapes[T]() {
		b.Run(s.String(), func(b *testing.B) {
			g := newGemmCase[T](s, 0)
			flops := 2 * s.M * s.N * s.K
			has := func(name string, r routines[T]) bool {
				return r.gemm != nil && (name != "go" || flops <= goGemmMaxFlops)
			}
			forBLAS(b, has, func(b *testing.B, r routines[T]) {
				b.SetBytes(int64(benchshape.Size[T]() * (s.M*s.K + s.K*s.N + 2*s.M*s.N)))
				b.ReportAllocs()
				for b.Loop() {
					g.run(r)
				}
				reportGFLOPS(b, flops)
			})
		})
	}
}

// goGemmMaxFlops bounds the products simdnn's pure-Go GEMM is timed on:
// 2·128³ flops. Its exact fused multiply-adds, which make it match the
// assembly bit for bit, make it a hundred times slower than the assembly
// (0.26 against 40 GFLOP/s for float32 at 1024³ on the project's test
// machine), so the larger products would take seconds a call, every pass.
const goGemmMaxFlops = 2 * 128 * 128 * 128

// gemmCase is one product's operands, stored as s.Op says, with leading
// dimensions pad over the smallest.
type gemmCase[T benchshape.Float] struct {
	s             benchshape.GemmShape
	tA, tB        bool
	a, b, c       []T
	lda, ldb, ldc int
}

func newGemmCase[T benchshape.Float](s benchshape.GemmShape, pad int) gemmCase[T] {
	g := gemmCase[T]{s: s, tA: s.Op[0] == 'T', tB: s.Op[1] == 'T'}
	rowsA, colsA := s.M, s.K
	if g.tA {
		rowsA, colsA = s.K, s.M
	}
	rowsB, colsB := s.K, s.N
	if g.tB {
		rowsB, colsB = s.N, s.K
	}
	g.lda, g.ldb, g.ldc = colsA+pad, colsB+pad, s.N+pad
	g.a = benchshape.Rand[T](rowsA*g.lda, 1)
	g.b = benchshape.Rand[T](rowsB*g.ldb, 2)
	g.c = benchshape.Rand[T](s.M*g.ldc, 3)
	return g
}

func (g *gemmCase[T]) run(r routines[T]) {
	r.gemm(g.tA, g.tB, g.s.M, g.s.N, g.s.K, benchshape.Alpha, g.a, g.lda, g.b, g.ldb, benchshape.Beta, g.c, g.ldc)
}

// op returns op(A)ᵢₗ and op(B)ₗⱼ.
func (g *gemmCase[T]) op(i, l, j int) (a, b float64) {
	ai, bi := i*g.lda+l, l*g.ldb+j
	if g.tA {
		ai = l*g.lda + i
	}
	if g.tB {
		bi = j*g.ldb + l
	}
	return float64(g.a[ai]), float64(g.b[bi])
}

// testAgreeGemm checks r.gemm against a float64 reference on small ragged
// products in every operand form, with padded leading dimensions, within
// (k+3)·ε·Σ|terms|: simdnn's stated (k+2)·ε, and one more rounding for
// gonum's, which multiplies α into each term.
func testAgreeGemm[T benchshape.Float](t *testing.T, r routines[T]) {
	for _, op := range []string{"NN", "NT", "TN", "TT"} {
		for _, s := range [][3]int{{1, 1, 1}, {7, 13, 5}, {17, 9, 40}, {33, 70, 300}} {
			g := newGemmCase[T](benchshape.GemmShape{M: s[0], N: s[1], K: s[2], Op: op}, 3)
			c0 := slices.Clone(g.c)
			g.run(r)
			for i := range g.s.M {
				for j := range g.ldc {
					got := g.c[i*g.ldc+j]
					if j >= g.s.N {
						if got != c0[i*g.ldc+j] {
							t.Fatalf("gemm %s: wrote c[%d][%d] past column n", g.s, i, j)
						}
						continue
					}
					want := benchshape.Beta * float64(c0[i*g.ldc+j])
					mag := math.Abs(want)
					for l := range g.s.K {
						a, b := g.op(i, l, j)
						p := float64(T(benchshape.Alpha)) * a * b
						want += p
						mag += math.Abs(p)
					}
					near(t, fmt.Sprintf("gemm %s: c[%d][%d]", g.s, i, j), got, want, mag, g.s.K+1)
				}
			}
		}
	}
}
