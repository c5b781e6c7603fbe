package nn

import (
	"fmt"
	"math"
)

// Loss is the function training minimizes; see the package documentation for
// the formulas. Every loss is a mean over the samples of a batch.
type Loss int

// The losses a network can be trained with.
const (
	// MSE is the mean squared error over the batch and the outputs, as
	// PyTorch's MSELoss: any output activation.
	MSE Loss = iota
	// BCE is binary cross-entropy on a Sigmoid output layer, computed from
	// the logit as PyTorch's BCEWithLogitsLoss does, averaged over the batch
	// and the outputs; targets are 0/1 or probabilities.
	BCE
	// SoftmaxCrossEntropy is the cross-entropy of softmax(z) for an Identity
	// output layer of logits z, as PyTorch's CrossEntropyLoss with
	// probability (one-hot) targets; averaged over the batch.
	SoftmaxCrossEntropy
)

// String returns the loss's name as ParseLoss reads it: "mse", "bce" or
// "softmax_cross_entropy".
func (l Loss) String() string {
	switch l {
	case MSE:
		return "mse"
	case BCE:
		return "bce"
	case SoftmaxCrossEntropy:
		return "softmax_cross_entropy"
	}
	return fmt.Sprintf("Loss(%d)", int(l))
}

// ParseLoss returns the loss named s, as String spells it.
func ParseLoss(s string) (Loss, error) {
	l, err := parseLoss(s)
	if err != nil {
		return 0, fmt.Errorf("nn: %w", err)
	}
	return l, nil
}

func parseLoss(s string) (Loss, error) {
	for _, l := range []Loss{MSE, BCE, SoftmaxCrossEntropy} {
		if s == l.String() {
			return l, nil
		}
	}
	return 0, fmt.Errorf("unknown loss %q (want mse, bce or softmax_cross_entropy)", s)
}

func (l Loss) valid() bool {
	return l >= MSE && l <= SoftmaxCrossEntropy
}

// lossRows returns the sum of the losses ℓ of the samples of a block (the
// batch loss is the mean of ℓ over the samples): a holds the output layer's
// activations, rows of m values, y the targets and z the logits (needed by
// BCE only: for the other losses z may be nil). The sum runs over the rows
// in order, in float64.
//
// When g is not nil it receives, row by row, scale·∂ℓ/∂(output): ∂ℓ/∂z for
// BCE and SoftmaxCrossEntropy, ∂ℓ/∂a for MSE, whose output activation's
// derivative is still to be applied (see outputActivation). g may not alias
// a, z or y.
func lossRows[T Float](loss Loss, m int, z, a, y, g []T, scale float64) float64 {
	var sum float64
	for lo := 0; lo < len(a); lo += m {
		var gs, zs []T
		if g != nil {
			gs = g[lo : lo+m]
		}
		if z != nil {
			zs = z[lo : lo+m]
		}
		sum += sampleLoss(loss, zs, a[lo:lo+m], y[lo:lo+m], gs, scale)
	}
	return sum
}

// outputActivation returns the activation whose derivative turns the output
// gradient lossRows sets into the output layer's δ: the layer's own h for
// MSE, Identity for the losses whose gradient is taken at the logits.
func outputActivation(loss Loss, h Activation) Activation {
	if loss == MSE {
		return h
	}
	return Identity
}

// sampleLoss is lossRows for one sample.
func sampleLoss[T Float](loss Loss, z, a, y, g []T, scale float64) float64 {
	switch loss {
	case BCE:
		return bce(z, a, y, g, scale)
	case SoftmaxCrossEntropy:
		return softmaxCE(a, y, g, scale)
	}
	return mse(a, y, g, scale)
}

// mse returns Σⱼ (aⱼ − yⱼ)² / m and sets g = scale·2(a − y)/m.
func mse[T Float](a, y, g []T, scale float64) float64 {
	m := float64(len(a))
	var sum float64
	for j, aj := range a {
		d := float64(aj) - float64(y[j])
		sum += d * d
		if g != nil {
			g[j] = T(2 * d / m * scale)
		}
	}
	return sum / m
}

