package kernels_test

// Nonsense arguments: every exported kernel, called with negative sizes,
// short or long slices, lda < n, nil slices and mismatched lengths, must
// panic with a message that starts "kernels: <FuncName>: " (exactly the
// message check.go formats, where the case pins it), before it reads or
// writes anything: every slice it was given keeps its contents. Borderline
// calls that are valid (empty shapes with nil slices, a longer than needed)
// must not panic, and must leave what they may not write alone.
// TestNonsenseCoversEveryKernel fails when an exported function has no case.

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/simdnn/simdnn/internal/floattest"
	"github.com/simdnn/simdnn/internal/impltest"
	"github.com/simdnn/simdnn/kernels"
)

// A nonsenseCase is one call of an exported kernel.
type nonsenseCase struct {
	fn   string // the kernel's name
	name string // what is wrong with the call
	// want is the exact panic message; if it starts with "^" it is a regular
	// expression instead; "" means the call is valid and must not panic.
	want string
	call func(ns *nonsenseArgs)
}

// nonsenseArgs hands out the slices of one call, each filled with values
// that no kernel would write, and checks afterwards that none changed.
type nonsenseArgs struct {
	f32 [][]float32
	o32 [][]float32
	f64 [][]float64
	o64 [][]float64
}

// nonsenseVec returns a fresh slice of n elements for ns's call, nil for
// n < 0.
func nonsenseVec[T floattest.Float](ns *nonsenseArgs, n int) []T {
	if n < 0 {
		return nil
	}
	s := make([]T, n)
	for i := range s {
		s[i] = T(i) + 0.25
	}
	switch v := any(s).(type) {
	case []float32:
		ns.f32, ns.o32 = append(ns.f32, v), append(ns.o32, slices.Clone(v))
	case []float64:
		ns.f64, ns.o64 = append(ns.f64, v), append(ns.o64, slices.Clone(v))
	}
	return s
}

// changed returns a description of the first slice element that changed,
// or "".
func (ns *nonsenseArgs) changed() string {
	for k := range ns.f32 {
		for i := range ns.f32[k] {
			if math.Float32bits(ns.f32[k][i]) != math.Float32bits(ns.o32[k][i]) {
				return fmt.Sprintf("float32 argument %d: element %d changed from %v to %v", k, i, ns.o32[k][i], ns.f32[k][i])
			}
		}
	}
	for k := range ns.f64 {
		for i := range ns.f64[k] {
			if math.Float64bits(ns.f64[k][i]) != math.Float64bits(ns.o64[k][i]) {
				return fmt.Sprintf("float64 argument %d: element %d changed from %v to %v", k, i, ns.o64[k][i], ns.f64[k][i])
			}
		}
	}
	return ""
}

