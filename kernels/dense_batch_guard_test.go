package kernels_test

import (
	"fmt"
	"testing"

	"github.com/simdnn/simdnn/internal/floattest"
	"github.com/simdnn/simdnn/internal/guardmem"
	"github.com/simdnn/simdnn/kernels"
)

// guardDenseBatch runs DenseForwardBatch and DenseBackwardBatch (with and
// without dX) for every activation on batch, m and n around the
// micro-kernel's tile and past kc, with tight and loose leading dimensions,
// every operand flush against a guard: the bias copy into the edge tiles and
// the activation of their rows must stay inside out, as the δ pass must
// inside g.
func guardDenseBatch[T floattest.Float](t *testing.T, side guardmem.Side) {
	type shape struct{ batch, m, n int }
	var shapes []shape
	for _, b := range []int{0, 1, 5, 6, 7, 13} {
		for _, m := range []int{0, 1, 7, 8, 9, 16, 17} {
			for _, n := range []int{0, 1, 9, 17} {
				shapes = append(shapes, shape{b, m, n})
			}
		}
	}
	shapes = append(shapes, shape{7, 17, gemmKC + 1})
	capacity := 0
	for _, s := range shapes {
		capacity = max(capacity, (s.batch+3)*(s.n+3), (s.m+3)*(s.n+3), (s.batch+3)*(s.m+3))
	}
	e := newGuardEnv[T](t, side, capacity, "w", "x", "b", "out", "a", "g", "dx", "dw", "db")
	k := kernels.For[T]()
	for _, s := range shapes {
		for _, pad := range []int{0, 3} {
			ldn, ldm := max(1, s.n)+pad, max(1, s.m)+pad
			ln, lm, lw := matrixLen(s.batch, s.n, ldn), matrixLen(s.batch, s.m, ldm), matrixLen(s.m, s.n, ldn)
			for _, h := range denseActivations {
				what := func(fn string) func() string {
					return func() string {
						return fmt.Sprintf("%s h=%v batch=%d m=%d n=%d ld(n, m)=(%d,%d)", fn, h, s.batch, s.m, s.n, ldn, ldm)
					}
				}
				e.call(what("denseForwardBatch"), func() {
					k.DenseForwardBatch(h, s.batch, s.m, s.n, e.in("w", lw), ldn, e.in("x", ln), ldn, e.in("b", s.m), e.in("out", lm), ldm)
				})
				for _, noDx := range []bool{false, true} {
					e.call(what(fmt.Sprintf("denseBackwardBatch noDx=%t", noDx)), func() {
						dx := e.in("dx", ln)
						if noDx {
							dx = nil
						}
						k.DenseBackwardBatch(h, s.batch, s.m, s.n, e.in("w", lw), ldn, e.in("a", lm), ldm, e.in("g", lm), ldm,
							e.in("x", ln), ldn, dx, ldn, e.in("dw", lw), ldn, e.in("db", s.m))
					})
				}
			}
		}
	}
}

// TestGuardPagesDenseBatch runs the batch dense kernels with every operand
// flush against a guard page.
func TestGuardPagesDenseBatch(t *testing.T) {
	guardRun(t,
		func(t *testing.T, side guardmem.Side, _ *kernels.Funcs[float32]) { guardDenseBatch[float32](t, side) },
		func(t *testing.T, side guardmem.Side, _ *kernels.Funcs[float64]) { guardDenseBatch[float64](t, side) })
}
