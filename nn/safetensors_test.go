package nn

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simdnn/simdnn/internal/safetensors"
)

// encode returns n's safetensors bytes.
func encode[T Float](t testing.TB, n *Network[T], meta map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, n.Encode(&b, meta))
	return b.Bytes()
}

func decodeBytes[T Float](data []byte) (*Network[T], map[string]string, error) {
	return Decode[T](bytes.NewReader(data), int64(len(data)))
}

// bitsEqual fails unless a and b hold the same bits.
func bitsEqual[T Float](t *testing.T, a, b []T) {
	t.Helper()
	require.Equal(t, len(a), len(b))
	for i := range a {
		if math.Float64bits(float64(a[i])) != math.Float64bits(float64(b[i])) {
			t.Fatalf("element %d: %v != %v", i, a[i], b[i])
		}
	}
}

// TestSaveLoadRoundTrip: a saved network loads with the same architecture,
// metadata, bits and predictions.
func TestSaveLoadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	meta := map[string]string{
		"feature_means": "0.5,1.25,-3",
		"feature_stds":  "1,2,0.5",
		"note":          "ünïcode \"quoted\" <tags> & \n newlines",
	}
	t.Run("float32", func(t *testing.T) { testRoundTrip[float32](t, dir, meta) })
	t.Run("float64", func(t *testing.T) { testRoundTrip[float64](t, dir, meta) })
}

func testRoundTrip[T Float](t *testing.T, dir string, meta map[string]string) {
	for i, a := range gradCases {
		n := mustNew[T](t, a.arch, uint64(i))
		rng := newRand(uint64(i))
		for _, l := range n.layers {
			copy(l.b, randSlice[T](rng, len(l.b), -1, 1))
		}
		path := filepath.Join(dir, fmt.Sprintf("net%d.safetensors", i))
		require.NoError(t, n.Save(path, meta))
		m, gotMeta, err := Load[T](path)
		require.NoError(t, err)
		require.Equal(t, n.Architecture(), m.Architecture())
		require.Equal(t, meta, gotMeta)
		bitsEqual(t, n.Params(), m.Params())

		x := randSlice[T](rng, 7*n.In(), -3, 3)
		want, got := make([]T, 7*n.Out()), make([]T, 7*n.Out())
		n.Predict(want, x)
		m.Predict(got, x)
		bitsEqual(t, want, got)

		// The bytes are a function of the network and metadata alone.
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		require.Equal(t, data, encode(t, m, gotMeta))
	}
}

// TestSafetensorsLayout reads a saved file as any safetensors reader would,
// without this package: header length, JSON header, little-endian tensors.
func TestSafetensorsLayout(t *testing.T) {
	n := mustNew[float32](t, arch(BCE, []int{3, 2, 1}, ReLU, Sigmoid), 1)
	data := encode(t, n, map[string]string{"k": "v"})
	hlen := binary.LittleEndian.Uint64(data)
	require.Zero(t, (8+hlen)%8, "the data starts 8-byte aligned")
	var header map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(data[8:8+hlen], &header))
	var meta map[string]string
	require.NoError(t, json.Unmarshal(header["__metadata__"], &meta))
	require.Equal(t, map[string]string{
		"k":                  "v",
		"simdnn.version":     "1",
		"simdnn.sizes":       "3,2,1",
		"simdnn.activations": "relu,sigmoid",
		"simdnn.loss":        "bce",
	}, meta)
	body := data[8+hlen:]
	require.Len(t, body, 4*n.NumParams())
	for name, want := range map[string]struct {
		shape []uint64
		vals  []float32
	}{
		"layers.0.weight": {[]uint64{2, 3}, n.Layer(0).Weights()},
		"layers.0.bias":   {[]uint64{2}, n.Layer(0).Bias()},
		"layers.1.weight": {[]uint64{1, 2}, n.Layer(1).Weights()},
		"layers.1.bias":   {[]uint64{1}, n.Layer(1).Bias()},
	} {
		var ti safetensors.TensorInfo
		require.NoError(t, json.Unmarshal(header[name], &ti), name)
		require.Equal(t, "F32", ti.Dtype)
		require.Equal(t, want.shape, ti.Shape)
		raw := body[ti.DataOffsets[0]:ti.DataOffsets[1]]
		require.Len(t, raw, 4*len(want.vals))
		for i, v := range want.vals {
			require.Equal(t, math.Float32bits(v), binary.LittleEndian.Uint32(raw[4*i:]), "%s[%d]", name, i)
		}
	}
	require.Len(t, header, 5)
}

