package kernels_test

// No assembly call runs long: assembly is not preemptible, so a garbage
// collection waits for a running kernel call to return, and the wrappers cut
// every call into pieces that move at most kernels.MaxCallBytes. This checks
// that property where it is made, deterministically: a hook in the wrappers
// reports the traffic (bytes read plus bytes written) of every piece they
// hand to a kernel, and every exported kernel runs on shapes that need one
// piece and many. How long the collector actually waits is measured by
// BenchmarkGCPause.

import (
	"fmt"
	"testing"
	"unsafe"

	"github.com/simdnn/simdnn/kernels"
)

// callCase is one exported kernel on an m×n shape (vector kernels use n).
type callCase struct {
	name string
	// run calls the kernel once on fresh operands.
	run func()
	// moves is the traffic the whole call must at least have, in bytes: the
	// pieces the hook sees must add up to it, or some piece went unseen.
	moves int
}

// callCases returns every exported kernel of T on an m×n matrix and on
// vectors of m·n elements.
func callCases[T kernels.Float](m, n int) []callCase {
	f := kernels.For[T]()
	sz := int(unsafe.Sizeof(T(0)))
	mn := m * n
	mat := func() []T { return make([]T, mn) }
	vec := func(k int) []T { return make([]T, k) }
	var cases []callCase
	add := func(name string, moves int, run func()) {
		cases = append(cases, callCase{name: fmt.Sprintf("%s/%dx%d", name, m, n), run: run, moves: moves * sz})
	}
	add("gemv", mn, func() { f.Gemv(m, n, 1, mat(), n, vec(n), 1, vec(m)) })
	add("gemvT", mn, func() { f.GemvT(m, n, 1, mat(), n, vec(m), 1, vec(n)) })
	add("ger", 2*mn, func() { f.Ger(m, n, 1, vec(m), vec(n), mat(), n) })
	for _, h := range kernels.Activations() {
		add("denseForward/"+h.String(), mn, func() { f.DenseForward(h, m, n, mat(), n, vec(n), vec(m), vec(m)) })
	}
	add("denseBackward", 3*mn, func() { f.DenseBackward(m, n, mat(), n, vec(m), vec(n), vec(n), mat(), n, vec(m)) })
	add("denseBackward/dx=nil", 2*mn, func() { f.DenseBackward(m, n, mat(), n, vec(m), vec(n), nil, mat(), n, vec(m)) })
	add("denseBackwardSGD", 2*mn, func() { f.DenseBackwardSGD(m, n, 0.5, 0.75, mat(), n, vec(m), vec(n), vec(n), vec(m)) })
	add("denseBackwardSGD/lr=0", mn, func() { f.DenseBackwardSGD(m, n, 0, 1, mat(), n, vec(m), vec(n), vec(n), vec(m)) })
	add("denseBackwardSGD/dx=nil", 2*mn, func() { f.DenseBackwardSGD(m, n, 0.5, 0.75, mat(), n, vec(m), vec(n), nil, vec(m)) })
	add("axpy", 3*mn, func() { f.Axpy(2, vec(mn), vec(mn)) })
	add("dot", 2*mn, func() { f.Dot(vec(mn), vec(mn)) })
	add("scal", 2*mn, func() { f.Scal(2, vec(mn)) })
	add("sigmoid", 2*mn, func() { f.Sigmoid(vec(mn), vec(mn)) })
	add("tanh", 2*mn, func() { f.Tanh(vec(mn), vec(mn)) })
	add("relu", 2*mn, func() { f.Relu(vec(mn), vec(mn)) })
	add("sigmoidBackward", 3*mn, func() { f.SigmoidBackward(vec(mn), vec(mn), vec(mn)) })
	add("tanhBackward", 3*mn, func() { f.TanhBackward(vec(mn), vec(mn), vec(mn)) })
	add("reluBackward", 3*mn, func() { f.ReluBackward(vec(mn), vec(mn), vec(mn)) })
	add("adam", 7*mn, func() {
		f.Adam(kernels.AdamCoefs[T]{Decay: 1, Beta1: 0.9, Beta2: 0.999, StepSize: 1, InvBias2: 1, Eps: 1}, vec(mn), vec(mn), vec(mn), vec(mn))
	})
	return cases
}

