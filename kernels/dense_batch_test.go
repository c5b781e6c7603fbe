package kernels_test

// The batch dense-layer kernels, held to two things each:
//
//	DenseForwardBatch   bit for bit the unfused composition (rows of out set
//	                    to b, Gemm(NoTrans, Trans, β = 1), then Sigmoid or
//	                    Relu row by row), and within Gemm's bound
//	                    (n+2)·ε·(Σⱼ|xᵣⱼ||wᵢⱼ| + |bᵢ|) of the exact z before
//	                    h, carried through h: |σ(ẑ) − σ(z)| ≤ |ẑ − z|/4
//	                    plus σ's own ULPs, ReLU and identity 1-Lipschitz;
//	DenseBackwardBatch  bit for bit the composition (SigmoidBackward or
//	                    ReluBackward into g row by row, db by Axpy over the
//	                    rows from 0, dW and dX by Gemm with β = 0), and dW,
//	                    dX and db within Gemm's bounds for k = batch and
//	                    k = m and Axpy's (batch−1)·ε·Σ|δ| of the exact sums
//	                    of the δ the call left in g,
//
// on every implementation, over batch sizes around the micro-kernel's 6
// rows, m around its 8 or 16 columns, n across kc, random leading
// dimensions and offsets, with every output starting NaN (overwritten, never
// read) and every input and gap checked unchanged.

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/simdnn/simdnn/internal/floattest"
	"github.com/simdnn/simdnn/kernels"
)

var denseActivations = kernels.Activations()

// A batchCase is one call of a batch dense kernel: the activation, the
// shape (batch rows, m outputs, n inputs) and the operands' layout.
type batchCase struct {
	h                         kernels.Activation
	batch, m, n               int
	ldw, ldx, ldo, ldg, lddx  int // W, X, out or a, g, dX
	lddw                      int
	offW, offX, offB, offO    int // offO: out or a
	offG, offDx, offDw, offDb int
	noDx                      bool
	scale                     float64 // multiplies X (and b): large values
}

func (c batchCase) String() string {
	return fmt.Sprintf("h=%v batch=%d m=%d n=%d ld(w,x,out/a,g,dx,dw)=(%d,%d,%d,%d,%d,%d) noDx=%t scale=%g",
		c.h, c.batch, c.m, c.n, c.ldw, c.ldx, c.ldo, c.ldg, c.lddx, c.lddw, c.noDx, c.scale)
}

// randomBatchCase returns a case with leading dimensions from ldas and
// random offsets.
func randomBatchCase(rng *rand.Rand, h kernels.Activation, batch, m, n int) batchCase {
	pick := func(cols int) int { l := ldas(cols); return l[rng.IntN(len(l))] }
	o := func() int { return rng.IntN(maxOffset) }
	return batchCase{h: h, batch: batch, m: m, n: n,
		ldw: pick(n), ldx: pick(n), ldo: pick(m), ldg: pick(m), lddx: pick(n), lddw: pick(n),
		offW: o(), offX: o(), offB: o(), offO: o(), offG: o(), offDx: o(), offDw: o(), offDb: o(), scale: 1}
}

// batchSizes, batchOutputs and batchInputs are the batch, m and n of the
// sweeps: batch around one and several 6-row tiles, m around one and two
// tiles of 8 or 16 columns, n short and past kc.
var (
	batchSizes   = []int{0, 1, 2, 5, 6, 7, 13, 32, 33}
	batchOutputs = []int{0, 1, 7, 8, 15, 16, 17, 33}
	batchInputs  = []int{0, 1, 9, 16, 17}
)

// batchShapes returns the sweep's (batch, m, n): every combination of the
// lists, then shapes across kc and mc.
func batchShapes[T floattest.Float]() [][3]int {
	var s [][3]int
	for _, b := range batchSizes {
		for _, m := range batchOutputs {
			for _, n := range batchInputs {
				s = append(s, [3]int{b, m, n})
			}
		}
	}
	return append(s, [3]int{7, 17, gemmKC + 1}, [3]int{13, 9, 2*gemmKC + 3}, [3]int{gemmMC[T]() + 1, 5, 3}, [3]int{6, 2*gemmNR[T]() + 1, gemmKC})
}

// fillRows sets the rows×cols elements of s (leading dimension ld) with v.
func fillRows[T floattest.Float](s []T, rows, cols, ld int, v func() T) {
	for i := range rows {
		for j := range cols {
			s[i*ld+j] = v()
		}
	}
}

