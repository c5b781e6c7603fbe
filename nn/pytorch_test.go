package nn

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/simdnn/simdnn/internal/safetensors"
	"github.com/stretchr/testify/require"
)

// The fixtures in testdata/pytorch were written by testdata/gen_pytorch.py
// with numpy, in the layout safetensors' save_file gives a
// torch.nn.Sequential(Linear(3, 4), ReLU(), Linear(4, 2)) state_dict.
var fixtureArch = arch(SoftmaxCrossEntropy, []int{3, 4, 2}, ReLU, Identity)

// TestLoadPyTorchFixtures: each dtype's file loads, in float32 and float64,
// and predicts the logits numpy computed in float64 from the same (rounded)
// weights: within 1e-12 in float64; in float32 within 1e-5, the rounding
// of F64 weights to float32 and float32 sums of four terms of at most 3 in
// magnitude (a few ε₃₂ = 6·10⁻⁸ each).
func TestLoadPyTorchFixtures(t *testing.T) {
	for _, dtype := range []string{"F32", "F64", "F16", "BF16"} {
		path := filepath.Join("testdata", "pytorch", "sequential_"+dtype+".safetensors")
		testLoadFixture[float32](t, path, 1e-5)
		testLoadFixture[float64](t, path, 1e-12)
	}
}

func testLoadFixture[T Float](t *testing.T, path string, tol float64) {
	n, meta, err := LoadPyTorch[T](path, fixtureArch)
	require.NoError(t, err, path)
	require.Equal(t, "pt", meta["format"])
	var x, want []float64
	require.NoError(t, json.Unmarshal([]byte(meta["input"]), &x))
	require.NoError(t, json.Unmarshal([]byte(meta["output"]), &want))
	xt := make([]T, len(x))
	for i, v := range x {
		xt[i] = T(v)
	}
	got := make([]T, 4)
	n.Predict(got, xt)
	for i, v := range got {
		require.InDelta(t, want[i], float64(v), tol, "%s, output %d", path, i)
	}
}

// TestLoadPyTorchSpecialValues: F16 and BF16 zeros of both signs, the
// largest and smallest normal and subnormal values, infinities and NaN
// (as numpy wrote them) arrive exactly.
func TestLoadPyTorchSpecialValues(t *testing.T) {
	negZero := math.Copysign(0, -1)
	inf := math.Inf(1)
	for dtype, want := range map[string][]float64{
		"F16": {0, negZero, 1, -2.5, 65504, 0x1p-14, 0x1p-24, 3 * 0x1p-24, 1023 * 0x1p-24, inf, -inf, math.NaN()},
		"BF16": {0, negZero, 1, -2.5, 0x1.fep127, 0x1p-126, 0x1p-133, 3 * 0x1p-133,
			0.10009765625, inf, -inf, math.NaN()},
	} {
		path := filepath.Join("testdata", "pytorch", "specials_"+dtype+".safetensors")
		n32, _, err := LoadPyTorch[float32](path, arch(MSE, []int{12, 1}, Identity))
		require.NoError(t, err)
		n64, _, err := LoadPyTorch[float64](path, arch(MSE, []int{12, 1}, Identity))
		require.NoError(t, err)
		for i, w := range want {
			for _, got := range []float64{float64(n32.Layer(0).Weights()[i]), n64.Layer(0).Weights()[i]} {
				if math.IsNaN(w) {
					require.True(t, math.IsNaN(got), "%s weight %d", dtype, i)
					continue
				}
				require.Equal(t, math.Float64bits(w), math.Float64bits(got), "%s weight %d: %v, want %v", dtype, i, got, w)
			}
		}
		require.Equal(t, 0.5, n64.Layer(0).Bias()[0])
	}
}

// TestPyTorchRoundTrip: SavePyTorch names each Linear by its index in the
// Sequential of Linear and activation modules, and LoadPyTorch reads the
// same bits back, returning the caller's metadata only.
func TestPyTorchRoundTrip(t *testing.T) {
	a := arch(BCE, []int{3, 5, 4, 2, 1}, ReLU, Identity, Sigmoid, Sigmoid)
	n := mustNew[float32](t, a, 3)
	path := filepath.Join(t.TempDir(), "m.safetensors")
	require.NoError(t, n.SavePyTorch(path, map[string]string{"k": "v"}))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	h, err := safetensors.ReadHeader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	var names []string
	for name := range h.Tensors {
		names = append(names, name)
	}
	require.ElementsMatch(t, []string{"0.weight", "0.bias", "2.weight", "2.bias", "3.weight", "3.bias", "5.weight", "5.bias"}, names,
		"Sequential(Linear, ReLU, Linear, Linear, Sigmoid, Linear, Sigmoid)")

	m, meta, err := LoadPyTorch[float32](path, a)
	require.NoError(t, err)
	require.Equal(t, map[string]string{"k": "v"}, meta)
	bitsEqual(t, n.Params(), m.Params())

	other := arch(BCE, []int{3, 5, 4, 2, 1}, ReLU, ReLU, Sigmoid, Sigmoid)
	_, _, err = LoadPyTorch[float32](path, other)
	require.ErrorContains(t, err, "the file's architecture 3-5(relu)-4(identity)-2(sigmoid)-1(sigmoid) bce is not the one given, 3-5(relu)-4(relu)-2(sigmoid)-1(sigmoid) bce")
}

// pytorchFile assembles a safetensors file from a header's tensor entries
// (without metadata), with zero data of the given size.
func pytorchFile(entries string, dataLen int) []byte {
	hdr := "{" + entries + "}"
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(hdr)))
	return append(append(b, hdr...), make([]byte, dataLen)...)
}

