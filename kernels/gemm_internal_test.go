package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestFma32 checks fma32 against the exact x·y + z, rounded once, computed
// with math.FMA's float64 result and the round-to-odd fallback, on random
// operands, operands built to hit float32 midpoints, subnormal results, and
// special values.
func TestFma32(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	check := func(x, y, z float32) {
		got, want := fma32(x, y, z), fma32Odd(x, y, z)
		if math.Float32bits(got) != math.Float32bits(want) && !(got != got && want != want) {
			t.Fatalf("fma32(%g, %g, %g) = %g, want %g", x, y, z, got, want)
		}
	}
	for range 1 << 20 {
		x, y := float32(rng.NormFloat64()), float32(rng.NormFloat64())
		check(x, y, float32(rng.NormFloat64()))
		// z = −RN32(x·y) plus a little: the sum is x·y's rounding error,
		// which lands on midpoints and in the subnormal range.
		p := float32(float64(x) * float64(y))
		check(x, y, -p)
		check(x*0x1p-70, y*0x1p-60, -p*0x1p-130)
		// x·y exactly halfway between float32 neighbours of z.
		check(1+0x1p-23, 1+0x1p-23*float32(rng.IntN(8)), 0x1p-24)
	}
	// Double rounding: RN64 of the exact sum is a float32 midpoint.
	check(1+0x1p-12, 1+0x1p-12, -0x1p-24*0.5)
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	for _, v := range [][3]float32{{inf, 1, 1}, {inf, 0, 1}, {nan, 1, 1}, {1, 1, -inf}, {inf, 1, -inf}, {math.MaxFloat32, 2, 0}, {0x1p-149, 0.5, 0}} {
		check(v[0], v[1], v[2])
	}
}

// BenchmarkGemmPackB measures the packing of a 256×256 block of a
// transposed B (a layer's W in the forward X·Wᵀ) into 16-column panels: the
// copy a skinny NT product cannot avoid, in GB/s of B read.
func BenchmarkGemmPackB(b *testing.B) {
	const kb, nb = 256, 256
	src, dst := make([]float32, nb*784), make([]float32, kb*nb)
	b.SetBytes(4 * kb * nb)
	for b.Loop() {
		packB(Trans, kb, nb, src, 784, dst, 16, false)
	}
}
