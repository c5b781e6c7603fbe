package kernels

// The dense layer on a mini-batch, batch-major: a batch of B inputs of width
// n is a row-major B×n matrix X (row r is sample r), the layer's output a
// B×m matrix, and W the m×n weight matrix with one row per output (the
// PyTorch nn.Linear layout). Both kernels run on the GEMM driver.

// SdenseForwardBatch computes a dense layer's output on a batch,
//
//	out = h(X·Wᵀ + 1·bᵀ),   outᵣᵢ = h(Σⱼ xᵣⱼ·wᵢⱼ + bᵢ),
//
// for X batch×n (leading dimension ldx), W m×n (ldw), len(b) = m and out
// batch×m (ldout). The bias is written into each tile of out before the
// tile's first block of products and h is applied to the tile right after
// its last, in the GEMM driver, so Z = X·Wᵀ + b never takes a pass of its
// own. out must not overlap x, w or b.
//
// The result is, bit for bit, Sgemm(NoTrans, Trans, batch, m, n, 1, x, ldx,
// w, ldw, 1, out, ldout) on an out whose rows were set to b, followed by
// Ssigmoid, Srelu or Stanh on out (Identity: nothing more). So before h each
// zᵣᵢ is within Sgemm's bound (n+2)·ε·(Σⱼ|xᵣⱼ||wᵢⱼ| + |bᵢ|), and h adds its
// own: σ and tanh are within 1 ULP of h(ẑ), |σ(ẑ) − σ(z)| ≤ |ẑ − z|/4 and
// |tanh(ẑ) − tanh(z)| ≤ |ẑ − z|; ReLU is exact on ẑ and |relu(ẑ) − relu(z)|
// ≤ |ẑ − z|.
func SdenseForwardBatch(h Activation, batch, m, n int, w []float32, ldw int, x []float32, ldx int, b, out []float32, ldout int) {
	checkDenseForwardBatch("SdenseForwardBatch", h, batch, m, n, len(w), ldw, len(x), ldx, len(b), len(out), ldout)
	denseForwardBatch(h, batch, m, n, w, ldw, x, ldx, b, out, ldout)
}

// DdenseForwardBatch computes out = h(X·Wᵀ + 1·bᵀ) for float64; see
// SdenseForwardBatch, with Dgemm, Dsigmoid, Drelu and Dtanh.
func DdenseForwardBatch(h Activation, batch, m, n int, w []float64, ldw int, x []float64, ldx int, b, out []float64, ldout int) {
	checkDenseForwardBatch("DdenseForwardBatch", h, batch, m, n, len(w), ldw, len(x), ldx, len(b), len(out), ldout)
	denseForwardBatch(h, batch, m, n, w, ldw, x, ldx, b, out, ldout)
}

// SdenseBackwardBatch is the backward step of a dense layer on a batch:
// given the layer's output a = h(z) (batch×m, leading dimension lda), the
// gradient g = dL/da (batch×m, ldg) and the layer's input X (batch×n, ldx),
// it computes
//
//	δ = g ⊙ h′(a)   into g, in place (Identity: δ = g, g is not touched),
//	db = Σᵣ δᵣ      (len m: the column sums of δ),
//	dW = δᵀ·X       (m×n, lddw),
//	dX = δ·W        (batch×n, lddx; skipped when dx is nil, as for a first layer),
//
// h′ taken from the output a as SsigmoidBackward and SreluBackward do.
// dW, db and dx are overwritten, not accumulated into (a batch's gradient is
// the step's whole gradient; a caller that sums several batches adds them
// itself), so whatever they held, NaN included, does not reach the result.
// g is the only input written: the caller's gradient buffer is the scratch
// δ needs, where PyTorch would allocate one. No two of a, g, x, w, dx, dw,
// db may overlap.
//
// δ is SsigmoidBackward's or SreluBackward's bit for bit, computed row by
// row, each row then added to db (which starts at 0) while it is in L1: each
// dbᵢ is summed over r in increasing order, within (batch−1)·ε·Σᵣ|δᵣᵢ|.
// dW and dX are Sgemm(Trans, NoTrans, m, n, batch, 1, δ, ldg, x, ldx, 0, dw,
// lddw) and Sgemm(NoTrans, NoTrans, batch, n, m, 1, δ, ldg, w, ldw, 0, dx,
// lddx) bit for bit, within Sgemm's bounds (k = batch and k = m). The δ pass
// is one elementwise pass over batch×m elements, not fused into the packing
// of δ: δ feeds three consumers (db, dW and dX), and at batch 32 the pass
// (with db) costs 0.6 % of the step for a 784→256 layer, 2 % for 256→128 and
// 9 % for 128→10 (BenchmarkDenseBatch, pass=delta against pass=backward).
func SdenseBackwardBatch(h Activation, batch, m, n int, w []float32, ldw int, a []float32, lda int, g []float32, ldg int, x []float32, ldx int, dx []float32, lddx int, dw []float32, lddw int, db []float32) {
	checkDenseBackwardBatch("SdenseBackwardBatch", h, batch, m, n, len(w), ldw, len(a), lda, len(g), ldg, len(x), ldx, dx != nil, len(dx), lddx, len(dw), lddw, len(db))
	denseBackwardBatch(h, batch, m, n, w, ldw, a, lda, g, ldg, x, ldx, dx, lddx, dw, lddw, db)
}

