package main

import "math"

// standardizer maps each column to (v − mean)/std with statistics from the
// training rows; a constant column keeps std 1. The command standardizes the
// features, and the targets of a regression, so one learning rate suits
// data of any scale.
type standardizer struct {
	mean, std []float64
}

func fitStandardizer(x []float64, columns int) standardizer {
	s := standardizer{mean: make([]float64, columns), std: make([]float64, columns)}
	rows := len(x) / columns
	for r := 0; r < rows; r++ {
		for j := range columns {
			s.mean[j] += x[r*columns+j]
		}
	}
	for j := range s.mean {
		s.mean[j] /= float64(rows)
	}
	for r := 0; r < rows; r++ {
		for j := range columns {
			d := x[r*columns+j] - s.mean[j]
			s.std[j] += d * d
		}
	}
	for j := range s.std {
		s.std[j] = math.Sqrt(s.std[j] / float64(rows))
		if s.std[j] == 0 {
			s.std[j] = 1
		}
	}
	return s
}

// apply returns the standardized rows as float32, the network's type.
func (s standardizer) apply(x []float64) []float32 {
	f := len(s.mean)
	out := make([]float32, len(x))
	for i, v := range x {
		out[i] = float32((v - s.mean[i%f]) / s.std[i%f])
	}
	return out
}

// invert maps standardized values back to the columns' own scale.
func (s standardizer) invert(dst []float64, z []float32) {
	f := len(s.mean)
	for i, v := range z {
		dst[i] = float64(v)*s.std[i%f] + s.mean[i%f]
	}
}
