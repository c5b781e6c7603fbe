package kernels

import "math"

// The dot path of GEMM: C = α·A·Bᵀ + β·C with A and B both stored
// k-contiguous (Gemm(NoTrans, Trans, …): a dense layer's forward pass X·Wᵀ,
// W with one row per output), every element of C the dot product of a row
// of A and a row of B read where they are stored. The packed path would
// first copy Bᵀ into k-major panels, a transposition that at small m costs
// about as much as the product itself (measured: 45 % of a 32×256×784
// Sgemm); BLIS's "sup" kernels make the same choice for skinny shapes.
//
// Each element is summed in dotBytes-interleaved partial sums, sᵥ = Σ over
// l ≡ p (mod P) in increasing l with one FMA per term (P = 16 float32, 8
// float64: 64 bytes, whatever the instruction set), then folded in a fixed
// tree (see sgemmdotGo): every implementation gives the same bits, but not
// the bits of the packed path's single chain, so which path runs depends on
// the shape only (gemmDotPath), never on the CPU.

// gemmDotRows is the largest m that takes the dot path whatever n: beyond it
// the packed path's copy of Bᵀ is shared by enough rows of A to repay itself.
const gemmDotRows = 64

// gemmDotCols is the largest n that takes the dot path whatever m: a C that
// narrow (a classifier's output layer, n = 10) fills less than the packed
// tile's 16 (AVX2) or 32 (AVX-512) columns, while the dot path's tile is 3
// or 5 columns wide. Measured on an Intel Xeon (quiet, interleaved runs),
// Sgemm NT 128×10×128 and 256×10×128: avx512 42–49 GFLOP/s on the dot path
// against 12–14 packed, avx2 22–27 against 12–16.
const gemmDotCols = 12

// gemmDotMaxK is the largest k that takes the dot path: one kernel call sums
// whole rows, and must stay within maxCallBytes for at least one row of A
// against a few rows of B.
const gemmDotMaxK = 16384

// gemmDotBlockRows is the number of rows of C one kernel call computes: the
// kernel keeps its tile's rows of A in L1 while it walks the block's rows of
// B, so a block's B rows are read from L2 once per tile of rows.
const gemmDotBlockRows = 16

// gemmDotPath reports whether Gemm takes the dot path for this shape.
func gemmDotPath(tA, tB Transpose, m, n, k int) bool {
	return tA == NoTrans && tB == Trans && (m <= gemmDotRows || n <= gemmDotCols) && k <= gemmDotMaxK
}

// gemmDot computes C = α·A·Bᵀ + β·C on the dot path for checked arguments
// with m, n, k ≥ 1 and α ≠ 0; with f not nil, C = h(α·A·Bᵀ + 1·biasᵀ) as
// gemmFused says (β must be 1), a block of rows at a time: the bias is
// written into the block's rows, the kernel adds the products, and h runs
// over the rows while they are in L1.
func gemmDot[T Float](m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, f *gemmFused[T]) {
	// A call reads the block's rows of A once and its columns' rows of B
	// once per tile of at least two rows, and reads and writes C: the
	// columns per call keep that within maxCallBytes.
	for i0 := 0; i0 < m; i0 += gemmDotBlockRows {
		mb := min(gemmDotBlockRows, m-i0)
		perCol := (mb+1)/2*k + 2*mb // elements moved per column of C
		cols := max(1, (maxCallElems[T]()-mb*k)/perCol)
		ab := a[i0*lda:][:(mb-1)*lda+k]
		cb := c[i0*ldc:][:(mb-1)*ldc+n]
		if f != nil {
			f.first(cb, ldc, 0, mb, n)
		}
		for j0 := 0; j0 < n; j0 += cols {
			nb := min(cols, n-j0)
			observeCall[T](mb*k + perCol*nb)
			gemmdotKernel(k, ab, lda, b[j0*ldb:][:(nb-1)*ldb+k], ldb, cb[j0:], ldc, mb, nb, alpha, beta)
		}
		if f != nil {
			f.last(cb, ldc, mb, n)
		}
	}
}

// dotBytes is the width of the dot path's partial sums: 64 bytes, one ZMM
// or two YMM registers.
const dotBytes = 64

// sgemmdotGo is the pure-Go dot kernel: cᵢⱼ = α·(aᵢ·bⱼ) + β·cᵢⱼ for i < m,
// j < n, rows aᵢ at a[i*lda:][:k] and bⱼ at b[j*ldb:][:k], C read only when
// β ≠ 0. The assembly's operations in its order: 16 partial sums, sum p an
// FMA chain over the terms l ≡ p (mod 16); then the fold tₚ = sₚ + sₚ₊₈,
// uₚ = tₚ + tₚ₊₄ and (u₀+u₁) + (u₂+u₃); then α·sum rounded, and β·c added
// with one FMA. The 0·0 the assembly's masked last step adds to the sums it
// does not reach changes nothing: a sum starts at +0 and so is never −0
// (round to nearest gives −0 only for −0 + −0), and x + 0 = x otherwise.
func sgemmdotGo(k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc, m, n int, alpha, beta float32) {
	const lanes = dotBytes / 4
	for i := range m {
		ai := a[i*lda:][:k]
		for j := range n {
			bj := b[j*ldb:][:k]
			var s [lanes]float32
			for l := range k {
				s[l%lanes] = fma32(ai[l], bj[l], s[l%lanes])
			}
			var t [8]float32
			for p := range t {
				t[p] = s[p] + s[p+8]
			}
			u0, u1, u2, u3 := t[0]+t[4], t[1]+t[5], t[2]+t[6], t[3]+t[7]
			r := alpha * ((u0 + u1) + (u2 + u3))
			if beta != 0 {
				r = fma32(beta, c[i*ldc+j], r)
			}
			c[i*ldc+j] = r
		}
	}
}

// dgemmdotGo is sgemmdotGo for float64: 8 partial sums, folded as
// tₚ = sₚ + sₚ₊₄, then (t₀+t₂) + (t₁+t₃), with math.FMA.
func dgemmdotGo(k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc, m, n int, alpha, beta float64) {
	const lanes = dotBytes / 8
	for i := range m {
		ai := a[i*lda:][:k]
		for j := range n {
			bj := b[j*ldb:][:k]
			var s [lanes]float64
			for l := range k {
				s[l%lanes] = math.FMA(ai[l], bj[l], s[l%lanes])
			}
			t0, t1, t2, t3 := s[0]+s[4], s[1]+s[5], s[2]+s[6], s[3]+s[7]
			r := alpha * ((t0 + t2) + (t1 + t3))
			if beta != 0 {
				r = math.FMA(beta, c[i*ldc+j], r)
			}
			c[i*ldc+j] = r
		}
	}
}