// nonsenseLevel1 returns the cases of Axpy, Dot, Scal and the activations.
func nonsenseLevel1[T floattest.Float]() []nonsenseCase {
	k := kernels.For[T]()
	p := typeLetter[T]()
	vec := nonsenseVec[T]
	lenMsg := func(fn, v string, got int, size string, want int) string {
		return fmt.Sprintf("kernels: %s: len(%s) = %d, want %s = %d", fn, v, got, size, want)
	}
	var cs []nonsenseCase
	for _, l := range [][2]int{{3, 4}, {4, 3}, {0, 1}, {1, 0}, {-1, 2}, {2, -1}, {300, 299}} {
		lx, ly := l[0], l[1]
		what := fmt.Sprintf("len(x)=%d len(y)=%d (-1: nil)", lx, ly)
		cs = append(cs,
			nonsenseCase{p + "axpy", what, lenMsg(p+"axpy", "y", max(0, ly), "len(x)", max(0, lx)),
				func(ns *nonsenseArgs) { k.Axpy(2, vec(ns, lx), vec(ns, ly)) }},
			nonsenseCase{p + "dot", what, lenMsg(p+"dot", "y", max(0, ly), "len(x)", max(0, lx)),
				func(ns *nonsenseArgs) { _ = k.Dot(vec(ns, lx), vec(ns, ly)) }},
			nonsenseCase{p + "sigmoid", what, lenMsg(p+"sigmoid", "dst", max(0, ly), "len(x)", max(0, lx)),
				func(ns *nonsenseArgs) { k.Sigmoid(vec(ns, ly), vec(ns, lx)) }},
			nonsenseCase{p + "relu", what, lenMsg(p+"relu", "dst", max(0, ly), "len(x)", max(0, lx)),
				func(ns *nonsenseArgs) { k.Relu(vec(ns, ly), vec(ns, lx)) }},
			nonsenseCase{p + "tanh", what, lenMsg(p+"tanh", "dst", max(0, ly), "len(x)", max(0, lx)),
				func(ns *nonsenseArgs) { k.Tanh(vec(ns, ly), vec(ns, lx)) }},
		)
	}
	for _, fn := range []string{"axpy", "dot", "sigmoid", "relu", "tanh"} {
		cs = append(cs, nonsenseCase{p + fn, "nil and nil", "", func(ns *nonsenseArgs) {
			switch fn {
			case "axpy":
				k.Axpy(2, nil, nil)
			case "dot":
				if d := k.Dot(nil, nil); d != 0 {
					panic(fmt.Sprintf("dot(nil, nil) = %v, want 0", d))
				}
			case "sigmoid":
				k.Sigmoid(nil, nil)
			case "relu":
				k.Relu(nil, nil)
			case "tanh":
				k.Tanh(nil, nil)
			}
		}})
	}
	cs = append(cs,
		nonsenseCase{p + "axpy", "α = 0 leaves y", "", func(ns *nonsenseArgs) { k.Axpy(0, vec(ns, 5), vec(ns, 5)) }},
		nonsenseCase{p + "scal", "nil x", "", func(ns *nonsenseArgs) { k.Scal(2, nil) }},
		nonsenseCase{p + "scal", "α = 1 leaves x", "", func(ns *nonsenseArgs) { k.Scal(1, vec(ns, 9)) }},
	)
	// The gradients check len(g), then len(a), against len(dst).
	for _, bw := range []struct {
		fn string
		f  func(dst, g, a []T)
	}{{p + "sigmoidBackward", k.SigmoidBackward}, {p + "reluBackward", k.ReluBackward}, {p + "tanhBackward", k.TanhBackward}} {
		for _, l := range [][3]int{{3, 2, 3}, {3, 3, 2}, {2, 3, 3}, {3, 4, 4}, {-1, 3, 3}, {3, -1, 3}, {3, 3, -1}, {0, 0, 1}} {
			ld, lg, la := l[0], l[1], l[2]
			want := lenMsg(bw.fn, "g", max(0, lg), "len(dst)", max(0, ld))
			if max(0, lg) == max(0, ld) {
				want = lenMsg(bw.fn, "a", max(0, la), "len(dst)", max(0, ld))
			}
			cs = append(cs, nonsenseCase{bw.fn, fmt.Sprintf("len(dst)=%d len(g)=%d len(a)=%d (-1: nil)", ld, lg, la), want,
				func(ns *nonsenseArgs) { bw.f(vec(ns, ld), vec(ns, lg), vec(ns, la)) }})
		}
		cs = append(cs, nonsenseCase{bw.fn, "nil, nil, nil", "", func(ns *nonsenseArgs) { bw.f(nil, nil, nil) }})
	}
	// Adam checks len(g), len(m), then len(v) against len(w).
	var c kernels.AdamCoefs[T]
	for _, l := range [][4]int{{3, 2, 3, 3}, {3, 3, 4, 3}, {3, 3, 3, 2}, {-1, 3, 3, 3}, {3, 3, 3, -1}, {4, 3, 2, 1}} {
		lw, lg, lm, lv := l[0], l[1], l[2], l[3]
		want := lenMsg(p+"adam", "v", max(0, lv), "len(w)", max(0, lw))
		switch {
		case max(0, lg) != max(0, lw):
			want = lenMsg(p+"adam", "g", max(0, lg), "len(w)", max(0, lw))
		case max(0, lm) != max(0, lw):
			want = lenMsg(p+"adam", "m", max(0, lm), "len(w)", max(0, lw))
		}
		cs = append(cs, nonsenseCase{p + "adam", fmt.Sprintf("len(w)=%d len(g)=%d len(m)=%d len(v)=%d (-1: nil)", lw, lg, lm, lv), want,
			func(ns *nonsenseArgs) { k.Adam(c, vec(ns, lw), vec(ns, lg), vec(ns, lm), vec(ns, lv)) }})
	}
	cs = append(cs, nonsenseCase{p + "adam", "nil, nil, nil, nil", "", func(ns *nonsenseArgs) { k.Adam(c, nil, nil, nil, nil) }})
	return cs
}

