package nn

import (
	"math"

	"github.com/simdnn/simdnn/internal/digits"
)

// xorData is the XOR truth table: inputs (0,0), (0,1), (1,0), (1,1) and
// targets 0, 1, 1, 0.
func xorData[T Float]() (x, y []T) {
	return []T{0, 0, 0, 1, 1, 0, 1, 1}, []T{0, 1, 1, 0}
}

// spirals returns 2·perClass points of two interleaved spirals (Lang and
// Witbrock's benchmark) with Gaussian noise of deviation noise, labelled 0
// and 1: point i of arm c is r·(cos θ, sin θ) with r = i/perClass·5,
// θ = 1.75·π·i/perClass + π·c. Deterministic for a seed.
func spirals[T Float](perClass int, noise float64, seed uint64) (x, y []T) {
	rng := newRand(seed)
	for c := range 2 {
		for i := range perClass {
			frac := float64(i) / float64(perClass)
			r := 0.2 + 4.8*frac
			theta := 1.75*math.Pi*frac*2 + math.Pi*float64(c)
			x = append(x, T(r*math.Cos(theta)+noise*rng.NormFloat64()), T(r*math.Sin(theta)+noise*rng.NormFloat64()))
			y = append(y, T(c))
		}
	}
	return x, y
}

// moons returns 2·perClass points of scikit-learn's make_moons: two
// interleaved half circles with Gaussian noise, labelled 0 and 1.
func moons[T Float](perClass int, noise float64, seed uint64) (x, y []T) {
	rng := newRand(seed)
	for c := range 2 {
		for i := range perClass {
			t := math.Pi * float64(i) / float64(perClass-1)
			px, py := math.Cos(t), math.Sin(t)
			if c == 1 {
				px, py = 1-px, 0.5-py
			}
			x = append(x, T(px+noise*rng.NormFloat64()), T(py+noise*rng.NormFloat64()))
			y = append(y, T(c))
		}
	}
	return x, y
}

// digitsData returns the built-in digits split, features standardized with
// the mean and deviation of the training rows (deviation 1 for the pixels
// that are constant there), targets one-hot.
func digitsData[T Float]() (xTrain, yTrain, xTest, yTest []T, err error) {
	d, err := digits.Load()
	if err != nil {
		return nil, nil, nil, nil, err
	}
	trX, trL := d.Rows(d.Train)
	teX, teL := d.Rows(d.Test)
	const f = digits.Features
	var mean, std [f]float64
	rows := float64(len(trL))
	for i, v := range trX {
		mean[i%f] += v / rows
	}
	for i, v := range trX {
		std[i%f] += (v - mean[i%f]) * (v - mean[i%f]) / rows
	}
	for j := range std {
		if std[j] = math.Sqrt(std[j]); std[j] == 0 {
			std[j] = 1
		}
	}
	scale := func(x []float64) []T {
		out := make([]T, len(x))
		for i, v := range x {
			out[i] = T((v - mean[i%f]) / std[i%f])
		}
		return out
	}
	trY, err := OneHot[T](trL, digits.Classes)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	teY, err := OneHot[T](teL, digits.Classes)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return scale(trX), trY, scale(teX), teY, nil
}
