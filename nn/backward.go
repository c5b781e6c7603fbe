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
// The passes run layer by layer on blocks of up to 256 samples at once
// (see layerForward and layerBackward); a longer batch adds each block's
// contribution to the gradients. The weights are not changed; an
// Optimizer's Step applies the gradients. Backward does not allocate once
// the network has seen a batch of this size (or of 256 or more).
func (n *Network[T]) Backward(x, y, dx []T) float64 {
	n.guard.write("Backward")
	defer n.guard.unwrite()
	rows := checkRows("Backward", x, y, "y", n.In(), n.Out())
	if dx != nil && len(dx) != len(x) {
		panic(fmt.Sprintf("nn: Backward: len(dx) = %d, want len(x) = %d", len(dx), len(x)))
	}
	if rows == 0 {
		clear(n.grads)
		return 0
	}
	sum, _ := n.backprop(x, y, dx, nil, rows)
	return sum / float64(rows)
}

// backprop sets the layers' gradients to those of the mean loss of rows
// samples and returns the sum of their losses and the number of them the
// forward pass classified right. Sample i is row i of x and y, or with idx
// not nil row idx[i], gathered block by block into the scratch (then dx
// must be nil); dx, when not nil, receives ∂L/∂x in the layout of x.
func (n *Network[T]) backprop(x, y, dx []T, idx []int, rows int) (float64, int) {
	k, s := n.k, &n.fw
	in, out := n.In(), n.Out()
	last := len(n.layers) - 1
	hOut := outputActivation(n.arch.Loss, n.layers[last].act)
	scale := 1 / float64(rows)
	s.grow(n.layers, min(rows, blockRows))
	var sum float64
	correct := 0
	for lo := 0; lo < rows; lo += blockRows {
		r := min(blockRows, rows-lo)
		var xb, yb, dxb []T
		if idx != nil {
			xb, yb = s.x[:r*in], s.y[:r*out]
			for i, row := range idx[lo : lo+r] {
				copy(xb[i*in:(i+1)*in], x[row*in:(row+1)*in])
				copy(yb[i*out:(i+1)*out], y[row*out:(row+1)*out])
			}
		} else {
			xb, yb = x[lo*in:(lo+r)*in], y[lo*out:(lo+r)*out]
		}
		if dx != nil {
			dxb = dx[lo*in : (lo+r)*in]
		}
		a := s.forward(k, n.layers, r, xb, true)
		g := s.g[last][:r*out]
		sum += lossRows(n.arch.Loss, out, s.logits(r, out), a, yb, g, scale)
		correct += countCorrect(out, a, yb)
		for l := last; l >= 0; l-- {
			ly := &n.layers[l]
			h, gPrev := hOut, dxb
			if l < last {
				h = ly.act
			}
			if l > 0 {
				gPrev = s.g[l-1][:r*ly.in]
			}
			layerBackward(k, ly, h, r, s.g[l][:r*ly.out], s.a[l][:r*ly.out], s.input(n.layers, l, r, xb), gPrev, lo > 0)
		}
	}
	return sum, correct
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
	n.guard.write("SGDStep")
	defer n.guard.unwrite()
	return n.sgdStep(x, y, lr, 1)
}

// sgdStep is SGDStep with weight decay: each layer's W and b are first
// scaled by decay = 1 − lr·λ, in the same pass (kernels.SdenseBackwardSGD,
// given a dx for the first layer too so that it stays one pass). decay = 1
// is SGDStep's update bit for bit.
func (n *Network[T]) sgdStep(x, y []T, lr, decay T) float64 {
	k, s := n.k, &n.fw
	out := n.Out()
	a := s.forward(k, n.layers, 1, x, true)
	last := len(n.layers) - 1
	g := s.g[last][:out]
	loss := sampleLoss(n.arch.Loss, s.logits(1, out), a, y, g, 1)
	backward(k, outputActivation(n.arch.Loss, n.layers[last].act), g, a)
	for l := last; l >= 0; l-- {
		ly := &n.layers[l]
		var gPrev []T
		switch {
		case l > 0:
			gPrev = s.g[l-1][:ly.in]
		case decay != 1:
			gPrev = n.dxDecay
		}
		k.DenseBackwardSGD(ly.out, ly.in, lr, decay, ly.w, ly.in, s.g[l][:ly.out], s.input(n.layers, l, 1, x), gPrev, ly.b)
		if l > 0 {
			backward(k, n.layers[l-1].act, gPrev, s.a[l-1][:ly.in])
		}
	}
	return loss
}