// TestLoadConvertsDtype: F32 files load into float64 networks exactly, F64
// files into float32 networks rounded.
func TestLoadConvertsDtype(t *testing.T) {
	n32 := mustNew[float32](t, arch(MSE, []int{4, 3, 2}, Sigmoid, Identity), 1)
	n64, _, err := decodeBytes[float64](encode(t, n32, nil))
	require.NoError(t, err)
	for i, p := range n32.Params() {
		require.Equal(t, float64(p), n64.Params()[i])
	}
	m64 := mustNew[float64](t, arch(MSE, []int{4, 3, 2}, Sigmoid, Identity), 1)
	m32, _, err := decodeBytes[float32](encode(t, m64, nil))
	require.NoError(t, err)
	for i, p := range m64.Params() {
		require.Equal(t, float32(p), m32.Params()[i])
	}
}

func TestSaveErrors(t *testing.T) {
	dir := t.TempDir()
	n := mustNew[float32](t, arch(BCE, []int{2, 2, 1}, Sigmoid, Sigmoid), 1)
	path := filepath.Join(dir, "model.safetensors")
	require.NoError(t, n.Save(path, nil))
	old, err := os.ReadFile(path)
	require.NoError(t, err)

	// A failed save leaves the old file and no temporary behind.
	require.ErrorContains(t, n.Save(path, map[string]string{"simdnn.sizes": "1,1"}), "reserved")
	require.ErrorContains(t, n.Save(path, map[string]string{"bad": "\xff"}), "UTF-8")
	require.Error(t, n.Save(filepath.Join(dir, "no", "such", "dir", "m.safetensors"), nil))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, old, got)

	// A successful save replaces the file.
	n.Layer(0).Bias()[0] = 1
	require.NoError(t, n.Save(path, nil))
	m, _, err := Load[float32](path)
	require.NoError(t, err)
	require.Equal(t, float32(1), m.Layer(0).Bias()[0])

	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary files left")
	st, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o644), st.Mode().Perm())

	_, _, err = Load[float32](filepath.Join(dir, "missing.safetensors"))
	require.ErrorIs(t, err, os.ErrNotExist)
	_, _, err = Load[float32](dir)
	require.Error(t, err)
}

// file assembles a safetensors file from a header and a data section.
func file(header string, data []byte) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	return append(append(b, header...), data...)
}

// validHeader is the header of a 2-2-1 BCE network in F32 with the given
// tensor entries (tensors == "" gives the standard ones).
func validHeader(meta, tensors string) string {
	if meta == "" {
		meta = `{"simdnn.version":"1","simdnn.sizes":"2,2,1","simdnn.activations":"sigmoid,sigmoid","simdnn.loss":"bce"}`
	}
	if tensors == "" {
		tensors = `"layers.0.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},` +
			`"layers.0.bias":{"dtype":"F32","shape":[2],"data_offsets":[16,24]},` +
			`"layers.1.weight":{"dtype":"F32","shape":[1,2],"data_offsets":[24,32]},` +
			`"layers.1.bias":{"dtype":"F32","shape":[1],"data_offsets":[32,36]}`
	}
	return `{"__metadata__":` + meta + `,` + tensors + `}`
}

