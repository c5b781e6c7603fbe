package kernels

import (
	"math"
	"unsafe"
)

// gemmTileGo returns the pure-Go micro-kernel's tile for T, MR×NR = 6×16
// (6×8): any tile works for it (it takes its panels' strides), and this is
// AVX2's.
func gemmTileGo[T Float]() (mr, nr int) { return 6, 64 / int(unsafe.Sizeof(T(0))) }

// sgemmGo is the pure-Go micro-kernel: for an MR×k panel a
// (element (l, r) at a[l*lda+r]) and a k×NR panel b (element (l, j) at
// b[l*ldb+j]) it computes the MR×NR tile s = Σₗ a[l]ᵀ·b[l] and stores
// cᵢⱼ = α·sᵢⱼ + β·cᵢⱼ for i < mr, j < nr (c[i*ldc+j]), reading C only when
// β ≠ 0. Each sᵢⱼ is an FMA chain over l from 0, α·s is rounded, and β·c is
// added with one more FMA: the AVX2 kernel's operations in its order, with
// fma32 standing in for VFMADD231PS, so the two agree bit for bit. Four
// columns of a row are summed at a time, in registers; there is one copy per
// element type because a generic FMA helper is too large for the inliner.
func sgemmGo(k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc, mr, nr int, alpha, beta float32) {
	for i := range mr {
		ci := c[i*ldc:][:nr]
		for j := 0; j < nr; j += 4 {
			var s0, s1, s2, s3 float32
			for l := range k {
				ail, bl := a[l*lda+i], b[l*ldb+j:][:4]
				// fma32, its common path written out: the compiler
				// will not inline it.
				x := float64(ail)
				t0 := x*float64(bl[0]) + float64(s0)
				t1 := x*float64(bl[1]) + float64(s1)
				t2 := x*float64(bl[2]) + float64(s2)
				t3 := x*float64(bl[3]) + float64(s3)
				if fma32Rounds(t0) && fma32Rounds(t1) && fma32Rounds(t2) && fma32Rounds(t3) {
					s0, s1, s2, s3 = float32(t0), float32(t1), float32(t2), float32(t3)
					continue
				}
				s0 = fma32Odd(ail, bl[0], s0)
				s1 = fma32Odd(ail, bl[1], s1)
				s2 = fma32Odd(ail, bl[2], s2)
				s3 = fma32Odd(ail, bl[3], s3)
			}
			sums := [4]float32{s0, s1, s2, s3}
			for u, s := range sums[:min(4, nr-j)] {
				t := alpha * s
				if beta != 0 {
					t = fma32(beta, ci[j+u], t)
				}
				ci[j+u] = t
			}
		}
	}
}

// dgemmGo is sgemmGo for float64, with math.FMA
// (exact, and one instruction where the CPU has FMA).
func dgemmGo(k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc, mr, nr int, alpha, beta float64) {
	for i := range mr {
		ci := c[i*ldc:][:nr]
		for j := 0; j < nr; j += 4 {
			var s0, s1, s2, s3 float64
			for l := range k {
				ail, bl := a[l*lda+i], b[l*ldb+j:][:4]
				s0 = math.FMA(ail, bl[0], s0)
				s1 = math.FMA(ail, bl[1], s1)
				s2 = math.FMA(ail, bl[2], s2)
				s3 = math.FMA(ail, bl[3], s3)
			}
			sums := [4]float64{s0, s1, s2, s3}
			for u, s := range sums[:min(4, nr-j)] {
				t := alpha * s
				if beta != 0 {
					t = math.FMA(beta, ci[j+u], t)
				}
				ci[j+u] = t
			}
		}
	}
}

// fma32 returns x·y + z rounded once to float32, which Go has no operator
// for. x·y is exact in float64 (24+24 ≤ 53 bits), so s = x·y + z rounded to
// float64 is off by less than half a float64 ulp; rounding s to float32 then
// gives the correctly rounded result unless s is exactly halfway between two
// float32 values (the exact sum and s lie on the same side of every such
// midpoint, which float64 represents) or in float32's subnormal range, where
// the midpoints are spaced differently. Those rare cases take fma32Odd.
func fma32(x, y, z float32) float32 {
	if s := float64(x)*float64(y) + float64(z); fma32Rounds(s) {
		return float32(s)
	}
	return fma32Odd(x, y, z)
}

// fma32Rounds reports whether float32(s) is the correctly rounded float32
// value of every exact sum within half a float64 ulp of s: s is no float32
// midpoint and not in float32's subnormal range.
func fma32Rounds(s float64) bool {
	const (
		low  = 1<<29 - 1 // the float64 fraction bits below float32's
		half = 1 << 28   // their pattern at a float32 midpoint
		minN = (1023 - 126) << 52
		expo = 0x7ff << 52
	)
	b := math.Float64bits(s)
	return b&low != half && b&expo >= minN
}

// fma32Odd is fma32 for every input: s = x·y + z rounded to odd in float64
// (truncated, then its last bit set if inexact) rounds to the correctly
// rounded float32 result because float64 carries more than 24+2 bits (Boldo
// and Melquiond, "Emulation of FMA and Correctly Rounded Sums: Proved
// Algorithms Using Rounding to Odd", IEEE Trans. Computers 57(4), 2008).
// It stays out of line so that fma32's common path inlines.
//
//go:noinline
func fma32Odd(x, y, z float32) float32 {
	p := float64(x) * float64(y)
	s := p + float64(z)
	// e = p + z − s exactly (Knuth's TwoSum); NaN when s is infinite or NaN.
	bb := s - p
	e := (p - (s - bb)) + (float64(z) - bb)
	bits := math.Float64bits(s)
	if e != 0 && e == e {
		// s rounded away from zero when e and s differ in sign: step back
		// to the truncation, then mark it inexact.
		bits = (bits - (math.Float64bits(e)^bits)>>63) | 1
	}
	return float32(math.Float64frombits(bits))
}
