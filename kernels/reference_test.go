package kernels_test

// Reference results and the error bounds the kernels are held to.
//
// Every reference is a floattest.Dot: the compensated (Dot2) sum of the exact
// products, computed in float64 for float32 and float64 inputs alike, with an
// error of its own (Result.Err) far below the kernels' bounds and added to the
// tolerance. The bounds are the ones the kernels' doc comments state, with
// ε the unit roundoff of the element type (2⁻²⁴ for float32, 2⁻⁵³ for
// float64) and Result.Abs the sum of the absolute values of the products
// (multiplied in by Result.AbsTimes, which copes with sums past the float64
// range):
//
//	Gemv  yᵢ  (n+2)·ε·(|α|·Σⱼ|aᵢⱼ||xⱼ| + |β||yᵢ|)
//	GemvT yⱼ  (m+2)·ε·(|α|·Σᵢ|aᵢⱼ||xᵢ| + |β||yⱼ|)
//	Ger   aᵢⱼ 3ε(|α||xᵢ||yⱼ| + |aᵢⱼ|)
//	Axpy  yᵢ  2ε(|α||xᵢ| + |yᵢ|)
//	Dot       n·ε·Σ|xᵢ||yᵢ|
//
// They follow from the standard model fl(a∘b) = (a∘b)(1+δ), |δ| ≤ ε: a sum of
// k products in any order (with or without FMA) is off by at most
// γₖ·Σ|terms| ≈ k·ε·Σ|terms|, and α·s and β·y add two more roundings. The
// model does not cover underflow: a product in the subnormal range is off by
// up to half the smallest subnormal in absolute terms, so floattest.Check
// also allows floattest.Tiny, 2·(terms+2)·scale·η with η = 2⁻¹⁴⁹ (float32) or
// 2⁻¹⁰⁷⁴ (float64) — a few hundred subnormals at most, invisible unless the
// result itself is that small. Scal has no bound: x·α is one IEEE
// multiplication, so its result is exact to the bit.

import (
	"github.com/simdnn/simdnn/internal/floattest"
)

// refGemv returns the reference for output k of y = α·op(A)·x + βy, with
// op(A) = A (yₖ sums row k over j < n) or, when trans is set, Aᵀ (yₖ sums
// column k over i < m). β = 0 drops the β·yₖ term, as BLAS does, so that NaN
// or Inf in y0 does not reach the reference either.
func refGemv[T floattest.Float](trans bool, m, n int, alpha T, a []T, lda int, x []T, beta T, y0 []T, k int) floattest.Result {
	// Output k sums row k of A (stride 1) or, for Aᵀ, column k (stride lda).
	base, stride, terms := k*lda, 1, n
	if trans {
		base, stride, terms = k, lda, m
	}
	if beta != 0 {
		terms++
	}
	return floattest.Dot(terms, func(j int) (float64, float64, float64) {
		if j == len(x) { // the sum runs over x: len(x) is n, or m for Aᵀ
			return float64(beta), float64(y0[k]), 1
		}
		return float64(a[base+j*stride]), float64(x[j]), float64(alpha)
	})
}

// boundGemv returns the error bound of a Gemv or GemvT output whose sum runs
// over terms products: (terms+2)·ε·(|α|·Σ|a||x| + |β||y|).
func boundGemv[T floattest.Float](terms int, r floattest.Result) float64 {
	return r.AbsTimes(float64(terms+2) * floattest.Eps[T]())
}

// refGer returns the reference for aᵢⱼ + α·xᵢ·yⱼ.
func refGer[T floattest.Float](alpha, xi, yj, aij T) floattest.Result {
	return floattest.Sum([3]float64{float64(alpha), float64(xi), float64(yj)}, [3]float64{float64(aij), 1, 1})
}

// boundGer returns the error bound of one Ger element: 3ε(|α||xᵢ||yⱼ| + |aᵢⱼ|).
func boundGer[T floattest.Float](r floattest.Result) float64 {
	return r.AbsTimes(3 * floattest.Eps[T]())
}

// refAxpy returns the reference for yᵢ + α·xᵢ.
func refAxpy[T floattest.Float](alpha, xi, yi T) floattest.Result {
	return floattest.Sum([3]float64{float64(alpha), float64(xi), 1}, [3]float64{float64(yi), 1, 1})
}

// boundAxpy returns the error bound of one Axpy element: 2ε(|α||xᵢ| + |yᵢ|).
func boundAxpy[T floattest.Float](r floattest.Result) float64 {
	return r.AbsTimes(2 * floattest.Eps[T]())
}

// refDot returns the reference for xᵀy.
func refDot[T floattest.Float](x, y []T) floattest.Result {
	return floattest.Dot(len(x), func(i int) (float64, float64, float64) {
		return float64(x[i]), float64(y[i]), 1
	})
}

// boundDot returns the error bound of Dot: n·ε·Σ|xᵢ||yᵢ|.
func boundDot[T floattest.Float](n int, r floattest.Result) float64 {
	return r.AbsTimes(float64(n) * floattest.Eps[T]())
}
