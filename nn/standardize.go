package nn

import (
	"encoding/json"
	"fmt"
	"math"
)

// Standardizer maps each of its columns to zero mean and unit deviation,
// v ↦ (v − Mean[j])/Std[j], with statistics fitted on the training rows
// (scikit-learn's StandardScaler), so that one learning rate suits
// features of any scale. A constant column keeps Std 1.
//
// A Standardizer is applied by its caller, not by the network: Predict
// computes the network alone, exactly what the same weights compute in
// PyTorch. To keep the statistics with a model, store Metadata in the
// model file's metadata (Save) and read them back with ParseStandardizer.
// The statistics are float64 whatever T is; a Standardizer is safe for
// concurrent use once fitted.
type Standardizer[T Float] struct {
	Mean, Std []float64 // one per column; every Std finite and > 0
}

// FitStandardizer returns the Standardizer of the N rows of x (N×cols
// values, row-major): each column's mean and population standard deviation
// (ddof 0, as StandardScaler), summed in float64. It returns an error for
// no rows or a value that is NaN or infinite (naming its row and column),
// and panics if cols < 1 or does not divide len(x).
func FitStandardizer[T Float](x []T, cols int) (*Standardizer[T], error) {
	if cols < 1 || len(x)%cols != 0 {
		panic(fmt.Sprintf("nn: FitStandardizer: len(x) = %d, cols = %d: want cols ≥ 1 dividing len(x)", len(x), cols))
	}
	rows := len(x) / cols
	if rows == 0 {
		return nil, fmt.Errorf("nn: FitStandardizer: no rows")
	}
	s := &Standardizer[T]{Mean: make([]float64, cols), Std: make([]float64, cols)}
	for i, v := range x {
		if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("nn: FitStandardizer: x[%d] = %v (row %d, column %d), want a finite value", i, f, i/cols, i%cols)
		}
		s.Mean[i%cols] += float64(v)
	}
	for j := range s.Mean {
		s.Mean[j] /= float64(rows)
	}
	for i, v := range x {
		d := float64(v) - s.Mean[i%cols]
		s.Std[i%cols] += d * d
	}
	for j := range s.Std {
		s.Std[j] = math.Sqrt(s.Std[j] / float64(rows))
		if s.Std[j] == 0 {
			s.Std[j] = 1
		}
	}
	return s, nil
}

// Cols returns the number of columns.
func (s *Standardizer[T]) Cols() int { return len(s.Mean) }

// Transform sets dst to the standardized rows of x: dst[i] = (x[i] −
// Mean[j])/Std[j] for the column j of i, computed in float64 and rounded
// once to T. dst may be x. It panics unless len(dst) = len(x) is a
// multiple of Cols().
func (s *Standardizer[T]) Transform(dst, x []T) {
	s.check("Transform", len(dst), len(x))
	c := len(s.Mean)
	for i, v := range x {
		dst[i] = T((float64(v) - s.Mean[i%c]) / s.Std[i%c])
	}
}

// Inverse maps standardized rows z back to the columns' own scale:
// dst[i] = z[i]·Std[j] + Mean[j], in float64, rounded once to T (a
// regression network that learnt standardized targets predicts on their
// scale this way). dst may be z. It panics as Transform does.
func (s *Standardizer[T]) Inverse(dst, z []T) {
	s.check("Inverse", len(dst), len(z))
	c := len(s.Mean)
	for i, v := range z {
		dst[i] = T(float64(v)*s.Std[i%c] + s.Mean[i%c])
	}
}

func (s *Standardizer[T]) check(fn string, ld, lx int) {
	c := len(s.Mean)
	if ld != lx || c == 0 || lx%c != 0 || len(s.Std) != c {
		panic(fmt.Sprintf("nn: Standardizer.%s: len(dst) = %d, len(x) = %d, %d means, %d deviations: want equal lengths, a multiple of the columns",
			fn, ld, lx, c, len(s.Std)))
	}
}

// Metadata returns the statistics as model-file metadata: JSON arrays
// under the keys prefix+"mean" and prefix+"std" (float64 values written
// to round-trip exactly). Merge them into the map given to Save; the
// prefix must not be MetadataPrefix's.
func (s *Standardizer[T]) Metadata(prefix string) map[string]string {
	mean, err := json.Marshal(s.Mean)
	if err != nil {
		panic(fmt.Sprintf("nn: Standardizer.Metadata: %v", err)) // only a non-finite statistic fails
	}
	std, err := json.Marshal(s.Std)
	if err != nil {
		panic(fmt.Sprintf("nn: Standardizer.Metadata: %v", err))
	}
	return map[string]string{prefix + "mean": string(mean), prefix + "std": string(std)}
}

// ParseStandardizer reads the Standardizer that Metadata(prefix) stored in
// a model file's metadata (as Load returns it). It returns an error naming
// the key when a key is missing or its value is not a JSON array of
// numbers, when the two arrays differ in length or are empty, or when a
// deviation is not finite and > 0 (or a mean not finite).
func ParseStandardizer[T Float](meta map[string]string, prefix string) (*Standardizer[T], error) {
	s := &Standardizer[T]{}
	for _, f := range []struct {
		key string
		dst *[]float64
	}{{prefix + "mean", &s.Mean}, {prefix + "std", &s.Std}} {
		v, ok := meta[f.key]
		if !ok {
			return nil, fmt.Errorf("nn: ParseStandardizer: no metadata %q", f.key)
		}
		if err := json.Unmarshal([]byte(v), f.dst); err != nil || *f.dst == nil {
			return nil, fmt.Errorf("nn: ParseStandardizer: metadata %q = %.40q is not an array of numbers", f.key, v)
		}
	}
	if len(s.Mean) != len(s.Std) || len(s.Mean) == 0 {
		return nil, fmt.Errorf("nn: ParseStandardizer: %d means and %d deviations, want as many, at least one", len(s.Mean), len(s.Std))
	}
	for j := range s.Mean {
		if math.IsNaN(s.Mean[j]) || math.IsInf(s.Mean[j], 0) || !(s.Std[j] > 0) || math.IsInf(s.Std[j], 1) {
			return nil, fmt.Errorf("nn: ParseStandardizer: column %d: mean %v, deviation %v, want finite values and a deviation > 0", j, s.Mean[j], s.Std[j])
		}
	}
	return s, nil
}
