package kernels_test

// The fused dense-layer kernels, held to the bounds of the kernels they
// fuse (reference_test.go):
//
//	DenseForward      out = h(Wx + b): Wx + b within Gemv's bound with
//	                  β = 1, (n+2)·ε·(Σⱼ|wᵢⱼ||xⱼ| + |bᵢ|), and, for
//	                  h = σ or ReLU, bit for bit Ssigmoid or Srelu of the
//	                  identity layer's output on the same inputs;
//	DenseBackward     dx = Wᵀδ within GemvT's bound (m+2)·ε·Σᵢ|wᵢⱼ||δᵢ|,
//	                  dW += δxᵀ within Ger's and db += δ within Axpy's;
//	DenseBackwardSGD  dx = Wᵀδ, of W before the update, within GemvT's
//	                  bound; W ← decay·W − lr·δxᵀ within Ger's bound for
//	                  α = −lr with decay·wᵢⱼ for aᵢⱼ, b ← decay·b − lr·δ
//	                  within Axpy's likewise; decay = 1 bit for bit Sger
//	                  and Saxpy,
//
// each checked against the exact reference and against the composition of
// the unfused kernels (Sgemv and Ssigmoid/Srelu; SgemvT, Sger and Saxpy),
// which may differ from the fused result by both kernels' bounds together.

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/simdnn/simdnn/internal/floattest"
	"github.com/simdnn/simdnn/kernels"
)

// A denseCase is one call of a fused kernel: the shape, where the operands
// start, and the options.
type denseCase struct {
	m, n, ldw, lddw int
	offW, offDW     int  // start offsets of W and dW
	offX, offM      int  // of x (length n) and of δ or b (length m)
	offOut, offDB   int  // of out or dx, and of db or b
	longW           bool // w and dw run to m·ld elements, not (m-1)·ld+n
	h               kernels.Activation
	outIsB          bool    // forward: out is b itself
	noDx            bool    // backward: dx = nil
	lr, decay       float64 // backward-SGD
	special         string  // a key of denseSpecials, or ""
}

func (c denseCase) String() string {
	return fmt.Sprintf("m=%d n=%d ldw=%d lddw=%d off(w,dw,x,m-vec,out,db)=(%d,%d,%d,%d,%d,%d) longW=%t h=%v outIsB=%t noDx=%t lr=%v decay=%v special=%q",
		c.m, c.n, c.ldw, c.lddw, c.offW, c.offDW, c.offX, c.offM, c.offOut, c.offDB, c.longW, c.h, c.outIsB, c.noDx, c.lr, c.decay, c.special)
}

// randomDenseCase returns a case of shape m×n with leading dimensions from
// ldas(n) and offsets drawn from rng.
func randomDenseCase(rng *rand.Rand, m, n int) denseCase {
	l := ldas(n)
	o := func() int { return rng.IntN(maxOffset) }
	return denseCase{
		m: m, n: n, ldw: l[rng.IntN(len(l))], lddw: l[rng.IntN(len(l))], decay: 1,
		offW: o(), offDW: o(), offX: o(), offM: o(), offOut: o(), offDB: o(),
		longW: rng.IntN(4) == 0,
	}
}

// denseSpecials put special values into the inputs: W (with leading
// dimension ldw), x and the m-vector v (δ or b). Every case needs m, n ≥ 3.
func denseSpecials[T floattest.Float]() map[string]func(w []T, ldw int, x, v []T) {
	nan, inf := T(math.NaN()), T(math.Inf(1))
	return map[string]func(w []T, ldw int, x, v []T){
		"NaN in x": func(w []T, ldw int, x, v []T) { x[len(x)/2] = nan },
		"Inf in x": func(w []T, ldw int, x, v []T) { x[0] = -inf },
		"NaN in W": func(w []T, ldw int, x, v []T) { w[ldw+1] = nan },
		"Inf in W": func(w []T, ldw int, x, v []T) { w[2*ldw+len(x)-1] = inf },
		"Inf in v": func(w []T, ldw int, x, v []T) { v[len(v)-1] = inf },
		"NaN in v": func(w []T, ldw int, x, v []T) { v[1] = nan },
	}
}

// fill sets the elements of a row-major m×n matrix (not its gaps) to
// uniform values.
func fillMatrix[T floattest.Float](rng *rand.Rand, a []T, m, n, ld int) {
	for i := range min(n, 1) * m {
		for j := range n {
			a[i*ld+j] = uniform[T](rng)
		}
	}
}

