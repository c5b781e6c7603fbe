package kernels_test

// GC pauses: assembly is not preemptible, so a stop-the-world phase of the
// garbage collector waits for a running kernel call to return. The wrappers
// cut every call into pieces that move at most MaxCallBytes (2 MiB; checked
// by TestCallSize), so that wait stays short. BenchmarkGCPause measures it:
// it runs 4096×4096 float32 Sgemv, SgemvT and the fused backward kernels in
// a loop while another goroutine forces collections back to back, and reads
// the pauses from runtime/metrics:
//
//   - /sched/pauses/stopping/gc:seconds, the time from the collector asking
//     the world to stop until every P has stopped: this is where a long
//     non-preemptible call shows (the "stw" figures);
//   - /sched/pauses/total/gc:seconds, the whole pause, stopping included.
//
// Both are histograms without a maximum: the longest pause is reported as the
// upper bound of the highest bucket that received a pause during the run,
// and the median and 99th percentile likewise (the runtime's buckets are at
// most 1/8 of their value wide, so this overstates them by less than 12.5%).
//
// On a shared machine the maximum is dominated by the operating system: a
// descheduled thread delays a stop as much as a long call does. The median
// is not, and a call that ran for milliseconds would raise it (most stops
// would land inside such a call); chunk-µs, the time of one assembly call
// (ns/op over the number of calls per op), is the wait a kernel alone can
// cause. This is a benchmark, not a test: what it measures depends on the
// machine's load.

import (
	"math"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"

	"github.com/simdnn/simdnn/internal/impltest"
	"github.com/simdnn/simdnn/kernels"
)

// gcpSize is the matrices' size: they are gcpSize×gcpSize float32.
const gcpSize = 4096

// gcpCalls returns the number of assembly calls the wrappers cut one call of
// f into.
func gcpCalls(f func()) int {
	calls := 0
	restore := kernels.ObserveCalls(func(int) { calls++ })
	f()
	restore()
	return calls
}

// gcpData holds the operands, allocated on first use: 128 MiB for W and dW.
var gcpData = sync.OnceValue(func() (d struct{ w, dw, x, y, dx, b []float32 }) {
	n := gcpSize
	d.w, d.dw = make([]float32, n*n), make([]float32, n*n)
	d.x, d.y, d.dx, d.b = make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range d.w {
		d.w[i] = float32(i%7-3) / 64
	}
	for i := range d.x {
		d.x[i] = float32(i%5-2) / 8
	}
	return d
})

// gcpKernels are the calls measured, each on the 4096×4096 operands.
var gcpKernels = []struct {
	name string
	call func()
}{
	{"Sgemv", func() {
		d := gcpData()
		kernels.Sgemv(gcpSize, gcpSize, 1, d.w, gcpSize, d.x, 0, d.y)
	}},
	{"SgemvT", func() {
		d := gcpData()
		kernels.SgemvT(gcpSize, gcpSize, 1, d.w, gcpSize, d.x, 0, d.y)
	}},
	{"SdenseBackwardSGD", func() {
		d := gcpData()
		// lr = 0 with dx: the fused kernel still reads and writes all of W.
		kernels.SdenseBackwardSGD(gcpSize, gcpSize, 0, 1, d.w, gcpSize, d.x, d.y, d.dx, d.b)
	}},
	{"SdenseBackward", func() {
		d := gcpData()
		kernels.SdenseBackward(gcpSize, gcpSize, d.w, gcpSize, d.x, d.y, d.dx, d.dw, gcpSize, d.b)
	}},
}

// gcpBaseline is a pure-Go busy loop that the scheduler can preempt at any
// instruction: the pauses measured while it runs are what the machine and
// the runtime cost without any kernel, the noise floor of the measurement.
func gcpBaseline() {
	d := gcpData()
	var s float32
	for i := range d.x {
		for j := range 4096 {
			s += d.x[i] * float32(j)
		}
	}
	d.y[0] = s
}

// gcpPauses are the pauses of one measurement, in seconds.
type gcpPauses struct {
	stopMax, stopP50, stopP99 float64 // /sched/pauses/stopping/gc:seconds
	totalMax                  float64 // /sched/pauses/total/gc:seconds
	gcs                       int     // collections completed
}