// gemmCallCases returns Gemm of T on every transpose combination for an
// m×k times k×n product: each call is one micro-kernel on packed panels of
// A and B and a tile of C.
func gemmCallCases[T kernels.Float](m, n, k int) []callCase {
	f := kernels.For[T]()
	sz := int(unsafe.Sizeof(T(0)))
	var cases []callCase
	for _, tA := range []kernels.Transpose{kernels.NoTrans, kernels.Trans} {
		for _, tB := range []kernels.Transpose{kernels.NoTrans, kernels.Trans} {
			lda, ldb := k, n
			if tA == kernels.Trans {
				lda = m
			}
			if tB == kernels.Trans {
				ldb = k
			}
			cases = append(cases, callCase{
				name:  fmt.Sprintf("gemm/%v%v/%dx%dx%d", tA, tB, m, n, k),
				run:   func() { f.Gemm(tA, tB, m, n, k, 1, make([]T, m*k), lda, make([]T, k*n), ldb, 1, make([]T, m*n), n) },
				moves: (m*k + k*n + 2*m*n) * sz,
			})
		}
	}
	return cases
}

// denseBatchCallCases returns the batch dense kernels of T on a batch×n
// input and m outputs, every activation: the forward moves at least what its
// product does, the backward what its two products do.
func denseBatchCallCases[T kernels.Float](batch, m, n int) []callCase {
	f := kernels.For[T]()
	sz := int(unsafe.Sizeof(T(0)))
	mat := func(r, c int) []T { return make([]T, r*c) }
	var cases []callCase
	for _, h := range kernels.Activations() {
		cases = append(cases, callCase{
			name: fmt.Sprintf("denseForwardBatch/%v/%dx%dx%d", h, batch, m, n),
			run: func() {
				f.DenseForwardBatch(h, batch, m, n, mat(m, n), n, mat(batch, n), n, mat(1, m), mat(batch, m), m)
			},
			moves: (batch*n + m*n + 2*batch*m) * sz,
		}, callCase{
			name: fmt.Sprintf("denseBackwardBatch/%v/%dx%dx%d", h, batch, m, n),
			run: func() {
				f.DenseBackwardBatch(h, batch, m, n, mat(m, n), n, mat(batch, m), m, mat(batch, m), m, mat(batch, n), n, mat(batch, n), n, mat(m, n), n, mat(1, m))
			},
			moves: (batch*m + batch*n + 2*m*n + batch*m + m*n + 2*batch*n) * sz,
		})
	}
	return cases
}

// gemmCallShapes are m, n, k of Gemm: one tile, blocks of k and of m, and
// long rows of k on the dot path of NoTrans·Trans, cut into column blocks.
var gemmCallShapes = [][3]int{{3, 5, 7}, {200, 70, 600}, {20, 300, 5000}}

// callShapes are one small call and shapes that need many pieces: many short
// rows, one row longer than a piece, one very long column, and rows that
// are not a divisor of a piece.
var callShapes = [][2]int{{3, 5}, {2100, 1000}, {1, 1 << 20}, {1 << 20, 1}, {513, 4097}}

func TestCallSize(t *testing.T) {
	defer kernels.SetWorkers(kernels.SetWorkers(3)) // the parts of a call obey the bound too
	check := func(t *testing.T, cases []callCase) {
		for _, c := range cases {
			largest, total, calls := 0, 0, 0
			restore := kernels.ObserveCalls(func(bytes int) {
				largest, total, calls = max(largest, bytes), total+bytes, calls+1
			})
			c.run()
			restore()
			if largest > kernels.MaxCallBytes {
				t.Errorf("%s: one kernel call moved %d bytes, more than MaxCallBytes = %d", c.name, largest, kernels.MaxCallBytes)
			}
			if total < c.moves {
				t.Errorf("%s: the calls seen moved %d bytes in all (%d calls), want ≥ %d: some call went unobserved", c.name, total, calls, c.moves)
			}
		}
	}
	runTypes(t, func(t *testing.T) {
		for _, s := range callShapes {
			check(t, callCases[float32](s[0], s[1]))
		}
		for _, s := range gemmCallShapes {
			check(t, gemmCallCases[float32](s[0], s[1], s[2]))
			check(t, denseBatchCallCases[float32](s[0], s[1], s[2]))
		}
	}, func(t *testing.T) {
		for _, s := range callShapes {
			check(t, callCases[float64](s[0], s[1]))
		}
		for _, s := range gemmCallShapes {
			check(t, gemmCallCases[float64](s[0], s[1], s[2]))
			check(t, denseBatchCallCases[float64](s[0], s[1], s[2]))
		}
	})
}