// agree reports whether a fused and an unfused result are within tol of
// each other, or are the same infinity, or are both NaN.
func agree[T floattest.Float](a, b T, tol float64) bool {
	if a != a || b != b {
		return a != a && b != b
	}
	return a == b || math.Abs(float64(a)-float64(b)) <= tol*(1+0x1p-50)
}

// pairTol is the tolerance between two results each within bound of the
// reference r: twice the bound, r's own error and the underflow allowance.
func pairTol[T floattest.Float](bound float64, r floattest.Result) float64 {
	return 2 * (bound + r.Err + floattest.Tiny[T](r))
}

// runDenseForward calls ops.DenseForward on random data laid out as c says and
// checks that W, x and b (unless out is b) and every guard and gap are
// unchanged; that out, which starts as NaN, does not leak into the result;
// for h = Identity that each outᵢ is within Gemv's bound of the reference
// and of copy(b) + Sgemv (bᵢ exactly for n = 0); and for σ and ReLU that out
// is Ssigmoid or Srelu of the identity layer's output bit for bit, after
// checking that output as above.
func runDenseForward[T floattest.Float](fr *failures, ops *kernels.Funcs[T], c denseCase, rng *rand.Rand) {
	fr.t.Helper()
	m, n := c.m, c.n
	mW := newMatrix(m, n, c.ldw, c.offW, c.longW, inputGuard[T]())
	vX := newGuarded(n, c.offX, inputGuard[T]())
	bGuard := inputGuard[T]()
	if c.outIsB {
		bGuard = outputGuard[T]()
	}
	vB := newGuarded(m, c.offM, bGuard)
	w, x, b := mW.S(), vX.S(), vB.S()
	fillMatrix(rng, w, m, n, c.ldw)
	fillUniform(rng, x)
	fillUniform(rng, b)
	if c.special != "" {
		denseSpecials[T]()[c.special](w, c.ldw, x, b)
	}
	vOut := vB
	if !c.outIsB {
		vOut = newGuarded(m, c.offOut, outputGuard[T]())
		for i := range vOut.S() {
			vOut.S()[i] = T(math.NaN())
		}
	}
	mW.Snapshot()
	vX.Snapshot()
	vB.Snapshot()
	vOut.Snapshot()
	w0, x0, b0 := mW.Orig(), vX.Orig(), vB.Orig()

	ops.DenseForward(c.h, m, n, w, c.ldw, x, b, vOut.S())

	where := lazyString(func() string { return fmt.Sprintf("%s DenseForward %v", typeName[T](), c) })
	mW.CheckUnchanged(fr, where, "w")
	vX.CheckUnchanged(fr, where, "x")
	if !c.outIsB {
		vB.CheckUnchanged(fr, where, "b")
	}
	vOut.CheckGuards(fr, where, "out")
	out := vOut.S()

	// z = Wx + b, by the identity layer (out itself for h = Identity).
	z := out
	if c.h != kernels.Identity {
		z = make([]T, m)
		ops.DenseForward(kernels.Identity, m, n, slices.Clone(w0), c.ldw, slices.Clone(x0), slices.Clone(b0), z)
	}
	// The composition: copy(b) + Sgemv with β = 1.
	unfused := slices.Clone(b0)
	ops.Gemv(m, n, 1, slices.Clone(w0), c.ldw, slices.Clone(x0), 1, unfused)
	for i := range m {
		if n == 0 {
			if floattest.Bits(z[i]) != floattest.Bits(b0[i]) {
				fr.Errorf("%v: n = 0: z[%d] = %v, want b[%d] = %v exactly", where, i, z[i], i, b0[i])
			}
			continue
		}
		r := refGemv(false, m, n, 1, w0, c.ldw, x0, 1, b0, i)
		bound := boundGemv[T](n, r)
		if err := floattest.Check(z[i], r, bound); err != nil {
			fr.Errorf("%v: Wx+b [%d]: %v", where, i, err)
		}
		if tol := pairTol[T](bound, r); !agree(z[i], unfused[i], tol) {
			fr.Errorf("%v: Wx+b [%d] = %v, copy(b)+Sgemv gives %v: differ by more than %.3g", where, i, z[i], unfused[i], tol)
		}
	}
	if c.h == kernels.Identity {
		return
	}
	want := slices.Clone(z)
	activateWith(ops, c.h, want)
	for i := range m {
		if floattest.Bits(out[i]) != floattest.Bits(want[i]) {
			fr.Errorf("%v: out[%d] = %v (bits %#x), want %v(%v) = %v (bits %#x) exactly",
				where, i, out[i], floattest.Bits(out[i]), c.h, z[i], want[i], floattest.Bits(want[i]))
		}
	}
}

