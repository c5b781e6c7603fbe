package safetensors

import "math"

// The 16-bit dtypes PyTorch saves models in. Every F16 and BF16 value is a
// float32 value (F16: 5 exponent and 10 fraction bits; BF16: float32's 8
// exponent bits and its top 7 fraction bits), so both convert exactly:
// zeros keep their sign, subnormals their value, infinities stay infinite
// and NaNs stay NaN (with their payload, shifted into float32's).

// F16ToFloat32 returns the IEEE 754 binary16 value with bits h.
func F16ToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch exp {
	case 0x1f: // ±Inf (frac 0) or NaN
		return math.Float32frombits(sign | 0x7f800000 | frac<<13)
	case 0: // ±0 or a subnormal, frac·2⁻²⁴: a float32 normal, exactly
		return math.Float32frombits(sign | math.Float32bits(float32(frac)*0x1p-24))
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | frac<<13)
}

// BF16ToFloat32 returns the bfloat16 value with bits b: the top half of a
// float32.
func BF16ToFloat32(b uint16) float32 { return math.Float32frombits(uint32(b) << 16) }