// A nonsenseShape is a bad (m, n, lda, len(a)) for check.go's checkMatrix
// and the message it must give; lenA = -1 means a nil a.
type nonsenseShape struct {
	name            string
	m, n, lda, lenA int
	want            string
}

// nonsenseMatrix returns the cases of check.go's checkMatrix for fn, in the
// order it checks: m, n, lda, len(a) (computed without overflow).
func nonsenseMatrix(fn string) []nonsenseShape {
	f := func(format string, args ...any) string {
		return fmt.Sprintf("kernels: %s: ", fn) + fmt.Sprintf(format, args...)
	}
	big := math.MaxInt
	return []nonsenseShape{
		{name: "negative m", m: -1, n: 4, lda: 4, lenA: 0, want: f("m = -1, want ≥ 0")},
		{name: "negative n", m: 3, n: -2, lda: 1, lenA: 0, want: f("n = -2, want ≥ 0")},
		{name: "both negative: m first", m: -3, n: -2, lda: 1, lenA: 0, want: f("m = -3, want ≥ 0")},
		{name: "lda < n", m: 3, n: 4, lda: 3, lenA: 12, want: f("lda = 3, want ≥ max(1, n) = 4")},
		{name: "lda = 0, n = 0", m: 3, n: 0, lda: 0, lenA: 0, want: f("lda = 0, want ≥ max(1, n) = 1")},
		{name: "negative lda", m: 3, n: 4, lda: -4, lenA: 12, want: f("lda = -4, want ≥ max(1, n) = 4")},
		{name: "lda < n with m = 0", m: 0, n: 4, lda: 2, lenA: 0, want: f("lda = 2, want ≥ max(1, n) = 4")},
		{name: "a one short", m: 3, n: 4, lda: 5, lenA: 13, want: f("len(a) = 13, want ≥ (m-1)·lda+n for m = 3, n = 4, lda = 5")},
		{name: "a one short, lda = n", m: 2, n: 8, lda: 8, lenA: 15, want: f("len(a) = 15, want ≥ (m-1)·lda+n for m = 2, n = 8, lda = 8")},
		{name: "a nil", m: 1, n: 1, lda: 1, lenA: -1, want: f("len(a) = 0, want ≥ (m-1)·lda+n for m = 1, n = 1, lda = 1")},
		{name: "a empty, not nil", m: 1, n: 1, lda: 1, lenA: 0, want: f("len(a) = 0, want ≥ (m-1)·lda+n for m = 1, n = 1, lda = 1")},
		{name: "(m-1)·lda overflows", m: 1 << 40, n: 1, lda: 1 << 30, lenA: 16,
			want: f("len(a) = 16, want ≥ (m-1)·lda+n for m = %d, n = 1, lda = %d", 1<<40, 1<<30)},
		{name: "(m-1)·lda+n overflows", m: big / 2, n: 2, lda: big / 4, lenA: 4,
			want: f("len(a) = 4, want ≥ (m-1)·lda+n for m = %d, n = 2, lda = %d", big/2, big/4)},
		{name: "m, n, lda = MaxInt", m: big, n: big, lda: big, lenA: 16,
			want: f("len(a) = 16, want ≥ (m-1)·lda+n for m = %d, n = %d, lda = %d", big, big, big)},
		{name: "m = 2, n = lda = MaxInt", m: 2, n: big, lda: big, lenA: 16,
			want: f("len(a) = 16, want ≥ (m-1)·lda+n for m = 2, n = %d, lda = %d", big, big)},
	}
}

// nonsenseMatrixAs rewrites the expected messages of checkMatrix cases for a
// matrix argument that is not called a: check.go names the matrix and its
// leading dimension as the argument is called (w and ldw, dw and lddw).
func nonsenseMatrixAs(cases []nonsenseShape, arg, ld string) []nonsenseShape {
	out := slices.Clone(cases)
	for i := range out {
		w := out[i].want
		w = strings.Replace(w, "len(a)", "len("+arg+")", 1)
		w = strings.ReplaceAll(w, "lda", ld)
		out[i].want = "^" + regexp.QuoteMeta(w) + "$"
	}
	return out
}

