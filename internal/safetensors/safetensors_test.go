package safetensors

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// file assembles an input from a header and a data section.
func file(header string, data []byte) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	return append(append(b, header...), data...)
}

func readHeader(data []byte) (*Header, error) {
	return ReadHeader(bytes.NewReader(data), int64(len(data)))
}

// twoTensors is the header of an F32 [2,2] tensor "a" and an F64 [1] tensor
// "b" at the given offsets: 16 and 8 bytes, 24 with no gaps.
func twoTensors(a, b string) string {
	return `{"__metadata__":{"k":"v"},` +
		`"a":{"dtype":"F32","shape":[2,2],"data_offsets":` + a + `},` +
		`"b":{"dtype":"F64","shape":[1],"data_offsets":` + b + `}}`
}

// headerCases are inputs ReadHeader must reject, with the error it must
// return exactly; they are also the fuzz seed corpus.
var headerCases = []struct {
	name string
	data []byte
	want string
}{
	{"empty", nil, "0 bytes is too short for the 8-byte header length"},
	{"short length", []byte{1, 2, 3}, "3 bytes is too short for the 8-byte header length"},
	{"huge header length", append(binary.LittleEndian.AppendUint64(nil, 1<<62), "{}"...),
		"header length 4611686018427387904 exceeds the limit of 104857600"},
	{"header over limit", append(binary.LittleEndian.AppendUint64(nil, MaxHeaderSize+1), "{}"...),
		"header length 104857601 exceeds the limit of 104857600"},
	{"header past end", append(binary.LittleEndian.AppendUint64(nil, 1000), "{}"...),
		"header length 1000 exceeds the 2 bytes that follow it"},
	{"header of 1 byte", file("{", nil), "header length 1 is too short for a JSON object"},
	{"invalid UTF-8", file("{\"a\xff\":1}", nil), "header is not valid UTF-8"},
	{"not an object", file(`[1,2,3]`, nil), "header does not start with '{'"},
	{"bad JSON", file(`{"__metadata__":{`, nil), `header: "__metadata__": unexpected EOF`},
	{"trailing JSON", file(`{}{}`, nil), "header: data after the end of the object"},
	{"duplicate key", file(`{"__metadata__":{},"__metadata__":{}}`, nil), `header: duplicate key "__metadata__"`},
	{"duplicate metadata key", file(`{"__metadata__":{"k":"v","k":"w"}}`, nil), `__metadata__: duplicate key "k"`},
	{"metadata not a string", file(`{"__metadata__":{"k":1}}`, nil), `__metadata__: "k": value 1 is not a string`},
	{"unknown field", file(`{"a":{"dtype":"F32","shape":[],"data_offsets":[0,4],"x":1}}`, nil), `tensor "a": unknown field "x"`},
	{"missing field", file(`{"a":{"dtype":"F32","shape":[]}}`, nil), `tensor "a": want the fields dtype, shape and data_offsets`},
	{"null shape", file(`{"a":{"dtype":"F32","shape":null,"data_offsets":[0,4]}}`, nil), `tensor "a": shape is null`},
	{"negative shape", file(`{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}`, nil), `tensor "a": shape: json: cannot unmarshal number -1 into Go value of type uint64`},
}

func TestReadHeaderRejects(t *testing.T) {
	for _, c := range headerCases {
		h, err := readHeader(c.data)
		require.EqualError(t, err, c.want, c.name)
		require.Nil(t, h, c.name)
	}
}

func TestReadHeader(t *testing.T) {
	h, err := readHeader(file(twoTensors("[0,16]", "[16,24]")+"  ", make([]byte, 24)))
	require.NoError(t, err)
	require.Equal(t, map[string]string{"k": "v"}, h.Metadata)
	require.Equal(t, map[string]TensorInfo{
		"a": {"F32", []uint64{2, 2}, []uint64{0, 16}},
		"b": {"F64", []uint64{1}, []uint64{16, 24}},
	}, h.Tensors)
	require.Equal(t, int64(8+len(twoTensors("[0,16]", "[16,24]"))+2), h.DataStart)
	require.Equal(t, uint64(24), h.DataLen)

	h, err = readHeader(file(`{}`, nil))
	require.NoError(t, err)
	require.Nil(t, h.Metadata, "no __metadata__")
	require.Empty(t, h.Tensors)
}

