package safetensors

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/bits"
	"slices"
	"unsafe"

	"github.com/simdnn/simdnn/kernels"
)

// DtypeSize returns the size in bytes of one element of dtype: 4 for "F32",
// 8 for "F64", 2 for "F16" and "BF16", the dtypes this package reads (it
// writes F32 and F64).
func DtypeSize(dtype string) (uint64, error) {
	switch dtype {
	case "F32":
		return 4, nil
	case "F64":
		return 8, nil
	case "F16", "BF16":
		return 2, nil
	}
	return 0, fmt.Errorf("dtype %q, want F32, F64, F16 or BF16", dtype)
}

// DtypeOf returns the dtype of T: "F32" for float32, "F64" for float64.
func DtypeOf[T kernels.Float]() string {
	if isFloat32[T]() {
		return "F32"
	}
	return "F64"
}

// isFloat32 reports whether T is float32; otherwise it is float64.
func isFloat32[T kernels.Float]() bool { return unsafe.Sizeof(T(0)) == 4 }

// A Span is where one tensor's bytes lie in the data, as Locate found them.
type Span struct {
	Name       string
	Begin, End uint64 // the byte range [Begin, End) of the data
	Dtype      string
}

// Locate returns where the tensor name, described by t, lies in h's data,
// after checking that t's dtype is known and that its data_offsets are one
// range inside the data, of the size its shape and dtype give.
func (h *Header) Locate(name string, t TensorInfo) (Span, error) {
	dsize, err := DtypeSize(t.Dtype)
	if err != nil {
		return Span{}, fmt.Errorf("tensor %q: %w", name, err)
	}
	if len(t.DataOffsets) != 2 {
		return Span{}, fmt.Errorf("tensor %q: data_offsets %v, want [begin, end]", name, t.DataOffsets)
	}
	begin, end := t.DataOffsets[0], t.DataOffsets[1]
	if begin > end || end > h.DataLen {
		return Span{}, fmt.Errorf("tensor %q: data_offsets [%d, %d] outside the %d bytes of data", name, begin, end, h.DataLen)
	}
	size, ok := byteSize(t.Shape, dsize)
	if !ok {
		return Span{}, fmt.Errorf("tensor %q: shape %v %s is larger than any data", name, t.Shape, t.Dtype)
	}
	if end-begin != size {
		return Span{}, fmt.Errorf("tensor %q: data_offsets [%d, %d] hold %d bytes, want %d for shape %v %s",
			name, begin, end, end-begin, size, t.Shape, t.Dtype)
	}
	return Span{Name: name, Begin: begin, End: end, Dtype: t.Dtype}, nil
}

// byteSize returns the bytes of a tensor of the given shape with elements of
// dsize bytes, and false if that overflows uint64.
func byteSize(shape []uint64, dsize uint64) (uint64, bool) {
	size := dsize
	for _, d := range shape {
		hi, lo := bits.Mul64(size, d)
		if hi != 0 {
			return 0, false
		}
		size = lo
	}
	return size, true
}

// CheckLayout checks that spans, the tensors of h, cover its data exactly:
// sorted by their start, each begins where the one before ends, the first at
// 0 and the last ending with the data, as the format requires.
func (h *Header) CheckLayout(spans []Span) error {
	// By start, and an empty tensor before a non-empty one at the same
	// start, so that it does not seem to overlap it. Non-empty tensors with
	// the same start keep the order the sort leaves them in: one of them is
	// reported as overlapping the other.
	sorted := slices.Clone(spans)
	slices.SortFunc(sorted, func(a, b Span) int {
		if c := cmp.Compare(a.Begin, b.Begin); c != 0 {
			return c
		}
		return cmp.Compare(min(a.End-a.Begin, 1), min(b.End-b.Begin, 1)) // 0 for empty, 1 otherwise
	})
	var pos uint64
	for _, s := range sorted {
		switch {
		case s.Begin < pos:
			return fmt.Errorf("tensor %q: data_offsets [%d, %d] overlap the previous tensor, which ends at %d", s.Name, s.Begin, s.End, pos)
		case s.Begin > pos:
			return fmt.Errorf("tensor %q: data_offsets [%d, %d] leave a gap after byte %d", s.Name, s.Begin, s.End, pos)
		}
		pos = s.End
	}
	if pos != h.DataLen {
		return fmt.Errorf("the tensors end at byte %d of the data, but the file holds %d bytes of data", pos, h.DataLen)
	}
	return nil
}

// ReadFloats reads the tensor at s of h's data in r into dst, converting
// each little-endian F32, F64, F16 or BF16 value to T (exactly, but for F64
// into float32, which rounds to nearest); len(dst) must be the tensor's
// element count. It reads through buf, which must hold at least one
// element of s's dtype unless dst is empty, so that a caller reading many
// tensors reuses one buffer.
func ReadFloats[T kernels.Float](r io.ReaderAt, h *Header, s Span, dst []T, buf []byte) error {
	dsize, err := DtypeSize(s.Dtype)
	if err != nil {
		return fmt.Errorf("tensor %q: %w", s.Name, err)
	}
	size := int(dsize)
	per := len(buf) / size
	off := h.DataStart + int64(s.Begin)
	for len(dst) > 0 {
		k := min(len(dst), per)
		b := buf[:k*size]
		if err := readAt(r, b, off); err != nil {
			return fmt.Errorf("tensor %q: %w", s.Name, err)
		}
		for j := range dst[:k] {
			switch s.Dtype {
			case "F64":
				dst[j] = T(math.Float64frombits(binary.LittleEndian.Uint64(b[8*j:])))
			case "F32":
				dst[j] = T(math.Float32frombits(binary.LittleEndian.Uint32(b[4*j:])))
			case "F16":
				dst[j] = T(F16ToFloat32(binary.LittleEndian.Uint16(b[2*j:])))
			case "BF16":
				dst[j] = T(BF16ToFloat32(binary.LittleEndian.Uint16(b[2*j:])))
			}
		}
		dst, off = dst[k:], off+int64(len(b))
	}
	return nil
}
