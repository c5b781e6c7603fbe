package kernels_test

import (
	"testing"

	"github.com/simdnn/simdnn/kernels"
)

// TestBLASRules spells out, one named case each, the reference BLAS rules the
// sweeps check on every shape (see runGemv, runGer, runAxpy and runScal for
// the data each rule is checked on):
//
//   - β = 0: y is overwritten without being read (y starts as NaN, +Inf and
//     -Inf, and the result is finite);
//   - α = 0: A and x are not read (they are NaN) and y becomes βy exactly;
//     Ger and Axpy leave their output untouched;
//   - m = 0 or n = 0: y is left untouched, bit for bit, even for β ≠ 1;
//   - Scal with α = 0 sets x to zero without reading it.
func TestBLASRules(t *testing.T) {
	gemvRules := []struct {
		name string
		c    gemvCase
	}{
		{"beta=0 does not read y", gemvCase{m: 9, n: 70, lda: 70, alpha: 0.7, beta: 0}},
		{"alpha=0 does not read A or x", gemvCase{m: 9, n: 70, lda: 71, alpha: 0, beta: 0.3}},
		{"alpha=0 beta=0 zeroes y", gemvCase{m: 9, n: 70, lda: 71, alpha: 0, beta: 0}},
		{"alpha=0 beta=1 leaves y", gemvCase{m: 9, n: 70, lda: 71, alpha: 0, beta: 1}},
		{"m=0 leaves y", gemvCase{m: 0, n: 70, lda: 70, alpha: 0.7, beta: 0.3}},
		{"n=0 leaves y", gemvCase{m: 9, n: 0, lda: 1, alpha: 0.7, beta: 0.3}},
		{"n=0 beta=0 leaves y", gemvCase{m: 9, n: 0, lda: 1, alpha: 0.7, beta: 0}},
	}
	for _, r := range gemvRules {
		t.Run(r.name, func(t *testing.T) {
			runTypes(t,
				func(t *testing.T) {
					fr := &failures{t: t}
					runGemv(fr, kernels.Sgemv, false, r.c, newRand(61), nil)
					runGemv(fr, kernels.SgemvT, true, r.c, newRand(62), nil)
				},
				func(t *testing.T) {
					fr := &failures{t: t}
					runGemv(fr, kernels.Dgemv, false, r.c, newRand(61), nil)
					runGemv(fr, kernels.DgemvT, true, r.c, newRand(62), nil)
				})
		})
	}
	t.Run("Ger alpha=0 does not read x or y", func(t *testing.T) {
		c := gerCase{m: 9, n: 70, lda: 71, alpha: 0}
		runTypes(t,
			func(t *testing.T) { runGer(&failures{t: t}, kernels.Sger, c, newRand(63), nil) },
			func(t *testing.T) { runGer(&failures{t: t}, kernels.Dger, c, newRand(63), nil) })
	})
	t.Run("Axpy alpha=0 does not read x", func(t *testing.T) {
		c := vecCase{n: 70, alpha: 0}
		runTypes(t,
			func(t *testing.T) { runAxpy(&failures{t: t}, kernels.Saxpy, c, newRand(64), nil) },
			func(t *testing.T) { runAxpy(&failures{t: t}, kernels.Daxpy, c, newRand(64), nil) })
	})
	t.Run("Scal alpha=0 does not read x", func(t *testing.T) {
		c := vecCase{n: 70, alpha: 0}
		runTypes(t,
			func(t *testing.T) { runScal(&failures{t: t}, kernels.Sscal, c, newRand(65), nil) },
			func(t *testing.T) { runScal(&failures{t: t}, kernels.Dscal, c, newRand(65), nil) })
	})
}
