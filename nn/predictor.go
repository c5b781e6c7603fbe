package nn

// Predictor runs a Network forward with buffers of its own, so that many
// goroutines can predict with one network at once: each goroutine uses its
// own Predictor, and all of them read the network's weights. The weights
// must not change (no training, SetWeights or writes through Weights) while
// Predictors use them. A Predictor itself is not safe for concurrent use.
type Predictor[T Float] struct {
	n  *Network[T]
	fw forward[T]
}

// NewPredictor returns a Predictor for n. It allocates only the
// activation buffers (one vector per layer); the weights are shared.
func (n *Network[T]) NewPredictor() *Predictor[T] {
	return &Predictor[T]{n: n, fw: newForward(n.layers, n.arch.Loss)}
}

// Predict is Network.Predict on the Predictor's own buffers.
func (p *Predictor[T]) Predict(dst, x []T) {
	predict(p.n.k, p.n.layers, &p.fw, "Predict", dst, x)
}

// Classify is Network.Classify on the Predictor's own buffers.
func (p *Predictor[T]) Classify(x []T) int {
	checkSample("Classify", "x", len(x), p.n.In())
	return class(p.fw.run(p.n.k, p.n.layers, x, false))
}

// Evaluate is Network.Evaluate on the Predictor's own buffers.
func (p *Predictor[T]) Evaluate(x, y []T) (loss, accuracy float64) {
	return evaluate(p.n.k, p.n.layers, &p.fw, p.n.arch.Loss, x, y)
}
