package kernels_test

// Bit identity across machines. The kernels that promise the same bits on
// every implementation (σ, tanh, ReLU and their derivatives, Gemm and the
// batch layer kernels) are run on fixed inputs, their results hashed, and
// the hashes compared with testdata/digests.txt, which the amd64 assembly
// wrote. TestActivationImplementationsIdentical and
// TestGemmImplementationsAgree compare the implementations of one build;
// this test compares builds: CI runs it on the pure Go compiled for
// GOAMD64=v3 and for arm64 (under qemu-aarch64), where the compiler fuses
// an unguarded a*b + c into one rounding, so a model trains to the same
// bits on every machine.

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/simdnn/simdnn/internal/floattest"
	"github.com/simdnn/simdnn/kernels"
)

var updateDigests = flag.Bool("update-digests", false,
	"rewrite testdata/digests.txt from this machine's results, after a change meant to change a kernel's bits")

const digestFile = "testdata/digests.txt"

// TestDigests checks every implementation's results against the recorded
// digests: every entry must be recorded, and every implementation must
// give it.
func TestDigests(t *testing.T) {
	t.Cleanup(func() { _ = kernels.UseImplementation("") })
	impls := kernels.Implementations()
	got := make([]map[string]string, len(impls))
	for i, name := range impls {
		require.NoError(t, kernels.UseImplementation(name))
		got[i] = digests()
	}
	for i := 1; i < len(impls); i++ {
		for key, d := range got[i] {
			if d != got[0][key] {
				t.Errorf("%s: %s gives digest %s, %s %s", key, impls[i], d, impls[0], got[0][key])
			}
		}
	}
	if *updateDigests {
		if !t.Failed() {
			writeDigests(t, got[0])
		}
		return
	}
	want := readDigests(t)
	for _, key := range slices.Sorted(maps.Keys(got[0])) {
		switch w, ok := want[key]; {
		case !ok:
			t.Errorf("%s: no recorded digest (%s gives %s); run go test -run TestDigests -update-digests on amd64", key, impls[0], got[0][key])
		case got[0][key] != w:
			t.Errorf("%s: %s gives digest %s, recorded %s", key, impls[0], got[0][key], w)
		}
	}
	for key := range want {
		if _, ok := got[0][key]; !ok {
			t.Errorf("%s: recorded in %s, no longer computed", key, digestFile)
		}
	}
}

// digests returns the digest of every entry on the current implementation.
func digests() map[string]string {
	d := map[string]string{}
	digestTypes[float32](d)
	digestTypes[float64](d)
	return d
}

func digestTypes[T floattest.Float](d map[string]string) {
	f := kernels.For[T]()
	tn := typeName[T]()
	x, g, a := digestInputs[T]()
	out := make([]T, len(x))
	for _, k := range []struct {
		name   string
		run    func()
		anyNaN bool // the derivatives promise NaN, not its payload
	}{
		{"sigmoid", func() { f.Sigmoid(out, x) }, false},
		{"tanh", func() { f.Tanh(out, x) }, false},
		{"relu", func() { f.Relu(out, x) }, false},
		{"sigmoidBackward", func() { f.SigmoidBackward(out, g, a) }, true},
		{"tanhBackward", func() { f.TanhBackward(out, g, a) }, true},
		{"reluBackward", func() { f.ReluBackward(out, g, a) }, false},
	} {
		k.run()
		d[tn+"/"+k.name] = digest(k.anyNaN, out)
	}
	for i, s := range workerGemmShapes {
		a, lda, b, ldb, c, ldc := gemmOperands[T](s, uint64(900+i))
		f.Gemm(s.tA, s.tB, s.m, s.n, s.k, 0.75, a, lda, b, ldb, -1.25, c, ldc)
		d[fmt.Sprintf("%s/gemm/%v%v/%dx%dx%d", tn, s.tA, s.tB, s.m, s.n, s.k)] = digest(false, c)
	}
	rng := newRand(95)
	mat := func(n int) []T { s := make([]T, n); fillUniform(rng, s); return s }
	for _, s := range [][3]int{{37, 29, 53}, {130, 70, 300}} {
		batch, m, n := s[0], s[1], s[2]
		w, x, b, g0 := mat(m*n), mat(batch*n), mat(m), mat(batch*m)
		for _, h := range kernels.Activations() {
			out := make([]T, batch*m)
			f.DenseForwardBatch(h, batch, m, n, w, n, x, n, b, out, m)
			g, dx, dw, db := slices.Clone(g0), make([]T, batch*n), make([]T, m*n), make([]T, m)
			f.DenseBackwardBatch(h, batch, m, n, w, n, out, m, g, m, x, n, dx, n, dw, n, db)
			d[fmt.Sprintf("%s/denseBatch/%v/%dx%dx%d", tn, h, batch, m, n)] = digest(false, out, g, dx, dw, db)
		}
	}
}

// digestInputs returns the elementwise kernels' inputs: x, the derivatives'
// incoming gradient g, and their activations a. For float32, x runs through
// the bit patterns at a prime stride, every sign, exponent and class; for
// float64, magnitudes spread from 2⁻⁶⁰ to 2¹² with every 64th a raw bit
// pattern (NaNs with payloads, infinities, subnormals). a holds an
// activation's values, in [−1, 1], three times in four, and x's otherwise.
func digestInputs[T floattest.Float]() (x, g, a []T) {
	rng := rand.New(rand.NewPCG(96, 0x5eed5eed))
	const n = 1 << 20
	x, a = make([]T, n), make([]T, n)
	for i := range x {
		if elemSize[T]() == 4 {
			x[i] = T(math.Float32frombits(uint32(i*4099 + 7)))
		} else if i%64 == 0 {
			x[i] = T(math.Float64frombits(rng.Uint64()))
		} else {
			exp := uint64(1023 - 60 + rng.IntN(73))
			x[i] = T(math.Float64frombits(rng.Uint64()&(1<<63|1<<52-1) | exp<<52))
		}
	}
	for i := range a {
		if i%4 != 0 {
			a[i] = uniform[T](rng)
		} else {
			a[i] = x[(i*7919)%n]
		}
	}
	return x, x, a
}

// digest returns the SHA-256 of the bits of vs, in hexadecimal, with every
// NaN made one NaN where anyNaN.
func digest[T floattest.Float](anyNaN bool, vs ...[]T) string {
	h := sha256.New()
	var buf []byte
	for _, v := range vs {
		buf = buf[:0]
		for _, e := range v {
			if anyNaN && e != e {
				e = T(math.NaN())
			}
			buf = binary.LittleEndian.AppendUint64(buf, floattest.Bits(e))
		}
		h.Write(buf)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func readDigests(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(digestFile)
	require.NoError(t, err)
	defer f.Close()
	want := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, d, ok := strings.Cut(line, " ")
		require.True(t, ok, "%s: malformed line %q", digestFile, line)
		want[key] = d
	}
	require.NoError(t, sc.Err())
	return want
}

func writeDigests(t *testing.T, d map[string]string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("# SHA-256 of the results of every kernel that promises the same bits on every\n")
	b.WriteString("# implementation, on the fixed inputs of kernels/digest_test.go. Rewrite with\n")
	b.WriteString("# go test ./kernels/ -run TestDigests -update-digests, on amd64, only after a\n")
	b.WriteString("# change meant to change those bits.\n")
	for _, key := range slices.Sorted(maps.Keys(d)) {
		fmt.Fprintf(&b, "%s %s\n", key, d[key])
	}
	require.NoError(t, os.WriteFile(digestFile, []byte(b.String()), 0o644))
}