// corruptFiles are inputs Decode must reject, with a word its error must
// contain. They are also the fuzz seed corpus.
func corruptFiles() []struct {
	name string
	data []byte
	want string
} {
	data36 := make([]byte, 36)
	hugeLen := binary.LittleEndian.AppendUint64(nil, 1<<62)
	tooLong := binary.LittleEndian.AppendUint64(nil, MaxHeaderSize+1)
	overFile := binary.LittleEndian.AppendUint64(nil, 1000)
	t := func(w, b, w1, b1 string) string { // tensor entries with the given offsets
		return `"layers.0.weight":{"dtype":"F32","shape":[2,2],"data_offsets":` + w + `},` +
			`"layers.0.bias":{"dtype":"F32","shape":[2],"data_offsets":` + b + `},` +
			`"layers.1.weight":{"dtype":"F32","shape":[1,2],"data_offsets":` + w1 + `},` +
			`"layers.1.bias":{"dtype":"F32","shape":[1],"data_offsets":` + b1 + `}`
	}
	std := validHeader("", "")
	return []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "too short"},
		{"short length", []byte{1, 2, 3}, "too short"},
		{"huge header length", append(hugeLen, "{}"...), "exceeds the limit"},
		{"header over limit", append(tooLong, "{}"...), "exceeds the limit"},
		{"header past end", append(overFile, std...), "exceeds the"},
		{"truncated data", file(std, data36[:35]), "data_offsets"},
		{"truncated header", file(std, data36)[:40], "exceeds the"},
		{"trailing bytes", file(std, make([]byte, 40)), "holds 40 bytes"},
		{"bad JSON", file(`{"__metadata__":{`, data36), "header"},
		{"not an object", file(`[1,2,3]`, data36), "start with '{'"},
		{"trailing JSON", file(std+`{}`, data36), "after the end"},
		{"padded with spaces", file(std+"    ", data36), ""}, // valid
		{"invalid UTF-8", file(strings.Replace(std, "bce", "bc\xff", 1), data36), "UTF-8"},
		{"duplicate key", file(validHeader("", t("[0,16]", "[16,24]", "[24,32]", "[32,36]")+`,"layers.1.bias":{"dtype":"F32","shape":[1],"data_offsets":[32,36]}`), data36), "duplicate"},
		{"F16 in F32's bytes", file(strings.Replace(std, `"F32","shape":[2]`, `"F16","shape":[2]`, 1), data36), "hold 8 bytes, want 4 for shape [2] F16"},
		{"integer dtype", file(strings.ReplaceAll(std, `F32`, `I32`), data36), "dtype"},
		{"wrong shape", file(strings.Replace(std, `[2,2]`, `[2,1]`, 1), data36), "shape"},
		{"transposed shape", file(strings.Replace(std, `[1,2]`, `[2,1]`, 1), data36), "shape"},
		{"negative shape", file(strings.Replace(std, `[2,2]`, `[-2,2]`, 1), data36), "shape"},
		{"null shape", file(strings.Replace(std, `[2,2]`, `null`, 1), data36), "null"},
		{"overlapping offsets", file(validHeader("", t("[0,16]", "[8,16]", "[24,32]", "[32,36]")), data36), "overlap"},
		{"overlap, sizes right", file(validHeader("", t("[0,16]", "[12,20]", "[20,28]", "[28,32]")), data36[:32]), "overlap"},
		{"gap", file(validHeader("", t("[0,16]", "[20,28]", "[28,36]", "[36,40]")), make([]byte, 40)), "gap"},
		{"offsets past data", file(validHeader("", t("[0,16]", "[16,24]", "[24,32]", "[1000,1004]")), data36), "outside"},
		{"reversed offsets", file(validHeader("", t("[16,0]", "[16,24]", "[24,32]", "[32,36]")), data36), "outside"},
		{"huge offsets", file(validHeader("", t("[0,16]", "[16,24]", "[24,32]", "[18446744073709551611,18446744073709551615]")), data36), "outside"},
		{"three offsets", file(validHeader("", t("[0,16,1]", "[16,24]", "[24,32]", "[32,36]")), data36), "data_offsets"},
		{"missing tensor", file(validHeader("", t("[0,16]", "[16,24]", "[24,32]", "[32,36]")[:strings.LastIndex(t("[0,16]", "[16,24]", "[24,32]", "[32,36]"), ",")]), data36[:32]), "tensors"},
		{"extra tensor", file(validHeader("", t("[0,16]", "[16,24]", "[24,32]", "[32,36]")+`,"extra":{"dtype":"F32","shape":[1],"data_offsets":[36,40]}`), make([]byte, 40)), "unexpected tensor"},
		{"unknown field", file(strings.Replace(std, `"shape":[2]`, `"shape":[2],"foo":1`, 1), data36), "unknown field"},
		{"no metadata", file(`{`+t("[0,16]", "[16,24]", "[24,32]", "[32,36]")+`}`, data36), "not a simdnn network"},
		{"metadata not strings", file(validHeader(`{"simdnn.version":1,"simdnn.sizes":"2,2,1","simdnn.activations":"sigmoid,sigmoid","simdnn.loss":"bce"}`, ""), data36), "not a string"},
		{"wrong version", file(strings.Replace(std, `version":"1"`, `version":"2"`, 1), data36), "version"},
		{"unknown simdnn key", file(strings.Replace(std, `"simdnn.loss"`, `"simdnn.foo":"x","simdnn.loss"`, 1), data36), "unknown key"},
		{"unknown activation", file(strings.Replace(std, `sigmoid,sigmoid`, `sigmoid,softplus`, 1), data36), "softplus"},
		{"bad loss for output", file(strings.Replace(std, `sigmoid,sigmoid`, `sigmoid,relu`, 1), data36), "sigmoid output"},
		{"sizes not numbers", file(strings.Replace(std, `2,2,1`, `2,x,1`, 1), data36), "sizes"},
		{"zero size", file(strings.Replace(std, `2,2,1`, `2,0,1`, 1), data36), "Sizes[1] = 0"},
		{"huge sizes", file(strings.Replace(std, `2,2,1`, `2,2000000000,1`, 1), data36), "Sizes[1]"},
		{"big network, small file", file(strings.Replace(std, `2,2,1`, `2,100000,1`, 1), data36), "shape"},
		{"layer count mismatch", file(strings.Replace(std, `sigmoid,sigmoid`, `sigmoid`, 1), data36), "activations"},
	}
}

