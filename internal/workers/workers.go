// Package workers is the pool of goroutines that simdnn's kernels and nn
// share to run one call on several cores: a call is cut into parts, one
// runs on the caller and the others on goroutines that wait for work
// between calls. kernels.SetWorkers sets how many (Set here); the callers
// choose the cuts, which never change what any element of a result is
// computed from, so results are the same bits for every count.
package workers

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// setting is what Set was last given: 0 for GOMAXPROCS.
var setting atomic.Int64

// Set sets the number of goroutines a call runs on, its caller's included,
// and returns the previous setting; n = 0 means GOMAXPROCS at the time of
// each call, n = 1 runs everything on the caller and stops the idle
// goroutines. n must be ≥ 0 (kernels.SetWorkers checks it).
func Set(n int) (previous int) {
	previous = int(setting.Swap(int64(n)))
	if n == 1 {
		pool.stop()
	}
	return previous
}

// Count returns the number of goroutines a call runs on now: the Set
// setting, or GOMAXPROCS when it is 0.
func Count() int {
	if n := int(setting.Load()); n > 0 {
		return n
	}
	return runtime.GOMAXPROCS(0)
}

// Size returns the number of goroutines in the pool, for tests.
func Size() int {
	pool.mu.Lock()
	defer pool.mu.Unlock()
	return pool.size
}

// Job is a call cut into parts that may run on any goroutine at once.
type Job interface {
	RunPart(p int)
}

// task is one part of a call, handed to a pool goroutine: job.RunPart(part),
// then a send on done.
type task struct {
	job  Job
	part int
	done chan<- struct{}
}

// workerSpin is how long a pool goroutine polls for its next task, and a
// caller for its parts' completions, before it blocks. Waking a blocked
// goroutine takes 50–100 µs on the virtual machines measured here (an idle
// virtual CPU must be woken by the host), as long as a part of a 128³
// product; the calls of a training step come closer together than this, so
// their goroutines never block between them. OpenMP runtimes and OpenBLAS's
// threads wait the same way. The spin yields the processor at every turn,
// so it delays no runnable goroutine.
const workerSpin = 200 * time.Microsecond

// workerPool holds the goroutines that run the parts of calls. Each has a
// channel of its own and waits on it between tasks, on the idle list; a
// caller takes idle goroutines off the list, one per part, and hands each
// its part, so a handed part is never left waiting in a queue. A caller that
// finds no idle goroutine, with the pool at its size limit, runs the part
// itself: a call never waits for another call's parts.
type workerPool struct {
	mu    sync.Mutex
	idle  []*worker
	size  int // goroutines started and not stopped
	limit int // the most goroutines the pool keeps
}

// A worker is one pool goroutine's channel: buffered, so that handing it a
// task never blocks, even before it is back at its receive.
type worker struct{ tasks chan task }

var pool workerPool

// take returns an idle worker, starting one if there is none and the pool
// has fewer than limit goroutines, or nil.
func (wp *workerPool) take(limit int) *worker {
	wp.mu.Lock()
	defer wp.mu.Unlock()
	wp.limit = limit
	if n := len(wp.idle); n > 0 {
		w := wp.idle[n-1]
		wp.idle = wp.idle[:n-1]
		return w
	}
	if wp.size >= limit {
		return nil
	}
	wp.size++
	w := &worker{tasks: make(chan task, 1)}
	go wp.run(w)
	return w
}

// run is a pool goroutine: it runs the tasks w is handed until the pool
// shrinks below it.
func (wp *workerPool) run(w *worker) {
	for {
		t, ok := spinReceive(w.tasks)
		if !ok {
			return
		}
		t.job.RunPart(t.part)
		keep := wp.release(w)
		t.done <- struct{}{} // after release, so that the caller's next call finds w idle
		if !keep {
			return
		}
	}
}

// release puts w back on the idle list, or reports that its goroutine is to
// end because the pool is over its limit.
func (wp *workerPool) release(w *worker) (keep bool) {
	wp.mu.Lock()
	defer wp.mu.Unlock()
	if wp.size > wp.limit {
		wp.size--
		return false
	}
	wp.idle = append(wp.idle, w)
	return true
}

// stop ends the pool's idle goroutines, and makes the busy ones end when
// they finish their tasks.
func (wp *workerPool) stop() {
	wp.mu.Lock()
	defer wp.mu.Unlock()
	wp.limit = 0
	for _, w := range wp.idle {
		close(w.tasks)
	}
	wp.size -= len(wp.idle)
	wp.idle = wp.idle[:0]
}

// spinReceive receives from c, polling it for up to workerSpin before it
// blocks.
func spinReceive[E any](c <-chan E) (E, bool) {
	var start time.Time
	for i := 0; ; i++ {
		select {
		case v, ok := <-c:
			return v, ok
		default:
		}
		if i == 0 {
			start = time.Now()
		} else if i%32 == 0 && time.Since(start) > workerSpin {
			break
		}
		runtime.Gosched()
	}
	v, ok := <-c
	return v, ok
}

// Run runs job.RunPart(p) for every p < parts, part 0 on the calling
// goroutine and the others on pool goroutines where the pool has them, and
// returns when all have finished. done is the job's own channel, with room
// for parts-1 sends, so that a warm call allocates nothing.
func Run(job Job, parts int, done chan struct{}) {
	var buf [16]int
	inline := buf[:0] // parts no goroutine took, run here after part 0
	handed := 0
	for p := 1; p < parts; p++ {
		w := pool.take(Count() - 1) // the setting, not parts: smaller calls do not shrink the pool
		if w == nil {
			inline = append(inline, p)
			continue
		}
		w.tasks <- task{job, p, done}
		handed++
	}
	job.RunPart(0)
	for _, p := range inline {
		job.RunPart(p)
	}
	for range handed {
		spinReceive(done)
	}
}

// Split returns the span [lo, hi) of part p of parts over n elements cut
// at multiples of unit: whole units, shared out as evenly as they go.
func Split(n, unit, parts, p int) (lo, hi int) {
	units := (n + unit - 1) / unit
	lo = min(n, p*units/parts*unit)
	hi = min(n, (p+1)*units/parts*unit)
	return lo, hi
}