// composedForward is SdenseForwardBatch made of the unfused kernels.
func composedForward[T floattest.Float](c batchCase, w, x, b, out []T) {
	f := kernels.For[T]()
	for r := range min(c.m, 1) * c.batch {
		copy(out[r*c.ldo:][:c.m], b)
	}
	f.Gemm(kernels.NoTrans, kernels.Trans, c.batch, c.m, c.n, 1, x, c.ldx, w, c.ldw, 1, out, c.ldo)
	for r := range min(c.m, 1) * c.batch {
		activateWith(f, c.h, out[r*c.ldo:][:c.m])
	}
}

// composedBackward is SdenseBackwardBatch made of the unfused kernels.
func composedBackward[T floattest.Float](c batchCase, w, a, g, x, dx, dw, db []T) {
	f := kernels.For[T]()
	clear(db)
	for r := range min(c.m, 1) * c.batch {
		d := g[r*c.ldg:][:c.m]
		backwardWith(f, c.h, d, a[r*c.ldo:][:c.m])
		f.Axpy(1, d, db)
	}
	f.Gemm(kernels.Trans, kernels.NoTrans, c.m, c.n, c.batch, 1, g, c.ldg, x, c.ldx, 0, dw, c.lddw)
	if dx != nil {
		f.Gemm(kernels.NoTrans, kernels.NoTrans, c.batch, c.n, c.m, 1, g, c.ldg, w, c.ldw, 0, dx, c.lddx)
	}
}

// sameMatrix reports the first element of got that is not want's bits.
func sameMatrix[T floattest.Float](fr *failures, where fmt.Stringer, name string, got, want []T) {
	fr.t.Helper()
	for i := range want {
		if floattest.Bits(got[i]) != floattest.Bits(want[i]) {
			fr.Errorf("%v: %s[%d] = %v, the unfused kernels give %v: not bit-identical", where, name, i, got[i], want[i])
			return
		}
	}
}

// activationULPs is the error of Ssigmoid and Stanh, or Dsigmoid and Dtanh, in ULPs of the
// result (activations.go), one ULP being at most 2ε of it.
func activationULPs[T floattest.Float]() float64 {
	if elemSize[T]() == 4 {
		return 1
	}
	return 2
}

// checkActivated checks got = h(ẑ) against the exact z = r, with ẑ within
// bound of z: identity and ReLU move the error by at most |ẑ − z|, σ by at
// most |ẑ − z|/4 (σ′ ≤ 1/4) and tanh by at most |ẑ − z| (tanh′ ≤ 1), each
// plus its own ULPs, and the float64 reference by a few float64 ulps more.
func checkActivated[T floattest.Float](h kernels.Activation, got T, r floattest.Result, bound float64) error {
	if math.IsInf(r.Value, 0) {
		// ẑ = z exactly: h(±Inf) is exact too.
		want := map[kernels.Activation]float64{kernels.Identity: r.Value, kernels.ReLU: max(r.Value, 0),
			kernels.Sigmoid: max(0, math.Copysign(1, r.Value)), kernels.Tanh: math.Copysign(1, r.Value)}[h]
		if float64(got) != want {
			return fmt.Errorf("got %v, want %v(%v) = %v", got, h, r.Value, want)
		}
		return nil
	}
	switch {
	case h == kernels.ReLU:
		r.Value = max(r.Value, 0)
	case h == kernels.Sigmoid && !math.IsNaN(r.Value):
		s := 1 / (1 + math.Exp(-r.Value))
		r.Value, r.Err = s, r.Err/4+4*0x1p-53*s
		bound = bound/4 + activationULPs[T]()*2*floattest.Eps[T]()*s
	case h == kernels.Tanh && !math.IsNaN(r.Value):
		s := math.Tanh(r.Value)
		r.Value, r.Err = s, r.Err+4*0x1p-53*math.Abs(s)
		bound += activationULPs[T]() * 2 * floattest.Eps[T]() * math.Abs(s)
	}
	return floattest.Check(got, r, bound)
}