// TestLocate checks each tensor's checks, in their order: dtype,
// data_offsets, range, size.
func TestLocate(t *testing.T) {
	h := &Header{DataLen: 24}
	for _, c := range []struct {
		name string
		t    TensorInfo
		want string // "" for a valid tensor
	}{
		{"F32 matrix", TensorInfo{"F32", []uint64{2, 3}, []uint64{0, 24}}, ""},
		{"F64 scalar", TensorInfo{"F64", nil, []uint64{8, 16}}, ""},
		{"empty", TensorInfo{"F64", []uint64{0, 5}, []uint64{24, 24}}, ""},
		{"F16", TensorInfo{"F16", []uint64{2}, []uint64{0, 4}}, ""},
		{"BF16", TensorInfo{"BF16", []uint64{3, 2}, []uint64{4, 16}}, ""},
		{"F16 of the wrong size", TensorInfo{"F16", []uint64{3}, []uint64{0, 4}}, `tensor "x": data_offsets [0, 4] hold 4 bytes, want 6 for shape [3] F16`},
		{"I8", TensorInfo{"I8", []uint64{2}, []uint64{0, 2}}, `tensor "x": dtype "I8", want F32, F64, F16 or BF16`},
		{"three offsets", TensorInfo{"F32", []uint64{2}, []uint64{0, 8, 1}}, `tensor "x": data_offsets [0 8 1], want [begin, end]`},
		{"no offsets", TensorInfo{"F32", []uint64{2}, nil}, `tensor "x": data_offsets [], want [begin, end]`},
		{"reversed", TensorInfo{"F32", []uint64{2}, []uint64{8, 0}}, `tensor "x": data_offsets [8, 0] outside the 24 bytes of data`},
		{"past the data", TensorInfo{"F32", []uint64{2}, []uint64{20, 28}}, `tensor "x": data_offsets [20, 28] outside the 24 bytes of data`},
		{"huge", TensorInfo{"F32", []uint64{2}, []uint64{math.MaxUint64 - 4, math.MaxUint64}},
			`tensor "x": data_offsets [18446744073709551611, 18446744073709551615] outside the 24 bytes of data`},
		{"wrong size", TensorInfo{"F64", []uint64{2}, []uint64{0, 8}}, `tensor "x": data_offsets [0, 8] hold 8 bytes, want 16 for shape [2] F64`},
		{"shape overflows", TensorInfo{"F32", []uint64{1 << 32, 1 << 31}, []uint64{0, 8}}, `tensor "x": shape [4294967296 2147483648] F32 is larger than any data`},
	} {
		s, err := h.Locate("x", c.t)
		if c.want != "" {
			require.EqualError(t, err, c.want, c.name)
			continue
		}
		require.NoError(t, err, c.name)
		require.Equal(t, Span{"x", c.t.DataOffsets[0], c.t.DataOffsets[1], c.t.Dtype}, s, c.name)
	}
}

func TestCheckLayout(t *testing.T) {
	h := &Header{DataLen: 24}
	span := func(name string, begin, end uint64) Span { return Span{name, begin, end, "F32"} }
	for _, c := range []struct {
		name  string
		spans []Span
		want  string
	}{
		{"in order", []Span{span("a", 0, 16), span("b", 16, 24)}, ""},
		{"out of order", []Span{span("b", 16, 24), span("a", 0, 16)}, ""},
		{"empty tensor between", []Span{span("a", 0, 16), span("e", 16, 16), span("b", 16, 24)}, ""},
		{"overlap", []Span{span("a", 0, 16), span("b", 8, 24)}, `tensor "b": data_offsets [8, 24] overlap the previous tensor, which ends at 16`},
		{"gap", []Span{span("a", 0, 8), span("b", 16, 24)}, `tensor "b": data_offsets [16, 24] leave a gap after byte 8`},
		{"gap at the start", []Span{span("a", 4, 24)}, `tensor "a": data_offsets [4, 24] leave a gap after byte 0`},
		{"short", []Span{span("a", 0, 16)}, "the tensors end at byte 16 of the data, but the file holds 24 bytes of data"},
		{"none", nil, "the tensors end at byte 0 of the data, but the file holds 24 bytes of data"},
	} {
		err := h.CheckLayout(c.spans)
		if c.want == "" {
			require.NoError(t, err, c.name)
		} else {
			require.EqualError(t, err, c.want, c.name)
		}
	}
}