// runDenseBackward calls ops.DenseBackward on random data laid out as c says and
// checks that W, δ, x and every guard and gap are unchanged; that dx, which
// starts as NaN, is Wᵀδ (+0 for m = 0) within GemvT's bound of the
// reference and of SgemvT; and that dW and db are within Ger's and Axpy's
// bounds of the reference and of Sger and Saxpy (dW untouched for m = 0 or
// n = 0).
func runDenseBackward[T floattest.Float](fr *failures, ops *kernels.Funcs[T], c denseCase, rng *rand.Rand) {
	fr.t.Helper()
	m, n := c.m, c.n
	mW := newMatrix(m, n, c.ldw, c.offW, c.longW, inputGuard[T]())
	vD := newGuarded(m, c.offM, inputGuard[T]())
	vX := newGuarded(n, c.offX, inputGuard[T]())
	mDW := newMatrix(m, n, c.lddw, c.offDW, c.longW, outputGuard[T]())
	vDB := newGuarded(m, c.offDB, outputGuard[T]())
	vDx := newGuarded(n, c.offOut, outputGuard[T]())
	w, delta, x, dw, db := mW.S(), vD.S(), vX.S(), mDW.S(), vDB.S()
	fillMatrix(rng, w, m, n, c.ldw)
	fillMatrix(rng, dw, m, n, c.lddw)
	fillUniform(rng, delta)
	fillUniform(rng, x)
	fillUniform(rng, db)
	if c.special != "" {
		denseSpecials[T]()[c.special](w, c.ldw, x, delta)
	}
	for i := range vDx.S() {
		vDx.S()[i] = T(math.NaN())
	}
	var dx []T
	if !c.noDx {
		dx = vDx.S()
	}
	for _, g := range []*guarded[T]{mW, vD, vX, mDW, vDB, vDx} {
		g.Snapshot()
	}
	w0, delta0, x0, dw0, db0 := mW.Orig(), vD.Orig(), vX.Orig(), mDW.Orig(), vDB.Orig()

	ops.DenseBackward(m, n, w, c.ldw, delta, x, dx, dw, c.lddw, db)

	where := lazyString(func() string { return fmt.Sprintf("%s DenseBackward %v", typeName[T](), c) })
	mW.CheckUnchanged(fr, where, "w")
	vD.CheckUnchanged(fr, where, "delta")
	vX.CheckUnchanged(fr, where, "x")
	mDW.CheckGaps(fr, where, "dw", func(k int) bool { return isElem(m, n, c.lddw, k) })
	vDB.CheckGuards(fr, where, "db")
	if c.noDx {
		vDx.CheckUnchanged(fr, where, "dx (not passed)")
	} else {
		vDx.CheckGuards(fr, where, "dx")
		checkDx(fr, where, ops, m, n, w0, c.ldw, delta0, dx)
	}
	// The composition: Sger and Saxpy.
	dw2, db2 := slices.Clone(dw0), slices.Clone(db0)
	ops.Ger(m, n, 1, slices.Clone(delta0), slices.Clone(x0), dw2, c.lddw)
	ops.Axpy(1, slices.Clone(delta0), db2)
	checkGerUpdate(fr, where, "dw", m, n, 1, 1, delta0, x0, dw0, dw, dw2, c.lddw)
	checkAxpyUpdate(fr, where, "db", 1, 1, delta0, db0, db, db2)
}

// checkDx checks dx = Wᵀδ against the reference and against SgemvT on
// copies of w and δ; for m = 0 every dxⱼ must be +0.
func checkDx[T floattest.Float](fr *failures, where fmt.Stringer, ops *kernels.Funcs[T], m, n int, w0 []T, ldw int, delta0, dx []T) {
	fr.t.Helper()
	unfused := make([]T, n)
	ops.GemvT(m, n, 1, slices.Clone(w0), ldw, slices.Clone(delta0), 0, unfused)
	for j := range n {
		if m == 0 {
			if floattest.Bits(dx[j]) != 0 {
				fr.Errorf("%v: m = 0: dx[%d] = %v, want +0", where, j, dx[j])
			}
			continue
		}
		r := refGemv(true, m, n, 1, w0, ldw, delta0, 0, nil, j)
		bound := boundGemv[T](m, r)
		if err := floattest.Check(dx[j], r, bound); err != nil {
			fr.Errorf("%v: dx[%d]: %v", where, j, err)
		}
		if tol := pairTol[T](bound, r); !agree(dx[j], unfused[j], tol) {
			fr.Errorf("%v: dx[%d] = %v, SgemvT on the original W gives %v: differ by more than %.3g", where, j, dx[j], unfused[j], tol)
		}
	}
}