func TestLoadRejectsCorruptFiles(t *testing.T) {
	for _, c := range corruptFiles() {
		_, _, err := decodeBytes[float32](c.data)
		if c.want == "" {
			require.NoError(t, err, c.name)
			continue
		}
		require.ErrorContains(t, err, c.want, c.name)
		require.True(t, strings.HasPrefix(err.Error(), "nn: safetensors: "), "%s: %v", c.name, err)
		_, _, err = decodeBytes[float64](c.data)
		require.ErrorContains(t, err, c.want, c.name)
	}

	// Every truncation of a valid file is an error.
	n := mustNew[float32](t, arch(SoftmaxCrossEntropy, []int{3, 4, 2}, ReLU, Identity), 1)
	data := encode(t, n, map[string]string{"a": "b"})
	for k := range len(data) {
		_, _, err := decodeBytes[float32](data[:k])
		require.Error(t, err, "truncated to %d bytes", k)
	}
	// And so is every change to the header that breaks it.
	hlen := int(binary.LittleEndian.Uint64(data))
	for i := 8; i < 8+hlen; i++ {
		mut := bytes.Clone(data)
		mut[i] ^= 0x5a
		m, _, err := decodeBytes[float32](mut)
		if err == nil { // a change that keeps a valid file (in a metadata value, say) must keep the weights
			bitsEqual(t, n.Params(), m.Params())
		}
	}
}

// FuzzLoad feeds arbitrary bytes to Decode: it must return an error or a
// network, never panic or allocate beyond what the input vouches for; a
// network it returns must survive Encode → Decode unchanged.
func FuzzLoad(f *testing.F) {
	for _, c := range corruptFiles() {
		f.Add(c.data)
	}
	f.Add(encode(f, mustNew[float32](f, arch(BCE, []int{2, 2, 1}, Sigmoid, Sigmoid), 1), map[string]string{"m": "1"}))
	f.Add(encode(f, mustNew[float64](f, arch(SoftmaxCrossEntropy, []int{3, 2}, Identity), 1), nil))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRoundTrip[float32](t, data)
		fuzzRoundTrip[float64](t, data)
	})
}

func fuzzRoundTrip[T Float](t *testing.T, data []byte) {
	n, meta, err := decodeBytes[T](data)
	if err != nil {
		if n != nil || meta != nil {
			t.Fatal("error with a result")
		}
		return
	}
	var b bytes.Buffer
	if err := n.Encode(&b, meta); err != nil {
		t.Fatal(err)
	}
	m, meta2, err := decodeBytes[T](b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	assert.Equal(t, meta, meta2)
	assert.Equal(t, n.Architecture(), m.Architecture())
	for i, p := range n.Params() {
		q := m.Params()[i]
		if math.Float64bits(float64(p)) != math.Float64bits(float64(q)) {
			t.Fatalf("parameter %d: %v became %v", i, p, q)
		}
	}
}
