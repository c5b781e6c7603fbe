package safetensors

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// halfValue returns, in float64, the value of a binary floating-point
// number of the given exponent and fraction widths with bits b, from the
// definition: (−1)ˢ·2^(e−bias)·(1 + f/2ᵐ) for a normal number,
// (−1)ˢ·2^(1−bias)·f/2ᵐ for a subnormal one, ±Inf, or NaN.
func halfValue(b uint16, expBits, fracBits uint) float64 {
	bias := 1<<(expBits-1) - 1
	sign := 1.0
	if b>>15 == 1 {
		sign = -1
	}
	e := int(b>>fracBits) & (1<<expBits - 1)
	f := float64(int(b) & (1<<fracBits - 1))
	switch {
	case e == 1<<expBits-1 && f == 0:
		return math.Inf(int(sign))
	case e == 1<<expBits-1:
		return math.NaN()
	case e == 0:
		return sign * math.Ldexp(f/float64(uint(1)<<fracBits), 1-bias)
	}
	return sign * math.Ldexp(1+f/float64(uint(1)<<fracBits), e-bias)
}

// TestHalfConversions: every one of the 2¹⁶ F16 and BF16 bit patterns
// converts to exactly the float32 its definition gives: zeros with their
// sign, subnormals, the largest finite values, infinities and NaNs.
func TestHalfConversions(t *testing.T) {
	for b := range 1 << 16 {
		h := uint16(b)
		for _, c := range []struct {
			name       string
			got        float32
			exp, fracs uint
		}{{"F16", F16ToFloat32(h), 5, 10}, {"BF16", BF16ToFloat32(h), 8, 7}} {
			want := halfValue(h, c.exp, c.fracs)
			if math.IsNaN(want) {
				require.True(t, math.IsNaN(float64(c.got)), "%s %#04x: %v, want NaN", c.name, h, c.got)
				continue
			}
			require.Equal(t, want, float64(c.got), "%s %#04x", c.name, h)
			require.Equal(t, h>>15 == 1, math.Signbit(float64(c.got)), "%s %#04x: sign", c.name, h)
		}
	}
	// Landmarks, by hand.
	for h, want := range map[uint16]float32{
		0x0001: 0x1p-24, 0x03ff: 0x3ffp-24, 0x0400: 0x1p-14, 0x3c00: 1, 0xc000: -2, 0x7bff: 65504, 0x8000: float32(math.Copysign(0, -1)),
		0x7c00: float32(math.Inf(1)), 0xfc00: float32(math.Inf(-1)),
	} {
		require.Equal(t, math.Float32bits(want), math.Float32bits(F16ToFloat32(h)), "F16 %#04x", h)
	}
	require.Equal(t, float32(0x1p-133), BF16ToFloat32(0x0001), "the smallest BF16 subnormal")
	require.Equal(t, float32(-1.5), BF16ToFloat32(0xbfc0))
}

// TestReadHalfTensors reads F16 and BF16 tensors into float32 and float64.
func TestReadHalfTensors(t *testing.T) {
	h16 := []uint16{0x3c00, 0x0001, 0xfc00, 0x7e00}
	data := make([]byte, 0, 16)
	for _, v := range h16 {
		data = binary.LittleEndian.AppendUint16(data, v)
	}
	for _, v := range h16 {
		data = binary.LittleEndian.AppendUint16(data, v)
	}
	in := file(`{"a":{"dtype":"F16","shape":[4],"data_offsets":[0,8]},"b":{"dtype":"BF16","shape":[2,2],"data_offsets":[8,16]}}`, data)
	h, err := ReadHeader(bytes.NewReader(in), int64(len(in)))
	require.NoError(t, err)
	buf := make([]byte, 2)
	for name, conv := range map[string]func(uint16) float32{"a": F16ToFloat32, "b": BF16ToFloat32} {
		s, err := h.Locate(name, h.Tensors[name])
		require.NoError(t, err)
		f32, f64 := make([]float32, 4), make([]float64, 4)
		require.NoError(t, ReadFloats(bytes.NewReader(in), h, s, f32, buf))
		require.NoError(t, ReadFloats(bytes.NewReader(in), h, s, f64, buf))
		for i, v := range h16 {
			want := conv(v)
			if math.IsNaN(float64(want)) {
				require.True(t, math.IsNaN(float64(f32[i])) && math.IsNaN(f64[i]), "%s[%d]", name, i)
				continue
			}
			require.Equal(t, want, f32[i], "%s[%d]", name, i)
			require.Equal(t, float64(want), f64[i], "%s[%d]", name, i)
		}
	}
}