// gcpMetrics are the histograms read.
var gcpMetrics = []string{"/sched/pauses/stopping/gc:seconds", "/sched/pauses/total/gc:seconds"}

// gcpSnapshot reads the pause histograms.
func gcpSnapshot() []metrics.Sample {
	s := make([]metrics.Sample, len(gcpMetrics))
	for i, name := range gcpMetrics {
		s[i].Name = name
	}
	metrics.Read(s)
	return s
}

// gcpQuantile returns the upper bound in seconds of the bucket that holds
// quantile q (1 for the highest non-empty bucket) of the pauses recorded
// between the histograms h0 and h1 (0 if there were none; a bucket without
// an upper bound gives its lower bound).
func gcpQuantile(h0, h1 *metrics.Float64Histogram, q float64) float64 {
	var total uint64
	for i := range h1.Counts {
		total += h1.Counts[i] - h0.Counts[i]
	}
	if total == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(total)))
	var seen uint64
	for i := range h1.Counts {
		seen += h1.Counts[i] - h0.Counts[i]
		if seen >= max(rank, 1) {
			if math.IsInf(h1.Buckets[i+1], 1) {
				return h1.Buckets[i]
			}
			return h1.Buckets[i+1]
		}
	}
	return 0
}

// gcpMeasure calls loop, which runs a kernel until it decides to stop, with
// at least two Ps and a goroutine calling runtime.GC back to back, and
// returns the pauses recorded meanwhile.
func gcpMeasure(loop func()) gcpPauses {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	gcpData() // allocate outside the measurement
	runtime.GC()
	before := gcpSnapshot()
	stop, done := make(chan struct{}), make(chan int)
	go func() {
		n := 0
		for {
			select {
			case <-stop:
				done <- n
				return
			default:
				runtime.GC()
				n++
			}
		}
	}()
	loop()
	close(stop)
	p := gcpPauses{gcs: <-done}
	after := gcpSnapshot()
	if after[0].Value.Kind() != metrics.KindFloat64Histogram {
		return p // a Go release without these metrics
	}
	h0, h1 := before[0].Value.Float64Histogram(), after[0].Value.Float64Histogram()
	p.stopMax, p.stopP50, p.stopP99 = gcpQuantile(h0, h1, 1), gcpQuantile(h0, h1, 0.5), gcpQuantile(h0, h1, 0.99)
	p.totalMax = gcpQuantile(before[1].Value.Float64Histogram(), after[1].Value.Float64Histogram(), 1)
	return p
}

// report adds the pauses to b's results.
func (p gcpPauses) report(b *testing.B) {
	b.ReportMetric(p.stopMax*1e6, "max-stw-µs")
	b.ReportMetric(p.stopP99*1e6, "p99-stw-µs")
	b.ReportMetric(p.stopP50*1e6, "p50-stw-µs")
	b.ReportMetric(p.totalMax*1e6, "max-pause-µs")
	b.ReportMetric(float64(p.gcs)/float64(b.N), "gcs/op")
}

// BenchmarkGCPause runs each kernel of gcpKernels on each implementation
// while collections are forced, and reports the longest stop-the-world
// stopping latency seen during the benchmark (max-stw-µs, the upper bound
// of the highest non-empty histogram bucket), its 99th percentile and median
// (p99-stw-µs, p50-stw-µs), the longest whole pause (max-pause-µs), the
// collections per call (gcs/op) and the time of one assembly call
// (chunk-µs). BenchmarkGCPause/baseline runs gcpBaseline instead of a
// kernel: the noise floor of the machine.
func BenchmarkGCPause(b *testing.B) {
	b.Run("baseline", func(b *testing.B) {
		gcpMeasure(func() {
			for b.Loop() {
				gcpBaseline()
			}
		}).report(b)
	})
	for _, k := range gcpKernels {
		b.Run(k.name, func(b *testing.B) {
			impltest.BenchAll(b, "kernels", func(b *testing.B) {
				b.SetBytes(4 * gcpSize * gcpSize)
				calls := gcpCalls(k.call)
				gcpMeasure(func() {
					for b.Loop() {
						k.call()
					}
				}).report(b)
				b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*calls), "chunk-µs")
			})
		})
	}
}