// nonsenseLevel2 returns the cases of Gemv, GemvT and Ger.
func nonsenseLevel2[T floattest.Float]() []nonsenseCase {
	k := kernels.For[T]()
	p := typeLetter[T]()
	vec := nonsenseVec[T]
	var cs []nonsenseCase
	for _, op := range []struct {
		fn   string
		xLen func(m, n int) (int, string) // the length x must have, and its name
		yLen func(m, n int) (int, string)
		call func(m, n int, a []T, lda int, x, y []T)
	}{
		{p + "gemv", func(m, n int) (int, string) { return n, "n" }, func(m, n int) (int, string) { return m, "m" },
			func(m, n int, a []T, lda int, x, y []T) { k.Gemv(m, n, 0.5, a, lda, x, 2, y) }},
		{p + "gemvT", func(m, n int) (int, string) { return m, "m" }, func(m, n int) (int, string) { return n, "n" },
			func(m, n int, a []T, lda int, x, y []T) { k.GemvT(m, n, 0.5, a, lda, x, 2, y) }},
		{p + "ger", func(m, n int) (int, string) { return m, "m" }, func(m, n int) (int, string) { return n, "n" },
			func(m, n int, a []T, lda int, x, y []T) { k.Ger(m, n, 0.5, x, y, a, lda) }},
	} {
		fn := op.fn
		for _, s := range nonsenseMatrix(fn) {
			lx, _ := op.xLen(max(0, s.m), max(0, s.n))
			ly, _ := op.yLen(max(0, s.m), max(0, s.n))
			lx, ly = min(lx, 64), min(ly, 64) // the shapes never get as far as the vectors
			cs = append(cs, nonsenseCase{op.fn, s.name, s.want, func(ns *nonsenseArgs) {
				op.call(s.m, s.n, vec(ns, s.lenA), s.lda, vec(ns, lx), vec(ns, ly))
			}})
		}
		m, n := 3, 8
		lx, xName := op.xLen(m, n)
		ly, yName := op.yLen(m, n)
		msg := func(v string, got int, size string, want int) string {
			return fmt.Sprintf("kernels: %s: len(%s) = %d, want %s = %d", fn, v, got, size, want)
		}
		for _, c := range []struct {
			name   string
			dx, dy int // added to the valid lengths; -100: nil
			want   string
		}{
			{"x one short", -1, 0, msg("x", lx-1, xName, lx)},
			{"x one long", 1, 0, msg("x", lx+1, xName, lx)},
			{"x nil", -100, 0, msg("x", 0, xName, lx)},
			{"y one short", 0, -1, msg("y", ly-1, yName, ly)},
			{"y one long", 0, 1, msg("y", ly+1, yName, ly)},
			{"y nil", 0, -100, msg("y", 0, yName, ly)},
			{"x and y wrong: x first", 1, 1, msg("x", lx+1, xName, lx)},
			{"x and y swapped", ly - lx, lx - ly, msg("x", ly, xName, lx)},
		} {
			cs = append(cs, nonsenseCase{op.fn, c.name, c.want, func(ns *nonsenseArgs) {
				op.call(m, n, vec(ns, 2*8+8), 8, vec(ns, max(-1, lx+c.dx)), vec(ns, max(-1, ly+c.dy)))
			}})
		}
		// An empty shape still checks the vectors: with m = 0 the vector of
		// length n must have it, with n = 0 the one of length m.
		for _, s := range [][2]int{{0, 8}, {3, 0}} {
			m, n := s[0], s[1]
			lx, xName := op.xLen(m, n)
			ly, yName := op.yLen(m, n)
			want := msg("x", 0, xName, lx)
			if lx == 0 {
				want = msg("y", 0, yName, ly)
			}
			cs = append(cs, nonsenseCase{op.fn, fmt.Sprintf("m = %d, n = %d, x and y empty", m, n), want, func(ns *nonsenseArgs) {
				op.call(m, n, vec(ns, 0), max(1, n), vec(ns, 0), vec(ns, 0))
			}})
		}
		// Valid borderline calls; m = 0 or n = 0 must leave y (and a) alone.
		for _, c := range []struct {
			name            string
			m, n, lda, lenA int
		}{
			{"m = 0, nil a", 0, 5, 5, -1},
			{"n = 0, nil a", 5, 0, 1, -1},
			{"m = n = 0, all nil", 0, 0, 1, -1},
			{"a exactly (m-1)·lda+n", 3, 4, 5, 14},
			{"a longer than needed", 3, 4, 5, 40},
		} {
			lx, _ := op.xLen(c.m, c.n)
			ly, _ := op.yLen(c.m, c.n)
			cs = append(cs, nonsenseCase{op.fn, c.name, "", func(ns *nonsenseArgs) {
				a, x, y := vec(ns, c.lenA), vec(ns, lx), vec(ns, ly)
				if lx == 0 {
					x = nil
				}
				if ly == 0 {
					y = nil
				}
				op.call(c.m, c.n, a, c.lda, x, y)
				if c.m > 0 && c.n > 0 {
					ns.f32, ns.f64 = nil, nil // a valid update: nothing to compare
				}
			}})
		}
	}
	return cs
}

