package kernels

import "math"

// AdamCoefs are the scalars of one Adam or AdamW step (Sadam): the step's
// bias corrections folded into StepSize and InvBias2, as torch.optim.Adam
// computes them for step t with learning rate lr:
//
//	StepSize = lr/(1 − β₁ᵗ),   InvBias2 = 1/√(1 − β₂ᵗ),
//	Decay = 1 − lr·λ and L2 = 0 for AdamW's decoupled decay λ,
//	Decay = 1 and L2 = λ for Adam's L2 penalty λ.
type AdamCoefs[T Float] struct {
	Decay, L2, Beta1, Beta2, StepSize, InvBias2, Eps T
}

// Sadam applies one step of Adam's rule to the parameters w, with their
// gradients g and moment estimates m and v, element by element:
//
//	wᵢ ← Decay·wᵢ
//	gᵢ′ = gᵢ + L2·wᵢ
//	mᵢ ← β₁·mᵢ + (1−β₁)·gᵢ′
//	vᵢ ← β₂·vᵢ + ((1−β₂)·gᵢ′)·gᵢ′
//	wᵢ ← wᵢ − (StepSize·mᵢ) / (√vᵢ·InvBias2 + Eps)
//
// writing w, m and v (g is read only). Each operation is rounded to float32
// once, in this order, and none is fused with another, so every
// implementation gives the same bits (which NaN a NaN result carries aside),
// as PyTorch's unfused Adam computes it up to where its operations round.
// It panics unless len(g), len(m) and len(v) equal len(w); no two of them
// may overlap.
func Sadam(c AdamCoefs[float32], w, g, m, v []float32) {
	checkAdam("Sadam", len(w), len(g), len(m), len(v))
	adam(c, w, g, m, v)
}

// Dadam is Sadam for float64.
func Dadam(c AdamCoefs[float64], w, g, m, v []float64) {
	checkAdam("Dadam", len(w), len(g), len(m), len(v))
	adam(c, w, g, m, v)
}

func checkAdam(fn string, lenW, lenG, lenM, lenV int) {
	checkLen(fn, "g", lenG, "len(w)", lenW)
	checkLen(fn, "m", lenM, "len(w)", lenW)
	checkLen(fn, "v", lenV, "len(w)", lenW)
}

// adamStreams is the traffic of one element: w, m and v read and written,
// g read.
const adamStreams = 7

// adam runs the step in bounded pieces, the coefficients in the order the
// kernel reads them (asm/adam.go): Decay, L2, β₁, 1−β₁, β₂, 1−β₂, StepSize,
// InvBias2, Eps.
func adam[T Float](c AdamCoefs[T], w, g, m, v []T) {
	coef := [...]T{c.Decay, c.L2, c.Beta1, 1 - c.Beta1, c.Beta2, 1 - c.Beta2, c.StepSize, c.InvBias2, c.Eps}
	spans(len(w), maxCallElems[T]()/adamStreams, func(lo, hi int) {
		observeCall[T](adamStreams * (hi - lo))
		adamKernel(coef[:], w[lo:hi], g[lo:hi], m[lo:hi], v[lo:hi])
	})
}

// adamGo is the pure-Go adamKernel, operation for operation: each product
// is converted to T before it is added, which keeps the compiler from
// fusing the two (as it does on arm64, and on amd64 from GOAMD64=v3).
func adamGo[T Float](coef, w, g, m, v []T) {
	decay, l2, b1, c1, b2, c2 := coef[0], coef[1], coef[2], coef[3], coef[4], coef[5]
	stepSize, invBias2, eps := coef[6], coef[7], coef[8]
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	for i := range w {
		wi := T(decay * w[i])
		gi := g[i] + T(l2*wi)
		mi := T(b1*m[i]) + T(c1*gi)
		vi := T(b2*v[i]) + T(T(c2*gi)*gi)
		m[i], v[i] = mi, vi
		w[i] = wi - T(stepSize*mi)/(T(sqrt(vi)*invBias2)+eps)
	}
}

// sqrt is √x rounded once to T: float64's square root rounded to float32
// is the correctly rounded float32 one (53 ≥ 2·24 + 2 bits), which
// VSQRTPS computes.
func sqrt[T Float](x T) T { return T(math.Sqrt(float64(x))) }
