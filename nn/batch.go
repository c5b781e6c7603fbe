package nn

import (
	"github.com/simdnn/simdnn/internal/impl"
	"github.com/simdnn/simdnn/kernels"
)

// The batch-major layer step: a block of B samples is a B×width row-major
// matrix (row s is sample s), and one layer's forward and backward passes
// over the block are a few matrix-matrix products instead of B
// matrix-vector ones, so that each weight is loaded once per block rather
// than once per sample. layerForward and layerBackward are the only places
// that know how; fused batch kernels can replace their bodies.

// blockRows is the number of samples the batch-major passes take at once.
// Longer batches (Predict, Evaluate and Backward on many rows, Train with
// BatchSize > blockRows) run block after block, so the scratch a network
// keeps is bounded by blockRows rows whatever the batch; 256 rows of the
// widest layers keep the GEMM in its efficient regime (a full kc = 256
// block of k for the weight gradient) at a few hundred KiB of scratch for
// an MNIST-sized network.
const blockRows = 256

// blockOnes32 and blockOnes64 are blockRows ones, read only: the vector
// whose product with δᵀ sums the rows of δ, the bias gradient.
var (
	blockOnes32 = ones[float32](blockRows)
	blockOnes64 = ones[float64](blockRows)
)

// ones returns n ones.
func ones[T Float](n int) []T {
	s := make([]T, n)
	for i := range s {
		s[i] = 1
	}
	return s
}

// blockOnes returns blockOnes32 or blockOnes64.
func blockOnes[T Float]() []T {
	if s, ok := any(blockOnes32).([]T); ok {
		return s
	}
	return any(blockOnes64).([]T)
}

// forwardGemmRows and backwardGemmRows are the smallest blocks that
// layerForward and layerBackward run through the batch kernels; smaller
// blocks run sample by sample through the fused per-sample kernels
// (DenseForward, DenseBackward), which read W once per sample. The forward
// product X·Wᵀ reads both X and W along their rows, unpacked (Gemm's dot
// path), and so reads W once per tile of rows instead of once per sample:
// it is ahead from two rows on (measured on 784-256-128-10 at batch 8: 150
// µs a step against 180 with per-sample forward passes below 32 rows). The
// per-sample backward pass reads W and reads and writes dW for every
// sample; Gemm first packs δ and X, and is ahead from 8 rows on.
const (
	forwardGemmRows  = 2
	backwardGemmRows = 8
)

// useGemm reports whether a block of rows samples runs through Gemm, given
// the crossover: only on an assembly implementation of the kernels. The
// pure-Go Gemm builds each float32 fused multiply-add exactly, by rounding
// to odd, to match the assembly bit for bit, and so runs 7–8× slower than
// the per-sample pure-Go kernels at every block size (measured at 32 and
// 256 rows of 784-256-128-10): without assembly the per-sample passes stay.
func useGemm(rows, crossover int) bool {
	return rows >= crossover && kernels.Implementation() != impl.Generic
}

// layerForward sets out = h(X·Wᵀ + 1·bᵀ) for the rows samples of X: x holds
// rows×l.in values and out receives rows×l.out, row-major, through
// DenseForwardBatch (bias and activation fused into the product's row
// blocks) from forwardGemmRows rows on.
func layerForward[T Float](k *kernels.Funcs[T], l *Layer[T], h Activation, rows int, x, out []T) {
	if !useGemm(rows, forwardGemmRows) {
		for s := range rows {
			k.DenseForward(h, l.out, l.in, l.w, l.in, x[s*l.in:(s+1)*l.in], l.b, out[s*l.out:(s+1)*l.out])
		}
		return
	}
	k.DenseForwardBatch(h, rows, l.out, l.in, l.w, l.in, x, l.in, l.b, out, l.out)
}

// layerBackward is one layer's backward pass over a block of rows samples.
// g holds rows×l.out values of ∂L/∂a (the gradient with respect to the
// layer's output a = h(z), also rows×l.out), and is turned in place into
// δ = ∂L/∂z = g ⊙ h′ (h = Identity when g is already δ); x is the layer's
// input, rows×l.in. Then
//
//	dW = δᵀ·X,   db = Σₛ δₛ,   dX = δ·W   (when dx is not nil: rows×l.in),
//
// written to the layer's WeightGrad and BiasGrad, or added to them when
// accumulate is set (a later block of the same batch). db is summed in row
// order, dbᵢ = (…((db⁰ᵢ + δ₀ᵢ) + δ₁ᵢ) + …) + δ_{rows−1,i}, with db⁰ = 0 when
// not accumulating; dW's sums run over the rows in increasing order too (in
// Gemm's blocks of kc = 256). dx must not overlap x, g or the layer.
func layerBackward[T Float](k *kernels.Funcs[T], l *Layer[T], h Activation, rows int, g, a, x, dx []T, accumulate bool) {
	backward(k, h, g, a)
	if !accumulate {
		clear(l.db)
	}
	if !useGemm(rows, backwardGemmRows) {
		if !accumulate {
			clear(l.dw)
		}
		for s := range rows {
			var dxs []T
			if dx != nil {
				dxs = dx[s*l.in : (s+1)*l.in]
			}
			k.DenseBackward(l.out, l.in, l.w, l.in, g[s*l.out:(s+1)*l.out], x[s*l.in:(s+1)*l.in], dxs, l.dw, l.in, l.db)
		}
		return
	}
	var beta T
	if accumulate {
		beta = 1
	}
	k.Gemm(kernels.Trans, kernels.NoTrans, l.out, l.in, rows, 1, g, l.out, x, l.in, beta, l.dw, l.in)
	// db += δᵀ·1 in one call: the assembly GemvT adds the rows to db one
	// after the other, each with one rounding (δ·1 is exact), in row order.
	k.GemvT(rows, l.out, 1, g, l.out, blockOnes[T]()[:rows], 1, l.db)
	if dx != nil {
		k.Gemm(kernels.NoTrans, kernels.NoTrans, rows, l.in, l.out, 1, g, l.out, l.w, l.in, 0, dx, l.in)
	}
}
