package kernels

import "math"

// gemmKernelGeneric is the pure-Go micro-kernel: for an MR×k panel a
// (element (l, r) at a[l*lda+r]) and a k×NR panel b (element (l, j) at
// b[l*ldb+j]) it computes the MR×NR tile s = Σₗ a[l]ᵀ·b[l] and stores
// cᵢⱼ = α·sᵢⱼ + β·cᵢⱼ for i < mr, j < nr (c[i*ldc+j]), reading C only when
// β ≠ 0. Each sᵢⱼ is an FMA chain over l from 0, α·s is rounded, and β·c is
// added with one more FMA: the AVX2 kernel's operations in its order, with
// fma32 standing in for VFMADD231PS, so the two agree bit for bit.
func gemmKernelGeneric[T float](k int, a []T, lda int, b []T, ldb int, c []T, ldc, mr, nr int, alpha, beta T) {
	const nrMax = 16 // gemmNR[float32]
	nrT := gemmNR[T]()
	var acc [gemmMR * nrMax]T
	for l := range k {
		ap := a[l*lda:][:gemmMR]
		bp := b[l*ldb:][:nrT]
		for r, ar := range ap {
			row := acc[r*nrT:][:nrT]
			for j, bj := range bp {
				row[j] = fma(ar, bj, row[j])
			}
		}
	}
	for i := range mr {
		row, ci := acc[i*nrT:][:nr], c[i*ldc:][:nr]
		for j, s := range row {
			t := alpha * s
			if beta != 0 {
				t = fma(beta, ci[j], t)
			}
			ci[j] = t
		}
	}
}

// fma returns x·y + z rounded once to T.
func fma[T float](x, y, z T) T {
	if _, single := any(x).(float32); single {
		return T(fma32(float32(x), float32(y), float32(z)))
	}
	return T(math.FMA(float64(x), float64(y), float64(z)))
}

// fma32 returns x·y + z rounded once to float32, which Go has no operator
// for. x·y is exact in float64 (24+24 ≤ 53 bits); s = x·y + z, rounded to
// odd in float64 (truncated, then its last bit set if inexact), rounds to
// the correctly rounded float32 result because float64 carries more than
// 24+2 bits (Boldo and Melquiond, "Emulation of FMA and Correctly Rounded
// Sums: Proved Algorithms Using Rounding to Odd", IEEE Trans. Computers
// 57(4), 2008). Going through float64 rounded to nearest instead would round
// twice and miss the FMA's result in rare ties.
func fma32(x, y, z float32) float32 {
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
