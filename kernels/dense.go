package kernels

import "fmt"

// Activation is the function h of a dense layer a = h(Wx + b).
type Activation int

// The activations of the fused dense kernels.
const (
	Identity Activation = iota // h(z) = z
	Sigmoid                    // h(z) = σ(z) = 1/(1+e^(−z)), as Ssigmoid
	ReLU                       // h(z) = max(z, 0), as Srelu
	Tanh                       // h(z) = tanh(z), as Stanh
)

// Activations returns every activation, in the order of their values.
func Activations() []Activation { return []Activation{Identity, Sigmoid, ReLU, Tanh} }

// String returns the activation's name: "identity", "sigmoid", "relu" or
// "tanh".
func (h Activation) String() string {
	switch h {
	case Identity:
		return "identity"
	case Sigmoid:
		return "sigmoid"
	case ReLU:
		return "relu"
	case Tanh:
		return "tanh"
	}
	return fmt.Sprintf("Activation(%d)", int(h))
}

// SdenseForward computes a dense layer's output out = h(Wx + b) for a
// row-major m×n float32 weight matrix W with leading dimension ldw (the
// PyTorch nn.Linear layout: one row per output), len(x) = n and
// len(b) = len(out) = m, in one call and one pass over W. out must not
// overlap x or W; it may be b itself.
//
// The result is Sgemv's with β = 1 on a copy of b, then the activation:
// within Sgemv's bound before h, and bit-identical to Ssigmoid or Srelu of
// that after.
func SdenseForward(h Activation, m, n int, w []float32, ldw int, x, b, out []float32) {
	checkDenseForward("SdenseForward", h, m, n, len(w), ldw, len(x), len(b), len(out))
	copy(out, b)
	gemvSerial(m, n, 1, w, ldw, x, 1, out)
	activate(h, out, out)
}

// DdenseForward computes out = h(Wx + b) for float64; see SdenseForward.
func DdenseForward(h Activation, m, n int, w []float64, ldw int, x, b, out []float64) {
	checkDenseForward("DdenseForward", h, m, n, len(w), ldw, len(x), len(b), len(out))
	copy(out, b)
	gemvSerial(m, n, 1, w, ldw, x, 1, out)
	activate(h, out, out)
}

// SdenseBackward is the backward step of a dense layer for mini-batch
// training: given δ = dL/dz (len m) and the layer's input x (len n), it
// computes dx = Wᵀδ (skipped when dx is nil), dW += δxᵀ and db += δ, reading
// W and dW once and writing dW once. dW is row-major m×n with leading
// dimension lddw, like W. dx must not overlap W, dW, δ or x.
//
// Each dxⱼ is within SgemvT's bound, each dWᵢⱼ within Sger's, each dbᵢ
// within Saxpy's.
func SdenseBackward(m, n int, w []float32, ldw int, delta, x, dx, dw []float32, lddw int, db []float32) {
	checkDenseBackward("SdenseBackward", m, n, len(w), ldw, len(delta), len(x), dx != nil, len(dx))
	checkMatrix("SdenseBackward", "dw", m, n, len(dw), lddw)
	checkLen("SdenseBackward", "db", len(db), "m", m)
	denseBackward(m, n, w, ldw, delta, x, dx, dw, lddw)
	axpy(1, delta, db)
}

// DdenseBackward is SdenseBackward for float64.
func DdenseBackward(m, n int, w []float64, ldw int, delta, x, dx, dw []float64, lddw int, db []float64) {
	checkDenseBackward("DdenseBackward", m, n, len(w), ldw, len(delta), len(x), dx != nil, len(dx))
	checkMatrix("DdenseBackward", "dw", m, n, len(dw), lddw)
	checkLen("DdenseBackward", "db", len(db), "m", m)
	denseBackward(m, n, w, ldw, delta, x, dx, dw, lddw)
	axpy(1, delta, db)
}

// SdenseBackwardSGD is the backward step of a dense layer fused with its
// gradient-descent update, for per-sample training: given δ = dL/dz (len m)
// and the layer's input x (len n), it computes dx = Wᵀδ with W as it was
// before the update (skipped when dx is nil, as for a first layer), then
//
//	W ← decay·W − lr·δxᵀ,   b ← decay·b − lr·δ,
//
// in one pass over W: each element is read once and written once. decay is
// 1 − lr·λ for L2 weight decay λ (PyTorch's SGD weight_decay: the gradient
// g + λw), and 1 for plain SGD, which gives bit for bit the update without
// the factor. lr = 0 gives W ← decay·W and b ← decay·b without forming
// δxᵀ (the BLAS α = 0 rule), so decay = 1 then leaves them as they are.
// With dx nil and decay ≠ 1, W is scaled in a pass of its own before Sger's:
// a caller that wants one pass with weight decay passes a dx it ignores.
// dx must not overlap W, δ or x.
//
// dx is within SgemvT's bound; each element of W within Sger's bound for
// α = −lr with aᵢⱼ replaced by decay·wᵢⱼ, 3ε(lr|δᵢ||xⱼ| + |decay·wᵢⱼ|), and
// of b within Saxpy's, 2ε(lr|δᵢ| + |decay·bᵢ|).
func SdenseBackwardSGD(m, n int, lr, decay float32, w []float32, ldw int, delta, x, dx, b []float32) {
	checkDenseBackward("SdenseBackwardSGD", m, n, len(w), ldw, len(delta), len(x), dx != nil, len(dx))
	checkLen("SdenseBackwardSGD", "b", len(b), "m", m)
	denseBackwardSGD(m, n, lr, decay, w, ldw, delta, x, dx)
	scaleBy(decay, b)
	axpy(-lr, delta, b)
}

