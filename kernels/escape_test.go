package kernels_test

// A caller's slices stay where the caller put them: every generated stub is
// //go:noescape and the wrappers call the kernels directly, so passing a
// stack array to a kernel moves nothing to the heap. An array that escaped
// would be allocated anew by every run of these functions. The exceptions
// are the kernels that hand parts of a call to worker goroutines (Gemv,
// GemvT, Gemm and the batch layer kernels, sharedWithWorkers): a goroutine's stack moves
// when it grows, so what other goroutines are given must live on the heap,
// and the compiler puts it there.

import (
	"reflect"
	"testing"

	"github.com/simdnn/simdnn/internal/impltest"
	"github.com/simdnn/simdnn/kernels"
)

// escapeN is the length of the stack vectors: two full AVX2 vectors of
// float32 and a tail, so the assembly takes its loop and its masked tail.
const escapeN = 19

// noEscape is one function per exported kernel but those of
// sharedWithWorkers, each calling it on arrays declared in its own body.
var noEscape = []struct {
	name string
	f    func()
}{
	{"Saxpy", func() { var x, y [escapeN]float32; kernels.Saxpy(2, x[:], y[:]) }},
	{"Daxpy", func() { var x, y [escapeN]float64; kernels.Daxpy(2, x[:], y[:]) }},
	{"Sdot", func() { var x, y [escapeN]float32; kernels.Sdot(x[:], y[:]) }},
	{"Ddot", func() { var x, y [escapeN]float64; kernels.Ddot(x[:], y[:]) }},
	{"Sscal", func() { var x [escapeN]float32; kernels.Sscal(2, x[:]) }},
	{"Dscal", func() { var x [escapeN]float64; kernels.Dscal(2, x[:]) }},
	{"Sger", func() {
		var a [3 * escapeN]float32
		var x [3]float32
		var y [escapeN]float32
		kernels.Sger(3, escapeN, 1, x[:], y[:], a[:], escapeN)
	}},
	{"Dger", func() {
		var a [3 * escapeN]float64
		var x [3]float64
		var y [escapeN]float64
		kernels.Dger(3, escapeN, 1, x[:], y[:], a[:], escapeN)
	}},
	{"Ssigmoid", func() { var x, y [escapeN]float32; kernels.Ssigmoid(y[:], x[:]) }},
	{"Dsigmoid", func() { var x, y [escapeN]float64; kernels.Dsigmoid(y[:], x[:]) }},
	{"Stanh", func() { var x, y [escapeN]float32; kernels.Stanh(y[:], x[:]) }},
	{"Dtanh", func() { var x, y [escapeN]float64; kernels.Dtanh(y[:], x[:]) }},
	{"Srelu", func() { var x, y [escapeN]float32; kernels.Srelu(y[:], x[:]) }},
	{"Drelu", func() { var x, y [escapeN]float64; kernels.Drelu(y[:], x[:]) }},
	{"SsigmoidBackward", func() { var d, g, a [escapeN]float32; kernels.SsigmoidBackward(d[:], g[:], a[:]) }},
	{"DsigmoidBackward", func() { var d, g, a [escapeN]float64; kernels.DsigmoidBackward(d[:], g[:], a[:]) }},
	{"StanhBackward", func() { var d, g, a [escapeN]float32; kernels.StanhBackward(d[:], g[:], a[:]) }},
	{"DtanhBackward", func() { var d, g, a [escapeN]float64; kernels.DtanhBackward(d[:], g[:], a[:]) }},
	{"SreluBackward", func() { var d, g, a [escapeN]float32; kernels.SreluBackward(d[:], g[:], a[:]) }},
	{"DreluBackward", func() { var d, g, a [escapeN]float64; kernels.DreluBackward(d[:], g[:], a[:]) }},
	{"Sadam", func() {
		var w, g, m, v [escapeN]float32
		kernels.Sadam(kernels.AdamCoefs[float32]{Decay: 1, Beta1: 0.9, Beta2: 0.999, StepSize: 1e-3, InvBias2: 1, Eps: 1e-8}, w[:], g[:], m[:], v[:])
	}},
	{"Dadam", func() {
		var w, g, m, v [escapeN]float64
		kernels.Dadam(kernels.AdamCoefs[float64]{Decay: 1, Beta1: 0.9, Beta2: 0.999, StepSize: 1e-3, InvBias2: 1, Eps: 1e-8}, w[:], g[:], m[:], v[:])
	}},
	{"SdenseForward", func() {
		var w [3 * escapeN]float32
		var x [escapeN]float32
		var b, out [3]float32
		for _, h := range kernels.Activations() {
			kernels.SdenseForward(h, 3, escapeN, w[:], escapeN, x[:], b[:], out[:])
		}
	}},
	{"DdenseForward", func() {
		var w [3 * escapeN]float64
		var x [escapeN]float64
		var b, out [3]float64
		for _, h := range kernels.Activations() {
			kernels.DdenseForward(h, 3, escapeN, w[:], escapeN, x[:], b[:], out[:])
		}
	}},
	{"SdenseBackward", func() {
		var w, dw [3 * escapeN]float32
		var x, dx [escapeN]float32
		var delta, db [3]float32
		kernels.SdenseBackward(3, escapeN, w[:], escapeN, delta[:], x[:], dx[:], dw[:], escapeN, db[:])
		kernels.SdenseBackward(3, escapeN, w[:], escapeN, delta[:], x[:], nil, dw[:], escapeN, db[:])
	}},
	{"DdenseBackward", func() {
		var w, dw [3 * escapeN]float64
		var x, dx [escapeN]float64
		var delta, db [3]float64
		kernels.DdenseBackward(3, escapeN, w[:], escapeN, delta[:], x[:], dx[:], dw[:], escapeN, db[:])
		kernels.DdenseBackward(3, escapeN, w[:], escapeN, delta[:], x[:], nil, dw[:], escapeN, db[:])
	}},
	{"SdenseBackwardSGD", func() {
		var w [3 * escapeN]float32
		var x, dx [escapeN]float32
		var delta, b [3]float32
		for _, lr := range []float32{0, 0.5} {
			kernels.SdenseBackwardSGD(3, escapeN, lr, 0.75, w[:], escapeN, delta[:], x[:], dx[:], b[:])
			kernels.SdenseBackwardSGD(3, escapeN, lr, 0.75, w[:], escapeN, delta[:], x[:], nil, b[:])
		}
	}},
	{"DdenseBackwardSGD", func() {
		var w [3 * escapeN]float64
		var x, dx [escapeN]float64
		var delta, b [3]float64
		for _, lr := range []float64{0, 0.5} {
			kernels.DdenseBackwardSGD(3, escapeN, lr, 0.75, w[:], escapeN, delta[:], x[:], dx[:], b[:])
			kernels.DdenseBackwardSGD(3, escapeN, lr, 0.75, w[:], escapeN, delta[:], x[:], nil, b[:])
		}
	}},
}

// sharedWithWorkers names the Funcs fields whose kernels may run a call on
// several goroutines, so that their operands escape.
var sharedWithWorkers = []string{"Gemv", "GemvT", "Gemm", "DenseForwardBatch", "DenseBackwardBatch"}

// TestNoEscape checks that no kernel but those of sharedWithWorkers moves a
// stack array to the heap.
func TestNoEscape(t *testing.T) {
	if want := 2 * (reflect.TypeFor[kernels.Funcs[float32]]().NumField() - len(sharedWithWorkers)); len(noEscape) != want {
		t.Fatalf("noEscape lists %d functions; the kernels have %d (both types of every Funcs field not in sharedWithWorkers)", len(noEscape), want)
	}
	impltest.RunAll(t, "kernels", func(t *testing.T) {
		for _, c := range noEscape {
			if allocs := testing.AllocsPerRun(10, c.f); allocs != 0 {
				t.Errorf("%s: %v allocations per call on stack arrays, want 0: a slice escapes to the heap", c.name, allocs)
			}
		}
	})
}