func tensorEntry(name, dtype, shape string, begin, end int) string {
	return `"` + name + `":{"dtype":"` + dtype + `","shape":` + shape + `,"data_offsets":[` +
		strings.Join([]string{itoa(begin), itoa(end)}, ",") + `]}`
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// pytorchCases are state_dicts LoadPyTorch must refuse for a 2-3(relu)-1
// network, with the error; also the fuzz seeds.
func pytorchCases() []struct {
	name string
	data []byte
	want string
} {
	w0 := tensorEntry("0.weight", "F32", "[3,2]", 0, 24)
	b0 := tensorEntry("0.bias", "F32", "[3]", 24, 36)
	w2 := tensorEntry("2.weight", "F16", "[1,3]", 36, 42)
	b2 := tensorEntry("2.bias", "BF16", "[1]", 42, 44)
	return []struct {
		name string
		data []byte
		want string
	}{
		{"valid", pytorchFile(strings.Join([]string{w0, b0, w2, b2}, ","), 44), ""},
		{"one layer", pytorchFile(w0+","+b0, 36), "the file has 1 Linear modules, 2-3(relu)-1(identity) mse has 2 layers"},
		{"no bias", pytorchFile(strings.Join([]string{w0, b0, w2}, ","), 42), `module 2 has no tensor "2.bias"`},
		{"no weight", pytorchFile(strings.Join([]string{b0, w2, b2}, ","), 44), `module 0 has no tensor "0.weight"`},
		{"prefixed name", pytorchFile(strings.Join([]string{w0, b0, w2, strings.Replace(b2, "2.bias", "net.2.bias", 1)}, ","), 44),
			`unexpected tensor "net.2.bias": want <i>.weight and <i>.bias of a torch.nn.Sequential's Linear modules`},
		{"running_mean", pytorchFile(strings.Join([]string{w0, b0, w2, strings.Replace(b2, "2.bias", "2.running_mean", 1)}, ","), 44),
			`unexpected tensor "2.running_mean"`},
		{"leading zero", pytorchFile(strings.Join([]string{w0, b0, strings.Replace(w2, `"2.`, `"02.`, 1), b2}, ","), 44), `unexpected tensor "02.weight"`},
		{"transposed weight", pytorchFile(strings.Join([]string{strings.Replace(w0, "[3,2]", "[2,3]", 1), b0, w2, b2}, ","), 44),
			`tensor "0.weight": shape [2 3], want [3 2]`},
		{"integer dtype", pytorchFile(strings.Join([]string{w0, b0, w2, strings.Replace(b2, "BF16", "I16", 1)}, ","), 44),
			`tensor "2.bias": dtype "I16", want F32, F64, F16 or BF16`},
		{"short data", pytorchFile(strings.Join([]string{w0, b0, w2, b2}, ","), 43), `tensor "2.bias": data_offsets [42, 44] outside the 43 bytes of data`},
		{"not safetensors", []byte("PK\x03\x04 a zip file, as torch.save writes"), "header length"},
	}
}

func TestLoadPyTorchRejects(t *testing.T) {
	a := arch(MSE, []int{2, 3, 1}, ReLU, Identity)
	for _, c := range pytorchCases() {
		n, meta, err := DecodePyTorch[float32](bytes.NewReader(c.data), int64(len(c.data)), a)
		if c.want == "" {
			require.NoError(t, err, c.name)
			require.Nil(t, meta, "no __metadata__")
			require.Equal(t, 13, n.NumParams(), c.name)
			continue
		}
		require.ErrorContains(t, err, c.want, c.name)
		require.True(t, strings.HasPrefix(err.Error(), "nn: PyTorch safetensors: "), c.name)
		require.Nil(t, n, c.name)
	}
	_, _, err := LoadPyTorch[float32](filepath.Join("testdata", "pytorch", "sequential_F32.safetensors"), Architecture{})
	require.ErrorContains(t, err, "architecture: 0 sizes")
}

// FuzzLoadPyTorch feeds arbitrary bytes to DecodePyTorch for a fixed
// architecture: it must return an error or a network, never panic, and a
// network it accepts must come back bit for bit through EncodePyTorch.
func FuzzLoadPyTorch(f *testing.F) {
	for _, c := range pytorchCases() {
		f.Add(c.data)
	}
	for _, dtype := range []string{"F32", "F16"} {
		data, err := os.ReadFile(filepath.Join("testdata", "pytorch", "sequential_"+dtype+".safetensors"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	archs := []Architecture{arch(MSE, []int{2, 3, 1}, ReLU, Identity), fixtureArch}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, a := range archs {
			n, meta, err := DecodePyTorch[float64](bytes.NewReader(data), int64(len(data)), a)
			if err != nil {
				if n != nil || meta != nil {
					t.Fatal("error with a result")
				}
				continue
			}
			var b bytes.Buffer
			if err := n.EncodePyTorch(&b, meta); err != nil {
				if strings.Contains(err.Error(), "reserved") || strings.Contains(err.Error(), "UTF-8") {
					continue
				}
				t.Fatal(err)
			}
			m, _, err := DecodePyTorch[float64](bytes.NewReader(b.Bytes()), int64(b.Len()), a)
			if err != nil {
				t.Fatal(err)
			}
			for i, p := range n.Params() {
				if math.Float64bits(p) != math.Float64bits(m.Params()[i]) && !math.IsNaN(p) {
					t.Fatalf("parameter %d: %v became %v", i, p, m.Params()[i])
				}
			}
		}
	})
}