// nonsenseDense returns the cases of the dense kernels.
func nonsenseDense[T floattest.Float]() []nonsenseCase {
	k := kernels.For[T]()
	p := typeLetter[T]()
	vec := nonsenseVec[T]
	var cs []nonsenseCase
	fwd, bw, sgd := p+"denseForward", p+"denseBackward", p+"denseBackwardSGD"
	msg := func(fn, v string, got int, size string, want int) string {
		return fmt.Sprintf("kernels: %s: len(%s) = %d, want %s = %d", fn, v, got, size, want)
	}

	// Forward: the activation, W, then x, b, out.
	for _, h := range []kernels.Activation{-1, kernels.Tanh + 1, 100} {
		cs = append(cs, nonsenseCase{fwd, fmt.Sprintf("activation %d", int(h)),
			fmt.Sprintf("kernels: %s: unknown activation %v", fwd, h),
			func(ns *nonsenseArgs) { k.DenseForward(h, 2, 3, vec(ns, 6), 3, vec(ns, 3), vec(ns, 2), vec(ns, 2)) }})
	}
	for _, s := range nonsenseMatrixAs(nonsenseMatrix(fwd), "w", "ldw") {
		cs = append(cs, nonsenseCase{fwd, "w: " + s.name, s.want, func(ns *nonsenseArgs) {
			k.DenseForward(kernels.ReLU, s.m, s.n, vec(ns, s.lenA), s.lda, vec(ns, 4), vec(ns, 3), vec(ns, 3))
		}})
	}
	for _, c := range []struct {
		name       string
		lx, lb, lo int
		want       string
	}{
		{"x one short", 3, 2, 2, msg(fwd, "x", 3, "n", 4)},
		{"x nil", -1, 2, 2, msg(fwd, "x", 0, "n", 4)},
		{"b one long", 4, 3, 2, msg(fwd, "b", 3, "m", 2)},
		{"out one short", 4, 2, 1, msg(fwd, "out", 1, "m", 2)},
		{"out nil", 4, 2, -1, msg(fwd, "out", 0, "m", 2)},
		{"b and out swapped with x", 2, 4, 4, msg(fwd, "x", 2, "n", 4)},
	} {
		cs = append(cs, nonsenseCase{fwd, c.name, c.want, func(ns *nonsenseArgs) {
			k.DenseForward(kernels.Sigmoid, 2, 4, vec(ns, 8), 4, vec(ns, c.lx), vec(ns, c.lb), vec(ns, c.lo))
		}})
	}
	cs = append(cs, nonsenseCase{fwd, "m = 0, all nil", "", func(ns *nonsenseArgs) {
		k.DenseForward(kernels.Sigmoid, 0, 4, nil, 4, vec(ns, 4), nil, nil)
	}})

	// Backward: W, δ, x, dx (when not nil), dW, db.
	for _, s := range nonsenseMatrixAs(nonsenseMatrix(bw), "w", "ldw") {
		cs = append(cs, nonsenseCase{bw, "w: " + s.name, s.want, func(ns *nonsenseArgs) {
			k.DenseBackward(s.m, s.n, vec(ns, s.lenA), s.lda, vec(ns, 4), vec(ns, 4), vec(ns, 4), vec(ns, 16), 4, vec(ns, 4))
		}})
	}
	for _, s := range nonsenseMatrixAs(nonsenseMatrix(bw), "dw", "lddw") {
		if s.m < 0 || s.n < 0 || s.m > 64 || s.n > 64 {
			continue // caught by the checks of w, which come first
		}
		cs = append(cs, nonsenseCase{bw, "dw: " + s.name, s.want, func(ns *nonsenseArgs) {
			w := vec(ns, max(0, s.m)*max(1, s.n))
			k.DenseBackward(s.m, s.n, w, max(1, s.n), vec(ns, s.m), vec(ns, s.n), vec(ns, s.n), vec(ns, s.lenA), s.lda, vec(ns, s.m))
		}})
	}
	for _, c := range []struct {
		name                 string
		ldelta, lx, ldx, ldb int
		want                 string
	}{
		{"delta one short", 1, 3, 3, 2, msg(bw, "delta", 1, "m", 2)},
		{"delta nil", -1, 3, 3, 2, msg(bw, "delta", 0, "m", 2)},
		{"x one long", 2, 4, 3, 2, msg(bw, "x", 4, "n", 3)},
		{"dx one short", 2, 3, 2, 2, msg(bw, "dx", 2, "n", 3)},
		{"dx empty, not nil", 2, 3, 0, 2, msg(bw, "dx", 0, "n", 3)},
		{"db one short", 2, 3, 3, 1, msg(bw, "db", 1, "m", 2)},
		{"db nil", 2, 3, 3, -1, msg(bw, "db", 0, "m", 2)},
		{"db wrong, dx nil", 2, 3, -1, 3, msg(bw, "db", 3, "m", 2)},
	} {
		cs = append(cs, nonsenseCase{bw, c.name, c.want, func(ns *nonsenseArgs) {
			k.DenseBackward(2, 3, vec(ns, 6), 3, vec(ns, c.ldelta), vec(ns, c.lx), vec(ns, c.ldx), vec(ns, 6), 3, vec(ns, c.ldb))
		}})
	}
	cs = append(cs, nonsenseCase{bw, "dw lddw < n", "^" + regexp.QuoteMeta("kernels: "+bw+": ") + `lddw = 2, want ≥ max\(1, n\) = 3$`,
		func(ns *nonsenseArgs) {
			k.DenseBackward(2, 3, vec(ns, 6), 3, vec(ns, 2), vec(ns, 3), nil, vec(ns, 6), 2, vec(ns, 2))
		}})

	// Backward with SGD: W, δ, x, dx (when not nil), b.
	for _, s := range nonsenseMatrixAs(nonsenseMatrix(sgd), "w", "ldw") {
		cs = append(cs, nonsenseCase{sgd, "w: " + s.name, s.want, func(ns *nonsenseArgs) {
			k.DenseBackwardSGD(s.m, s.n, 0.1, 0.9, vec(ns, s.lenA), s.lda, vec(ns, 4), vec(ns, 4), vec(ns, 4), vec(ns, 4))
		}})
	}
	for _, c := range []struct {
		name                string
		ldelta, lx, ldx, lb int
		want                string
	}{
		{"delta one long", 3, 3, 3, 2, msg(sgd, "delta", 3, "m", 2)},
		{"x nil", 2, -1, 3, 2, msg(sgd, "x", 0, "n", 3)},
		{"dx one long", 2, 3, 4, 2, msg(sgd, "dx", 4, "n", 3)},
		{"b one short", 2, 3, 3, 1, msg(sgd, "b", 1, "m", 2)},
		{"b wrong, dx nil", 2, 3, -1, 0, msg(sgd, "b", 0, "m", 2)},
	} {
		cs = append(cs, nonsenseCase{sgd, c.name, c.want, func(ns *nonsenseArgs) {
			k.DenseBackwardSGD(2, 3, 0.1, 0.9, vec(ns, 6), 3, vec(ns, c.ldelta), vec(ns, c.lx), vec(ns, c.ldx), vec(ns, c.lb))
		}})
	}
	for _, fn := range []string{bw, sgd} {
		cs = append(cs, nonsenseCase{fn, "m = n = 0, all nil", "", func(ns *nonsenseArgs) {
			if fn == bw {
				k.DenseBackward(0, 0, nil, 1, nil, nil, nil, nil, 1, nil)
			} else {
				k.DenseBackwardSGD(0, 0, 0.1, 0.9, nil, 1, nil, nil, nil, nil)
			}
		}})
	}
	return cs
}

