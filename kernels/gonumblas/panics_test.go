package gonumblas_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/blas"

	"github.com/simdnn/simdnn/kernels"
)

// panicValue returns what f panics with, or nil.
func panicValue(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

// requireSamePanic runs a call through gonum (ref) and through gonumblas
// (call): if gonum panics, gonumblas must panic with the same value, and if
// gonum does not, neither may gonumblas. panics says which the case expects
// of gonum, so that a case meant to be bad cannot silently be a good one.
func requireSamePanic(t *testing.T, panics bool, ref, call func()) {
	t.Helper()
	want := panicValue(ref)
	require.Equal(t, panics, want != nil, "gonum panics with %v", want)
	if want == nil {
		require.NotPanics(t, call)
		return
	}
	require.PanicsWithValue(t, want, call)
}

// gemmArgs are the sizes of a gemm call's arguments.
type gemmArgs struct {
	tA, tB           blas.Transpose
	m, n, k          int
	lda, ldb, ldc    int
	lenA, lenB, lenC int
	alpha, beta      float64
	panics           bool
}

// gemmPanicCases returns good and bad gemm arguments for op(A) 3×4 and op(B)
// 4×2 with the transposes tA and tB and every leading dimension one over
// its minimum, the bad ones with one or more faults, to check which fault
// gonum reports first.
func gemmPanicCases(tA, tB blas.Transpose) map[string]gemmArgs {
	const m, n, k = 3, 2, 4
	// args returns valid arguments for op(A) m×k and op(B) k×n, with every
	// leading dimension extra over its minimum, and the slice lengths gonum
	// requires: (rows-1)·ld + cols of each matrix as stored, even with no
	// columns.
	args := func(m, n, k, extra int) gemmArgs {
		c := gemmArgs{tA: tA, tB: tB, m: m, n: n, k: k, alpha: 1, beta: 1}
		dims := func(t blas.Transpose, r, s int) (ld, length int) {
			rows, cols := r, s
			if t != blas.NoTrans {
				rows, cols = s, r
			}
			ld = max(1, cols) + extra
			return ld, max(0, (rows-1)*ld+cols)
		}
		c.lda, c.lenA = dims(tA, m, k)
		c.ldb, c.lenB = dims(tB, k, n)
		c.ldc, c.lenC = dims(blas.NoTrans, m, n)
		return c
	}
	ok := args(m, n, k, 1)
	tight := args(m, n, k, 0)
	zeroK := args(m, n, 0, 1)
	with := func(f func(c *gemmArgs)) gemmArgs {
		c := ok
		f(&c)
		c.panics = true
		return c
	}
	valid := func(f func(c *gemmArgs)) gemmArgs {
		c := with(f)
		c.panics = false
		return c
	}
	cases := map[string]gemmArgs{
		"valid":                 ok,
		"longer slices":         valid(func(c *gemmArgs) { c.lenA, c.lenB, c.lenC = 99, 99, 99 }),
		"smallest lds":          valid(func(c *gemmArgs) { *c = tight }),
		"m = 0, no slices":      valid(func(c *gemmArgs) { c.m, c.lenA, c.lenB, c.lenC = 0, 0, 0, 0 }),
		"n = 0, no slices":      valid(func(c *gemmArgs) { c.n, c.lenA, c.lenB, c.lenC = 0, 0, 0, 0 }),
		"k = 0":                 valid(func(c *gemmArgs) { *c = zeroK }),
		"k = 0, β = 0":          valid(func(c *gemmArgs) { *c, c.beta = zeroK, 0 }),
		"α = 0, β = 1":          valid(func(c *gemmArgs) { c.alpha, c.beta = 0, 1 }),
		"α = 0, β = 0":          valid(func(c *gemmArgs) { c.alpha, c.beta = 0, 0 }),
		"bad tA":                with(func(c *gemmArgs) { c.tA = 'X' }),
		"bad tB":                with(func(c *gemmArgs) { c.tB = 0 }),
		"lower-case tA":         with(func(c *gemmArgs) { c.tA = blas.Transpose(tA + 'a' - 'A') }),
		"bad tB, m < 0":         with(func(c *gemmArgs) { c.tB, c.m = 'x', -1 }),
		"m < 0":                 with(func(c *gemmArgs) { c.m = -1 }),
		"n < 0":                 with(func(c *gemmArgs) { c.n = -1 }),
		"k < 0":                 with(func(c *gemmArgs) { c.k = -1 }),
		"n, k < 0":              with(func(c *gemmArgs) { c.n, c.k = -1, -1 }),
		"k < 0, lda = 0":        with(func(c *gemmArgs) { c.k, c.lda = -1, 0 }),
		"lda too small":         with(func(c *gemmArgs) { c.lda = tight.lda - 1 }),
		"ldb too small":         with(func(c *gemmArgs) { c.ldb = tight.ldb - 1 }),
		"ldc < n":               with(func(c *gemmArgs) { c.ldc = n - 1 }),
		"lda, ldb, ldc = 0":     with(func(c *gemmArgs) { c.lda, c.ldb, c.ldc = 0, 0, 0 }),
		"ldb, ldc = 0":          with(func(c *gemmArgs) { c.ldb, c.ldc = 0, 0 }),
		"m = 0, lda = 0":        with(func(c *gemmArgs) { c.m, c.lda = 0, 0 }),
		"n = 0, ldc = 0":        with(func(c *gemmArgs) { c.n, c.ldc = 0, 0 }),
		"m = 0, ldb too small":  with(func(c *gemmArgs) { c.m, c.ldb = 0, tight.ldb-1 }),
		"k = 0, lda = 0":        with(func(c *gemmArgs) { *c, c.lda = zeroK, 0 }),
		"k = 0, ldb = 0":        with(func(c *gemmArgs) { *c, c.ldb = zeroK, 0 }),
		"k = 0, short c":        with(func(c *gemmArgs) { *c, c.lenC = zeroK, zeroK.lenC-1 }),
		"short a":               with(func(c *gemmArgs) { c.lenA-- }),
		"short b":               with(func(c *gemmArgs) { c.lenB-- }),
		"short c":               with(func(c *gemmArgs) { c.lenC-- }),
		"short a, b and c":      with(func(c *gemmArgs) { c.lenA, c.lenB, c.lenC = 0, 0, 0 }),
		"short b and c":         with(func(c *gemmArgs) { c.lenB, c.lenC = 0, 0 }),
		"short a, α = 0, β = 1": with(func(c *gemmArgs) { c.lenA, c.alpha, c.beta = ok.lenA-1, 0, 1 }),
		"short c, α = 0, β = 1": with(func(c *gemmArgs) { c.lenC, c.alpha, c.beta = ok.lenC-1, 0, 1 }),
	}
	if zeroK.lenA > 0 {
		// A stored m×0 (not transposed): gonum still wants (m-1)·lda
		// elements.
		cases["k = 0, short a"] = with(func(c *gemmArgs) { *c, c.lenA = zeroK, zeroK.lenA-1 })
	}
	return cases
}

func TestGemmPanics(t *testing.T) {
	for _, tA := range transposes {
		for _, tB := range transposes {
			for name, c := range gemmPanicCases(tA, tB) {
				t.Run(fmt.Sprintf("%c%c/%s", tA, tB, name), func(t *testing.T) {
					testGemmPanic(t, c, routines32)
					testGemmPanic(t, c, routines64)
				})
			}
		}
	}
}

func testGemmPanic[T kernels.Float](t *testing.T, c gemmArgs, r routines[T]) {
	call := func(f gemmFunc[T]) func() {
		return func() {
			f(c.tA, c.tB, c.m, c.n, c.k, T(c.alpha), make([]T, c.lenA), c.lda, make([]T, c.lenB), c.ldb,
				T(c.beta), make([]T, c.lenC), c.ldc)
		}
	}
	requireSamePanic(t, c.panics, call(r.gemmRef), call(r.gemm))
}

// gemvArgs are the sizes of a gemv call's arguments.
type gemvArgs struct {
	tA               blas.Transpose
	m, n, lda        int
	lenA, lenX, incX int
	lenY, incY       int
	alpha, beta      float64
	panics           bool
}

// gemvPanicCases returns good and bad gemv arguments for a 3×4 matrix with
// lda = 5 and the transpose tA, the bad ones with one or more faults, to
// check which fault gonum reports first.
func gemvPanicCases(tA blas.Transpose) map[string]gemvArgs {
	const m, n, lda, lenA = 3, 4, 5, 2*5 + 4
	lenX, lenY := n, m
	if tA != blas.NoTrans {
		lenX, lenY = m, n
	}
	ok := gemvArgs{tA, m, n, lda, lenA, lenX, 1, lenY, 1, 1, 1, false}
	with := func(f func(c *gemvArgs)) gemvArgs {
		c := ok
		f(&c)
		if c != ok {
			c.panics = true
		}
		return c
	}
	valid := func(f func(c *gemvArgs)) gemvArgs {
		c := with(f)
		c.panics = false
		return c
	}
	cases := map[string]gemvArgs{
		"valid":                 ok,
		"longer slices":         valid(func(c *gemvArgs) { c.lenA, c.lenX, c.lenY = 50, 50, 50 }),
		"lda = n":               valid(func(c *gemvArgs) { c.lda, c.lenA = n, 2*n+n }),
		"strided exact":         valid(func(c *gemvArgs) { c.incX, c.incY, c.lenX, c.lenY = 2, -3, 2*lenX-1, 3*lenY-2 }),
		"m = 0, no slices":      valid(func(c *gemvArgs) { c.m, c.lenA, c.lenX, c.lenY = 0, 0, 0, 0 }),
		"n = 0, lda = 1":        valid(func(c *gemvArgs) { c.n, c.lda, c.lenA, c.lenX, c.lenY = 0, 1, 0, 0, 0 }),
		"α = 0, β = 1":          valid(func(c *gemvArgs) { c.alpha, c.beta = 0, 1 }),
		"bad transpose":         with(func(c *gemvArgs) { c.tA = 'X' }),
		"lower-case transpose":  with(func(c *gemvArgs) { c.tA = blas.Transpose(tA + 'a' - 'A') }),
		"zero transpose, m < 0": with(func(c *gemvArgs) { c.tA, c.m = 0, -1 }),
		"m < 0":                 with(func(c *gemvArgs) { c.m = -1 }),
		"n < 0":                 with(func(c *gemvArgs) { c.n = -1 }),
		"m, n < 0":              with(func(c *gemvArgs) { c.m, c.n = -1, -1 }),
		"n < 0, incX = 0":       with(func(c *gemvArgs) { c.n, c.incX = -1, 0 }),
		"lda < n":               with(func(c *gemvArgs) { c.lda = n - 1 }),
		"lda = 0, n = 0":        with(func(c *gemvArgs) { c.n, c.lda = 0, 0 }),
		"lda < n, incX = 0":     with(func(c *gemvArgs) { c.lda, c.incX = n-1, 0 }),
		"incX = 0":              with(func(c *gemvArgs) { c.incX = 0 }),
		"incY = 0":              with(func(c *gemvArgs) { c.incY = 0 }),
		"incX = incY = 0":       with(func(c *gemvArgs) { c.incX, c.incY = 0, 0 }),
		"m = 0, incY = 0":       with(func(c *gemvArgs) { c.m, c.incY = 0, 0 }),
		"short x":               with(func(c *gemvArgs) { c.lenX-- }),
		"short x, incX = 2":     with(func(c *gemvArgs) { c.incX, c.lenX = 2, 2*(lenX-1) }),
		"short x, incX = -1":    with(func(c *gemvArgs) { c.incX, c.lenX = -1, lenX-1 }),
		"short y":               with(func(c *gemvArgs) { c.lenY-- }),
		"short y, incY = 2":     with(func(c *gemvArgs) { c.incY, c.lenY = 2, 2*(lenY-1) }),
		"short y, incY = -2":    with(func(c *gemvArgs) { c.incY, c.lenY = -2, 2*(lenY-1) }),
		"short a":               with(func(c *gemvArgs) { c.lenA-- }),
		"short a, α = 0, β = 1": with(func(c *gemvArgs) { c.lenA, c.alpha, c.beta = lenA-1, 0, 1 }),
		"short a, lda = n":      with(func(c *gemvArgs) { c.lda, c.lenA = n, 3*n-1 }),
		"short x, y and a":      with(func(c *gemvArgs) { c.lenX, c.lenY, c.lenA = 0, 0, 0 }),
		"short y and a":         with(func(c *gemvArgs) { c.lenY, c.lenA = 0, 0 }),
		"short x, α = 0":        with(func(c *gemvArgs) { c.lenX, c.alpha = 1, 0 }),
	}
	return cases
}

func TestGemvPanics(t *testing.T) {
	for _, tA := range transposes {
		for name, c := range gemvPanicCases(tA) {
			t.Run(fmt.Sprintf("%c/%s", tA, name), func(t *testing.T) {
				testGemvPanic(t, c, routines32)
				testGemvPanic(t, c, routines64)
			})
		}
	}
}

func testGemvPanic[T kernels.Float](t *testing.T, c gemvArgs, r routines[T]) {
	call := func(f gemvFunc[T]) func() {
		return func() {
			f(c.tA, c.m, c.n, T(c.alpha), make([]T, c.lenA), c.lda, make([]T, c.lenX), c.incX,
				T(c.beta), make([]T, c.lenY), c.incY)
		}
	}
	requireSamePanic(t, c.panics, call(r.gemvRef), call(r.gemv))
}

// gerArgs are the sizes of a ger call's arguments.
type gerArgs struct {
	m, n, lda  int
	lenX, incX int
	lenY, incY int
	lenA       int
	alpha      float64
	panics     bool
}

// gerPanicCases returns good and bad ger arguments for a 3×4 matrix with
// lda = 5.
func gerPanicCases() map[string]gerArgs {
	const m, n, lda, lenA = 3, 4, 5, 2*5 + 4
	ok := gerArgs{m, n, lda, m, 1, n, 1, lenA, 1, false}
	with := func(f func(c *gerArgs)) gerArgs {
		c := ok
		f(&c)
		c.panics = true
		return c
	}
	valid := func(f func(c *gerArgs)) gerArgs {
		c := with(f)
		c.panics = false
		return c
	}
	return map[string]gerArgs{
		"valid":              ok,
		"longer slices":      valid(func(c *gerArgs) { c.lenA, c.lenX, c.lenY = 50, 50, 50 }),
		"strided exact":      valid(func(c *gerArgs) { c.incX, c.incY, c.lenX, c.lenY = -2, 3, 2*m-1, 3*n-2 }),
		"m = 0, no slices":   valid(func(c *gerArgs) { c.m, c.lenA, c.lenX, c.lenY = 0, 0, 0, 0 }),
		"n = 0, lda = 1":     valid(func(c *gerArgs) { c.n, c.lda, c.lenA, c.lenX, c.lenY = 0, 1, 0, 0, 0 }),
		"m < 0":              with(func(c *gerArgs) { c.m = -1 }),
		"n < 0":              with(func(c *gerArgs) { c.n = -1 }),
		"m, n < 0":           with(func(c *gerArgs) { c.m, c.n = -1, -1 }),
		"lda < n":            with(func(c *gerArgs) { c.lda = n - 1 }),
		"lda = 0, n = 0":     with(func(c *gerArgs) { c.n, c.lda = 0, 0 }),
		"lda < n, incY = 0":  with(func(c *gerArgs) { c.lda, c.incY = n-1, 0 }),
		"incX = 0":           with(func(c *gerArgs) { c.incX = 0 }),
		"incY = 0":           with(func(c *gerArgs) { c.incY = 0 }),
		"n = 0, incX = 0":    with(func(c *gerArgs) { c.n, c.incX = 0, 0 }),
		"short x":            with(func(c *gerArgs) { c.lenX-- }),
		"short x, incX = -2": with(func(c *gerArgs) { c.incX, c.lenX = -2, 2*(m-1) }),
		"short y":            with(func(c *gerArgs) { c.lenY-- }),
		"short y, incY = 3":  with(func(c *gerArgs) { c.incY, c.lenY = 3, 3*(n-1) }),
		"short a":            with(func(c *gerArgs) { c.lenA-- }),
		"short a, α = 0":     with(func(c *gerArgs) { c.lenA, c.alpha = lenA-1, 0 }),
		"short x and a":      with(func(c *gerArgs) { c.lenX, c.lenA = 0, 0 }),
		"short y and a":      with(func(c *gerArgs) { c.lenY, c.lenA = 0, 0 }),
	}
}

func TestGerPanics(t *testing.T) {
	for name, c := range gerPanicCases() {
		t.Run(name, func(t *testing.T) {
			testGerPanic(t, c, routines32)
			testGerPanic(t, c, routines64)
		})
	}
}

func testGerPanic[T kernels.Float](t *testing.T, c gerArgs, r routines[T]) {
	call := func(f gerFunc[T], alpha T) func() {
		return func() {
			f(c.m, c.n, alpha, make([]T, c.lenX), c.incX, make([]T, c.lenY), c.incY, make([]T, c.lenA), c.lda)
		}
	}
	// gonum checks every argument before it looks at α. Its reference runs
	// with α = 0, so that it computes nothing: on amd64 it would compute
	// wrongly for negative increments (gonum/gonum#2105).
	requireSamePanic(t, c.panics, call(r.gerRef, 0), call(r.ger, T(c.alpha)))
}

// level1Args are the sizes of a level-1 call's arguments; Scal uses x only.
type level1Args struct {
	n          int
	lenX, incX int
	lenY, incY int
	alpha      float64
	panics     bool
}

// level1PanicCases returns good and bad arguments for vectors of 5 elements.
func level1PanicCases() map[string]level1Args {
	const n = 5
	ok := level1Args{n, n, 1, n, 1, 2, false}
	with := func(f func(c *level1Args)) level1Args {
		c := ok
		f(&c)
		c.panics = true
		return c
	}
	valid := func(f func(c *level1Args)) level1Args {
		c := with(f)
		c.panics = false
		return c
	}
	return map[string]level1Args{
		"valid":              ok,
		"longer slices":      valid(func(c *level1Args) { c.lenX, c.lenY = 9, 9 }),
		"strided exact":      valid(func(c *level1Args) { c.incX, c.incY, c.lenX, c.lenY = 2, -3, 2*n-1, 3*n-2 }),
		"n = 0, no slices":   valid(func(c *level1Args) { c.n, c.lenX, c.lenY = 0, 0, 0 }),
		"α = 0":              valid(func(c *level1Args) { c.alpha = 0 }),
		"n < 0":              with(func(c *level1Args) { c.n = -1 }),
		"n < 0, incX = 0":    with(func(c *level1Args) { c.n, c.incX = -1, 0 }),
		"n < 0, incY = 0":    with(func(c *level1Args) { c.n, c.incY = -1, 0 }),
		"n = 0, incX = 0":    with(func(c *level1Args) { c.n, c.incX = 0, 0 }),
		"incX = 0":           with(func(c *level1Args) { c.incX = 0 }),
		"incY = 0":           with(func(c *level1Args) { c.incY = 0 }),
		"short x":            with(func(c *level1Args) { c.lenX-- }),
		"short x, α = 0":     with(func(c *level1Args) { c.lenX, c.alpha = n-1, 0 }),
		"short x, incX = 2":  with(func(c *level1Args) { c.incX, c.lenX = 2, 2*(n-1) }),
		"short x, incX = -1": with(func(c *level1Args) { c.incX, c.lenX = -1, n-1 }),
		"short y":            with(func(c *level1Args) { c.lenY-- }),
		"short y, incY = -2": with(func(c *level1Args) { c.incY, c.lenY = -2, 2*(n-1) }),
		"short x and y":      with(func(c *level1Args) { c.lenX, c.lenY = 0, 0 }),
	}
}

func TestLevel1Panics(t *testing.T) {
	for name, c := range level1PanicCases() {
		t.Run(name, func(t *testing.T) {
			testLevel1Panic(t, c, routines32)
			testLevel1Panic(t, c, routines64)
		})
	}
}

func testLevel1Panic[T kernels.Float](t *testing.T, c level1Args, r routines[T]) {
	axpy := func(f axpyFunc[T]) func() {
		return func() { f(c.n, T(c.alpha), make([]T, c.lenX), c.incX, make([]T, c.lenY), c.incY) }
	}
	dot := func(f dotFunc[T]) func() {
		return func() { f(c.n, make([]T, c.lenX), c.incX, make([]T, c.lenY), c.incY) }
	}
	t.Run("axpy", func(t *testing.T) { requireSamePanic(t, c.panics, axpy(r.axpyRef), axpy(r.axpy)) })
	t.Run("dot", func(t *testing.T) { requireSamePanic(t, c.panics, dot(r.dotRef), dot(r.dot)) })
}

func TestScalPanics(t *testing.T) {
	for _, c := range []struct {
		name          string
		n, lenX, incX int
		panics        bool
	}{
		{"valid", 5, 5, 1, false},
		{"longer slice", 5, 9, 1, false},
		{"strided exact", 5, 9, 2, false},
		{"n = 0, no slice", 0, 0, 1, false},
		// The reference BLAS ignores negative increments, before any check.
		{"incX < 0", 5, 5, -1, false},
		{"incX < 0, n < 0, short x", -1, 0, -2, false},
		{"n < 0", -1, 5, 1, true},
		{"incX = 0", 5, 5, 0, true},
		{"incX = 0, n < 0", -1, 5, 0, true},
		{"short x", 5, 4, 1, true},
		{"short x, incX = 2", 5, 8, 2, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, alpha := range []float64{0, 2} {
				scal32 := func(f scalFunc[float32]) func() {
					return func() { f(c.n, float32(alpha), make([]float32, c.lenX), c.incX) }
				}
				scal64 := func(f scalFunc[float64]) func() {
					return func() { f(c.n, alpha, make([]float64, c.lenX), c.incX) }
				}
				requireSamePanic(t, c.panics, scal32(routines32.scalRef), scal32(routines32.scal))
				requireSamePanic(t, c.panics, scal64(routines64.scalRef), scal64(routines64.scal))
			}
		})
	}
}

