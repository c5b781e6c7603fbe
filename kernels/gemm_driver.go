package kernels

import (
	"sync"
	"unsafe"
)

// The GEMM driver: BLIS's five loops around one register-blocked
// micro-kernel (Goto and van de Geijn, "Anatomy of High-Performance Matrix
// Multiplication", ACM TOMS 34(3), 2008). op(B) is cut into column blocks of
// gemmNC and, within them, row blocks of gemmKC (the k dimension); each
// kc×nc block is packed into column panels of NR, k-major. op(A) is cut
// into row blocks of gemmMC, each mc×kc block packed into row panels of MR,
// k-major. The micro-kernel multiplies one A panel by one B panel into an
// MR×NR tile of C, loading NR/lanes vectors of B and broadcasting one
// element of A per row at each step l.
//
// Sizes, for float32 (float64 has half the columns per register and the
// same bytes per panel):
//
//	MR×NR = 6×16 (6×8) on AVX2 and in pure Go: 12 YMM accumulators, 2 for
//	  B and 1 for the broadcast A element fill 15 of the 16 registers; each
//	  step does 12 FMAs for 2 loads and 6 broadcasts, enough to keep both
//	  FMA ports busy. AVX-512: 8×32 (8×16), 16 of the 32 ZMM registers. The
//	  tile is the micro-kernel's (gemmTile, generated with it).
//	kc = 256: a B panel is kc·NR·4 = 16 KiB and an A panel 6 KiB, so the B
//	  panel stays in L1 (48 KiB here, 32 KiB on Zen 4) while the A panels
//	  of a block stream past it.
//	mc = 192 (96 for float64): an A block is mc·kc·size = 192 KiB, well
//	  inside L2 (2 MiB here, 1 MiB on Zen 4) next to the B panel and C.
//	nc = 3072: a B block is kc·nc·size = 3 MiB (6 MiB for float64), for L3;
//	  the layer shapes (n ≤ 1024) never cut it.
//
// Determinism: every element of C receives the same sequence of kc-blocks,
// each an FMA chain over l in increasing order started from 0 and added to
// C as α·sum + β′·c (β′ = β for the first block, 1 after), whatever m, n,
// the M and N blocking or the implementation; the pure-Go micro-kernel
// rounds like the assembly (see sgemmGo), so all paths agree bit
// for bit. (Small NoTrans·Trans products take the dot path instead, by a
// rule on the shape alone: see gemm_dot.go.)
//
// The GC bound: one micro-kernel call reads kc·(MR+NR) elements and updates
// an MR×NR tile, at most 256·40·4 B = 40 KiB, far below maxCallBytes; the
// loops between calls are Go code, preemptible as usual.
const (
	gemmKC = 256
	gemmNC = 3072
)

// gemmMC returns the rows of an A block for T: 192 KiB of float32 or float64
// at kc = 256.
func gemmMC[T Float]() int { return 192 * 4 / int(unsafe.Sizeof(T(0))) }

// gemmScratch holds a call's packed blocks: A (mc×kc) and B (kc×nc, rounded
// up to whole panels).
type gemmScratch[T Float] struct{ a, b []T }

// The packing buffers, kept between calls so that a warm GEMM allocates
// nothing.
var (
	gemmPool32 = sync.Pool{New: func() any { return new(gemmScratch[float32]) }}
	gemmPool64 = sync.Pool{New: func() any { return new(gemmScratch[float64]) }}
)

