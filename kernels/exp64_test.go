package kernels_test

// The float64 sigmoid and tanh against 50-digit reference tables, and the
// float64 reference of the float32 sigmoid sweep against the sigmoid's table.

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/simdnn/simdnn/internal/impltest"
	"github.com/simdnn/simdnn/kernels"
)

// dexpBound is the accuracy Dsigmoid and Dtanh promise: at most 2 ULP
// (Dsigmoid) and 1 ULP (Dtanh) from the exact value, in units of 2^−1074
// where it is subnormal.
const (
	dsigmoidBound = 2.0
	dtanhBound    = 1.0
)

// A refRow is one line of a reference table, testdata/sigmoid64.txt or
// tanh64.txt (see gen_sigmoid64.py): an input x, f(x) correctly rounded to
// float64, the exponent of the ULP at the exact f(x) (−1074 for subnormal
// results), and the exact value's distance from the rounded one in those
// ULPs.
type refRow struct {
	x, rounded float64
	ulpExp     int
	residual   float64
}

// err returns how many ULPs y is from the exact f(x); NaN for a NaN y.
func (r refRow) err(y float64) float64 {
	// y − rounded is exact for y within a few ULPs of it (Sterbenz), and
	// a multiple of 2^−1074 scaled by a power of two; farther off, its
	// rounding is of no consequence.
	return math.Abs(math.Ldexp(y-r.rounded, -r.ulpExp) - r.residual)
}

// loadRefTable reads testdata/name.
func loadRefTable(t *testing.T, name string) []refRow {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	require.NoError(t, err)
	defer f.Close()
	var rows []refRow
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(text)
		require.Len(t, fields, 4, "%s:%d: %q", name, line, text)
		xb, err1 := strconv.ParseUint(fields[0], 16, 64)
		sb, err2 := strconv.ParseUint(fields[1], 16, 64)
		e, err3 := strconv.Atoi(fields[2])
		res, err4 := strconv.ParseFloat(fields[3], 64)
		for _, err := range []error{err1, err2, err3, err4} {
			require.NoError(t, err, "%s:%d: %q", name, line, text)
		}
		rows = append(rows, refRow{math.Float64frombits(xb), math.Float64frombits(sb), e, res})
	}
	require.NoError(t, sc.Err())
	require.Greater(t, len(rows), 20000-3, "%s is truncated", name)
	return rows
}

// An exp64Func is a float64 activation with a reference table.
type exp64Func struct {
	name   string // as the messages write it: "σ" or "tanh"
	fn     func(dst, x []float64)
	table  string  // the file in testdata
	bound  float64 // in ULPs
	inside func(x, y float64) bool
}

var exp64Funcs = []exp64Func{
	{"σ", kernels.Dsigmoid, "sigmoid64.txt", dsigmoidBound,
		func(_, y float64) bool { return !math.Signbit(y) && y <= 1 }},
	{"tanh", kernels.Dtanh, "tanh64.txt", dtanhBound,
		func(x, y float64) bool { return math.Signbit(x) == math.Signbit(y) && math.Abs(y) <= 1 }},
}

// TestDexpTables checks Dsigmoid and Dtanh, with each implementation, on the
// ~20000 inputs of their tables: every result within the function's bound of
// the exact value (in units of 2^−1074 where it is subnormal), and in its
// range (σ: in [+0, 1]; tanh: in [−1, 1] with the sign of x, zeros
// included). It logs the largest error and where it occurs.
func TestDexpTables(t *testing.T) {
	for _, f := range exp64Funcs {
		rows := loadRefTable(t, f.table)
		x := make([]float64, len(rows))
		for i, r := range rows {
			x[i] = r.x
		}
		t.Run(f.table, func(t *testing.T) {
			impltest.RunAll(t, "kernels", func(t *testing.T) {
				fr := &failures{t: t}
				y := make([]float64, len(x))
				f.fn(y, x)
				maxErr, at, overHalf := 0.0, 0, 0
				for i, r := range rows {
					e := r.err(y[i])
					if !f.inside(r.x, y[i]) {
						e = math.Inf(1)
					}
					if e > 0.5 {
						overHalf++
					}
					if e > maxErr {
						maxErr, at = e, i
					}
					if !(e <= f.bound) {
						fr.Errorf("%s(%v) (bits %#016x) = %v (%#016x): %.4g ULP (2^%d) from %s(x), want ≤ %v; correctly rounded: %v",
							f.name, r.x, math.Float64bits(r.x), y[i], math.Float64bits(y[i]), e, r.ulpExp, f.name, f.bound, r.rounded)
					}
				}
				r := rows[at]
				t.Logf("%s (%s, %d inputs): max error %.4f ULP at x = %v (bits %#016x): got %v, correctly rounded %v (ULP 2^%d)",
					f.name, kernels.Implementation(), len(rows), maxErr, r.x, math.Float64bits(r.x), y[at], r.rounded, r.ulpExp)
				t.Logf("%s (%s): %d results more than ½ ULP from %s(x), so not correctly rounded", f.name, kernels.Implementation(), overHalf, f.name)
			})
		})
	}
}