// TestHugeLda checks a case where gonum's own check of len(a) overflows and
// lets the call through to its assembly: gonumblas panics as gonum means to.
func TestHugeLda(t *testing.T) {
	const shortA = "blas: insufficient length of a"
	lda := int(^uint(0)>>1)/2 + 1 // lda·(m-1) + n wraps negative for m = 3
	for _, tA := range transposes {
		require.PanicsWithValue(t, shortA, func() {
			ours.Dgemv(tA, 3, 1, 1, make([]float64, 1), lda, make([]float64, 3), 1, 0, make([]float64, 3), 1)
		})
		require.PanicsWithValue(t, shortA, func() {
			ours.Sgemv(tA, 3, 1, 1, make([]float32, 1), lda, make([]float32, 5), 2, 0, make([]float32, 5), 2)
		})
	}
	require.PanicsWithValue(t, shortA, func() {
		ours.Dger(3, 1, 1, make([]float64, 3), 1, make([]float64, 1), 1, make([]float64, 1), lda)
	})
	// Sgemm and Dgemm with 3×3 matrices, A, B and C in turn with the huge
	// leading dimension (and a slice of 1), the others with ld = 3.
	for _, c := range []struct {
		msg           string
		lda, ldb, ldc int
	}{
		{shortA, lda, 3, 3},
		{"blas: insufficient length of b", 3, lda, 3},
		{"blas: insufficient length of c", 3, 3, lda},
	} {
		length := func(ld int) int {
			if ld == 3 {
				return 9
			}
			return 1
		}
		for _, tr := range transposes {
			require.PanicsWithValue(t, c.msg, func() {
				ours.Dgemm(tr, tr, 3, 3, 3, 1, make([]float64, length(c.lda)), c.lda, make([]float64, length(c.ldb)), c.ldb,
					0, make([]float64, length(c.ldc)), c.ldc)
			})
			require.PanicsWithValue(t, c.msg, func() {
				ours.Sgemm(tr, tr, 3, 3, 3, 1, make([]float32, length(c.lda)), c.lda, make([]float32, length(c.ldb)), c.ldb,
					0, make([]float32, length(c.ldc)), c.ldc)
			})
		}
	}
}