// nonsenseGemm returns the cases of Gemm, in the order it checks: tA, tB,
// m, n, k, then A, B and C as stored (leading dimension, then length).
func nonsenseGemm[T floattest.Float]() []nonsenseCase {
	gemm := kernels.For[T]().Gemm
	vec := nonsenseVec[T]
	fn := typeLetter[T]() + "gemm"
	f := func(format string, args ...any) string {
		return fmt.Sprintf("kernels: %s: ", fn) + fmt.Sprintf(format, args...)
	}
	N, T_ := kernels.NoTrans, kernels.Trans
	type call struct {
		tA, tB               kernels.Transpose
		m, n, k              int
		lenA, lda, lenB, ldb int // lengths -1: nil
		lenC, ldc            int
	}
	// ok is a valid 3×5×4 NoTrans·NoTrans call; each case changes one thing.
	ok := call{N, N, 3, 5, 4, 12, 4, 20, 5, 15, 5}
	with := func(change func(c *call)) call { c := ok; change(&c); return c }
	big := math.MaxInt
	cases := []struct {
		name string
		c    call
		want string
	}{
		{"tA = 2", with(func(c *call) { c.tA = 2 }), f("tA = Transpose(2), want NoTrans or Trans")},
		{"tB = -1", with(func(c *call) { c.tB = -1 }), f("tB = Transpose(-1), want NoTrans or Trans")},
		{"tA checked before m", with(func(c *call) { c.tA, c.m = 5, -1 }), f("tA = Transpose(5), want NoTrans or Trans")},
		{"negative m", with(func(c *call) { c.m = -1 }), f("m = -1, want ≥ 0")},
		{"negative n", with(func(c *call) { c.n = -2 }), f("n = -2, want ≥ 0")},
		{"negative k", with(func(c *call) { c.k = -3 }), f("k = -3, want ≥ 0")},
		{"lda < k", with(func(c *call) { c.lda = 3 }), f("lda = 3, want ≥ max(1, k) = 4")},
		{"lda < m for Trans", with(func(c *call) { c.tA, c.lda = T_, 2 }), f("lda = 2, want ≥ max(1, m) = 3")},
		{"lda = 0 with k = 0", with(func(c *call) { c.k, c.lda, c.ldb, c.lenB = 0, 0, 5, 0 }), f("lda = 0, want ≥ max(1, k) = 1")},
		{"a one short", with(func(c *call) { c.lenA = 11 }), f("len(a) = 11, want ≥ (m-1)·lda+k for m = 3, k = 4, lda = 4")},
		{"a nil", with(func(c *call) { c.lenA = -1 }), f("len(a) = 0, want ≥ (m-1)·lda+k for m = 3, k = 4, lda = 4")},
		{"Trans a short", with(func(c *call) { c.tA, c.lda, c.lenA = T_, 3, 11 }), f("len(a) = 11, want ≥ (k-1)·lda+m for k = 4, m = 3, lda = 3")},
		{"ldb < n", with(func(c *call) { c.ldb = 4 }), f("ldb = 4, want ≥ max(1, n) = 5")},
		{"ldb < k for Trans", with(func(c *call) { c.tB, c.ldb = T_, 3 }), f("ldb = 3, want ≥ max(1, k) = 4")},
		{"b one short", with(func(c *call) { c.lenB = 19 }), f("len(b) = 19, want ≥ (k-1)·ldb+n for k = 4, n = 5, ldb = 5")},
		{"Trans b short", with(func(c *call) { c.tB, c.ldb, c.lenB = T_, 4, 19 }), f("len(b) = 19, want ≥ (n-1)·ldb+k for n = 5, k = 4, ldb = 4")},
		{"ldc < n", with(func(c *call) { c.ldc = 4 }), f("ldc = 4, want ≥ max(1, n) = 5")},
		{"c one short", with(func(c *call) { c.lenC = 14 }), f("len(c) = 14, want ≥ (m-1)·ldc+n for m = 3, n = 5, ldc = 5")},
		{"c nil", with(func(c *call) { c.lenC = -1 }), f("len(c) = 0, want ≥ (m-1)·ldc+n for m = 3, n = 5, ldc = 5")},
		{"(m-1)·lda overflows", with(func(c *call) { c.m, c.lda = 1<<40, 1<<30 }),
			f("len(a) = 12, want ≥ (m-1)·lda+k for m = %d, k = 4, lda = %d", 1<<40, 1<<30)},
		{"k = ldb = MaxInt", with(func(c *call) { c.k, c.lda, c.ldb, c.lenA = big, big, big, 16 }),
			f("len(a) = 16, want ≥ (m-1)·lda+k for m = 3, k = %d, lda = %d", big, big)},
		// Valid borderline calls.
		{"m = 0, all nil", call{N, T_, 0, 5, 4, -1, 4, 20, 4, -1, 5}, ""},
		{"n = 0, all nil", call{T_, N, 3, 0, 4, 12, 3, -1, 1, -1, 1}, ""},
		{"m = n = k = 0, all nil", call{T_, T_, 0, 0, 0, -1, 1, -1, 1, -1, 1}, ""},
		{"operands longer than needed", with(func(c *call) { c.lenA, c.lenB, c.lenC = 40, 40, 40 }), ""},
	}
	var cs []nonsenseCase
	for _, tc := range cases {
		cs = append(cs, nonsenseCase{fn, tc.name, tc.want, func(ns *nonsenseArgs) {
			c := tc.c
			gemm(c.tA, c.tB, c.m, c.n, c.k, 0.5, vec(ns, c.lenA), c.lda, vec(ns, c.lenB), c.ldb, 2, vec(ns, c.lenC), c.ldc)
			if tc.want == "" && c.m > 0 && c.n > 0 {
				ns.f32, ns.f64 = nil, nil // a valid update: nothing to compare
			}
		}})
	}
	return cs
}

