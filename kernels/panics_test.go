package kernels_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/simdnn/simdnn/internal/floattest"
	"github.com/simdnn/simdnn/kernels"
)

// valid stands for the length a vector must have in a shapeCase, which is n
// or m depending on the kernel.
const valid = -1

// A shapeCase is a level-2 call with bad or borderline sizes and the panic
// message it must raise (%[1]s is the function's name), or "" for none.
type shapeCase struct {
	name            string
	m, n, lda, lenA int
	lenX, lenY      int // or valid
	msg             string
}

// matrixShapeCases are the checks every level-2 kernel makes, in check.go's
// order (m, n, lda, len(a)), with correct vectors; the last ones are valid
// calls that a sloppy check would reject.
var matrixShapeCases = []shapeCase{
	{"negative m", -1, 4, 4, 0, valid, valid, "kernels: %[1]s: m = -1, want ≥ 0"},
	{"negative n", 3, -2, 1, 0, valid, valid, "kernels: %[1]s: n = -2, want ≥ 0"},
	{"negative m and n", -1, -1, 1, 0, valid, valid, "kernels: %[1]s: m = -1, want ≥ 0"},
	{"lda < n", 3, 4, 3, 12, valid, valid, "kernels: %[1]s: lda = 3, want ≥ max(1, n) = 4"},
	{"lda = 0 with n = 0", 3, 0, 0, 0, valid, valid, "kernels: %[1]s: lda = 0, want ≥ max(1, n) = 1"},
	{"lda < n with m = 0", 0, 4, 2, 0, valid, valid, "kernels: %[1]s: lda = 2, want ≥ max(1, n) = 4"},
	{"short a", 3, 4, 5, 13, valid, valid,
		"kernels: %[1]s: len(a) = 13, want ≥ (m-1)·lda+n for m = 3, n = 4, lda = 5"},
	{"short a with lda = n", 2, 8, 8, 15, valid, valid,
		"kernels: %[1]s: len(a) = 15, want ≥ (m-1)·lda+n for m = 2, n = 8, lda = 8"},
	{"empty a", 1, 1, 1, 0, valid, valid,
		"kernels: %[1]s: len(a) = 0, want ≥ (m-1)·lda+n for m = 1, n = 1, lda = 1"},
	{"(m-1)·lda+n overflows int", math.MaxInt / 2, 2, math.MaxInt / 4, 4, 0, 0,
		fmt.Sprintf("kernels: %%[1]s: len(a) = 4, want ≥ (m-1)·lda+n for m = %d, n = 2, lda = %d",
			math.MaxInt/2, math.MaxInt/4)},
	{"m = 0 with empty a", 0, 5, 5, 0, valid, valid, ""},
	{"n = 0 with empty a", 5, 0, 1, 0, valid, valid, ""},
	{"a exactly (m-1)·lda+n", 3, 4, 5, 14, valid, valid, ""},
	{"a longer than needed", 3, 4, 5, 40, valid, valid, ""},
}

// gemvVectorCases are the vector checks of Gemv: len(x) = n, len(y) = m,
// x checked first.
var gemvVectorCases = []shapeCase{
	{"x too short", 3, 8, 8, 24, 7, valid, "kernels: %[1]s: len(x) = 7, want n = 8"},
	{"x too long", 3, 8, 8, 24, 9, valid, "kernels: %[1]s: len(x) = 9, want n = 8"},
	{"y too short", 3, 8, 8, 24, valid, 2, "kernels: %[1]s: len(y) = 2, want m = 3"},
	{"y too long", 3, 8, 8, 24, valid, 4, "kernels: %[1]s: len(y) = 4, want m = 3"},
	{"x and y wrong", 3, 8, 8, 24, 3, 8, "kernels: %[1]s: len(x) = 3, want n = 8"},
	{"x given for m = 0", 0, 8, 8, 0, 0, 0, "kernels: %[1]s: len(x) = 0, want n = 8"},
	{"y given for n = 0", 3, 0, 1, 0, 0, 0, "kernels: %[1]s: len(y) = 0, want m = 3"},
}

// transVectorCases are the vector checks of GemvT and Ger: len(x) = m,
// len(y) = n, x checked first.
var transVectorCases = []shapeCase{
	{"x too short", 3, 8, 8, 24, 2, valid, "kernels: %[1]s: len(x) = 2, want m = 3"},
	{"x too long", 3, 8, 8, 24, 8, valid, "kernels: %[1]s: len(x) = 8, want m = 3"},
	{"y too short", 3, 8, 8, 24, valid, 7, "kernels: %[1]s: len(y) = 7, want n = 8"},
	{"y too long", 3, 8, 8, 24, valid, 9, "kernels: %[1]s: len(y) = 9, want n = 8"},
	{"x and y wrong", 3, 8, 8, 24, 8, 3, "kernels: %[1]s: len(x) = 8, want m = 3"},
}

