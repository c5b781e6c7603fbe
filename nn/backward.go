package nn

import "fmt"

// Backward runs the forward and backward passes over a batch: x holds B
// samples of In() values row-major and y their targets, B rows of Out()
// values. It returns the batch's mean loss and sets every layer's WeightGrad
// and BiasGrad to the gradient of that mean (overwriting, not accumulating:
// there is no zero_grad to call). When dx is not nil it also receives
// ∂L/∂x, B rows of In() values. An empty batch (B = 0) gives loss 0 and zero
// gradients. It panics if the lengths do not match.
//
// The weights are not changed; an Optimizer's Step applies the gradients.
// Backward does not allocate.
func (n *Network[T]) Backward(x, y, dx []T) float64 {
	rows := checkRows("Backward", x, y, "y", n.In(), n.Out())
	if dx != nil && len(dx) != len(x) {
		panic(fmt.Sprintf("nn: Backward: len(dx) = %d, want len(x) = %d", len(dx), len(x)))
	}
	clear(n.grads)
	if rows == 0 {
		return 0
	}
	in, out := n.In(), n.Out()
	scale := 1 / float64(rows)
	var sum float64
	for s := range rows {
		var dxs []T
		if dx != nil {
			dxs = dx[s*in : (s+1)*in]
		}
		sum += n.accumulate(x[s*in:(s+1)*in], y[s*out:(s+1)*out], dxs, scale)
	}
	return sum / float64(rows)
}

// accumulate runs one sample through the network and adds scale times the
// gradient of its loss to the layers' gradients, writing ∂ℓ/∂x·scale to dx
// when dx is not nil. It returns the sample's loss ℓ.
func (n *Network[T]) accumulate(x, y, dx []T, scale float64) float64 {
	k, f := n.k, &n.fw
	a := f.run(k, n.layers, x, true)
	last := len(n.layers) - 1
	loss := sampleLoss(k, n.arch.Loss, n.layers[last].act, f.z, a, y, n.delta[last], scale)
	for l := last; l >= 0; l-- {
		ly := &n.layers[l]
		g := dx
		if l > 0 {
			g = n.delta[l-1]
		}
		k.DenseBackward(ly.out, ly.in, ly.w, ly.in, n.delta[l], f.input(l, x), g, ly.dw, ly.in, ly.db)
		if l > 0 {
			backward(k, n.layers[l-1].act, g, f.a[l-1])
		}
	}
	return loss
}

// SGDStep trains the network on one sample with plain stochastic gradient
// descent: it runs the sample x (In() values, target y of Out() values)
// forward, then backward, updating each layer as soon as its δ is known,
//
//	W −= lr·δ aᵀ,   b −= lr·δ,
//
// in one pass over W per layer (kernels.SdenseBackwardSGD: the gradient that
// flows on to the previous layer uses W before its update, as backpropagation
// requires). It returns the sample's loss before the update. The layers'
// WeightGrad and BiasGrad are not touched. SGDStep does not allocate; it
// panics if the lengths do not match.
func (n *Network[T]) SGDStep(x, y []T, lr T) float64 {
	checkSample("SGDStep", "x", len(x), n.In())
	checkSample("SGDStep", "y", len(y), n.Out())
	return n.sgdStep(x, y, lr, 1)
}

// sgdStep is SGDStep with weight decay: each layer's W and b are first
// scaled by decay = 1 − lr·λ, in the same pass (kernels.SdenseBackwardSGD,
// given a dx for the first layer too so that it stays one pass). decay = 1
// is SGDStep's update bit for bit.
func (n *Network[T]) sgdStep(x, y []T, lr, decay T) float64 {
	k, f := n.k, &n.fw
	a := f.run(k, n.layers, x, true)
	last := len(n.layers) - 1
	loss := sampleLoss(k, n.arch.Loss, n.layers[last].act, f.z, a, y, n.delta[last], 1)
	for l := last; l >= 0; l-- {
		ly := &n.layers[l]
		var g []T
		switch {
		case l > 0:
			g = n.delta[l-1]
		case decay != 1:
			g = n.dxDecay
		}
		k.DenseBackwardSGD(ly.out, ly.in, lr, decay, ly.w, ly.in, n.delta[l], f.input(l, x), g, ly.b)
		if l > 0 {
			backward(k, n.layers[l-1].act, g, f.a[l-1])
		}
	}
	return loss
}
