package kernels_test

import (
	"testing"

	"github.com/simdnn/simdnn/kernels"
)

// GemvT shares the sweep and the checks of Gemv (runGemv with trans set):
// the same shapes, layouts and scalars, with x of length m, y of length n and
// each yⱼ a sum over the column j of A.

// TestGemvT checks y = αAᵀx + βy over the sweep of shapes, layouts and
// scalars.
func TestGemvT(t *testing.T) {
	runTypes(t,
		func(t *testing.T) { sweepGemv(t, kernels.SgemvT, true, 11) },
		func(t *testing.T) { sweepGemv(t, kernels.DgemvT, true, 12) })
}

// TestGemvTChunked checks GemvT on matrices larger than one assembly call.
func TestGemvTChunked(t *testing.T) {
	runTypes(t,
		func(t *testing.T) { chunkGemv(t, kernels.SgemvT, true, 13) },
		func(t *testing.T) { chunkGemv(t, kernels.DgemvT, true, 14) })
}