// level2Call calls a level-2 kernel on operands of the given lengths and
// returns the operands, so that the test can check none was written.
type level2Call[T floattest.Float] func(m, n int, a []T, lda int, x, y []T)

// checkShapes runs cases on one kernel: each bad call must panic with its
// message, exactly, before writing anything (a, x and y keep their values);
// each valid one must not panic. lenX and lenY give the valid lengths.
func checkShapes[T floattest.Float](t *testing.T, name string, call level2Call[T], lenX, lenY func(m, n int) int, cases []shapeCase) {
	for _, c := range cases {
		t.Run(name+"/"+c.name, func(t *testing.T) {
			nx, ny := c.lenX, c.lenY
			if nx == valid {
				nx = lenX(c.m, c.n)
			}
			if ny == valid {
				ny = lenY(c.m, c.n)
			}
			a, x, y := make([]T, c.lenA), make([]T, nx), make([]T, ny)
			for _, v := range [][]T{a, x, y} {
				for i := range v {
					v[i] = T(i + 1)
				}
			}
			a0, x0, y0 := slices.Clone(a), slices.Clone(x), slices.Clone(y)
			if c.msg == "" {
				require.NotPanics(t, func() { call(c.m, c.n, a, c.lda, x, y) })
				return
			}
			require.PanicsWithValue(t, fmt.Sprintf(c.msg, name), func() { call(c.m, c.n, a, c.lda, x, y) })
			require.Equal(t, a0, a, "a written before the panic")
			require.Equal(t, x0, x, "x written before the panic")
			require.Equal(t, y0, y, "y written before the panic")
		})
	}
}

// TestShapePanics checks every shape panic of the level-2 kernels, message
// and all, and that valid borderline shapes do not panic.
func TestShapePanics(t *testing.T) {
	n := func(m, n int) int { return max(0, n) }
	m := func(m, n int) int { return max(0, m) }
	gemvCases := append(slices.Clone(matrixShapeCases), gemvVectorCases...)
	transCases := append(slices.Clone(matrixShapeCases), transVectorCases...)
	checkShapes(t, "Sgemv", func(m, n int, a []float32, lda int, x, y []float32) {
		kernels.Sgemv(m, n, 0.5, a, lda, x, 2, y)
	}, n, m, gemvCases)
	checkShapes(t, "Dgemv", func(m, n int, a []float64, lda int, x, y []float64) {
		kernels.Dgemv(m, n, 0.5, a, lda, x, 2, y)
	}, n, m, gemvCases)
	checkShapes(t, "SgemvT", func(m, n int, a []float32, lda int, x, y []float32) {
		kernels.SgemvT(m, n, 0.5, a, lda, x, 2, y)
	}, m, n, transCases)
	checkShapes(t, "DgemvT", func(m, n int, a []float64, lda int, x, y []float64) {
		kernels.DgemvT(m, n, 0.5, a, lda, x, 2, y)
	}, m, n, transCases)
	checkShapes(t, "Sger", func(m, n int, a []float32, lda int, x, y []float32) {
		kernels.Sger(m, n, 0.5, x, y, a, lda)
	}, m, n, transCases)
	checkShapes(t, "Dger", func(m, n int, a []float64, lda int, x, y []float64) {
		kernels.Dger(m, n, 0.5, x, y, a, lda)
	}, m, n, transCases)
}

// TestLevel1Panics checks that Axpy and Dot panic, with the exact message
// and before writing y, when len(y) ≠ len(x).
func TestLevel1Panics(t *testing.T) {
	cases := []struct{ lenX, lenY int }{{4, 3}, {3, 4}, {0, 1}, {1, 0}, {300, 299}}
	for _, c := range cases {
		t.Run(fmt.Sprintf("len(x)=%d,len(y)=%d", c.lenX, c.lenY), func(t *testing.T) {
			msg := func(fn string) string {
				return fmt.Sprintf("kernels: %s: len(y) = %d, want len(x) = %d", fn, c.lenY, c.lenX)
			}
			x32, y32 := make([]float32, c.lenX), make([]float32, c.lenY)
			x64, y64 := make([]float64, c.lenX), make([]float64, c.lenY)
			for i := range y32 {
				y32[i], y64[i] = float32(i+1), float64(i+1)
			}
			for i := range x32 {
				x32[i], x64[i] = 1, 1
			}
			y32c, y64c := slices.Clone(y32), slices.Clone(y64)
			require.PanicsWithValue(t, msg("Saxpy"), func() { kernels.Saxpy(2, x32, y32) })
			require.PanicsWithValue(t, msg("Daxpy"), func() { kernels.Daxpy(2, x64, y64) })
			require.PanicsWithValue(t, msg("Sdot"), func() { kernels.Sdot(x32, y32) })
			require.PanicsWithValue(t, msg("Ddot"), func() { kernels.Ddot(x64, y64) })
			require.Equal(t, y32c, y32, "y written before the panic")
			require.Equal(t, y64c, y64, "y written before the panic")
		})
	}
}