// runForwardBatch runs DenseForwardBatch on random data laid out as c says
// and checks it; it returns out.
func runForwardBatch[T floattest.Float](fr *failures, c batchCase, rng *rand.Rand, prep func(w, x, b []T)) []T {
	fr.t.Helper()
	mW := newMatrix(c.m, c.n, c.ldw, c.offW, false, inputGuard[T]())
	mX := newMatrix(c.batch, c.n, c.ldx, c.offX, false, inputGuard[T]())
	mB := newGuarded(c.m, c.offB, inputGuard[T]())
	mO := newMatrix(c.batch, c.m, c.ldo, c.offO, false, outputGuard[T]())
	w, x, b, out := mW.S(), mX.S(), mB.S(), mO.S()
	val := func() T { return uniform[T](rng) }
	big := func() T { return T(c.scale) * uniform[T](rng) }
	fillRows(w, c.m, c.n, c.ldw, val)
	fillRows(x, c.batch, c.n, c.ldx, big)
	fillRows(b, 1, c.m, c.m, big)
	fillRows(out, c.batch, c.m, c.ldo, func() T { return T(math.NaN()) })
	if prep != nil {
		prep(w, x, b)
	}
	for _, g := range []*guarded[T]{mW, mX, mB, mO} {
		g.Snapshot()
	}
	want := slices.Clone(out)

	kernels.For[T]().DenseForwardBatch(c.h, c.batch, c.m, c.n, w, c.ldw, x, c.ldx, b, out, c.ldo)

	where := lazyString(func() string { return fmt.Sprintf("%s DenseForwardBatch %v", typeName[T](), c) })
	mW.CheckUnchanged(fr, where, "w")
	mX.CheckUnchanged(fr, where, "x")
	mB.CheckUnchanged(fr, where, "b")
	mO.CheckGaps(fr, where, "out", func(k int) bool { return isElem(c.batch, c.m, c.ldo, k) })
	composedForward(c, w, x, b, want)
	sameMatrix(fr, where, "out", out, want)
	for r := range c.batch {
		for i := range c.m {
			ref := floattest.Dot(c.n+1, func(j int) (float64, float64, float64) {
				if j == c.n {
					return float64(b[i]), 1, 1
				}
				return float64(x[r*c.ldx+j]), float64(w[i*c.ldw+j]), 1
			})
			if err := checkActivated(c.h, out[r*c.ldo+i], ref, boundGemm[T](c.n, ref)); err != nil {
				fr.Errorf("%v: out[%d][%d]: %v", where, r, i, err)
			}
		}
	}
	return out
}

// TestDenseForwardBatch checks out = h(X·Wᵀ + 1·bᵀ) over the sweep, for
// every activation, and with large inputs that saturate σ.
func TestDenseForwardBatch(t *testing.T) {
	runTypes(t, func(t *testing.T) { sweepForwardBatch[float32](t, 31) }, func(t *testing.T) { sweepForwardBatch[float64](t, 32) })
}

func sweepForwardBatch[T floattest.Float](t *testing.T, seed uint64) {
	rng := newRand(seed)
	fr := &failures{t: t}
	for _, h := range denseActivations {
		for _, s := range batchShapes[T]() {
			runForwardBatch[T](fr, randomBatchCase(rng, h, s[0], s[1], s[2]), rng, nil)
		}
		c := randomBatchCase(rng, h, 7, 17, 9)
		c.scale = 0x1p40
		runForwardBatch[T](fr, c, rng, nil)
	}
}

// TestDenseForwardBatchSpecials checks that a NaN in X, W or b reaches
// exactly the outputs it enters (every activation propagates NaN), and that
// ±Inf in b gives h(±Inf).
func TestDenseForwardBatchSpecials(t *testing.T) {
	runTypes(t, func(t *testing.T) { specialsForwardBatch[float32](t, 33) }, func(t *testing.T) { specialsForwardBatch[float64](t, 34) })
}

func specialsForwardBatch[T floattest.Float](t *testing.T, seed uint64) {
	rng := newRand(seed)
	fr := &failures{t: t}
	nan, inf := T(math.NaN()), T(math.Inf(1))
	for _, h := range denseActivations {
		c := randomBatchCase(rng, h, 8, 19, 11)
		for _, at := range []string{"x", "w", "b"} {
			out := runForwardBatch(fr, c, rng, func(w, x, b []T) {
				switch at {
				case "x":
					x[5*c.ldx+3] = nan
				case "w":
					w[17*c.ldw+2] = nan
				case "b":
					b[17] = nan
				}
			})
			for r := range c.batch {
				for i := range c.m {
					v := out[r*c.ldo+i]
					if hit := at == "x" && r == 5 || at != "x" && i == 17; hit != (v != v) {
						fr.Errorf("%v, NaN in %s: out[%d][%d] = %v", c, at, r, i, v)
					}
				}
			}
		}
		out := runForwardBatch(fr, c, rng, func(_, _, b []T) { b[4], b[6] = inf, -inf })
		want := map[kernels.Activation][2]T{kernels.Identity: {inf, -inf}, kernels.Sigmoid: {1, 0}, kernels.ReLU: {inf, 0}, kernels.Tanh: {1, -1}}[h]
		for r := range c.batch {
			if got := [2]T{out[r*c.ldo+4], out[r*c.ldo+6]}; got != want {
				fr.Errorf("%v, b[4] = +Inf and b[6] = −Inf: out[%d][4,6] = %v, want %v", c, r, got, want)
			}
		}
	}
}