// nonsenseCases returns every case of both element types.
func nonsenseCases() []nonsenseCase {
	var cs []nonsenseCase
	cs = append(cs, nonsenseLevel1[float32]()...)
	cs = append(cs, nonsenseLevel1[float64]()...)
	cs = append(cs, nonsenseLevel2[float32]()...)
	cs = append(cs, nonsenseLevel2[float64]()...)
	cs = append(cs, nonsenseDense[float32]()...)
	cs = append(cs, nonsenseDense[float64]()...)
	cs = append(cs, nonsenseGemm[float32]()...)
	cs = append(cs, nonsenseGemm[float64]()...)
	cs = append(cs, nonsenseDenseBatch[float32]()...)
	cs = append(cs, nonsenseDenseBatch[float64]()...)
	cs = append(cs, nonsenseWorkers()...)
	return cs
}

// TestNonsenseArguments runs every case on every implementation.
func TestNonsenseArguments(t *testing.T) {
	cases := nonsenseCases()
	impltest.RunAll(t, "kernels", func(t *testing.T) {
		for _, c := range cases {
			t.Run(c.fn+"/"+c.name, func(t *testing.T) {
				ns := &nonsenseArgs{}
				var got any
				func() {
					defer func() { got = recover() }()
					c.call(ns)
				}()
				switch {
				case c.want == "":
					require.Nil(t, got, "a valid call panicked")
				case got == nil:
					t.Fatalf("did not panic, want %q", c.want)
				default:
					msg, ok := got.(string)
					require.True(t, ok, "panic value %#v is not a string", got)
					require.True(t, strings.HasPrefix(msg, "kernels: "+c.fn+": "), "panic %q does not start with %q", msg, "kernels: "+c.fn+": ")
					if strings.HasPrefix(c.want, "^") {
						require.Regexp(t, c.want, msg)
					} else {
						require.Equal(t, c.want, msg)
					}
				}
				if d := ns.changed(); d != "" {
					t.Errorf("the call wrote to its arguments: %s", d)
				}
			})
		}
	})
}

