package nn

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// TrainConfig says how Network.Train runs.
type TrainConfig struct {
	// Epochs is the number of passes over the data, ≥ 1.
	Epochs int
	// BatchSize is the number of samples per optimizer step; 0 means 1
	// (per-sample training). The last batch of an epoch may be smaller.
	BatchSize int
	// Shuffle visits the samples in a fresh random order every epoch, drawn
	// from a PCG generator seeded with Seed and the epoch's number (see
	// Network.Epochs), so that every epoch has its own order even when each
	// Train call runs one epoch; otherwise in their order in x.
	Shuffle bool
	// Seed seeds the shuffling.
	Seed uint64
	// Schedule, if not nil, sets the optimizer's learning rate before
	// every epoch (the optimizer must be an LRSetter); see Schedule.
	Schedule Schedule
	// OnEpoch, if not nil, is called after every epoch. Returning ErrStop
	// ends training and Train returns nil; any other error ends training
	// and Train returns it.
	OnEpoch func(EpochStats) error
}

// EpochStats describes one epoch of training.
type EpochStats struct {
	Epoch         int           // 1-based, counted with the network across Train calls (Network.Epochs)
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
	Epoch int     // 1-based epoch, counted as EpochStats.Epoch
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
// Epochs are counted with the network (Epochs), across calls: the shuffle
// of an epoch depends on cfg.Seed and the epoch's number only, so ten calls
// of one epoch each visit the samples in the same ten orders as one call of
// ten epochs, and train the same weights.
//
// Per-sample training (BatchSize 1) with an SGD without momentum, with or
// without weight decay, takes the fused path of SGDStep instead, updating
// each layer during the backward pass (with weight decay λ,
// W ← (1 − LR·λ)·W − LR·δaᵀ in the same pass over W): the same update as
// Backward and SGD.Step up to rounding, without touching the layers'
// gradients.
//
// Train returns an error, before it changes anything, for a config or
// optimizer that makes no sense (Epochs < 1, BatchSize < 0, a learning
// rate that is not finite and positive, …: the error names the field and
// its value) and for x and y of lengths that do not match the network. It
// stops with a *DivergenceError naming the epoch and step when a batch's
// loss is not finite. The steps do not allocate; Train itself allocates the
// sample order once per call.
func (n *Network[T]) Train(x, y []T, opt Optimizer[T], cfg TrainConfig) error {
	return n.TrainContext(context.Background(), x, y, opt, cfg)
}

// TrainContext is Train that stops when ctx is done: it checks ctx before
// every optimizer step and returns ctx.Err() as soon as it finds it done.
// The network then holds the weights of the last step taken; the epoch cut
// short does not count (Epochs), nor is OnEpoch called for it.
func (n *Network[T]) TrainContext(ctx context.Context, x, y []T, opt Optimizer[T], cfg TrainConfig) error {
	if opt == nil {
		return errors.New("nn: Train: no optimizer")
	}
	bound, _ := opt.(boundOptimizer[T])
	if bound != nil && bound.network() != n {
		return errors.New("nn: Train: the optimizer was made for another network")
	}
	if err := cfg.validate(); err != nil {
		return fmt.Errorf("nn: Train: %w", err)
	}
	setLR, _ := opt.(LRSetter)
	if cfg.Schedule != nil && setLR == nil {
		return fmt.Errorf("nn: Train: TrainConfig.Schedule needs an optimizer with SetLR, have %T", opt)
	}
	in, out := n.In(), n.Out()
	if len(x)%in != 0 || len(y) != len(x)/in*out {
		return fmt.Errorf("nn: Train: len(x) = %d, len(y) = %d: want N×%d inputs and N×%d targets", len(x), len(y), in, out)
	}
	rows := len(x) / in
	if rows == 0 {
		return errors.New("nn: Train: no samples")
	}
	t := &trainer[T]{n: n, x: x, y: y, cfg: cfg, rows: rows, batch: max(1, cfg.BatchSize),
		ctx: ctx, done: ctx.Done()}
	t.sgd, _ = opt.(*SGD[T])
	t.step = opt.Step
	if bound != nil {
		t.step = bound.step
	}
	t.order = make([]int, rows)
	t.pcg = rand.NewPCG(0, 0)
	t.rng = rand.New(t.pcg)
	for range cfg.Epochs {
		if cfg.Schedule != nil {
			lr, err := scheduleLR(cfg.Schedule, n.epochs)
			if err != nil {
				return fmt.Errorf("nn: Train: %w", err)
			}
			setLR.SetLR(lr)
		}
		if v, ok := opt.(interface{ Validate() error }); ok {
			if err := v.Validate(); err != nil { // OnEpoch may have changed it
				return fmt.Errorf("nn: Train: %w", err)
			}
		}
		stats, err := t.epoch()
		if err != nil {
			return err
		}
		if cfg.OnEpoch != nil {
			err := cfg.OnEpoch(stats)
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

// validate checks the config's fields.
func (c TrainConfig) validate() error {
	if v, ok := c.Schedule.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			return err
		}
	}
	if c.Epochs < 1 {
		return fmt.Errorf("TrainConfig.Epochs = %d, want ≥ 1", c.Epochs)
	}
	if c.BatchSize < 0 {
		return fmt.Errorf("TrainConfig.BatchSize = %d, want ≥ 0 (0 means 1)", c.BatchSize)
	}
	return nil
}

// shuffleStream is the PCG stream of the shuffles, offset by the epoch.
const shuffleStream = 0x5851f42d4c957f2d

// trainer is one Train call in progress.
type trainer[T Float] struct {
	n           *Network[T]
	x, y        []T
	sgd         *SGD[T] // the optimizer, when it is an SGD (for the fused path)
	step        func()  // the optimizer's Step, without the use guard for this package's optimizers
	cfg         TrainConfig
	rows, batch int
	order       []int
	pcg         *rand.PCG
	rng         *rand.Rand
	ctx         context.Context
	done        <-chan struct{} // ctx.Done(), nil for a context that is never done
}

// epoch runs the network's next epoch, holding the use guard, and returns
// its statistics.
func (t *trainer[T]) epoch() (EpochStats, error) {
	n := t.n
	n.guard.write("Train")
	defer n.guard.unwrite()
	epoch := n.epochs + 1
	for i := range t.order {
		t.order[i] = i
	}
	if t.cfg.Shuffle {
		t.pcg.Seed(t.cfg.Seed, shuffleStream+uint64(epoch))
		t.rng.Shuffle(t.rows, func(i, j int) { t.order[i], t.order[j] = t.order[j], t.order[i] })
	}
	in, out := n.In(), n.Out()
	fused := t.batch == 1 && t.sgd != nil && t.sgd.fusable()
	start := time.Now()
	var sum float64
	correct := 0
	for i, lo := 1, 0; lo < t.rows; i, lo = i+1, lo+t.batch {
		select {
		case <-t.done:
			return EpochStats{}, t.ctx.Err()
		default:
		}
		hi := min(t.rows, lo+t.batch)
		var loss float64
		if fused {
			s := t.order[lo]
			ys := t.y[s*out : (s+1)*out]
			loss = n.sgdStep(t.x[s*in:(s+1)*in], ys, T(t.sgd.LR), t.sgd.decay())
			correct += n.correct(ys)
		} else {
			total, c := n.backprop(t.x, t.y, nil, t.order[lo:hi], hi-lo)
			loss = total / float64(hi-lo)
			correct += c
		}
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return EpochStats{}, &DivergenceError{Epoch: epoch, Step: i, Loss: loss}
		}
		if !fused {
			t.step()
		}
		sum += loss * float64(hi-lo)
	}
	n.epochs = epoch
	d := time.Since(start)
	return EpochStats{
		Epoch:         epoch,
		Loss:          sum / float64(t.rows),
		Accuracy:      float64(correct) / float64(t.rows),
		Samples:       t.rows,
		Duration:      d,
		SamplesPerSec: float64(t.rows) / max(d.Seconds(), 1e-9),
	}, nil
}

// Epochs returns the number of epochs Train has completed on the network,
// over all its calls: the next epoch is Epochs()+1, and its shuffle depends
// on it. A new or loaded network starts at 0; an optimizer's LoadState sets
// it to the count of the checkpoint; Clone copies it.
func (n *Network[T]) Epochs() int { return n.epochs }

// correct returns 1 if the output of the last forward pass has the class of
// the target y, 0 otherwise.
func (n *Network[T]) correct(y []T) int {
	if class(n.fw.a[len(n.fw.a)-1]) == class(y) {
		return 1
	}
	return 0
}