// runBackwardBatch runs DenseBackwardBatch on random data laid out as c
// says (a in (0, 1) for σ, (−1, 1) for tanh, ≥ 0 with zeros for ReLU) and
// checks it; it
// returns δ, dx, dW and db.
func runBackwardBatch[T floattest.Float](fr *failures, c batchCase, rng *rand.Rand, prep func(a, g []T)) (g, dx, dw, db []T) {
	fr.t.Helper()
	mW := newMatrix(c.m, c.n, c.ldw, c.offW, false, inputGuard[T]())
	mA := newMatrix(c.batch, c.m, c.ldo, c.offO, false, inputGuard[T]())
	mG := newMatrix(c.batch, c.m, c.ldg, c.offG, false, inputGuard[T]())
	mX := newMatrix(c.batch, c.n, c.ldx, c.offX, false, inputGuard[T]())
	mDx := newMatrix(c.batch, c.n, c.lddx, c.offDx, false, outputGuard[T]())
	mDw := newMatrix(c.m, c.n, c.lddw, c.offDw, false, outputGuard[T]())
	mDb := newGuarded(c.m, c.offDb, outputGuard[T]())
	w, a, x := mW.S(), mA.S(), mX.S()
	g, dx, dw, db = mG.S(), mDx.S(), mDw.S(), mDb.S()
	val := func() T { return uniform[T](rng) }
	fillRows(w, c.m, c.n, c.ldw, val)
	fillRows(x, c.batch, c.n, c.ldx, val)
	fillRows(g, c.batch, c.m, c.ldg, val)
	fillRows(a, c.batch, c.m, c.ldo, func() T {
		switch c.h {
		case kernels.Sigmoid:
			return T(rng.Float64())
		case kernels.Tanh:
			return T(2*rng.Float64() - 1)
		case kernels.ReLU:
			return max(0, val())
		}
		return val()
	})
	nan := func() T { return T(math.NaN()) }
	fillRows(dx, c.batch, c.n, c.lddx, nan)
	fillRows(dw, c.m, c.n, c.lddw, nan)
	fillRows(db, 1, c.m, c.m, nan)
	if prep != nil {
		prep(a, g)
	}
	for _, s := range []*guarded[T]{mW, mA, mG, mX, mDx, mDw, mDb} {
		s.Snapshot()
	}
	wantG, wantDx, wantDw, wantDb := slices.Clone(g), slices.Clone(dx), slices.Clone(dw), slices.Clone(db)
	if c.noDx {
		dx, wantDx = nil, nil
	}

	kernels.For[T]().DenseBackwardBatch(c.h, c.batch, c.m, c.n, w, c.ldw, a, c.ldo, g, c.ldg, x, c.ldx, dx, c.lddx, dw, c.lddw, db)

	where := lazyString(func() string { return fmt.Sprintf("%s DenseBackwardBatch %v", typeName[T](), c) })
	mW.CheckUnchanged(fr, where, "w")
	mA.CheckUnchanged(fr, where, "a")
	mX.CheckUnchanged(fr, where, "x")
	mG.CheckGaps(fr, where, "g", func(k int) bool { return isElem(c.batch, c.m, c.ldg, k) })
	mDw.CheckGaps(fr, where, "dw", func(k int) bool { return isElem(c.m, c.n, c.lddw, k) })
	mDb.CheckGuards(fr, where, "db")
	if c.noDx {
		mDx.CheckUnchanged(fr, where, "dx")
	} else {
		mDx.CheckGaps(fr, where, "dx", func(k int) bool { return isElem(c.batch, c.n, c.lddx, k) })
	}
	composedBackward(c, w, a, wantG, x, wantDx, wantDw, wantDb)
	sameMatrix(fr, where, "g (δ)", g, wantG)
	sameMatrix(fr, where, "dx", dx, wantDx)
	sameMatrix(fr, where, "dw", dw, wantDw)
	sameMatrix(fr, where, "db", db, wantDb)
	for i := range c.m {
		r := floattest.Dot(c.batch, func(k int) (float64, float64, float64) { return float64(g[k*c.ldg+i]), 1, 1 })
		if err := floattest.Check(db[i], r, r.AbsTimes(float64(max(0, c.batch-1))*floattest.Eps[T]())); err != nil {
			fr.Errorf("%v: db[%d]: %v", where, i, err)
		}
		for j := range c.n {
			r := floattest.Dot(c.batch, func(k int) (float64, float64, float64) {
				return float64(g[k*c.ldg+i]), float64(x[k*c.ldx+j]), 1
			})
			if err := floattest.Check(dw[i*c.lddw+j], r, boundGemm[T](c.batch, r)); err != nil {
				fr.Errorf("%v: dw[%d][%d]: %v", where, i, j, err)
			}
		}
	}
	for k := range c.batch {
		for j := range c.n {
			if c.noDx {
				break
			}
			r := floattest.Dot(c.m, func(i int) (float64, float64, float64) {
				return float64(g[k*c.ldg+i]), float64(w[i*c.ldw+j]), 1
			})
			if err := floattest.Check(dx[k*c.lddx+j], r, boundGemm[T](c.m, r)); err != nil {
				fr.Errorf("%v: dx[%d][%d]: %v", where, k, j, err)
			}
		}
	}
	return g, dx, dw, db
}

