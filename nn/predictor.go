package nn

// Predictor runs a Network forward with buffers of its own, so that many
// goroutines can predict with one network at once: each goroutine uses its
// own Predictor, and all of them read the network's weights. The weights
// must not change (no training, SetWeights or writes through Weights) while
// Predictors use them. A Predictor itself is not safe for concurrent use.
type Predictor[T Float] struct {
	n  *Network[T]
	fw scratch[T]
}

// NewPredictor returns a Predictor for n. It allocates only activation
// buffers, one sample's worth, grown once to the largest block of samples
// (at most 256) its Predict or Evaluate is given; the weights are shared.
func (n *Network[T]) NewPredictor() *Predictor[T] {
	return &Predictor[T]{n: n, fw: newScratch(n.layers, n.arch.Loss, false)}
}

// Predict is Network.Predict on the Predictor's own buffers.
func (p *Predictor[T]) Predict(dst, x []T) {
	predict(p.n.k, p.n.layers, &p.fw, "Predict", dst, x)
}

// Classify is Network.Classify on the Predictor's own buffers.
func (p *Predictor[T]) Classify(x []T) int {
	return classify(p.n.k, p.n.layers, &p.fw, x)
}

// Evaluate is Network.Evaluate on the Predictor's own buffers.
func (p *Predictor[T]) Evaluate(x, y []T) (loss, accuracy float64) {
	return evaluate(p.n.k, p.n.layers, &p.fw, p.n.arch.Loss, x, y)
}