// checkGerUpdate checks a = a0 + α·u·vᵀ (dW or W, leading dimension ld)
// against the reference and against the composition's result a2; for
// m = 0 or n = 0 the elements must be untouched.
//
// A decay ≠ 1 (the SGD kernel's weight decay) scales a0 first: the reference
// is decay·a0 + αuvᵀ, unrounded.
func checkGerUpdate[T floattest.Float](fr *failures, where fmt.Stringer, name string, m, n int, alpha, decay T, u, v, a0, a, a2 []T, ld int) {
	fr.t.Helper()
	for i := range min(n, 1) * m {
		for j := range n {
			k := i*ld + j
			r := floattest.Sum([3]float64{float64(alpha), float64(u[i]), float64(v[j])}, [3]float64{float64(decay), float64(a0[k]), 1})
			bound := boundGer[T](r)
			if err := floattest.Check(a[k], r, bound); err != nil {
				fr.Errorf("%v: %s[%d,%d]: %v", where, name, i, j, err)
			}
			if tol := pairTol[T](bound, r); !agree(a[k], a2[k], tol) {
				fr.Errorf("%v: %s[%d,%d] = %v, Sger gives %v: differ by more than %.3g", where, name, i, j, a[k], a2[k], tol)
			}
		}
	}
}

// checkAxpyUpdate checks y = decay·y0 + α·u (db or b, decay 1 but for the
// SGD kernel's weight decay) against the reference and against the
// composition's result y2.
func checkAxpyUpdate[T floattest.Float](fr *failures, where fmt.Stringer, name string, alpha, decay T, u, y0, y, y2 []T) {
	fr.t.Helper()
	for i := range y {
		r := floattest.Sum([3]float64{float64(alpha), float64(u[i]), 1}, [3]float64{float64(decay), float64(y0[i]), 1})
		bound := boundAxpy[T](r)
		if alpha == 0 {
			if want := scaled(y0[i], decay); floattest.Bits(y[i]) != floattest.Bits(want) {
				fr.Errorf("%v: lr = 0: %s[%d] = %v, want decay·%s = %v", where, name, i, y[i], name, want)
			}
			continue
		}
		if err := floattest.Check(y[i], r, bound); err != nil {
			fr.Errorf("%v: %s[%d]: %v", where, name, i, err)
		}
		if tol := pairTol[T](bound, r); !agree(y[i], y2[i], tol) {
			fr.Errorf("%v: %s[%d] = %v, Saxpy gives %v: differ by more than %.3g", where, name, i, y[i], y2[i], tol)
		}
	}
}

// runDenseSGD calls ops.DenseBackwardSGD on random data laid out as c says and checks
// that δ, x and every guard and gap are unchanged; that dx, which starts as
// NaN, is Wᵀδ for W before the update, within GemvT's bound of the
// reference and of SgemvT on a copy of the original W; and that W and b are
// within Ger's and Axpy's bounds (α = −lr, decay·W and decay·b for W and b)
// of the reference and of scaling by decay, then Sger and Saxpy, the same
// bit for bit when decay = 1: the factor changes nothing then.
func runDenseSGD[T floattest.Float](fr *failures, ops *kernels.Funcs[T], c denseCase, rng *rand.Rand) {
	fr.t.Helper()
	m, n := c.m, c.n
	lr, decay := T(c.lr), T(c.decay)
	mW := newMatrix(m, n, c.ldw, c.offW, c.longW, outputGuard[T]())
	vD := newGuarded(m, c.offM, inputGuard[T]())
	vX := newGuarded(n, c.offX, inputGuard[T]())
	vB := newGuarded(m, c.offDB, outputGuard[T]())
	vDx := newGuarded(n, c.offOut, outputGuard[T]())
	w, delta, x, b := mW.S(), vD.S(), vX.S(), vB.S()
	fillMatrix(rng, w, m, n, c.ldw)
	fillUniform(rng, delta)
	fillUniform(rng, x)
	fillUniform(rng, b)
	if c.special != "" {
		denseSpecials[T]()[c.special](w, c.ldw, x, delta)
	}
	for i := range vDx.S() {
		vDx.S()[i] = T(math.NaN())
	}
	var dx []T
	if !c.noDx {
		dx = vDx.S()
	}
	for _, g := range []*guarded[T]{mW, vD, vX, vB, vDx} {
		g.Snapshot()
	}
	w0, delta0, x0, b0 := mW.Orig(), vD.Orig(), vX.Orig(), vB.Orig()

	ops.DenseBackwardSGD(m, n, lr, decay, w, c.ldw, delta, x, dx, b)

	where := lazyString(func() string { return fmt.Sprintf("%s DenseBackwardSGD %v", typeName[T](), c) })
	vD.CheckUnchanged(fr, where, "delta")
	vX.CheckUnchanged(fr, where, "x")
	mW.CheckGaps(fr, where, "w", func(k int) bool { return isElem(m, n, c.ldw, k) })
	vB.CheckGuards(fr, where, "b")
	if c.noDx {
		vDx.CheckUnchanged(fr, where, "dx (not passed)")
	} else {
		vDx.CheckGuards(fr, where, "dx")
		checkDx(fr, where, ops, m, n, w0, c.ldw, delta0, dx)
	}
	w2, b2 := slices.Clone(w0), slices.Clone(b0)
	for i := range min(n, 1) * m {
		for j := range n {
			w2[i*c.ldw+j] = scaled(w2[i*c.ldw+j], decay)
		}
	}
	for i := range b2 {
		b2[i] = scaled(b2[i], decay)
	}
	ops.Ger(m, n, -lr, slices.Clone(delta0), slices.Clone(x0), w2, c.ldw)
	ops.Axpy(-lr, slices.Clone(delta0), b2)
	checkGerUpdate(fr, where, "w", m, n, -lr, decay, delta0, x0, w0, w, w2, c.ldw)
	checkAxpyUpdate(fr, where, "b", -lr, decay, delta0, b0, b, b2)
	if decay == 1 {
		for i := range min(n, 1) * m {
			for j := range n {
				if k := i*c.ldw + j; floattest.Bits(w[k]) != floattest.Bits(w2[k]) {
					fr.Errorf("%v: decay = 1: w[%d,%d] = %v, Sger gives %v: want them bit for bit", where, i, j, w[k], w2[k])
				}
			}
		}
	}
}