// TestSigmoidReference checks refSigmoid, the float64 reference of the
// float32 sweep, against the 50-digit table over the range it serves,
// −128 < x < 32: within 4 float64 ULPs (2^−50 relative), so that it adds at
// most 2^−26 ULP to a float32 error. The largest error is logged.
func TestSigmoidReference(t *testing.T) {
	maxErr, at, n := 0.0, 0.0, 0
	for _, r := range loadRefTable(t, "sigmoid64.txt") {
		if !(r.x > -128 && r.x < 32) {
			continue
		}
		n++
		e := r.err(refSigmoid(r.x))
		if e > maxErr {
			maxErr, at = e, r.x
		}
		if !(e <= 4) {
			t.Errorf("refSigmoid(%v) = %v: %.3g float64 ULP from σ(x), want ≤ 4", r.x, refSigmoid(r.x), e)
		}
	}
	require.Greater(t, n, 10000, "the table has too few inputs in (−128, 32)")
	t.Logf("refSigmoid on %d inputs in (−128, 32): max error %.3f float64 ULP at x = %v", n, maxErr, at)
}

// TestDexpImplementationsIdentical checks that the assembly and the pure-Go
// Dsigmoid and Dtanh return the same bits on the inputs of their tables and
// on a million more: uniform over [−50, 50] and [−750, −700], log-uniform
// magnitudes over the whole float64 range, and random bit patterns (NaNs
// included).
func TestDexpImplementationsIdentical(t *testing.T) {
	impls := kernels.Implementations()
	if len(impls) < 2 {
		t.Skipf("only %v on this machine", impls)
	}
	t.Cleanup(func() { _ = kernels.UseImplementation("") })
	for _, f := range exp64Funcs {
		rng := newRand(64)
		var x []float64
		for _, r := range loadRefTable(t, f.table) {
			x = append(x, r.x)
		}
		n := 1 << 20
		if testing.Short() {
			n = 1 << 16
		}
		for i := range n {
			var v float64
			switch i % 4 {
			case 0:
				v = 100*rng.Float64() - 50
			case 1:
				v = -700 - 50*rng.Float64()
			case 2:
				v = math.Copysign(math.Exp2(2098*rng.Float64()-1074), float64(rng.IntN(2)*2-1))
			case 3:
				v = math.Float64frombits(rng.Uint64())
			}
			x = append(x, v)
		}
		results := make([][]float64, len(impls))
		for i, name := range impls {
			require.NoError(t, kernels.UseImplementation(name))
			results[i] = make([]float64, len(x))
			f.fn(results[i], x)
		}
		fr := &failures{t: t}
		for i := 1; i < len(impls); i++ {
			for k := range x {
				if a, b := math.Float64bits(results[0][k]), math.Float64bits(results[i][k]); a != b {
					fr.Errorf("%s(%v) (bits %#016x): %s returns %v (%#016x), %s %v (%#016x)",
						f.name, x[k], math.Float64bits(x[k]), impls[0], results[0][k], a, impls[i], results[i][k], b)
				}
			}
		}
		t.Logf("%s: %s: %d inputs bitwise identical", f.name, fmt.Sprint(impls), len(x))
	}
}