// bce returns Σⱼ [max(z,0) − z·y + log(1+e^(−|z|))] / m and sets
// δ = scale·(σ(z) − y)/m, with σ(z) already in a.
func bce[T Float](z, a, y, delta []T, scale float64) float64 {
	m := float64(len(z))
	var sum float64
	for j, zj := range z {
		zz, yj := float64(zj), float64(y[j])
		sum += max(zz, 0) - zz*yj + math.Log1p(math.Exp(-math.Abs(zz)))
		if delta != nil {
			delta[j] = T((float64(a[j]) - yj) / m * scale)
		}
	}
	return sum / m
}

// softmaxCE returns Σⱼ yⱼ·(lse(z) − zⱼ) and sets
// δ = scale·((Σⱼ yⱼ)·softmax(z) − y).
func softmaxCE[T Float](z, y, delta []T, scale float64) float64 {
	zmax := math.Inf(-1)
	for _, zj := range z {
		zmax = max(zmax, float64(zj))
	}
	var s, sy float64
	for j, zj := range z {
		s += math.Exp(float64(zj) - zmax)
		sy += float64(y[j])
	}
	lse := zmax + math.Log(s)
	var sum float64
	for j, zj := range z {
		zz, yj := float64(zj), float64(y[j])
		if yj != 0 { // 0·(lse − z) = 0 even where z = −∞
			sum += yj * (lse - zz)
		}
		if delta != nil {
			delta[j] = T((sy*math.Exp(zz-lse) - yj) * scale)
		}
	}
	return sum
}

// Softmax sets dst to the softmax of the logits z, dstⱼ = e^(zⱼ)/Σₖ e^(zₖ),
// computed with the max(z) shift so large logits do not overflow:
// the probabilities a SoftmaxCrossEntropy network's outputs stand for.
// len(dst) = len(z); dst may be z.
func Softmax[T Float](dst, z []T) {
	if len(dst) != len(z) {
		panic(fmt.Sprintf("nn: Softmax: len(dst) = %d, want len(z) = %d", len(dst), len(z)))
	}
	zmax := math.Inf(-1)
	for _, zj := range z {
		zmax = max(zmax, float64(zj))
	}
	var s float64
	for _, zj := range z {
		s += math.Exp(float64(zj) - zmax)
	}
	lse := zmax + math.Log(s)
	for j, zj := range z {
		dst[j] = T(math.Exp(float64(zj) - lse))
	}
}

// OneHot returns the len(labels)×classes row-major matrix whose row i is the
// one-hot vector of labels[i]: the targets SoftmaxCrossEntropy takes. A
// label outside [0, classes) is a data error: OneHot returns an error naming
// its index and value (and a nil matrix). It panics if classes < 1.
func OneHot[T Float](labels []int, classes int) ([]T, error) {
	if classes < 1 {
		panic(fmt.Sprintf("nn: OneHot: classes = %d, want ≥ 1", classes))
	}
	for i, l := range labels {
		if l < 0 || l >= classes {
			return nil, fmt.Errorf("nn: OneHot: labels[%d] = %d, want 0 ≤ label < %d", i, l, classes)
		}
	}
	y := make([]T, len(labels)*classes)
	for i, l := range labels {
		y[i*classes+l] = 1
	}
	return y, nil
}

// argmax returns the index of the largest value of v, the first on ties;
// NaN never wins.
func argmax[T Float](v []T) int {
	best := 0
	for j := 1; j < len(v); j++ {
		if v[j] > v[best] {
			best = j
		}
	}
	return best
}

// class returns the class an output vector stands for: for one output the
// decision a ≥ 0.5 (a probability or a 0/1 regression target), for several
// the index of the largest.
func class[T Float](out []T) int {
	if len(out) == 1 {
		if out[0] >= 0.5 {
			return 1
		}
		return 0
	}
	return argmax(out)
}
