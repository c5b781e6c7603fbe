package nn

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// batchSizes are the batch sizes the batch-major paths are checked at: one
// sample, a few, either side of backwardGemmRows and forwardGemmRows (so
// per-sample and Gemm passes in every combination), off the GEMM's 6-row
// tile, and more than one block of blockRows.
var batchSizes = []int{1, 2, backwardGemmRows - 1, backwardGemmRows, forwardGemmRows - 1, forwardGemmRows, 33, blockRows + 44}

// batchArchs are networks of widths around 16 (the GEMM's 16-column tile
// edge: 15, 16, 17) with every loss and, across them, every activation in
// every position.
var batchArchs = []Architecture{
	arch(MSE, []int{17, 16, 15, 3}, Identity, Sigmoid, ReLU),
	arch(MSE, []int{17, 16, 15, 3}, ReLU, Identity, Sigmoid),
	arch(MSE, []int{17, 16, 15, 3}, Sigmoid, ReLU, Identity),
	arch(MSE, []int{17, 16, 15, 3}, Tanh, Sigmoid, Tanh),
	arch(BCE, []int{16, 17, 15, 2}, ReLU, Sigmoid, Sigmoid),
	arch(BCE, []int{15, 16, 1}, Identity, Sigmoid),
	arch(SoftmaxCrossEntropy, []int{16, 15, 17, 4}, Sigmoid, ReLU, Identity),
	arch(SoftmaxCrossEntropy, []int{17, 16, 10}, ReLU, Identity),
	arch(SoftmaxCrossEntropy, []int{16, 17, 15, 5}, ReLU, Tanh, Identity),
}

// TestBatchBackwardMatchesPerSample: Backward on a batch of B rows gives the
// loss, gradients and ∂L/∂x of the per-sample accumulation,
// (1/B)·Σₛ (Backward on row s alone), for every loss and activation, in
// float32 and float64, on every kernel path (on the pure-Go one both sides
// run per sample: see useGemm).
//
// The two compute the same sums in other orders (the batch path's GEMM
// forward pass rounds z differently from the per-sample GEMV, and its
// weight gradient sums the samples in Gemm's blocks), so they differ by
// rounding only. Each gradient is a sum over the B samples of products of
// the L forward and L backward quantities, each itself a sum of at most w
// (the widest layer) terms; the classic bound n·ε·Σ|terms| for each sum,
// compounded to first order, gives a normwise error per tensor of at most
//
//	γ·max_i Σₛ |gₛᵢ|,   γ = (2L+2)·(w+B)·ε,
//
// with gₛ the per-sample gradients: 1.6e-4 in float32 and 3e-13 in float64
// for the largest case here. A lost, doubled or misplaced sample changes a
// sum by about max Σₛ|gₛ| / B, far above γ at every B tested (and the
// float64 run separates them by nine orders of magnitude).
func TestBatchBackwardMatchesPerSample(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		testBatchBackward[float32](t)
		testBatchBackward[float64](t)
	})
}

func testBatchBackward[T Float](t *testing.T) {
	for ai, a := range batchArchs {
		for _, batch := range batchSizes {
			t.Run(fmt.Sprintf("%T/%v/batch=%d", T(0), a, batch), func(t *testing.T) {
				rng := newRand(uint64(100*ai + batch))
				n := mustNew[T](t, a, uint64(ai)+1)
				for _, l := range n.layers {
					copy(l.b, randSlice[T](rng, len(l.b), -0.5, 0.5))
				}
				in, out := n.In(), n.Out()
				x := randSlice[T](rng, batch*in, -2, 2)
				y := make([]T, batch*out)
				for i, v := range targets(rng, a.Loss, batch, out, ai%2 == 1) {
					y[i] = T(v)
				}

				// The per-sample reference, accumulated in float64.
				wantG := make([]float64, n.NumParams())
				absG := make([]float64, n.NumParams())
				wantDx := make([]float64, len(x))
				var wantLoss float64
				for s := range batch {
					dxs := make([]T, in)
					wantLoss += n.Backward(x[s*in:(s+1)*in], y[s*out:(s+1)*out], dxs) / float64(batch)
					for i, g := range n.Grads() {
						wantG[i] += float64(g) / float64(batch)
						absG[i] += math.Abs(float64(g)) / float64(batch)
					}
					for j, d := range dxs {
						wantDx[s*in+j] = float64(d) / float64(batch)
					}
				}

				dx := make([]T, len(x))
				loss := n.Backward(x, y, dx)
				L := n.NumLayers()
				w := max(in, out)
				for _, s := range a.Sizes {
					w = max(w, s)
				}
				gamma := float64(2*L+2) * float64(w+batch) * eps[T]()
				require.InDelta(t, wantLoss, loss, gamma*math.Abs(wantLoss), "loss")

				off := 0
				for li := range L {
					l := n.Layer(li)
					for _, part := range []struct {
						name string
						size int
					}{{"dW", l.In() * l.Out()}, {"db", l.Out()}} {
						r := off + part.size
						assertNormwise(t, gamma, n.Grads()[off:r], wantG[off:r], absG[off:r], "layer %d %s", li, part.name)
						off = r
					}
				}
				absDx := make([]float64, len(wantDx))
				for i, d := range wantDx {
					absDx[i] = math.Abs(d)
				}
				assertNormwise(t, gamma, dx, wantDx, absDx, "dx")
			})
		}
	}
}