// TestRoundTrip writes tensors of both dtypes, reads them back into both
// element types, and checks the layout a reader of the format expects.
func TestRoundTrip(t *testing.T) {
	a := []float32{1, -2.5, float32(math.Inf(1)), 0x1p-149, float32(math.Copysign(0, -1)), 3}
	b := []float64{math.Pi, -0x1p-1074, 1e300}
	tensors := []Tensor{
		{"a", DtypeOf[float32](), []uint64{2, 3}},
		{"b", DtypeOf[float64](), []uint64{3}},
		{"empty", "F32", []uint64{0}},
	}
	var w bytes.Buffer
	require.NoError(t, WriteHeader(&w, map[string]string{"k": "ü\"\n"}, tensors))
	buf := make([]byte, 8) // one element at a time: every chunk boundary
	require.NoError(t, WriteFloats(&w, a, buf))
	require.NoError(t, WriteFloats(&w, b, buf))
	require.NoError(t, WriteFloats(&w, []float32{}, buf))
	data := w.Bytes()

	h, err := readHeader(data)
	require.NoError(t, err)
	require.Zero(t, h.DataStart%8, "the data starts 8-byte aligned")
	require.Equal(t, map[string]string{"k": "ü\"\n"}, h.Metadata)
	require.Equal(t, uint64(4*6+8*3), h.DataLen)
	var spans []Span
	for _, tn := range tensors {
		s, err := h.Locate(tn.Name, h.Tensors[tn.Name])
		require.NoError(t, err)
		require.Equal(t, tn.Shape, h.Tensors[tn.Name].Shape)
		spans = append(spans, s)
	}
	require.Equal(t, []Span{{"a", 0, 24, "F32"}, {"b", 24, 48, "F64"}, {"empty", 48, 48, "F32"}}, spans)
	require.NoError(t, h.CheckLayout(spans))
	for i, v := range a {
		require.Equal(t, math.Float32bits(v), binary.LittleEndian.Uint32(data[h.DataStart+int64(4*i):]), "a[%d]", i)
	}

	r := bytes.NewReader(data)
	a32, a64 := make([]float32, len(a)), make([]float64, len(a))
	require.NoError(t, ReadFloats(r, h, spans[0], a32, buf))
	require.NoError(t, ReadFloats(r, h, spans[0], a64, buf))
	b32, b64 := make([]float32, len(b)), make([]float64, len(b))
	require.NoError(t, ReadFloats(r, h, spans[1], b32, buf))
	require.NoError(t, ReadFloats(r, h, spans[1], b64, buf))
	for i, v := range a {
		require.Equal(t, math.Float32bits(v), math.Float32bits(a32[i]), "a[%d] as float32", i)
		require.Equal(t, math.Float64bits(float64(v)), math.Float64bits(a64[i]), "a[%d] as float64: exact", i)
	}
	for i, v := range b {
		require.Equal(t, math.Float64bits(v), math.Float64bits(b64[i]), "b[%d] as float64", i)
		require.Equal(t, math.Float32bits(float32(v)), math.Float32bits(b32[i]), "b[%d] as float32: rounded", i)
	}

	// A reader given less than the header promised fails, naming the tensor.
	short := bytes.NewReader(data[:len(data)-1])
	err = ReadFloats(short, h, spans[1], b64, buf)
	require.ErrorContains(t, err, `tensor "b": reading 8 bytes at offset`)
}

