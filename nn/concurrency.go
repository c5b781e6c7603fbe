package nn

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// Concurrency: inference (Predict, Classify, Evaluate and what is built on
// them) runs on scratch buffers taken from a per-network sync.Pool, so any
// number of goroutines may call it on one Network at once, and once the
// pool holds warm buffers a call allocates nothing. What writes the weights
// (training, optimizer steps, Init) cannot overlap anything else on the
// same network without a lock on every call; rather than make inference
// pay for one, a use guard detects the overlap and panics.

// useGuard counts the inference calls in progress on a network and marks a
// call that writes it: two atomic operations per call, which detect every
// overlap of a writer with anything else, whatever the interleaving (the
// call that comes second sees the first and panics).
type useGuard struct {
	state atomic.Int64 // readers in progress, or writing when negative
}

const writing = -1 << 62

// read marks an inference call fn as started; done must follow.
func (g *useGuard) read(fn string) {
	if g.state.Add(1) < 0 {
		g.state.Add(-1)
		panic(fmt.Sprintf("nn: %s: called while the network is being trained or its weights changed "+
			"(Train, Backward, SGDStep, an optimizer's Step or Init) in another goroutine; "+
			"inference is safe for concurrent use, training is not", fn))
	}
}

// done marks an inference call as finished.
func (g *useGuard) done() { g.state.Add(-1) }

// write marks a call fn that changes the network as started; unwrite must
// follow.
func (g *useGuard) write(fn string) {
	if !g.state.CompareAndSwap(0, writing) {
		panic(fmt.Sprintf("nn: %s: called while another method runs on the same network in another goroutine; "+
			"training a network (Train, Backward, SGDStep, an optimizer's Step, Init) is not safe for concurrent use", fn))
	}
}

// unwrite marks a changing call as finished. It subtracts rather than
// stores, so that the +1 and −1 of a reader that saw the mark and is
// backing out commute with it.
func (g *useGuard) unwrite() { g.state.Add(-writing) }

// scratchPool hands out inference scratch for one network.
type scratchPool[T Float] struct {
	pool sync.Pool // of *scratch[T]
}

// get returns inference scratch for n: one from the pool, or one sample's
// worth when the pool is empty.
func (p *scratchPool[T]) get(n *Network[T]) *scratch[T] {
	if s, ok := p.pool.Get().(*scratch[T]); ok {
		return s
	}
	s := newScratch(n.layers, n.arch.Loss, false)
	return &s
}

// put returns s to the pool for the next call.
func (p *scratchPool[T]) put(s *scratch[T]) { p.pool.Put(s) }