// denseSizes are the sizes m and n take together: every size through 20
// (each remainder of the row blocks and vector tails) and the sizes around
// one, two and four AVX2 registers' worth of unrolled loop, up to 200.
// Under -short (and so under the race detector) a third of them.
func denseSizes() []int {
	if testing.Short() {
		return []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 65}
	}
	return append(sweepSmall(), 31, 32, 33, 64, 65, 127, 129, 200)
}

// sgdRates are the learning rates the SGD sweep cycles through: 0.5 makes
// W after the update differ from W before it by far more than any bound,
// so that a dx computed from the updated W cannot pass; 0 must leave b
// untouched.
var sgdRates = []float64{0.5, 0.01, -0.3, 0}

// sgdDecays are the weight-decay factors it cycles through independently:
// 1 (plain SGD, which must be Sger bit for bit), the 1 − lr·λ of a usual
// λ, and factors far enough from 1 that a missing or doubled factor fails.
var sgdDecays = []float64{1, 0.99995, 0.75, -1.5}

// sweepDense runs the three fused kernels on every m×n of denseSizes with
// random layouts: forward with each activation and once with out = b,
// backward and backward-SGD with and without dx.
func sweepDense[T floattest.Float](t *testing.T, ops *kernels.Funcs[T], seed uint64) {
	fr := &failures{t: t}
	rng := newRand(seed)
	acts := kernels.Activations()
	k := 0
	for _, m := range denseSizes() {
		for _, n := range denseSizes() {
			for _, h := range acts {
				c := randomDenseCase(rng, m, n)
				c.h = h
				runDenseForward(fr, ops, c, rng)
			}
			c := randomDenseCase(rng, m, n)
			c.h, c.outIsB = acts[k%3], true
			runDenseForward(fr, ops, c, rng)
			for _, noDx := range []bool{false, true} {
				c := randomDenseCase(rng, m, n)
				c.noDx = noDx
				runDenseBackward(fr, ops, c, rng)
				c = randomDenseCase(rng, m, n)
				c.noDx, c.lr = noDx, sgdRates[k%len(sgdRates)]
				c.decay = sgdDecays[k/len(sgdRates)%len(sgdDecays)]
				runDenseSGD(fr, ops, c, rng)
				k++
			}
		}
	}
}

// TestDense checks the fused kernels over every shape of denseSizes.
func TestDense(t *testing.T) {
	runTypes(t,
		func(t *testing.T) { sweepDense(t, kernels.For[float32](), 91) },
		func(t *testing.T) { sweepDense(t, kernels.For[float64](), 92) })
}

// TestDenseChunked checks the fused kernels on matrices larger than one
// assembly call (chunkShapes: column blocks, and several row blocks), with
// dx, so that the blocks' partial sums of dx add up.
func TestDenseChunked(t *testing.T) {
	if testing.Short() {
		t.Skip("matrices of several MiB; run without -short")
	}
	runTypes(t,
		func(t *testing.T) { chunkDense(t, kernels.For[float32](), 93) },
		func(t *testing.T) { chunkDense(t, kernels.For[float64](), 94) })
}

