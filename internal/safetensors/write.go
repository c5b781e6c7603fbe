package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"

	"github.com/simdnn/simdnn/kernels"
)

// A Tensor is a tensor WriteHeader lays out: its name, dtype and shape.
type Tensor struct {
	Name  string
	Dtype string
	Shape []uint64
}

// WriteHeader writes to w the header length and the JSON header of a file
// holding metadata (as __metadata__, left out when nil) and tensors, laid
// out in the order given, back to back from the start of the data. The
// header is padded with spaces to make the data start at a multiple of 8
// bytes, so that a reader that maps the file can use the tensors in place.
// The caller then writes each tensor's bytes, in the same order.
func WriteHeader(w io.Writer, metadata map[string]string, tensors []Tensor) error {
	var h bytes.Buffer
	h.WriteByte('{')
	if metadata != nil {
		mj, err := json.Marshal(metadata)
		if err != nil {
			return err
		}
		h.WriteString(`"__metadata__":`)
		h.Write(mj)
	}
	var off uint64
	for i, t := range tensors {
		if t.Dtype != "F32" && t.Dtype != "F64" {
			return fmt.Errorf("tensor %q: dtype %q, want F32 or F64 (the dtypes WriteFloats writes)", t.Name, t.Dtype)
		}
		dsize, _ := DtypeSize(t.Dtype)
		size, ok := byteSize(t.Shape, dsize)
		if !ok {
			return fmt.Errorf("tensor %q: shape %v %s is larger than any data", t.Name, t.Shape, t.Dtype)
		}
		tj, err := json.Marshal(TensorInfo{t.Dtype, t.Shape, []uint64{off, off + size}})
		if err != nil {
			return err
		}
		if i > 0 || metadata != nil {
			h.WriteByte(',')
		}
		fmt.Fprintf(&h, "%q:%s", t.Name, tj)
		off += size
	}
	h.WriteByte('}')
	for (8+h.Len())%8 != 0 {
		h.WriteByte(' ')
	}
	var lenBuf [8]byte
	binary.LittleEndian.PutUint64(lenBuf[:], uint64(h.Len()))
	if _, err := w.Write(lenBuf[:]); err != nil {
		return err
	}
	_, err := w.Write(h.Bytes())
	return err
}

// WriteFloats writes x to w as little-endian values of dtype DtypeOf[T],
// through buf, which must hold at least one element of T unless x is empty.
func WriteFloats[T kernels.Float](w io.Writer, x []T, buf []byte) error {
	size := 8
	if isFloat32[T]() {
		size = 4
	}
	per := len(buf) / size
	for len(x) > 0 {
		k := min(len(x), per)
		b := buf[:0]
		for _, v := range x[:k] {
			if size == 4 {
				b = binary.LittleEndian.AppendUint32(b, math.Float32bits(float32(v)))
			} else {
				b = binary.LittleEndian.AppendUint64(b, math.Float64bits(float64(v)))
			}
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
		x = x[k:]
	}
	return nil
}