// DdenseBackwardSGD is SdenseBackwardSGD for float64.
func DdenseBackwardSGD(m, n int, lr, decay float64, w []float64, ldw int, delta, x, dx, b []float64) {
	checkDenseBackward("DdenseBackwardSGD", m, n, len(w), ldw, len(delta), len(x), dx != nil, len(dx))
	checkLen("DdenseBackwardSGD", "b", len(b), "m", m)
	denseBackwardSGD(m, n, lr, decay, w, ldw, delta, x, dx)
	scaleBy(decay, b)
	axpy(-lr, delta, b)
}

// scaleBy multiplies v by decay element by element, as the fused kernel
// does W (so 0·Inf is NaN, not the 0 of the BLAS scal rule); decay = 1
// leaves it untouched.
func scaleBy[T Float](decay T, v []T) {
	if decay == 1 {
		return
	}
	for i := range v {
		v[i] *= decay
	}
}

func checkDenseForward(fn string, h Activation, m, n, lenW, ldw, lenX, lenB, lenOut int) {
	checkActivation(fn, h)
	checkMatrix(fn, "w", m, n, lenW, ldw)
	checkLen(fn, "x", lenX, "n", n)
	checkLen(fn, "b", lenB, "m", m)
	checkLen(fn, "out", lenOut, "m", m)
}

func checkDenseBackward(fn string, m, n, lenW, ldw, lenDelta, lenX int, haveDx bool, lenDx int) {
	checkMatrix(fn, "w", m, n, lenW, ldw)
	checkLen(fn, "delta", lenDelta, "m", m)
	checkLen(fn, "x", lenX, "n", n)
	if haveDx {
		checkLen(fn, "dx", lenDx, "n", n)
	}
}

// denseBackward computes dx = Wᵀδ and dW += δxᵀ block by block. Each call
// reads its block of W, δ and x and reads and writes its block of dW and dx.
func denseBackward[T Float](m, n int, w []T, ldw int, delta, x, dx, dw []T, lddw int) {
	if dx == nil {
		ger(m, n, 1, delta, x, dw, lddw)
		return
	}
	clear(dx)
	if m == 0 || n == 0 {
		return
	}
	blocks[T](m, n, 3, 1, 3, 1, func(r0, r1, c0, c1 int) {
		observeCall[T](3*(r1-r0)*(c1-c0) + (r1 - r0) + 3*(c1-c0))
		denseBackwardKernel(w[r0*ldw+c0:(r1-1)*ldw+c1], ldw, dw[r0*lddw+c0:(r1-1)*lddw+c1], lddw, delta[r0:r1], x[c0:c1], dx[c0:c1])
	})
}

// denseBackwardSGD computes dx = Wᵀδ, then W ← decay·W − lr·δxᵀ, block by
// block. Each call reads its block of δ and x and reads and writes its block
// of W and dx.
func denseBackwardSGD[T Float](m, n int, lr, decay T, w []T, ldw int, delta, x, dx []T) {
	if lr == 0 || dx == nil {
		// No fused pass: dx alone, or no dx, where the update needs no
		// reading of W before it; with weight decay a first pass scales W.
		if dx != nil {
			clear(dx) // Wᵀδ = 0 also when m = 0, where gemvTSerial returns at once
			gemvTSerial(m, n, 1, w, ldw, delta, 1, dx)
		}
		for i := range min(n, 1) * m {
			scaleBy(decay, w[i*ldw:][:n])
		}
		ger(m, n, -lr, delta, x, w, ldw)
		return
	}
	clear(dx)
	if m == 0 || n == 0 {
		return
	}
	blocks[T](m, n, 2, 1, 3, 1, func(r0, r1, c0, c1 int) {
		observeCall[T](2*(r1-r0)*(c1-c0) + (r1 - r0) + 3*(c1-c0))
		denseBackwardSGDKernel(w[r0*ldw+c0:(r1-1)*ldw+c1], ldw, delta[r0:r1], x[c0:c1], dx[c0:c1], -lr, decay)
	})
}