func chunkDense[T floattest.Float](t *testing.T, ops *kernels.Funcs[T], seed uint64) {
	fr := &failures{t: t}
	rng := newRand(seed)
	for _, s := range chunkShapes[T]() {
		c := randomDenseCase(rng, s[0], s[1])
		c.h = kernels.Sigmoid
		runDenseForward(fr, ops, c, rng)
		runDenseBackward(fr, ops, c, rng)
		c.lr, c.decay = 0.5, 1
		runDenseSGD(fr, ops, c, rng)
		// Weight decay, with dx (the fused kernel scales W) and without
		// (a pass that scales W, then Sger).
		for _, noDx := range []bool{false, true} {
			c.decay, c.noDx = 0.75, noDx
			runDenseSGD(fr, ops, c, rng)
		}
	}
}

// TestDenseSpecialValues runs the fused kernels with NaN and ±Inf in x, W,
// δ and b: each must reach exactly the outputs IEEE arithmetic sends it to
// (the reference computes them the same way; σ(NaN) is NaN, σ(±Inf) is 1
// or 0).
func TestDenseSpecialValues(t *testing.T) {
	runTypes(t,
		func(t *testing.T) { specialDense(t, kernels.For[float32](), 95) },
		func(t *testing.T) { specialDense(t, kernels.For[float64](), 96) })
}

func specialDense[T floattest.Float](t *testing.T, ops *kernels.Funcs[T], seed uint64) {
	fr := &failures{t: t}
	rng := newRand(seed)
	names := make([]string, 0, len(denseSpecials[T]()))
	for name := range denseSpecials[T]() {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, s := range [][2]int{{3, 3}, {4, 9}, {9, 67}, {67, 9}, {33, 200}} {
			for _, h := range kernels.Activations() {
				c := randomDenseCase(rng, s[0], s[1])
				c.h, c.special = h, name
				runDenseForward(fr, ops, c, rng)
			}
			for _, noDx := range []bool{false, true} {
				c := randomDenseCase(rng, s[0], s[1])
				c.noDx, c.special = noDx, name
				runDenseBackward(fr, ops, c, rng)
				c.lr = 0.5
				for _, decay := range []float64{1, 0.75} {
					c.decay = decay
					runDenseSGD(fr, ops, c, rng)
				}
			}
		}
	}
}

// denseArgs are the sizes and operand lengths of one call in
// TestDensePanics; valid fills in the ones a case leaves at unset (−1).
type denseArgs struct {
	h                     kernels.Activation
	m, n, ldw, lddw       int
	lenW, lenX, lenM      int // w, x, and δ (backward) or b (forward)
	lenOut, lenDW, lenDB  int // out (forward) or dx (backward), dw, db or b (SGD)
	dxNil                 bool
	name, msg             string
	forward, bwd, sgdCase bool // which kernels the case applies to
}

const unset = -1

func (a denseArgs) valid() denseArgs {
	if a.ldw == unset {
		a.ldw = max(1, a.n)
	}
	if a.lddw == unset {
		a.lddw = max(1, a.n)
	}
	need := func(ld int) int { return matrixLen(max(0, a.m), max(0, a.n), ld) }
	for _, f := range []struct {
		p *int
		v int
	}{
		{&a.lenW, need(a.ldw)}, {&a.lenX, max(0, a.n)}, {&a.lenM, max(0, a.m)},
		{&a.lenDW, need(a.lddw)}, {&a.lenDB, max(0, a.m)},
	} {
		if *f.p == unset {
			*f.p = f.v
		}
	}
	return a
}

// denseArgCase returns a case of shape 3×4 with every length valid, for
// the kernels listed in which ("f", "b", "s": forward, backward, SGD).
func denseArgCase(name, which, msg string, edit func(a *denseArgs)) denseArgs {
	a := denseArgs{h: kernels.Sigmoid, m: 3, n: 4, ldw: unset, lddw: unset, lenW: unset, lenX: unset, lenM: unset,
		lenOut: unset, lenDW: unset, lenDB: unset, name: name, msg: msg}
	for _, k := range which {
		switch k {
		case 'f':
			a.forward = true
		case 'b':
			a.bwd = true
		case 's':
			a.sgdCase = true
		}
	}
	if edit != nil {
		edit(&a)
	}
	return a
}