// eps returns the unit roundoff of T.
func eps[T Float]() float64 {
	if _, ok := any(T(0)).(float32); ok {
		return 0x1p-24
	}
	return 0x1p-53
}

// assertNormwise requires max_i |got_i − want_i| ≤ gamma·max_i scale_i.
func assertNormwise[T Float](t *testing.T, gamma float64, got []T, want, scale []float64, msg string, args ...any) {
	t.Helper()
	var worst, norm float64
	at := 0
	for i, s := range scale {
		norm = max(norm, s)
		if d := math.Abs(float64(got[i]) - want[i]); d > worst {
			worst, at = d, i
		}
	}
	require.LessOrEqual(t, worst, gamma*norm, "%s: element %d is %v, want %v (bound %.3g·%.3g)",
		fmt.Sprintf(msg, args...), at, got[min(at, len(got)-1)], want[min(at, len(want)-1)], gamma, norm)
}

// TestBatchPredictMatchesRows: Predict, Evaluate and Classify on many rows
// (across the forwardGemmRows switch and over several blocks of blockRows) give
// what they give row by row. Each output is the last of L layers of sums of
// at most w terms, computed in another order: a normwise error of at most
// γ·max(1, max|output|) with γ = 2L·w·ε (the inputs, weights and
// activations are of order one, so no output is a cancelling sum of much
// larger terms). Every loss here changes by at most 2·Σy·|Δoutput|
// (softmax CE, Σy = 1) or less, so the mean loss by at most 4γ·max(1,
// max|output|); the classes may differ only where two outputs tie within γ,
// which these random data do not do.
func TestBatchPredictMatchesRows(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		testBatchPredict[float32](t)
		testBatchPredict[float64](t)
	})
}

func testBatchPredict[T Float](t *testing.T) {
	for ai, a := range batchArchs {
		rng := newRand(uint64(ai))
		n := mustNew[T](t, a, uint64(ai)+1)
		in, out := n.In(), n.Out()
		const rows = 2*blockRows + 17
		x := randSlice[T](rng, rows*in, -2, 2)
		y := make([]T, rows*out)
		for i, v := range targets(rng, a.Loss, rows, out, false) {
			y[i] = T(v)
		}
		w := 0
		for _, s := range a.Sizes {
			w = max(w, s)
		}
		gamma := float64(2*n.NumLayers()*w) * eps[T]()

		want := make([]float64, rows*out)
		var wantLoss float64
		for s := range rows {
			one := make([]T, out)
			n.Predict(one, x[s*in:(s+1)*in])
			for j, v := range one {
				want[s*out+j] = float64(v)
			}
			l, _ := n.Evaluate(x[s*in:(s+1)*in], y[s*out:(s+1)*out])
			wantLoss += l / rows
		}
		scale := make([]float64, len(want))
		maxOut := 1.0
		for _, v := range want {
			maxOut = max(maxOut, math.Abs(v))
		}
		for i := range scale {
			scale[i] = maxOut // normwise over all rows: max(1, max|output|)
		}
		for _, r := range []int{1, forwardGemmRows - 1, forwardGemmRows, 33, blockRows, rows} {
			got := make([]T, r*out)
			n.Predict(got, x[:r*in])
			assertNormwise(t, gamma, got, want[:r*out], scale[:r*out], "%v: Predict of %d rows", a, r)
		}
		loss, acc := n.Evaluate(x, y)
		require.InDelta(t, wantLoss, loss, 4*gamma*maxOut, "%v: Evaluate loss", a)
		correct := 0
		for s := range rows {
			if n.Classify(x[s*in:(s+1)*in]) == class(y[s*out:(s+1)*out]) {
				correct++
			}
		}
		require.Equal(t, float64(correct)/rows, acc, "%v: Evaluate accuracy", a)
	}
}
