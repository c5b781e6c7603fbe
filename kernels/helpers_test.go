package kernels_test

// Shared machinery of the correctness tests: guarded buffers at controlled
// alignments, deterministic random data, the parameter lists the sweeps draw
// from, and a failure counter that keeps a broken kernel from printing a
// million lines.

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"

	"github.com/simdnn/simdnn/internal/floattest"
	"github.com/simdnn/simdnn/internal/impltest"
	"github.com/simdnn/simdnn/kernels"
)

// The scalars every sweep combines: the BLAS special cases 0 and ±1, which
// the wrappers or the assembly may treat apart, and one general value each.
var (
	testAlphas = []float64{0, 1, -1, 0.7}
	testBetas  = []float64{0, 1, -1, 0.3}
)

// maxOffset is one past the largest start offset, in elements, of the slices
// the tests pass: offsets 0..7 put a float32 slice at every 4-byte position
// of a 32-byte AVX register width and a float64 slice at every 8-byte
// position of a 64-byte cache line.
const maxOffset = 8

// runTypes runs the float32 and float64 versions of a test as subtests f32
// and f64, each once per implementation of the kernels this machine can run.
func runTypes(t *testing.T, f32, f64 func(t *testing.T)) {
	t.Helper()
	impltest.RunAll(t, "kernels", func(t *testing.T) {
		t.Run("f32", f32)
		t.Run("f64", f64)
	})
}

// activateWith sets x = h(x) through the unfused kernel of f: what the fused
// kernels promise to match bit for bit.
func activateWith[T kernels.Float](f *kernels.Funcs[T], h kernels.Activation, x []T) {
	switch h {
	case kernels.Sigmoid:
		f.Sigmoid(x, x)
	case kernels.ReLU:
		f.Relu(x, x)
	case kernels.Tanh:
		f.Tanh(x, x)
	}
}

// backwardWith sets g = g ⊙ h′(a) through the unfused derivative of f.
func backwardWith[T kernels.Float](f *kernels.Funcs[T], h kernels.Activation, g, a []T) {
	switch h {
	case kernels.Sigmoid:
		f.SigmoidBackward(g, g, a)
	case kernels.ReLU:
		f.ReluBackward(g, g, a)
	case kernels.Tanh:
		f.TanhBackward(g, g, a)
	}
}

// newRand returns the deterministic random source of one test, each test with
// a fixed seed of its own, so that a failure reproduces exactly.
func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x5eed5eed))
}

// uniform returns a value uniform in [-1, 1), rounded to T.
func uniform[T floattest.Float](rng *rand.Rand) T {
	return T(2*rng.Float64() - 1)
}

// fillUniform sets every element of s to uniform values.
func fillUniform[T floattest.Float](rng *rand.Rand, s []T) {
	for i := range s {
		s[i] = uniform[T](rng)
	}
}

// smallInt returns an integer in [-2, 2]. Sums of products of such values
// are exact in float32 up to 2²⁴/4 terms, so a kernel fed them must return
// the exact result, whatever order it adds in: this catches a wrong or
// missing element at sizes where the rounding bound nε·Σ|aᵢ||xᵢ| has grown
// larger than one term.
func smallInt[T floattest.Float](rng *rand.Rand) T {
	return T(rng.IntN(5) - 2)
}

// elemSize returns the size of T in bytes.
func elemSize[T floattest.Float]() int { return int(unsafe.Sizeof(T(0))) }

// chunkElems is the number of elements of T one assembly call handles at
// most (the wrappers cut longer operands into chunks of that size).
func chunkElems[T floattest.Float]() int {
	return kernels.MaxCallBytes / elemSize[T]()
}

// typeName returns "float32" or "float64".
func typeName[T floattest.Float]() string {
	return fmt.Sprintf("float%d", 8*elemSize[T]())
}

// inputGuard fills the elements around every input slice and between the
// rows of input matrices: a NaN, so that a kernel that reads one of them into
// a result turns that result into NaN and the comparison catches it.
func inputGuard[T floattest.Float]() T { return T(math.NaN()) }

// outputGuard fills the elements around every output slice and between the
// rows of an output matrix: a finite value unlike any result (a NaN would
// survive a stray y = α·s + β·y unchanged, payload and all).
func outputGuard[T floattest.Float]() T { return -1234.5 }

// A guarded is a slice under test carved from a larger allocation: guard
// elements before and after it, with its start a chosen number of elements
// past a 64-byte boundary. Snapshot records every element, so that after a
// call Check can tell which ones changed, bit for bit.
type guarded[T floattest.Float] struct {
	raw    []T // the whole allocation
	lo, hi int // the slice under test is raw[lo:hi]
	orig   []T // raw at Snapshot
}

// newGuarded returns an n-element slice starting off elements past a 64-byte
// boundary, preceded and followed by 128 bytes of guard, all set to guard.
func newGuarded[T floattest.Float](n, off int, guard T) *guarded[T] {
	align := 64 / elemSize[T]()
	g := 2 * align
	raw := make([]T, align+g+off+n+g)
	for i := range raw {
		raw[i] = guard
	}
	// The garbage collector does not move heap objects, so the alignment
	// found here holds for the life of the test.
	addr := uintptr(unsafe.Pointer(unsafe.SliceData(raw)))
	base := int((64-addr%64)%64) / elemSize[T]()
	lo := base + g + off
	return &guarded[T]{raw: raw, lo: lo, hi: lo + n}
}

