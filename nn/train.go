package nn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// TrainConfig says how Network.Train runs.
type TrainConfig struct {
	// Epochs is the number of passes over the data.
	Epochs int
	// BatchSize is the number of samples per optimizer step; 0 means 1
	// (per-sample training). The last batch of an epoch may be smaller.
	BatchSize int
	// Shuffle visits the samples in a fresh random order every epoch, drawn
	// from a PCG generator seeded with Seed; otherwise in their order in x.
	Shuffle bool
	// Seed seeds the shuffling.
	Seed uint64
	// OnEpoch, if not nil, is called after every epoch. Returning ErrStop
	// ends training and Train returns nil; any other error ends training
	// and Train returns it.
	OnEpoch func(EpochStats) error
}

// EpochStats describes one epoch of training.
type EpochStats struct {
	Epoch         int           // 1-based
	Loss          float64       // mean training loss of the epoch's samples, each measured before the step that used it
	Accuracy      float64       // fraction of the epoch's samples classified right, measured likewise
	Samples       int           // samples seen in the epoch
	Duration      time.Duration // wall time of the epoch
	SamplesPerSec float64       // Samples / Duration
}

// ErrStop is the error an OnEpoch callback returns to end training early
// without an error.
var ErrStop = errors.New("nn: stop training")

// DivergenceError is the error Train returns when a step's loss is NaN or
// infinite: the learning rate is too high for the data (or the data hold
// non-finite values). The network's weights are then no longer usable.
type DivergenceError struct {
	Epoch int     // 1-based epoch
	Step  int     // 1-based optimizer step within the epoch
	Loss  float64 // the non-finite loss
}

// Error names the loss, the epoch and the step, e.g. "nn: training
// diverged: loss NaN at epoch 13, step 239 (lower the learning rate?)".
func (e *DivergenceError) Error() string {
	return fmt.Sprintf("nn: training diverged: loss %v at epoch %d, step %d (lower the learning rate?)",
		e.Loss, e.Epoch, e.Step)
}

// boundOptimizer is one of this package's optimizers: it knows its network,
// and step is its Step without the use guard, for Train, which holds it.
type boundOptimizer[T Float] interface {
	network() *Network[T]
	step()
}

// Train fits the network to the N samples of x (N×In() values, row-major)
// and their targets y (N×Out() values) with opt, for cfg.Epochs passes of
// mini-batches of cfg.BatchSize samples: for each batch, the gradient of the
// batch's mean loss (as Backward computes it), then opt.Step().
//
// Per-sample training (BatchSize 1) with an SGD without momentum, with or
// without weight decay, takes the fused path of SGDStep instead, updating
// each layer during the backward pass (with weight decay λ,
// W ← (1 − LR·λ)·W − LR·δaᵀ in the same pass over W): the same update as
// Backward and SGD.Step up to rounding, without touching the layers'
// gradients.
//
// Train stops with a *DivergenceError naming the epoch and step when a batch's
// loss is not finite. The steps do not allocate; Train itself allocates the
// sample order once per call.
func (n *Network[T]) Train(x, y []T, opt Optimizer[T], cfg TrainConfig) error {
	if opt == nil {
		return errors.New("nn: Train: no optimizer")
	}
	bound, _ := opt.(boundOptimizer[T])
	if bound != nil && bound.network() != n {
		return errors.New("nn: Train: the optimizer was made for another network")
	}
	if cfg.Epochs < 0 || cfg.BatchSize < 0 {
		return fmt.Errorf("nn: Train: Epochs = %d, BatchSize = %d, want ≥ 0", cfg.Epochs, cfg.BatchSize)
	}
	in, out := n.In(), n.Out()
	if len(x)%in != 0 || len(y) != len(x)/in*out {
		return fmt.Errorf("nn: Train: len(x) = %d, len(y) = %d: want N×%d inputs and N×%d targets", len(x), len(y), in, out)
	}
	rows := len(x) / in
	if rows == 0 {
		return errors.New("nn: Train: no samples")
	}
	batch := max(1, cfg.BatchSize)
	sgd, _ := opt.(*SGD[T])
	fused := batch == 1 && sgd != nil && sgd.fusable()

	order := make([]int, rows)
	for i := range order {
		order[i] = i
	}
	step := opt.Step
	if bound != nil {
		step = bound.step
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, initStream))
	for epoch := 1; epoch <= cfg.Epochs; epoch++ {
		n.guard.write("Train")
		if cfg.Shuffle {
			rng.Shuffle(rows, func(i, j int) { order[i], order[j] = order[j], order[i] })
		}
		if sgd != nil {
			fused = batch == 1 && sgd.fusable() // OnEpoch may have changed it
		}
		start := time.Now()
		var sum float64
		correct := 0
		for i, lo := 1, 0; lo < rows; i, lo = i+1, lo+batch {
			hi := min(rows, lo+batch)
			var loss float64
			if fused {
				s := order[lo]
				ys := y[s*out : (s+1)*out]
				loss = n.sgdStep(x[s*in:(s+1)*in], ys, T(sgd.LR), sgd.decay())
				correct += n.correct(ys)
			} else {
				total, c := n.backprop(x, y, nil, order[lo:hi], hi-lo)
				loss = total / float64(hi-lo)
				correct += c
			}
			if math.IsNaN(loss) || math.IsInf(loss, 0) {
				n.guard.unwrite()
				return &DivergenceError{Epoch: epoch, Step: i, Loss: loss}
			}
			if !fused {
				step()
			}
			sum += loss * float64(hi-lo)
		}
		n.guard.unwrite() // OnEpoch may evaluate or save the network
		if cfg.OnEpoch != nil {
			d := time.Since(start)
			err := cfg.OnEpoch(EpochStats{
				Epoch:         epoch,
				Loss:          sum / float64(rows),
				Accuracy:      float64(correct) / float64(rows),
				Samples:       rows,
				Duration:      d,
				SamplesPerSec: float64(rows) / max(d.Seconds(), 1e-9),
			})
			if errors.Is(err, ErrStop) {
				return nil
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// correct returns 1 if the output of the last forward pass has the class of
// the target y, 0 otherwise.
func (n *Network[T]) correct(y []T) int {
	if class(n.fw.a[len(n.fw.a)-1]) == class(y) {
		return 1
	}
	return 0
}
