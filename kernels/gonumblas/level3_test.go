package gonumblas_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/blas"

	"github.com/simdnn/simdnn/internal/floattest"
	"github.com/simdnn/simdnn/internal/impltest"
	"github.com/simdnn/simdnn/kernels"
)

// A gemm shape: op(A) is m×k, op(B) k×n, and every leading dimension is the
// smallest allowed plus ldExtra.
type gemmShape struct{ m, n, k, ldExtra int }

// smallGemmShapes are every m, n, k in gemmSizes, dense and with padded
// rows: empty, single, and either side of the micro-kernel's 6×16 (float32)
// and 6×8 (float64) tile.
var smallGemmShapes = func() []gemmShape {
	gemmSizes := []int{0, 1, 2, 5, 7, 17}
	var s []gemmShape
	for _, m := range gemmSizes {
		for _, n := range gemmSizes {
			for _, k := range gemmSizes {
				s = append(s, gemmShape{m, n, k, 0}, gemmShape{m, n, k, 3})
			}
		}
	}
	return s
}()

// largeGemmShapes cross the kernels' blocking: k past kc = 256 (two
// k-blocks), m past mc = 96 (float64) and 192 (float32), n past nc = 3072,
// and the skinny shapes of a training step.
var largeGemmShapes = []gemmShape{
	{13, 40, 300, 1}, {200, 33, 64, 0}, {1, 1000, 20, 0}, {70, 1, 513, 2},
	{9, 3100, 3, 0}, {32, 10, 256, 0}, {256, 128, 8, 5},
}

func TestGemm(t *testing.T) {
	forEachPrecision(t, testGemm[float32], testGemm[float64])
}

func testGemm[T kernels.Float](t *testing.T, r routines[T]) {
	rnd := rand.New(rand.NewPCG(21, 22))
	// Every valid call runs on the kernels: once per implementation of them.
	impltest.RunAll(t, "kernels", func(t *testing.T) {
		for _, tA := range transposes {
			for _, tB := range transposes {
				if tA == blas.ConjTrans || tB == blas.ConjTrans {
					// The same path as Trans: one pair of scalars.
					for _, s := range smallGemmShapes {
						gemmCase(t, rnd, r, tA, tB, s, 0.5, -1)
					}
					continue
				}
				for _, s := range smallGemmShapes {
					for _, alpha := range scalars {
						for _, beta := range scalars {
							gemmCase(t, rnd, r, tA, tB, s, T(alpha), T(beta))
						}
					}
				}
				for _, s := range largeGemmShapes {
					gemmCase(t, rnd, r, tA, tB, s, 0.5, -1)
					gemmCase(t, rnd, r, tA, tB, s, -1, 0)
				}
			}
		}
	})
}

// stored returns the rows and columns of the matrix X as stored when op(X)
// is r×s.
func stored(t blas.Transpose, r, s int) (rows, cols int) {
	if t == blas.NoTrans {
		return r, s
	}
	return s, r
}

// matLen returns the slice length gonum requires of a rows×cols matrix with
// leading dimension ld: (rows-1)·ld + cols, even for cols = 0.
func matLen(rows, cols, ld int) int {
	return max(0, (rows-1)*ld+cols)
}

