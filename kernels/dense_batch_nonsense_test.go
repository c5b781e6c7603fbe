package kernels_test

import (
	"fmt"
	"math"

	"github.com/simdnn/simdnn/internal/floattest"
	"github.com/simdnn/simdnn/kernels"
)

// nonsenseDenseBatch returns the cases of DenseForwardBatch and
// DenseBackwardBatch, in the order they check: h, batch, m, n, then the
// matrices (leading dimension, then length) and vectors in argument order.
func nonsenseDenseBatch[T floattest.Float]() []nonsenseCase {
	k := kernels.For[T]()
	vec := nonsenseVec[T]
	fwd, bw := typeLetter[T]()+"denseForwardBatch", typeLetter[T]()+"denseBackwardBatch"
	msg := func(fn, format string, args ...any) string {
		return fmt.Sprintf("kernels: %s: ", fn) + fmt.Sprintf(format, args...)
	}
	big := math.MaxInt

	// A valid forward call: batch 3, m 2, n 4; lengths -1 mean nil.
	type fcall struct {
		h                 kernels.Activation
		batch, m, n       int
		lenW, ldw, lenX   int
		ldx, lenB, lenOut int
		ldout             int
	}
	fok := fcall{kernels.ReLU, 3, 2, 4, 8, 4, 12, 4, 2, 6, 2}
	fwith := func(change func(c *fcall)) fcall { c := fok; change(&c); return c }
	var cs []nonsenseCase
	for _, tc := range []struct {
		name string
		c    fcall
		want string
	}{
		{"activation 4", fwith(func(c *fcall) { c.h = 4 }), msg(fwd, "unknown activation Activation(4)")},
		{"activation before sizes", fwith(func(c *fcall) { c.h, c.batch = -1, -1 }), msg(fwd, "unknown activation Activation(-1)")},
		{"negative batch", fwith(func(c *fcall) { c.batch = -1 }), msg(fwd, "batch = -1, want ≥ 0")},
		{"negative m", fwith(func(c *fcall) { c.m = -2 }), msg(fwd, "m = -2, want ≥ 0")},
		{"negative n", fwith(func(c *fcall) { c.n = -3 }), msg(fwd, "n = -3, want ≥ 0")},
		{"ldw < n", fwith(func(c *fcall) { c.ldw = 3 }), msg(fwd, "ldw = 3, want ≥ max(1, n) = 4")},
		{"w one short", fwith(func(c *fcall) { c.lenW = 7 }), msg(fwd, "len(w) = 7, want ≥ (m-1)·ldw+n for m = 2, n = 4, ldw = 4")},
		{"w nil", fwith(func(c *fcall) { c.lenW = -1 }), msg(fwd, "len(w) = 0, want ≥ (m-1)·ldw+n for m = 2, n = 4, ldw = 4")},
		{"ldx < n", fwith(func(c *fcall) { c.ldx = 2 }), msg(fwd, "ldx = 2, want ≥ max(1, n) = 4")},
		{"x one short", fwith(func(c *fcall) { c.lenX = 11 }), msg(fwd, "len(x) = 11, want ≥ (batch-1)·ldx+n for batch = 3, n = 4, ldx = 4")},
		{"b one long", fwith(func(c *fcall) { c.lenB = 3 }), msg(fwd, "len(b) = 3, want m = 2")},
		{"b nil", fwith(func(c *fcall) { c.lenB = -1 }), msg(fwd, "len(b) = 0, want m = 2")},
		{"ldout < m", fwith(func(c *fcall) { c.ldout = 1 }), msg(fwd, "ldout = 1, want ≥ max(1, m) = 2")},
		{"out one short", fwith(func(c *fcall) { c.lenOut = 5 }), msg(fwd, "len(out) = 5, want ≥ (batch-1)·ldout+m for batch = 3, m = 2, ldout = 2")},
		{"(batch-1)·ldx overflows", fwith(func(c *fcall) { c.batch, c.ldx = 1<<40, 1<<30 }),
			msg(fwd, "len(x) = 12, want ≥ (batch-1)·ldx+n for batch = %d, n = 4, ldx = %d", 1<<40, 1<<30)},
		{"n = ldw = MaxInt", fwith(func(c *fcall) { c.n, c.ldw = big, big }),
			msg(fwd, "len(w) = 8, want ≥ (m-1)·ldw+n for m = 2, n = %d, ldw = %d", big, big)},
		{"batch = 0, x and out nil", fwith(func(c *fcall) { c.batch, c.lenX, c.lenOut = 0, -1, -1 }), ""},
		{"m = 0, w, b and out nil", fwith(func(c *fcall) { c.m, c.lenW, c.lenB, c.lenOut, c.ldout = 0, -1, -1, -1, 1 }), ""},
		{"n = 0: out = h(b)", fwith(func(c *fcall) { c.n, c.lenW, c.ldw, c.lenX, c.ldx = 0, -1, 1, -1, 1 }), ""},
		{"operands longer than needed", fwith(func(c *fcall) { c.lenW, c.lenX, c.lenOut = 40, 40, 40 }), ""},
	} {
		cs = append(cs, nonsenseCase{fwd, tc.name, tc.want, func(ns *nonsenseArgs) {
			c := tc.c
			k.DenseForwardBatch(c.h, c.batch, c.m, c.n, vec(ns, c.lenW), c.ldw, vec(ns, c.lenX), c.ldx, vec(ns, c.lenB), vec(ns, c.lenOut), c.ldout)
			if tc.want == "" && c.batch > 0 && c.m > 0 {
				ns.f32, ns.f64 = nil, nil // a valid call writes out
			}
		}})
	}

	// A valid backward call: batch 3, m 2, n 4.
	type bcall struct {
		h                    kernels.Activation
		batch, m, n          int
		lenW, ldw, lenA, lda int
		lenG, ldg, lenX, ldx int
		lenDx, lddx          int // lenDx -1: nil, the dx = nil form
		lenDw, lddw, lenDb   int
	}
	bok := bcall{kernels.Sigmoid, 3, 2, 4, 8, 4, 6, 2, 6, 2, 12, 4, 12, 4, 8, 4, 2}
	bwith := func(change func(c *bcall)) bcall { c := bok; change(&c); return c }
	for _, tc := range []struct {
		name string
		c    bcall
		want string
	}{
		{"activation 7", bwith(func(c *bcall) { c.h = 7 }), msg(bw, "unknown activation Activation(7)")},
		{"negative batch", bwith(func(c *bcall) { c.batch = -4 }), msg(bw, "batch = -4, want ≥ 0")},
		{"negative m", bwith(func(c *bcall) { c.m = -1 }), msg(bw, "m = -1, want ≥ 0")},
		{"negative n", bwith(func(c *bcall) { c.n = -1 }), msg(bw, "n = -1, want ≥ 0")},
		{"w one short", bwith(func(c *bcall) { c.lenW = 7 }), msg(bw, "len(w) = 7, want ≥ (m-1)·ldw+n for m = 2, n = 4, ldw = 4")},
		{"lda < m", bwith(func(c *bcall) { c.lda = 1 }), msg(bw, "lda = 1, want ≥ max(1, m) = 2")},
		{"a one short", bwith(func(c *bcall) { c.lenA = 5 }), msg(bw, "len(a) = 5, want ≥ (batch-1)·lda+m for batch = 3, m = 2, lda = 2")},
		{"g nil", bwith(func(c *bcall) { c.lenG = -1 }), msg(bw, "len(g) = 0, want ≥ (batch-1)·ldg+m for batch = 3, m = 2, ldg = 2")},
		{"ldg < m", bwith(func(c *bcall) { c.ldg = 0 }), msg(bw, "ldg = 0, want ≥ max(1, m) = 2")},
		{"x one short", bwith(func(c *bcall) { c.lenX = 11 }), msg(bw, "len(x) = 11, want ≥ (batch-1)·ldx+n for batch = 3, n = 4, ldx = 4")},
		{"dx one short", bwith(func(c *bcall) { c.lenDx = 11 }), msg(bw, "len(dx) = 11, want ≥ (batch-1)·lddx+n for batch = 3, n = 4, lddx = 4")},
		{"dx empty, not nil", bwith(func(c *bcall) { c.lenDx = 0 }), msg(bw, "len(dx) = 0, want ≥ (batch-1)·lddx+n for batch = 3, n = 4, lddx = 4")},
		{"lddx < n", bwith(func(c *bcall) { c.lddx = 3 }), msg(bw, "lddx = 3, want ≥ max(1, n) = 4")},
		{"lddw < n", bwith(func(c *bcall) { c.lddw = 3 }), msg(bw, "lddw = 3, want ≥ max(1, n) = 4")},
		{"dw one short, dx nil", bwith(func(c *bcall) { c.lenDx, c.lenDw = -1, 7 }), msg(bw, "len(dw) = 7, want ≥ (m-1)·lddw+n for m = 2, n = 4, lddw = 4")},
		{"db one long", bwith(func(c *bcall) { c.lenDb = 3 }), msg(bw, "len(db) = 3, want m = 2")},
		{"db nil", bwith(func(c *bcall) { c.lenDb = -1 }), msg(bw, "len(db) = 0, want m = 2")},
		{"dx nil", bwith(func(c *bcall) { c.lenDx, c.lddx = -1, 0 }), ""},
		{"batch = 0, a, g, x, dx nil", bwith(func(c *bcall) { c.batch, c.lenA, c.lenG, c.lenX, c.lenDx = 0, -1, -1, -1, -1 }), ""},
		{"m = n = 0, all nil", bcall{kernels.ReLU, 3, 0, 0, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1}, ""},
	} {
		cs = append(cs, nonsenseCase{bw, tc.name, tc.want, func(ns *nonsenseArgs) {
			c := tc.c
			k.DenseBackwardBatch(c.h, c.batch, c.m, c.n, vec(ns, c.lenW), c.ldw, vec(ns, c.lenA), c.lda, vec(ns, c.lenG), c.ldg,
				vec(ns, c.lenX), c.ldx, vec(ns, c.lenDx), c.lddx, vec(ns, c.lenDw), c.lddw, vec(ns, c.lenDb))
			if tc.want == "" {
				ns.f32, ns.f64 = nil, nil // a valid call writes g, dW, db and dx
			}
		}})
	}
	return cs
}