func TestWriteHeaderWithoutMetadata(t *testing.T) {
	var w bytes.Buffer
	require.NoError(t, WriteHeader(&w, nil, []Tensor{{"x", "F64", []uint64{1}}}))
	hdr := strings.TrimRight(string(w.Bytes()[8:]), " ")
	require.Equal(t, `{"x":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}`, hdr)
	require.Zero(t, w.Len()%8)
	require.EqualError(t, WriteHeader(&w, nil, []Tensor{{"y", "BF16", nil}}), `tensor "y": dtype "BF16", want F32 or F64 (the dtypes WriteFloats writes)`)
}

// FuzzReadHeader feeds arbitrary bytes to ReadHeader, Locate, CheckLayout
// and ReadFloats: they must return errors, never panic; an input they accept
// must be written again by WriteHeader and WriteFloats into an input that
// reads the same.
func FuzzReadHeader(f *testing.F) {
	for _, c := range headerCases {
		f.Add(c.data)
	}
	f.Add(file(twoTensors("[0,16]", "[16,24]"), make([]byte, 24)))
	f.Add(file(twoTensors("[8,24]", "[0,8]"), make([]byte, 24)))
	f.Add(file(twoTensors("[0,16]", "[8,16]"), make([]byte, 24)))
	f.Add(file(`{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]}}`,
		[]byte{0x01, 0x00, 0x00, 0x7e, 0x80, 0x3f, 0x80, 0xff}))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := readHeader(data)
		if err != nil {
			return
		}
		var spans []Span
		for name, ti := range h.Tensors {
			s, err := h.Locate(name, ti)
			if err != nil {
				return
			}
			spans = append(spans, s)
		}
		if h.CheckLayout(spans) != nil {
			return
		}
		// In the order of the data, as WriteHeader lays them out.
		slices.SortFunc(spans, func(a, b Span) int {
			return cmp.Or(cmp.Compare(a.Begin, b.Begin), cmp.Compare(a.End, b.End), strings.Compare(a.Name, b.Name))
		})
		var w bytes.Buffer
		tensors := make([]Tensor, len(spans))
		// 16-bit tensors are written again as F32, which holds them exactly.
		written := func(dtype string) string {
			if dtype == "F64" {
				return dtype
			}
			return "F32"
		}
		for i, s := range spans {
			tensors[i] = Tensor{s.Name, written(s.Dtype), h.Tensors[s.Name].Shape}
		}
		if err := WriteHeader(&w, h.Metadata, tensors); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 64)
		vals := make([][]float64, len(spans))
		for i, s := range spans {
			dsize, err := DtypeSize(s.Dtype)
			require.NoError(t, err)
			vals[i] = make([]float64, (s.End-s.Begin)/dsize)
			if err := ReadFloats(bytes.NewReader(data), h, s, vals[i], buf); err != nil {
				t.Fatal(err)
			}
			if written(s.Dtype) == "F32" {
				err = WriteFloats(&w, toFloat32(vals[i]), buf)
			} else {
				err = WriteFloats(&w, vals[i], buf)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		h2, err := readHeader(w.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		require.Equal(t, h.Metadata, h2.Metadata)
		for i, s := range spans {
			ti := h2.Tensors[s.Name]
			require.Equal(t, written(s.Dtype), ti.Dtype)
			require.Equal(t, h.Tensors[s.Name].Shape, ti.Shape)
			s2, err := h2.Locate(s.Name, ti)
			require.NoError(t, err)
			got := make([]float64, len(vals[i]))
			require.NoError(t, ReadFloats(bytes.NewReader(w.Bytes()), h2, s2, got, buf))
			for j := range got {
				if math.Float64bits(got[j]) != math.Float64bits(vals[i][j]) {
					t.Fatalf("tensor %q element %d: %v became %v", s.Name, j, vals[i][j], got[j])
				}
			}
		}
	})
}

// toFloat32 returns x converted to float32, exactly for values read from
// F32, F16 or BF16.
func toFloat32(x []float64) []float32 {
	out := make([]float32, len(x))
	for i, v := range x {
		out[i] = float32(v)
	}
	return out
}