// gemmCase runs one gemm call on random data through gonumblas and gonum and
// compares both with a float64 reference. With α = 0, A and B are NaN, which
// neither may read; with β = 0, so is C.
func gemmCase[T kernels.Float](t *testing.T, rnd *rand.Rand, r routines[T], tA, tB blas.Transpose, s gemmShape, alpha, beta T) {
	m, n, k := s.m, s.n, s.k
	rowsA, colsA := stored(tA, m, k)
	rowsB, colsB := stored(tB, k, n)
	lda, ldb, ldc := max(1, colsA)+s.ldExtra, max(1, colsB)+s.ldExtra, max(1, n)+s.ldExtra
	a := random[T](rnd, matLen(rowsA, colsA, lda)+guard)
	b := random[T](rnd, matLen(rowsB, colsB, ldb)+guard)
	c := random[T](rnd, matLen(m, n, ldc)+guard)
	if alpha == 0 {
		fill(a, nan[T]())
		fill(b, nan[T]())
	}
	if beta == 0 {
		fill(c, nan[T]())
	}
	desc := func() string {
		return fmt.Sprintf("gemm(%c, %c, m=%d, n=%d, k=%d, α=%v, lda=%d, ldb=%d, β=%v, ldc=%d)",
			tA, tB, m, n, k, alpha, lda, ldb, beta, ldc)
	}

	aGot, bGot, cGot := slices.Clone(a), slices.Clone(b), slices.Clone(c)
	r.gemm(tA, tB, m, n, k, alpha, aGot, lda, bGot, ldb, beta, cGot, ldc)
	cWant := slices.Clone(c)
	r.gemmRef(tA, tB, m, n, k, alpha, slices.Clone(a), lda, slices.Clone(b), ldb, beta, cWant, ldc)

	checkUnchanged(t, desc, "a", aGot, a)
	checkUnchanged(t, desc, "b", bGot, b)

	// elemA and elemB are the slice indices of op(A)ᵢₗ and op(B)ₗⱼ.
	elemA := func(i, l int) int {
		if tA == blas.NoTrans {
			return i*lda + l
		}
		return l*lda + i
	}
	elemB := func(l, j int) int {
		if tB == blas.NoTrans {
			return l*ldb + j
		}
		return j*ldb + l
	}
	// ref is the result accumulated in float64, mag the same sum of
	// absolute values.
	idx := matIdx(m, n, ldc)
	ref, mag := make([]float64, len(idx)), make([]float64, len(idx))
	quick := m == 0 || n == 0 || ((alpha == 0 || k == 0) && beta == 1)
	for e, ci := range idx {
		i, j := e/n, e%n
		if quick {
			// The quick return leaves C as it was, even NaN.
			ref[e] = float64(c[ci])
			continue
		}
		var sum, abs float64
		if alpha != 0 {
			for l := range k {
				p := float64(a[elemA(i, l)]) * float64(b[elemB(l, j)])
				sum += p
				abs += math.Abs(p)
			}
			sum *= float64(alpha)
			abs *= math.Abs(float64(alpha))
		}
		if beta != 0 {
			p := float64(beta) * float64(c[ci])
			sum += p
			abs += math.Abs(p)
		}
		ref[e], mag[e] = sum, abs
	}
	// The kernels state |cᵢⱼ − exact| ≤ (k+2)·ε·mag; the float64 reference is
	// far closer than that. gonum scales C by β, then adds (α·aᵢₗ)·bₗⱼ for
	// each l: at most k+3 roundings on the way, so it is within
	// (k+3)·ε·mag of the exact result and within (2k+5)·ε·mag of gonumblas.
	eps := floattest.Eps[T]()
	tolRef := func(e int) float64 { return float64(k+2) * eps * mag[e] }
	tolGonum := func(e int) float64 { return float64(2*k+5) * eps * mag[e] }
	checkOut(t, desc, "c", idx, cGot, c, ref, "float64 reference", tolRef, false)
	if alpha == 0 && !quick {
		// gonum multiplies the NaN in A and B by α = 0, where the
		// reference BLAS reads neither: only the reference is trusted.
		return
	}
	checkOut(t, desc, "c", idx, cGot, c, pick(cWant, idx), "gonum's", tolGonum, false)
}

// TestGemmBetaZeroIgnoresNaN checks the β = 0 rule on its own: NaN and Inf in
// C do not reach the result, and C's padding past n columns is left alone.
func TestGemmBetaZeroIgnoresNaN(t *testing.T) {
	a := []float64{1, 2, 3, 4, 5, 6} // 2×3
	b := []float64{1, 0, 0, 1, 1, 1} // 3×2
	want := []float64{4, 5, math.NaN(), 10, 11}
	nanInf := func() []float64 { return []float64{math.NaN(), math.Inf(1), math.NaN(), math.Inf(-1), math.NaN()} }
	c := nanInf()
	ours.Dgemm(blas.NoTrans, blas.NoTrans, 2, 2, 3, 1, a, 3, b, 2, 0, c, 3)
	c32 := to32(nanInf())
	ours.Sgemm(blas.NoTrans, blas.NoTrans, 2, 2, 3, 1, to32(a), 3, to32(b), 2, 0, c32, 3)
	for i, w := range want {
		if !same(c[i], w) || !same(float64(c32[i]), w) {
			t.Fatalf("C = %v (float64), %v (float32), want %v", c, c32, want)
		}
	}
}
