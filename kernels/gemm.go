package kernels

import "fmt"

// Transpose says whether a GEMM operand is used as stored or transposed.
type Transpose int

// The operand forms of Sgemm and Dgemm.
const (
	NoTrans Transpose = iota // op(X) = X
	Trans                    // op(X) = Xᵀ
)

// String returns "NoTrans" or "Trans".
func (t Transpose) String() string {
	switch t {
	case NoTrans:
		return "NoTrans"
	case Trans:
		return "Trans"
	}
	return fmt.Sprintf("Transpose(%d)", int(t))
}

// Sgemm computes C = α·op(A)·op(B) + β·C for row-major float32 matrices,
// where op(A) is m×k, op(B) is k×n and C is m×n with leading dimension
// ldc ≥ max(1, n). With tA = NoTrans A is stored m×k with lda ≥ max(1, k);
// with tA = Trans it is stored k×m with lda ≥ max(1, m), and op(A) = Aᵀ.
// Likewise B is k×n with ldb ≥ max(1, n), or n×k with ldb ≥ max(1, k) for
// tB = Trans. A layer's forward pass X·Wᵀ is Sgemm(NoTrans, Trans, …), its
// weight gradient Δᵀ·X is Sgemm(Trans, NoTrans, …) and its input gradient
// Δ·W is Sgemm(NoTrans, NoTrans, …). The transposes are taken while the
// operands are copied into the micro-kernel's panels, so every form runs
// the same inner loop; except that Sgemm(NoTrans, Trans, …) with m ≤ 64 or
// n ≤ 12, and k ≤ 16384 (a forward pass on a mini-batch, or into a narrow
// output layer) multiplies the rows of A and B where they are stored, as dot
// products, instead of first copying Bᵀ.
//
// m = 0 or n = 0 does nothing. α = 0 or k = 0 reads neither A nor B and
// sets C = β·C; β = 0 overwrites C without reading it, so NaN or Inf in C
// does not reach the result. C must not overlap A or B.
//
// Each cᵢⱼ is accumulated in float32 with one fused multiply-add per term:
// over l in increasing order in blocks of gemmKC terms, each block added as
// α·(block sum) to C; or, on the dot path, in 16 partial sums (sum p taking
// the terms l ≡ p mod 16 in increasing order) folded pairwise, and added as
// α·sum. Either way |cᵢⱼ − exact| ≤ (k+2)·ε·(|α|·Σₗ|aᵢₗ||bₗⱼ| + |β||cᵢⱼ|).
// The order depends on the operand forms and, for NoTrans·Trans, on whether
// (m ≤ 64 or n ≤ 12) and k ≤ 16384, but never on how m and n are blocked,
// on the CPU, on the implementation or on the number of workers: every
// implementation gives the same bits, on any number of goroutines.
//
// A large product runs on up to Workers goroutines (see SetWorkers), cut
// over the rows or the columns of C, each part at least 64³ multiply-adds.
// Because parts of the call run on other goroutines, the compiler moves a,
// b and c to the heap where a caller declared them on its stack (the
// level-1 kernels and Ger keep them where they are); a warm call allocates
// nothing.
func Sgemm(tA, tB Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	checkGemm("Sgemm", tA, tB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	gemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nil)
}

// Dgemm computes C = α·op(A)·op(B) + β·C for row-major float64 matrices;
// see Sgemm, with ε the float64 unit roundoff (and 8 partial sums on the
// dot path).
func Dgemm(tA, tB Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	checkGemm("Dgemm", tA, tB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	gemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nil)
}

// checkGemm panics unless the arguments describe C = α·op(A)·op(B) + β·C:
// the transposes, then m, n, k, then A, B and C as stored.
func checkGemm(fn string, tA, tB Transpose, m, n, k, lenA, lda, lenB, ldb, lenC, ldc int) {
	checkTranspose(fn, "tA", tA)
	checkTranspose(fn, "tB", tB)
	checkSize(fn, "m", m)
	checkSize(fn, "n", n)
	checkSize(fn, "k", k)
	if tA == NoTrans {
		checkMatrixOf(fn, "a", "m", "k", m, k, lenA, lda)
	} else {
		checkMatrixOf(fn, "a", "k", "m", k, m, lenA, lda)
	}
	if tB == NoTrans {
		checkMatrixOf(fn, "b", "k", "n", k, n, lenB, ldb)
	} else {
		checkMatrixOf(fn, "b", "n", "k", n, k, lenB, ldb)
	}
	checkMatrixOf(fn, "c", "m", "n", m, n, lenC, ldc)
}

func checkTranspose(fn, name string, t Transpose) {
	if t != NoTrans && t != Trans {
		panic(fmt.Sprintf("kernels: %s: %s = %v, want NoTrans or Trans", fn, name, t))
	}
}
