package nn

import "github.com/simdnn/simdnn/internal/workers"

// The optimizers' updates are elementwise over the parameters, so they run
// on the kernels' workers (kernels.SetWorkers) in contiguous ranges, each
// parameter updated by one part with the operations it would see on one
// goroutine: the same bits for every number of workers.

// paramPartElems is the fewest parameters a part is given: 16 Ki, about
// 12 µs of Adam's update on one core and 2 µs of plain SGD's (measured on
// the 235 146 parameters of 784-256-128-10, where two workers ran Adam's
// Step 2.0× and SGD's 1.6× faster than one), so that small networks stay
// on the caller.
const paramPartElems = 1 << 14

// paramUnit is the granularity of the ranges: 64 bytes of float32, so that
// two parts share no cache line of float32 parameters.
const paramUnit = 16

// rangeUpdate is an elementwise update that can run on any range of the
// parameters: update(lo, hi) touches parameters lo to hi−1 only.
type rangeUpdate interface {
	update(lo, hi int)
}

// paramSplit runs a rangeUpdate over n parameters in parts. An optimizer
// keeps one, so that a warm step allocates nothing.
type paramSplit struct {
	n, parts int
	u        rangeUpdate
	done     chan struct{} // the parts' completions: room for parts−1
}

// run calls u.update over [0, n), in parts on the workers when n is large
// enough.
func (s *paramSplit) run(n int, u rangeUpdate) {
	parts := min(workers.Count(), n/paramPartElems)
	if parts <= 1 {
		u.update(0, n)
		return
	}
	if cap(s.done) < parts-1 {
		s.done = make(chan struct{}, parts-1)
	}
	s.n, s.parts, s.u = n, parts, u
	workers.Run(s, parts, s.done)
	s.u = nil
}

// RunPart updates part p's range of the parameters.
func (s *paramSplit) RunPart(p int) {
	if lo, hi := workers.Split(s.n, paramUnit, s.parts, p); lo < hi {
		s.u.update(lo, hi)
	}
}
