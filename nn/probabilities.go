package nn

import "fmt"

// ClassifyBatch writes the class of each of the N samples of x (N×In()
// values) to dst (N values): Classify of every row, computed block by
// block as Predict does. It panics if the lengths do not match. It is safe
// for concurrent use.
func (n *Network[T]) ClassifyBatch(dst []int, x []T) {
	in, out := n.In(), n.Out()
	if len(x)%in != 0 || len(dst) != len(x)/in {
		panic(fmt.Sprintf("nn: ClassifyBatch: len(x) = %d, len(dst) = %d: want N×%d inputs and N classes", len(x), len(dst), in))
	}
	n.guard.read("ClassifyBatch")
	defer n.guard.done()
	s := n.infer.get(n)
	rows := len(dst)
	s.grow(n.layers, min(rows, blockRows))
	for lo := 0; lo < rows; lo += blockRows {
		r := min(blockRows, rows-lo)
		a := s.forward(n.k, n.layers, r, x[lo*in:(lo+r)*in], false)
		for i := range r {
			dst[lo+i] = class(a[i*out : (i+1)*out])
		}
	}
	n.infer.put(s)
}

// Probabilities writes to dst (N×Out() values) the probabilities the
// outputs of the N samples of x stand for under the network's loss: the
// softmax of each row of logits for SoftmaxCrossEntropy (each row sums to
// 1; PyTorch's softmax(model(x), dim=1)), and for BCE the sigmoid outputs
// themselves, one independent probability per output (torch.sigmoid of the
// logits). An MSE network predicts values, not probabilities: Probabilities
// panics, as it does if the lengths do not match. It is safe for concurrent
// use.
func (n *Network[T]) Probabilities(dst, x []T) {
	if n.arch.Loss == MSE {
		panic("nn: Probabilities: an MSE network predicts values, not probabilities (use Predict)")
	}
	n.guard.read("Probabilities")
	defer n.guard.done()
	s := n.infer.get(n)
	predict(n.k, n.layers, s, "Probabilities", dst, x)
	n.infer.put(s)
	if n.arch.Loss == SoftmaxCrossEntropy {
		out := n.Out()
		for lo := 0; lo < len(dst); lo += out {
			Softmax(dst[lo:lo+out], dst[lo:lo+out])
		}
	}
}
