package nn

import (
	"fmt"
	"math"
)

// Hyperparameters are checked where they are used, by kind of mistake as
// everywhere in the package: a constructor given nonsense, or a Step that
// finds a field set to it, panics (a programming error, like a wrong
// slice length); Train returns the same message as an error, before it
// changes anything, since its config often comes from a user.

// checkRange returns an error naming the field and its value unless
// lo ≤ v (lo < v when open), v < hi (v ≤ hi when closedHi) and v is not NaN.
func checkRange(field string, v, lo float64, loOpen bool, hi float64, hiOpen bool) error {
	ok := !math.IsNaN(v) && (v > lo || !loOpen && v == lo) && (v < hi || !hiOpen && v == hi)
	if ok {
		return nil
	}
	l, r := "≤", "≤"
	if loOpen {
		l = "<"
	}
	if hiOpen {
		r = "<"
	}
	name := field[len(field)-len(lastPart(field)):]
	switch {
	case math.IsInf(hi, 1) && loOpen:
		return fmt.Errorf("%s = %v, want a finite value > %v", field, v, lo)
	case math.IsInf(hi, 1):
		return fmt.Errorf("%s = %v, want a finite value ≥ %v", field, v, lo)
	}
	return fmt.Errorf("%s = %v, want %v %s %s %s %v", field, v, lo, l, name, r, hi)
}

// lastPart returns what follows the last '.' of a field name.
func lastPart(field string) string {
	for i := len(field) - 1; i >= 0; i-- {
		if field[i] == '.' {
			return field[i+1:]
		}
	}
	return field
}

// positive checks a learning rate or another value that must be finite and
// > 0.
func positive(field string, v float64) error {
	return checkRange(field, v, 0, true, math.Inf(1), true)
}

// nonNegative checks a value that must be finite and ≥ 0.
func nonNegative(field string, v float64) error {
	return checkRange(field, v, 0, false, math.Inf(1), true)
}

// fraction checks a decay rate in [0, 1).
func fraction(field string, v float64) error {
	return checkRange(field, v, 0, false, 1, true)
}

// firstError returns the first non-nil error of errs.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// mustValid panics with "nn: fn: " and err's message when err is not nil.
func mustValid(fn string, err error) {
	if err != nil {
		panic("nn: " + fn + ": " + err.Error())
	}
}