// grow returns s with length n, reusing its array when it is large enough.
func grow[T Float](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// gemm computes C = α·op(A)·op(B) + β·C for checked arguments; with f not
// nil, C = h(α·op(A)·op(B) + 1·biasᵀ) as gemmFused says (β must be 1).
func gemm[T Float](tA, tB Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, f *gemmFused[T]) {
	if m == 0 || n == 0 {
		return
	}
	if alpha == 0 || k == 0 {
		if f != nil {
			f.first(c, ldc, 0, m, n)
			f.last(c, ldc, m, n)
			return
		}
		for i := range m {
			scal(beta, c[i*ldc:][:n]) // β = 0 clears C without reading it
		}
		return
	}
	dot := gemmDotPath(tA, tB, m, n, k)
	if parts, rows, unit := gemmSplit[T](dot, m, n, k); parts > 1 {
		gemmParallel(dot, rows, unit, parts, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, f)
		return
	}
	gemmPart(dot, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, f)
}

// gemmPart computes C = α·op(A)·op(B) + β·C (with f, as gemm says) on the
// calling goroutine, on the dot path or the packed path as dot says, for
// checked arguments with m, n, k ≥ 1 and α ≠ 0: the whole product, or one
// part of it.
func gemmPart[T Float](dot bool, tA, tB Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, f *gemmFused[T]) {
	if dot {
		gemmDot(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, f)
		return
	}
	gemmPacked(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, f)
}

// gemmPacked is the packed path: the five loops around the micro-kernel.
func gemmPacked[T Float](tA, tB Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, f *gemmFused[T]) {
	tileMR, nr := gemmTile[T]()
	mc := gemmMC[T]()
	pool := typedPool[T](&gemmPool32, &gemmPool64)
	s := pool.Get().(*gemmScratch[T])
	kcMax := min(k, gemmKC)
	s.a = grow(s.a, min(m, mc)/tileMR*tileMR*kcMax+tileMR*kcMax)
	s.b = grow(s.b, (min(n, gemmNC)+nr-1)/nr*nr*kcMax)
	for jc := 0; jc < n; jc += gemmNC {
		nb := min(gemmNC, n-jc)
		for pc := 0; pc < k; pc += gemmKC {
			kb := min(gemmKC, k-pc)
			bl := beta
			if pc > 0 {
				bl = 1 // later k blocks add to the partial sums.
			}
			bb := b[min(len(b), pc*ldbStep(tB, ldb)+jc*ldbCol(tB, ldb)):]
			directB := gemmDirectB(tB, m)
			packB(tB, kb, nb, bb, ldb, s.b, nr, directB)
			for ic := 0; ic < m; ic += mc {
				mb := min(mc, m-ic)
				ab := a[min(len(a), ic*ldaRow(tA, lda)+pc*ldaStep(tA, lda)):]
				directA := tA == Trans
				packA(tA, mb, kb, ab, lda, s.a, tileMR, directA)
				for jr := 0; jr < nb; jr += nr {
					nrr := min(nr, nb-jr)
					bp, bld := s.b[jr*kb:][:nr*kb], nr
					if directB && nrr == nr {
						bp, bld = bb[jr:jr+(kb-1)*ldb+nr], ldb
					}
					for ir := 0; ir < mb; ir += tileMR {
						mr := min(tileMR, mb-ir)
						ap, ald := s.a[ir*kb:][:tileMR*kb], tileMR
						if directA && mr == tileMR {
							ap, ald = ab[ir:ir+(kb-1)*lda+tileMR], lda
						}
						c0 := (ic+ir)*ldc + jc + jr
						tile := c[c0 : c0+(mr-1)*ldc+nrr]
						if f != nil && pc == 0 {
							f.first(tile, ldc, jc+jr, mr, nrr)
						}
						// The kernel reads kb steps of MR and NR elements
						// wherever the panels are.
						observeCall[T](kb*(tileMR+nr) + 2*mr*nrr)
						gemmKernel(kb, ap, ald, bp, bld, tile, ldc, mr, nrr, alpha, bl)
						if f != nil && pc+kb == k {
							f.last(tile, ldc, mr, nrr)
						}
					}
				}
			}
		}
	}
	pool.Put(s)
}

// gemmDirectB reports whether the micro-kernel reads the full NR-column
// panels of op(B) where B is stored rather than from a packed copy: op(B) is
// stored k-major (NoTrans), so row l of a panel is already NR consecutive
// elements ldb apart from row l+1, and m is small enough that each panel is
// read only a few times (once per MR rows of C), too few for the contiguous
// copy to repay its own pass over B.
func gemmDirectB(t Transpose, m int) bool {
	return t == NoTrans && m <= gemmDirectRows
}

// gemmDirectRows is the largest m for which gemmDirectB reads B unpacked.
const gemmDirectRows = 48

// The element strides of op(A) and op(B) as stored: ldaRow moves one row of
// op(A), ldaStep one step of l; ldbStep moves one step of l in op(B), ldbCol
// one column.
func ldaRow(t Transpose, lda int) int {
	if t == NoTrans {
		return lda
	}
	return 1
}

func ldaStep(t Transpose, lda int) int {
	if t == NoTrans {
		return 1
	}
	return lda
}

func ldbStep(t Transpose, ldb int) int {
	if t == NoTrans {
		return ldb
	}
	return 1
}

func ldbCol(t Transpose, ldb int) int {
	if t == NoTrans {
		return 1
	}
	return ldb
}
