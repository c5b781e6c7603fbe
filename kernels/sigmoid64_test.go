package kernels_test

// The float64 sigmoid against a 50-digit reference table, and the float64
// reference of the float32 sweep against the same table.

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

// dsigmoidBound is the accuracy the issue demands of Dsigmoid: at most 2
// ULP from σ(x), in units of 2^−1074 where σ(x) is subnormal.
const dsigmoidBound = 2.0

// A sigmoidRow is one line of testdata/sigmoid64.txt (see
// gen_sigmoid64.py): an input x, σ(x) correctly rounded to float64, the
// exponent of the ULP at the exact σ(x) (−1074 for subnormal results), and
// the exact value's distance from the rounded one in those ULPs.
type sigmoidRow struct {
	x, rounded float64
	ulpExp     int
	residual   float64
}

// err returns how many ULPs y is from the exact σ(x); NaN for a NaN y.
func (r sigmoidRow) err(y float64) float64 {
	// y − rounded is exact for y within a few ULPs of it (Sterbenz), and
	// a multiple of 2^−1074 scaled by a power of two; farther off, its
	// rounding is of no consequence.
	return math.Abs(math.Ldexp(y-r.rounded, -r.ulpExp) - r.residual)
}

// loadSigmoidTable reads testdata/sigmoid64.txt.
func loadSigmoidTable(t *testing.T) []sigmoidRow {
	t.Helper()
	f, err := os.Open("testdata/sigmoid64.txt")
	require.NoError(t, err)
	defer f.Close()
	var rows []sigmoidRow
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(text)
		require.Len(t, fields, 4, "sigmoid64.txt:%d: %q", line, text)
		xb, err1 := strconv.ParseUint(fields[0], 16, 64)
		sb, err2 := strconv.ParseUint(fields[1], 16, 64)
		e, err3 := strconv.Atoi(fields[2])
		res, err4 := strconv.ParseFloat(fields[3], 64)
		for _, err := range []error{err1, err2, err3, err4} {
			require.NoError(t, err, "sigmoid64.txt:%d: %q", line, text)
		}
		rows = append(rows, sigmoidRow{math.Float64frombits(xb), math.Float64frombits(sb), e, res})
	}
	require.NoError(t, sc.Err())
	require.Greater(t, len(rows), 20000, "sigmoid64.txt is truncated")
	return rows
}

// TestDsigmoidTable checks Dsigmoid, with each implementation, on the
// ~20000 inputs of testdata/sigmoid64.txt: every result within 2 ULP of
// σ(x) (in units of 2^−1074 where σ(x) is subnormal), none negative (−0
// included). It logs the largest error and where it occurs.
func TestDsigmoidTable(t *testing.T) {
	rows := loadSigmoidTable(t)
	x := make([]float64, len(rows))
	for i, r := range rows {
		x[i] = r.x
	}
	impltest.RunAll(t, "kernels", func(t *testing.T) {
		fr := &failures{t: t}
		y := make([]float64, len(x))
		kernels.Dsigmoid(y, x)
		maxErr, at, overHalf := 0.0, 0, 0
		for i, r := range rows {
			e := r.err(y[i])
			if math.Signbit(y[i]) || y[i] > 1 {
				e = math.Inf(1)
			}
			if e > 0.5 {
				overHalf++
			}
			if e > maxErr {
				maxErr, at = e, i
			}
			if !(e <= dsigmoidBound) {
				fr.Errorf("σ(%v) (bits %#016x) = %v (%#016x): %.4g ULP (2^%d) from σ(x), want ≤ %v; correctly rounded: %v",
					r.x, math.Float64bits(r.x), y[i], math.Float64bits(y[i]), e, r.ulpExp, dsigmoidBound, r.rounded)
			}
		}
		r := rows[at]
		t.Logf("Dsigmoid (%s, %d inputs): max error %.4f ULP at x = %v (bits %#016x): got %v, correctly rounded %v (ULP 2^%d)",
			kernels.Implementation(), len(rows), maxErr, r.x, math.Float64bits(r.x), y[at], r.rounded, r.ulpExp)
		t.Logf("Dsigmoid (%s): %d results more than ½ ULP from σ(x), so not correctly rounded", kernels.Implementation(), overHalf)
	})
}

// TestSigmoidReference checks refSigmoid, the float64 reference of the
// float32 sweep, against the 50-digit table over the range it serves,
// −128 < x < 32: within 4 float64 ULPs (2^−50 relative), so that it adds at
// most 2^−26 ULP to a float32 error. The largest error is logged.
func TestSigmoidReference(t *testing.T) {
	maxErr, at, n := 0.0, 0.0, 0
	for _, r := range loadSigmoidTable(t) {
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

// TestDsigmoidImplementationsIdentical checks that the assembly and the
// pure-Go Dsigmoid return the same bits on the inputs of the table and on a
// million more: uniform over [−50, 50] and [−750, −700], log-uniform
// magnitudes over the whole float64 range, and random bit patterns (NaNs
// included).
func TestDsigmoidImplementationsIdentical(t *testing.T) {
	impls := kernels.Implementations()
	if len(impls) < 2 {
		t.Skipf("only %v on this machine", impls)
	}
	t.Cleanup(func() { _ = kernels.UseImplementation("") })
	rng := newRand(64)
	var x []float64
	for _, r := range loadSigmoidTable(t) {
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
		kernels.Dsigmoid(results[i], x)
	}
	fr := &failures{t: t}
	for i := 1; i < len(impls); i++ {
		for k := range x {
			if a, b := math.Float64bits(results[0][k]), math.Float64bits(results[i][k]); a != b {
				fr.Errorf("σ(%v) (bits %#016x): %s returns %v (%#016x), %s %v (%#016x)",
					x[k], math.Float64bits(x[k]), impls[0], results[0][k], a, impls[i], results[i][k], b)
			}
		}
	}
	t.Logf("%s: %d inputs bitwise identical", fmt.Sprint(impls), len(x))
}
