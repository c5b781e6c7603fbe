package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/simdnn/simdnn/internal/impltest"
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

// TestTranspose8 checks the packing transpose on every implementation:
// dst[l·ldd + r] = src[r·lds + l] bit for bit (NaN payloads and signed
// zeros included), for every k around the 8- and 4-column blocks, padded
// strides, and no element of dst outside the k×8 block written.
func TestTranspose8(t *testing.T) {
	impltest.RunAll(t, "kernels", func(t *testing.T) {
		testTranspose8[float32](t)
		testTranspose8[float64](t)
	})
}

func testTranspose8[T Float](t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	special := []float64{math.NaN(), math.Inf(-1), math.Copysign(0, -1), math.MaxFloat32, 0x1p-140}
	const sentinel = 12345
	for _, k := range []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 31, 33, 255, 256, 257} {
		for _, pad := range []int{0, 3} {
			for _, ldd := range []int{8, 13, 32} {
				lds := k + pad
				src := make([]T, 7*lds+k)
				for i := range src {
					src[i] = T(rng.NormFloat64())
					if rng.IntN(8) == 0 {
						src[i] = T(special[rng.IntN(len(special))])
					}
				}
				dst := make([]T, max(0, (k-1)*ldd+8)+ldd)
				for i := range dst {
					dst[i] = sentinel
				}
				if k > 0 {
					transpose8Kernel(k, src, lds, dst[:(k-1)*ldd+8], ldd)
				}
				for i, got := range dst {
					l, r := i/ldd, i%ldd
					want := T(sentinel)
					if l < k && r < 8 {
						want = src[r*lds+l]
					}
					if bits64(got) != bits64(want) {
						t.Fatalf("%T k=%d lds=%d ldd=%d: dst[%d] (l=%d, r=%d) = %v, want %v", got, k, lds, ldd, i, l, r, got, want)
					}
				}
			}
		}
	}
}

// bits64 returns v's bits, widened to 64.
func bits64[T Float](v T) uint64 {
	if x, ok := any(v).(float32); ok {
		return uint64(math.Float32bits(x))
	}
	return math.Float64bits(float64(v))
}