// TestDenseBackwardBatch checks δ, db, dW and dX over the sweep, for every
// activation, with and without dX.
func TestDenseBackwardBatch(t *testing.T) {
	runTypes(t, func(t *testing.T) { sweepBackwardBatch[float32](t, 35) }, func(t *testing.T) { sweepBackwardBatch[float64](t, 36) })
}

func sweepBackwardBatch[T floattest.Float](t *testing.T, seed uint64) {
	rng := newRand(seed)
	fr := &failures{t: t}
	for _, h := range denseActivations {
		for i, s := range batchShapes[T]() {
			c := randomBatchCase(rng, h, s[0], s[1], s[2])
			c.noDx = i%5 == 4
			runBackwardBatch[T](fr, c, rng, nil)
		}
	}
}

// TestDenseBackwardBatchSpecials checks that a NaN in g where h′ ≠ 0 reaches
// exactly its row of dW, its db and its sample's row of dX, and that ReLU
// stops it where a = 0.
func TestDenseBackwardBatchSpecials(t *testing.T) {
	runTypes(t, func(t *testing.T) { specialsBackwardBatch[float32](t, 37) }, func(t *testing.T) { specialsBackwardBatch[float64](t, 38) })
}

func specialsBackwardBatch[T floattest.Float](t *testing.T, seed uint64) {
	rng := newRand(seed)
	fr := &failures{t: t}
	for _, h := range denseActivations {
		for _, stopped := range []bool{false, true} {
			if stopped && h != kernels.ReLU {
				continue
			}
			c := randomBatchCase(rng, h, 9, 18, 13)
			const r0, i0 = 7, 16
			_, dx, dw, db := runBackwardBatch(fr, c, rng, func(a, g []T) {
				g[r0*c.ldg+i0] = T(math.NaN())
				a[r0*c.ldo+i0] = 0.5
				if stopped {
					a[r0*c.ldo+i0] = 0
				}
			})
			for i := range c.m {
				if hit := i == i0 && !stopped; hit != (db[i] != db[i]) {
					fr.Errorf("%v stopped=%t: db[%d] = %v", c, stopped, i, db[i])
				}
				for j := range c.n {
					if v := dw[i*c.lddw+j]; (i == i0 && !stopped) != (v != v) {
						fr.Errorf("%v stopped=%t: dw[%d][%d] = %v", c, stopped, i, j, v)
					}
				}
			}
			for k := range c.batch {
				for j := range c.n {
					if v := dx[k*c.lddx+j]; (k == r0 && !stopped) != (v != v) {
						fr.Errorf("%v stopped=%t: dx[%d][%d] = %v", c, stopped, k, j, v)
					}
				}
			}
		}
	}
}