// densePanicCases are the checks of the fused kernels in the order they
// are made, each with its message (%[1]s is the function's name), and valid
// borderline calls (msg ""). The matrix checks name W "w" with "ldw", dW
// "dw" with "lddw", as the arguments are called.
var densePanicCases = []denseArgs{
	denseArgCase("activation 4", "f", "kernels: %[1]s: unknown activation Activation(4)", func(a *denseArgs) { a.h = 4 }),
	denseArgCase("activation -1", "f", "kernels: %[1]s: unknown activation Activation(-1)", func(a *denseArgs) { a.h = -1 }),
	denseArgCase("bad activation before bad sizes", "f", "kernels: %[1]s: unknown activation Activation(7)",
		func(a *denseArgs) { a.h, a.m = 7, -1 }),
	denseArgCase("negative m", "fbs", "kernels: %[1]s: m = -1, want ≥ 0", func(a *denseArgs) { a.m = -1 }),
	denseArgCase("negative n", "fbs", "kernels: %[1]s: n = -2, want ≥ 0", func(a *denseArgs) { a.n = -2; a.ldw, a.lddw = 1, 1 }),
	denseArgCase("ldw < n", "fbs", "kernels: %[1]s: ldw = 3, want ≥ max(1, n) = 4", func(a *denseArgs) { a.ldw, a.lenW = 3, 12 }),
	denseArgCase("ldw = 0 with n = 0", "fbs", "kernels: %[1]s: ldw = 0, want ≥ max(1, n) = 1", func(a *denseArgs) { a.n, a.ldw = 0, 0 }),
	denseArgCase("short w", "fbs", "kernels: %[1]s: len(w) = 13, want ≥ (m-1)·ldw+n for m = 3, n = 4, ldw = 5",
		func(a *denseArgs) { a.ldw, a.lenW = 5, 13 }),
	denseArgCase("x too short", "fbs", "kernels: %[1]s: len(x) = 3, want n = 4", func(a *denseArgs) { a.lenX = 3 }),
	denseArgCase("x too long", "fbs", "kernels: %[1]s: len(x) = 5, want n = 4", func(a *denseArgs) { a.lenX = 5 }),
	denseArgCase("b too short", "f", "kernels: %[1]s: len(b) = 2, want m = 3", func(a *denseArgs) { a.lenM = 2 }),
	denseArgCase("out too long", "f", "kernels: %[1]s: len(out) = 4, want m = 3", func(a *denseArgs) { a.lenOut = 4 }),
	denseArgCase("out empty", "f", "kernels: %[1]s: len(out) = 0, want m = 3", func(a *denseArgs) { a.lenOut = 0 }),
	denseArgCase("delta too short", "bs", "kernels: %[1]s: len(delta) = 2, want m = 3", func(a *denseArgs) { a.lenM = 2 }),
	denseArgCase("delta too long", "bs", "kernels: %[1]s: len(delta) = 4, want m = 3", func(a *denseArgs) { a.lenM = 4 }),
	denseArgCase("delta checked before x", "bs", "kernels: %[1]s: len(delta) = 4, want m = 3",
		func(a *denseArgs) { a.lenM, a.lenX = 4, 1 }),
	denseArgCase("dx too short", "bs", "kernels: %[1]s: len(dx) = 3, want n = 4", func(a *denseArgs) { a.lenOut = 3 }),
	denseArgCase("dx empty, not nil", "bs", "kernels: %[1]s: len(dx) = 0, want n = 4", func(a *denseArgs) { a.lenOut = 0 }),
	denseArgCase("short dw", "b", "kernels: %[1]s: len(dw) = 12, want ≥ (m-1)·lddw+n for m = 3, n = 4, lddw = 5",
		func(a *denseArgs) { a.lddw, a.lenDW = 5, 12 }),
	denseArgCase("lddw < n", "b", "kernels: %[1]s: lddw = 2, want ≥ max(1, n) = 4", func(a *denseArgs) { a.lddw = 2 }),
	denseArgCase("db too short", "b", "kernels: %[1]s: len(db) = 2, want m = 3", func(a *denseArgs) { a.lenDB = 2 }),
	denseArgCase("db too long", "b", "kernels: %[1]s: len(db) = 4, want m = 3", func(a *denseArgs) { a.lenDB = 4 }),
	denseArgCase("b too long", "s", "kernels: %[1]s: len(b) = 4, want m = 3", func(a *denseArgs) { a.lenDB = 4 }),
	denseArgCase("b empty", "s", "kernels: %[1]s: len(b) = 0, want m = 3", func(a *denseArgs) { a.lenDB = 0 }),
	// Valid borderline calls.
	denseArgCase("dx nil", "bs", "", func(a *denseArgs) { a.dxNil = true }),
	denseArgCase("dx nil with a short x", "bs", "kernels: %[1]s: len(x) = 3, want n = 4",
		func(a *denseArgs) { a.dxNil, a.lenX = true, 3 }),
	denseArgCase("m = 0", "fbs", "", func(a *denseArgs) { a.m = 0 }),
	denseArgCase("n = 0", "fbs", "", func(a *denseArgs) { a.n = 0 }),
	denseArgCase("m = n = 0 with empty slices", "fbs", "", func(a *denseArgs) { a.m, a.n = 0, 0 }),
	denseArgCase("ldw and lddw > n, longer slices", "fbs", "", func(a *denseArgs) { a.ldw, a.lddw, a.lenW, a.lenDW = 9, 6, 40, 30 }),
}

