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

// checkRange returns an error naming the field (owner.field, or field
// alone when owner is "") and its value unless lo ≤ v (lo < v when loOpen),
// v < hi (v ≤ hi unless hiOpen) and v is not NaN. The name is put together
// only for the error: Train checks every epoch and must not allocate.
func checkRange(owner, field string, v, lo float64, loOpen bool, hi float64, hiOpen bool) error {
	ok := !math.IsNaN(v) && (v > lo || !loOpen && v == lo) && (v < hi || !hiOpen && v == hi)
	if ok {
		return nil
	}
	full := field
	if owner != "" {
		full = owner + "." + field
	}
	l, r := "≤", "≤"
	if loOpen {
		l = "<"
	}
	if hiOpen {
		r = "<"
	}
	switch {
	case math.IsInf(hi, 1) && loOpen:
		return fmt.Errorf("%s = %v, want a finite value > %v", full, v, lo)
	case math.IsInf(hi, 1):
		return fmt.Errorf("%s = %v, want a finite value ≥ %v", full, v, lo)
	}
	return fmt.Errorf("%s = %v, want %v %s %s %s %v", full, v, lo, l, field, r, hi)
}

// positive checks a learning rate or another value that must be finite and
// > 0.
func positive(owner, field string, v float64) error {
	return checkRange(owner, field, v, 0, true, math.Inf(1), true)
}

// nonNegative checks a value that must be finite and ≥ 0.
func nonNegative(owner, field string, v float64) error {
	return checkRange(owner, field, v, 0, false, math.Inf(1), true)
}

// fraction checks a decay rate in [0, 1).
func fraction(owner, field string, v float64) error {
	return checkRange(owner, field, v, 0, false, 1, true)
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