// S returns the slice under test, its capacity cut to its length.
func (b *guarded[T]) S() []T { return b.raw[b.lo:b.hi:b.hi] }

// Snapshot records the current contents of the whole allocation.
func (b *guarded[T]) Snapshot() { b.orig = slices.Clone(b.raw) }

// Orig returns the slice under test as it was at Snapshot.
func (b *guarded[T]) Orig() []T { return b.orig[b.lo:b.hi:b.hi] }

// CheckUnchanged reports the first element of the allocation, guard or not,
// that changed since Snapshot: what an input must satisfy.
func (b *guarded[T]) CheckUnchanged(fr *failures, where fmt.Stringer, name string) {
	fr.t.Helper()
	b.check(fr, where, name, 0, len(b.raw), nil)
}

// CheckGuards reports the first guard element that changed since Snapshot:
// what an output vector must satisfy.
func (b *guarded[T]) CheckGuards(fr *failures, where fmt.Stringer, name string) {
	fr.t.Helper()
	b.check(fr, where, name, 0, b.lo, nil)
	b.check(fr, where, name, b.hi, len(b.raw), nil)
}

// CheckGaps reports the first element that changed since Snapshot among the
// guards and the elements k of the slice under test for which isElem(k) is
// false: what an output matrix must satisfy.
func (b *guarded[T]) CheckGaps(fr *failures, where fmt.Stringer, name string, isElem func(k int) bool) {
	fr.t.Helper()
	b.CheckGuards(fr, where, name)
	b.check(fr, where, name, b.lo, b.hi, isElem)
}

// check reports the first element of raw[from:to] that changed since
// Snapshot, skipping those whose index relative to the slice under test skip
// accepts (a nil skip accepts none). Indexes are relative to the start of the
// slice under test: negative in the guard before it, ≥ its length in the
// guard after it.
func (b *guarded[T]) check(fr *failures, where fmt.Stringer, name string, from, to int, skip func(k int) bool) {
	fr.t.Helper()
	if skip == nil && sameBits(b.raw[from:to], b.orig[from:to]) {
		return
	}
	for i := from; i < to; i++ {
		k := i - b.lo
		if skip != nil && skip(k) || floattest.Bits(b.raw[i]) == floattest.Bits(b.orig[i]) {
			continue
		}
		what := "element"
		switch {
		case k < 0:
			what = "guard before"
		case k >= b.hi-b.lo:
			what = "guard after"
		case skip != nil:
			what = "gap"
		}
		fr.Errorf("%v: %s[%d] (%s) changed from %v to %v", where, name, k, what, b.orig[i], b.raw[i])
		return
	}
}

// sameBits reports whether a and b hold the same bits.
func sameBits[T floattest.Float](a, b []T) bool {
	asBytes := func(s []T) []byte {
		return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*elemSize[T]())
	}
	return bytes.Equal(asBytes(a), asBytes(b))
}

// matrixLen returns the number of elements a row-major m×n matrix with
// leading dimension lda occupies: (m-1)·lda + n, or 0 when it is empty.
func matrixLen(m, n, lda int) int {
	if m == 0 || n == 0 {
		return 0
	}
	return (m-1)*lda + n
}

// isElem reports whether index k of a row-major m×n matrix with leading
// dimension lda is an element (i, j) rather than a gap between rows or past
// the last row.
func isElem(m, n, lda, k int) bool {
	return k >= 0 && k < matrixLen(m, n, lda) && k%lda < n
}

// newMatrix returns a guarded m×n matrix with leading dimension lda whose
// gaps and guards hold guard. The slice under test has exactly the minimum
// length (m-1)·lda+n, or m·lda when long is set, so that the kernel's view
// of a ends either at the last element or after a trailing gap.
func newMatrix[T floattest.Float](m, n, lda, off int, long bool, guard T) *guarded[T] {
	l := matrixLen(m, n, lda)
	if long && l > 0 {
		l = m * lda
	}
	return newGuarded(l, off, guard)
}

// ldas returns the leading dimensions the sweeps use for n columns: the
// tight max(1, n), one more (rows start at every alignment in turn), and
// seven more.
func ldas(n int) []int {
	return []int{max(1, n), n + 1, n + 7}
}

// lazyString is a fmt.Stringer that builds its string only when printed:
// the sweeps describe every case, but need the description only on failure.
type lazyString func() string

func (f lazyString) String() string { return f() }

// maxFailures is how many failures one test reports before it stops.
const maxFailures = 10

// failures counts the errors a test reports and stops it at maxFailures.
type failures struct {
	t *testing.T
	n int
}

// Errorf reports a failure, and stops the test after maxFailures of them.
func (f *failures) Errorf(format string, args ...any) {
	f.t.Helper()
	f.t.Errorf(format, args...)
	f.n++
	if f.n >= maxFailures {
		f.t.Fatalf("stopping after %d failures", f.n)
	}
}

// blasScale returns what βy must be bit for bit when only β is applied (the
// α = 0 quick path): 0 without reading y when β = 0, y itself when β = 1,
// and otherwise the correctly rounded product, which every implementation
// computes the same.
func blasScale[T floattest.Float](beta, y T) T {
	switch beta {
	case 0:
		return 0
	case 1:
		return y
	}
	return T(beta * y)
}