// TestDensePanics checks every argument check of the fused kernels: each
// bad call must panic with its exact message before writing anything;
// each valid one must not panic.
func TestDensePanics(t *testing.T) {
	for _, c := range densePanicCases {
		a := c.valid()
		// lenOut is out's length for the forward kernel and dx's for the
		// backward ones; a case sets it for one kind only.
		outLen, dxLen := max(0, a.m), max(0, a.n)
		if a.lenOut != unset {
			outLen, dxLen = a.lenOut, a.lenOut
		}
		t.Run(c.name, func(t *testing.T) {
			if a.forward {
				out := outLen
				panicsDense(t, "SdenseForward", c.msg, func(s *denseSlices[float32]) {
					kernels.SdenseForward(a.h, a.m, a.n, s.w, a.ldw, s.x, s.v, s.out)
				}, a, out)
				panicsDense(t, "DdenseForward", c.msg, func(s *denseSlices[float64]) {
					kernels.DdenseForward(a.h, a.m, a.n, s.w, a.ldw, s.x, s.v, s.out)
				}, a, out)
			}
			if a.bwd {
				panicsDense(t, "SdenseBackward", c.msg, func(s *denseSlices[float32]) {
					kernels.SdenseBackward(a.m, a.n, s.w, a.ldw, s.v, s.x, s.dx(a.dxNil), s.dw, a.lddw, s.db)
				}, a, dxLen)
				panicsDense(t, "DdenseBackward", c.msg, func(s *denseSlices[float64]) {
					kernels.DdenseBackward(a.m, a.n, s.w, a.ldw, s.v, s.x, s.dx(a.dxNil), s.dw, a.lddw, s.db)
				}, a, dxLen)
			}
			if a.sgdCase {
				panicsDense(t, "SdenseBackwardSGD", c.msg, func(s *denseSlices[float32]) {
					kernels.SdenseBackwardSGD(a.m, a.n, 0.5, 0.99, s.w, a.ldw, s.v, s.x, s.dx(a.dxNil), s.db)
				}, a, dxLen)
				panicsDense(t, "DdenseBackwardSGD", c.msg, func(s *denseSlices[float64]) {
					kernels.DdenseBackwardSGD(a.m, a.n, 0.5, 0.99, s.w, a.ldw, s.v, s.x, s.dx(a.dxNil), s.db)
				}, a, dxLen)
			}
		})
	}
}

// denseSlices are the operands of one TestDensePanics call.
type denseSlices[T floattest.Float] struct {
	w, x, v, out, dw, db []T
}

func (s *denseSlices[T]) dx(isNil bool) []T {
	if isNil {
		return nil
	}
	return s.out
}

// panicsDense calls call on operands of a's lengths (out or dx of lenOut)
// filled with 1, 2, 3, …, and requires the panic msg (formatted with name)
// with every operand unchanged, or no panic when msg is "".
func panicsDense[T floattest.Float](t *testing.T, name, msg string, call func(s *denseSlices[T]), a denseArgs, lenOut int) {
	t.Helper()
	s := &denseSlices[T]{
		w: make([]T, a.lenW), x: make([]T, a.lenX), v: make([]T, a.lenM),
		out: make([]T, lenOut), dw: make([]T, a.lenDW), db: make([]T, a.lenDB),
	}
	all := func() [][]T { return [][]T{s.w, s.x, s.v, s.out, s.dw, s.db} }
	for _, v := range all() {
		for i := range v {
			v[i] = T(i + 1)
		}
	}
	if msg == "" {
		require.NotPanics(t, func() { call(s) }, name)
		return
	}
	before := make([][]T, 0, 6)
	for _, v := range all() {
		before = append(before, slices.Clone(v))
	}
	require.PanicsWithValue(t, fmt.Sprintf(msg, name), func() { call(s) }, name)
	require.Equal(t, before, all(), "%s wrote an operand before the panic", name)
}
