package gonumblas

import (
	"testing"

	"gonum.org/v1/gonum/blas"
)

// TestFastPathSelection checks that valid unit-stride calls are sent to the
// kernels, so that none silently falls back to gonum, and that a call with
// any one thing wrong for the kernels is not.
func TestFastPathSelection(t *testing.T) {
	const m, n, lda, lenA = 3, 4, 6, 2*6 + 4
	for _, tA := range []blas.Transpose{blas.NoTrans, blas.Trans, blas.ConjTrans} {
		lenX, lenY := n, m
		if tA != blas.NoTrans {
			lenX, lenY = m, n
		}
		fast := func(tA blas.Transpose, m, n, lenA, lda, lenX, incX, lenY, incY int) bool {
			_, _, ok := gemvFast(tA, m, n, lenA, lda, lenX, incX, lenY, incY)
			return ok
		}
		if !fast(tA, m, n, lenA, lda, lenX, 1, lenY, 1) || !fast(tA, m, n, 99, n, 99, 1, 99, 1) {
			t.Errorf("gemv %c: a valid unit-stride call does not take the fast path", tA)
		}
		for name, ok := range map[string]bool{
			"bad transpose": fast('n', m, n, lenA, lda, lenX, 1, lenY, 1),
			"m = 0":         fast(tA, 0, n, lenA, lda, lenX, 1, lenY, 1),
			"n = 0":         fast(tA, m, 0, lenA, lda, lenX, 1, lenY, 1),
			"m < 0":         fast(tA, -1, n, lenA, lda, lenX, 1, lenY, 1),
			"lda < n":       fast(tA, m, n, lenA, n-1, lenX, 1, lenY, 1),
			"short a":       fast(tA, m, n, lenA-1, lda, lenX, 1, lenY, 1),
			"short x":       fast(tA, m, n, lenA, lda, lenX-1, 1, lenY, 1),
			"short y":       fast(tA, m, n, lenA, lda, lenX, 1, lenY-1, 1),
			"incX = 2":      fast(tA, m, n, 99, lda, 99, 2, 99, 1),
			"incY = -1":     fast(tA, m, n, 99, lda, 99, 1, 99, -1),
			"incX = 0":      fast(tA, m, n, 99, lda, 99, 0, 99, 1),
			"overflow":      fast(tA, 3, 1, 1, maxInt/2+1, 99, 1, 99, 1),
		} {
			if ok {
				t.Errorf("gemv %c, %s: takes the fast path", tA, name)
			}
		}
	}

	if !gerFast(m, n, m, 1, n, 1, lenA, lda) || !gerFast(m, n, 99, 1, 99, 1, 99, n) {
		t.Error("ger: a valid unit-stride call does not take the fast path")
	}
	for name, ok := range map[string]bool{
		"m = 0":     gerFast(0, n, m, 1, n, 1, lenA, lda),
		"n < 0":     gerFast(m, -1, m, 1, n, 1, lenA, lda),
		"lda < n":   gerFast(m, n, m, 1, n, 1, lenA, n-1),
		"short x":   gerFast(m, n, m-1, 1, n, 1, lenA, lda),
		"short y":   gerFast(m, n, m, 1, n-1, 1, lenA, lda),
		"short a":   gerFast(m, n, m, 1, n, 1, lenA-1, lda),
		"incX = -1": gerFast(m, n, 99, -1, 99, 1, 99, lda),
		"incY = 2":  gerFast(m, n, 99, 1, 99, 2, 99, lda),
		"overflow":  gerFast(3, 1, 99, 1, 99, 1, 1, maxInt/2+1),
	} {
		if ok {
			t.Errorf("ger, %s: takes the fast path", name)
		}
	}

	if !level1Fast(n, n, 1, n, 1) || !level1Fast(n, 99, 1, 99, 1) {
		t.Error("level 1: a valid unit-stride call does not take the fast path")
	}
	for name, ok := range map[string]bool{
		"n = 0":     level1Fast(0, n, 1, n, 1),
		"n < 0":     level1Fast(-1, n, 1, n, 1),
		"short x":   level1Fast(n, n-1, 1, n, 1),
		"short y":   level1Fast(n, n, 1, n-1, 1),
		"incX = -1": level1Fast(n, 99, -1, 99, 1),
		"incY = 2":  level1Fast(n, 99, 1, 99, 2),
	} {
		if ok {
			t.Errorf("level 1, %s: takes the fast path", name)
		}
	}
}

func TestContiguous(t *testing.T) {
	v := []float64{0, 1, 2, 3, 4, 5, 6, 7, 8}
	for _, tc := range []struct {
		n, inc int
		want   []float64
	}{
		{3, 1, []float64{0, 1, 2}},
		{3, 3, []float64{0, 3, 6}},
		{3, -1, []float64{2, 1, 0}},
		{3, -4, []float64{8, 4, 0}},
		{1, -5, []float64{0}},
	} {
		got := contiguous(v, tc.n, tc.inc)
		if len(got) != len(tc.want) {
			t.Fatalf("contiguous(n=%d, inc=%d) = %v, want %v", tc.n, tc.inc, got, tc.want)
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Fatalf("contiguous(n=%d, inc=%d) = %v, want %v", tc.n, tc.inc, got, tc.want)
			}
		}
	}
}