// DdenseBackwardBatch is SdenseBackwardBatch for float64, with Dgemm and
// DsigmoidBackward or DreluBackward.
func DdenseBackwardBatch(h Activation, batch, m, n int, w []float64, ldw int, a []float64, lda int, g []float64, ldg int, x []float64, ldx int, dx []float64, lddx int, dw []float64, lddw int, db []float64) {
	checkDenseBackwardBatch("DdenseBackwardBatch", h, batch, m, n, len(w), ldw, len(a), lda, len(g), ldg, len(x), ldx, dx != nil, len(dx), lddx, len(dw), lddw, len(db))
	denseBackwardBatch(h, batch, m, n, w, ldw, a, lda, g, ldg, x, ldx, dx, lddx, dw, lddw, db)
}

func denseForwardBatch[T Float](h Activation, batch, m, n int, w []T, ldw int, x []T, ldx int, b, out []T, ldout int) {
	f := gemmFused[T]{bias: b, h: h}
	gemm(NoTrans, Trans, batch, m, n, 1, x, ldx, w, ldw, 1, out, ldout, &f)
}

func denseBackwardBatch[T Float](h Activation, batch, m, n int, w []T, ldw int, a []T, lda int, g []T, ldg int, x []T, ldx int, dx []T, lddx int, dw []T, lddw int, db []T) {
	clear(db)
	for r := range min(m, 1) * batch {
		d := g[r*ldg:][:m]
		if h != Identity {
			activateBackward(h, d, d, a[r*lda:][:m])
		}
		axpy(1, d, db)
	}
	gemm(Trans, NoTrans, m, n, batch, 1, g, ldg, x, ldx, 0, dw, lddw, nil)
	if dx != nil {
		gemm(NoTrans, NoTrans, batch, n, m, 1, g, ldg, w, ldw, 0, dx, lddx, nil)
	}
}

// checkDenseForwardBatch panics unless the arguments describe a batch
// forward step: h, then batch, m, n, then W, X, b and out.
func checkDenseForwardBatch(fn string, h Activation, batch, m, n, lenW, ldw, lenX, ldx, lenB, lenOut, ldout int) {
	checkActivation(fn, h)
	checkSize(fn, "batch", batch)
	checkSize(fn, "m", m)
	checkSize(fn, "n", n)
	checkMatrixOf(fn, "w", "m", "n", m, n, lenW, ldw)
	checkMatrixOf(fn, "x", "batch", "n", batch, n, lenX, ldx)
	checkLen(fn, "b", lenB, "m", m)
	checkMatrixOf(fn, "out", "batch", "m", batch, m, lenOut, ldout)
}

// checkDenseBackwardBatch panics unless the arguments describe a batch
// backward step: h, then batch, m, n, then W, a, g, X, dx (when not nil),
// dW and db.
func checkDenseBackwardBatch(fn string, h Activation, batch, m, n, lenW, ldw, lenA, lda, lenG, ldg, lenX, ldx int, haveDx bool, lenDx, lddx, lenDw, lddw, lenDb int) {
	checkActivation(fn, h)
	checkSize(fn, "batch", batch)
	checkSize(fn, "m", m)
	checkSize(fn, "n", n)
	checkMatrixOf(fn, "w", "m", "n", m, n, lenW, ldw)
	checkMatrixOf(fn, "a", "batch", "m", batch, m, lenA, lda)
	checkMatrixOf(fn, "g", "batch", "m", batch, m, lenG, ldg)
	checkMatrixOf(fn, "x", "batch", "n", batch, n, lenX, ldx)
	if haveDx {
		checkMatrixOf(fn, "dx", "batch", "n", batch, n, lenDx, lddx)
	}
	checkMatrixOf(fn, "dw", "m", "n", m, n, lenDw, lddw)
	checkLen(fn, "db", lenDb, "m", m)
}
