package workers

import (
	"sync"
	"sync/atomic"
	"testing"
)

// countingJob records how many times each part ran. Its parts other than 0
// wait for part 0 to start when gated: part 0 runs on the caller after every
// part has been handed out, so no pool goroutine is back on the idle list
// before the last one is taken, and the pool's growth does not depend on
// how fast the parts run.
type countingJob struct {
	runs  []atomic.Int32
	gated bool
	gate  chan struct{}
	once  sync.Once
}

func newCountingJob(parts int, gated bool) *countingJob {
	return &countingJob{runs: make([]atomic.Int32, parts), gated: gated, gate: make(chan struct{})}
}

func (j *countingJob) RunPart(p int) {
	if p == 0 {
		j.once.Do(func() { close(j.gate) })
	} else if j.gated {
		<-j.gate
	}
	j.runs[p].Add(1)
}

// run runs j in parts on the pool and checks that every part ran once.
func (j *countingJob) run(t *testing.T) {
	t.Helper()
	parts := len(j.runs)
	Run(j, parts, make(chan struct{}, max(0, parts-1)))
	for p := range j.runs {
		if n := j.runs[p].Load(); n != 1 {
			t.Errorf("setting %d, %d parts: part %d ran %d times, want 1", Count(), parts, p, n)
		}
	}
}

// TestRunEveryPartOnce checks that Run runs each part exactly once, whether
// the pool has a goroutine for it or the caller runs it.
func TestRunEveryPartOnce(t *testing.T) {
	defer Set(Set(1))
	for _, setting := range []int{1, 2, 3, 7} {
		Set(setting)
		for parts := 1; parts <= 9; parts++ {
			for _, gated := range []bool{false, true} {
				newCountingJob(parts, gated).run(t)
			}
		}
	}
}

// TestPoolSize checks how the pool grows and empties: a call of n parts
// leaves n−1 goroutines when the setting allows them, a smaller call does
// not shrink the pool, parts beyond the setting run on the caller, and
// Set(1) stops every idle goroutine.
func TestPoolSize(t *testing.T) {
	defer Set(Set(1))
	check := func(what string, want int) {
		t.Helper()
		if got := Size(); got != want {
			t.Errorf("%s: pool has %d goroutines, want %d", what, got, want)
		}
	}
	check("at setting 1", 0)
	Set(4)
	newCountingJob(4, true).run(t)
	check("after a 4-part call at setting 4", 3)
	newCountingJob(2, true).run(t)
	check("after a 2-part call at setting 4", 3)
	Set(1)
	check("after Set(1)", 0)
	Set(2)
	newCountingJob(4, true).run(t)
	check("after a 4-part call at setting 2", 1)
	Set(1)
	newCountingJob(3, false).run(t)
	check("after a 3-part call at setting 1", 0)
}

// TestSplit checks that the parts of Split tile [0, n) in order, cut at
// multiples of unit, and differ in size by at most one unit.
func TestSplit(t *testing.T) {
	for _, n := range []int{0, 1, 5, 16, 17, 100, 1023} {
		for _, unit := range []int{1, 4, 16} {
			for parts := 1; parts <= 9; parts++ {
				next, smallest, largest := 0, n, 0
				for p := range parts {
					lo, hi := Split(n, unit, parts, p)
					if lo != next || hi < lo || (lo%unit != 0 && lo != n) || (hi%unit != 0 && hi != n) {
						t.Fatalf("Split(%d, %d, %d, %d) = [%d, %d), want a span starting at %d, cut at multiples of %d", n, unit, parts, p, lo, hi, next, unit)
					}
					next = hi
					smallest, largest = min(smallest, hi-lo), max(largest, hi-lo)
				}
				if next != n {
					t.Errorf("Split(%d, %d, %d, ·) ends at %d, want %d", n, unit, parts, next, n)
				}
				if n >= unit*parts && largest-smallest > unit {
					t.Errorf("Split(%d, %d, %d, ·): parts of %d to %d elements, want sizes within one unit", n, unit, parts, smallest, largest)
				}
			}
		}
	}
}
