package floattest

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// TestDotAccurate checks the reference against exact math/big sums on
// ill-conditioned data (large terms that cancel, leaving a small sum), where
// a plain float64 sum loses every digit: the error must be within Err.
func TestDotAccurate(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := 1 + rng.IntN(300)
		terms := make([][3]float64, n)
		for k := range terms {
			e := rng.IntN(60) - 30
			terms[k] = [3]float64{math.Ldexp(2*rng.Float64()-1, e), 2*rng.Float64() - 1, 0.7}
		}
		// Append the negated sum of the first terms so that they cancel.
		r0 := Sum(terms...)
		terms = append(terms, [3]float64{-r0.Value, 1, 1})
		r := Sum(terms...)

		exact := new(big.Float).SetPrec(8192)
		for _, tm := range terms {
			p := new(big.Float).SetPrec(8192).SetFloat64(tm[0])
			p.Mul(p, new(big.Float).SetFloat64(tm[1]))
			p.Mul(p, new(big.Float).SetFloat64(tm[2]))
			exact.Add(exact, p)
		}
		d := new(big.Float).Sub(exact, new(big.Float).SetFloat64(r.Value))
		err, _ := d.Abs(d).Float64()
		if err > r.Err {
			t.Errorf("trial %d: error %g > Err %g (value %g)", trial, err, r.Err, r.Value)
		}
	}
}

// TestDotSpecial checks the reference on NaN, ±Inf and sums past the float64
// range.
func TestDotSpecial(t *testing.T) {
	inf, max := math.Inf(1), math.MaxFloat64
	for _, c := range []struct {
		name  string
		terms [][3]float64
		want  float64
	}{
		{"NaN", [][3]float64{{1, 2, 1}, {math.NaN(), 1, 1}}, math.NaN()},
		{"Inf", [][3]float64{{1, 2, 1}, {inf, 0.5, 1}}, inf},
		{"Inf·0", [][3]float64{{1, 2, 1}, {inf, 0, 1}}, math.NaN()},
		{"Inf-Inf", [][3]float64{{inf, 1, 1}, {-inf, 1, 1}}, math.NaN()},
		{"overflow", [][3]float64{{max, 0.75, 1}, {max, 0.75, 1}}, inf},
		{"overflow in a product", [][3]float64{{max, -2, 1}}, -inf},
		{"cancelling overflow", [][3]float64{{max, 2, 1}, {max, -2, 1}, {3, 1, 1}}, 3},
		{"overflow times 0", [][3]float64{{max, 2, 0}, {3, 1, 1}}, 3},
	} {
		r := Sum(c.terms...)
		if isFinite(r.Value) && !isFinite(r.AbsTimes(0x1p-53)) {
			t.Errorf("%s: bound of a finite result is %v", c.name, r.AbsTimes(0x1p-53))
		}
		if math.Float64bits(r.Value) != math.Float64bits(c.want) && !(math.IsNaN(r.Value) && math.IsNaN(c.want)) {
			t.Errorf("%s: got %v, want %v", c.name, r.Value, c.want)
		}
	}
}

// TestCheck checks the verdicts of Check on the boundaries of its rules.
func TestCheck(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	r := Sum([3]float64{1, 1, 1}) // 1, exactly
	big32 := Sum([3]float64{math.MaxFloat32, 2, 1})
	near32 := Sum([3]float64{math.MaxFloat32, 1, 1})
	tiny := Sum([3]float64{0x1p-149, 3, 1})
	for _, c := range []struct {
		name  string
		got   float32
		r     Result
		bound float64
		ok    bool
	}{
		{"exact", 1, r, 0, true},
		{"within bound", 1 + 0x1p-23, r, 0x1p-23, true},
		{"past bound", 1 + 0x1p-22, r, 0x1p-23, false},
		{"NaN for finite", float32(nan), r, 1, false},
		{"Inf for finite", float32(inf), r, 1, false},
		{"NaN wanted", float32(nan), Sum([3]float64{nan, 1, 1}), 0, true},
		{"finite for NaN", 1, Sum([3]float64{nan, 1, 1}), 0, false},
		{"Inf wanted", float32(inf), Sum([3]float64{inf, 1, 1}), 0, true},
		{"-Inf for Inf", float32(-inf), Sum([3]float64{inf, 1, 1}), 0, false},
		{"float32 overflow", float32(inf), big32, 0, true},
		{"float32 overflow, wrong sign", float32(-inf), big32, 0, false},
		{"float32 overflow, finite", math.MaxFloat32, big32, 1e30, false},
		{"float32 max within bound", math.MaxFloat32, near32, 0, true},
		{"overflow within bound", float32(inf), near32, 1e32, true},
		{"overflow past bound", float32(inf), near32, 0, false},
		{"underflow within Tiny", 0, tiny, 0, true},
		{"underflow past Tiny", 0, Sum([3]float64{0x1p-140, 1, 1}), 0, false},
	} {
		if err := Check(c.got, c.r, c.bound); (err == nil) != c.ok {
			t.Errorf("%s: Check(%v, %v, %v) = %v, want ok = %t", c.name, c.got, c.r.Value, c.bound, err, c.ok)
		}
	}
}