// nonsenseWorkers is SetWorkers's case: a negative count. (Valid counts
// change the package's state; TestWorkers covers them.)
func nonsenseWorkers() []nonsenseCase {
	return []nonsenseCase{{"SetWorkers", "n < 0", "kernels: SetWorkers: n = -1, want n ≥ 0", func(*nonsenseArgs) { kernels.SetWorkers(-1) }}}
}

// TestNonsenseCoversEveryKernel checks that every exported function of the
// package (other than the implementation selection, and For, Workers and
// Activations, which take no arguments) has a case.
func TestNonsenseCoversEveryKernel(t *testing.T) {
	have := map[string]bool{}
	for _, c := range nonsenseCases() {
		have[c.fn] = true
	}
	exempt := map[string]bool{"Implementations": true, "Implementation": true, "UseImplementation": true, "For": true, "Workers": true, "Activations": true}
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	fset := token.NewFileSet()
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv != nil || !fd.Name.IsExported() || exempt[fd.Name.Name] {
				continue
			}
			if !have[fd.Name.Name] {
				t.Errorf("kernels.%s (%s) has no case in the nonsense table", fd.Name.Name, e.Name())
			}
		}
	}
}

// TestNonsenseImplementation checks that an unknown implementation is an
// error that names it and leaves the default selected.
func TestNonsenseImplementation(t *testing.T) {
	t.Cleanup(func() { _ = kernels.UseImplementation("") })
	def := kernels.Implementation()
	for _, name := range []string{"bogus", "AVX2", " go", "neon"} {
		err := kernels.UseImplementation(name)
		require.Error(t, err, name)
		require.True(t, strings.HasPrefix(err.Error(), fmt.Sprintf("kernels: implementation %q is not available", name)), err.Error())
		require.Equal(t, def, kernels.Implementation())
	}
}
