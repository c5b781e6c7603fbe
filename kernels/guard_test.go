package kernels_test

// Guard pages: every kernel, on every implementation, with every input and
// output placed flush against an inaccessible page (internal/guardmem),
// first after its last element, then before its first. A kernel that reads
// or writes one element too many faults; guardmem.Catch turns the fault into
// a test failure naming the call and the argument whose guard was hit
// (without Catch the fault would crash the test binary, which fails CI just
// as surely).
//
// The sweep covers every vector length from 0 to guardMaxVec (past
// 3·(8 registers × 8 lanes)+1 = 193, so each unrolled loop runs three times
// and then every tail), every m×n up to guardMaxSmall with three leading
// dimensions, a sample of larger shapes up to 193, and the lengths and
// shapes that the wrappers cut into several assembly calls (not with
// -short, which also samples fewer large shapes). Matrices occupy exactly
// (m-1)·lda+n elements, so the last row is flush against the guard. An After
// slice starts n elements before a page boundary, so the lengths also sweep
// every alignment of the start. Results are not checked here: the other
// tests do that on ordinary memory.

import (
	"fmt"
	"testing"

	"github.com/simdnn/simdnn/internal/floattest"
	"github.com/simdnn/simdnn/internal/guardmem"
	"github.com/simdnn/simdnn/internal/impltest"
	"github.com/simdnn/simdnn/kernels"
)

const (
	guardMaxVec   = 200 // every vector length 0..guardMaxVec
	guardMaxSmall = 24  // every m×n with m, n ≤ guardMaxSmall
)

// guardLargeSizes are the sizes the larger shapes combine: around each
// multiple of 16 and 32 up to 193 (the unrolled loops handle 4 or 8
// registers of 4 or 8 lanes), and a few in between.
var guardLargeSizes = []int{0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 49, 63, 64, 65,
	95, 96, 97, 127, 128, 129, 160, 161, 191, 192, 193}

// guardShortSizes replace guardLargeSizes with -short (which `make race`
// uses: the race detector slows the pure-Go kernels down several times).
var guardShortSizes = []int{0, 1, 8, 9, 31, 32, 33, 64, 65, 128, 129, 192, 193}

// guardSink keeps the dot products from being optimised away.
var guardSink float64

// A guardEnv hands out the guarded slices of one element type and one side:
// a Buffer per argument, so that each argument has a guard of its own, and a
// pattern that refills inputs before each call (so that values stay finite
// and ordinary however often a buffer is reused).
type guardEnv[T floattest.Float] struct {
	t       *testing.T
	side    guardmem.Side
	bufs    map[string]*guardmem.Buffer[T]
	pattern []T
	fails   int
}

// newGuardEnv maps a buffer of capacity elements for each name.
func newGuardEnv[T floattest.Float](t *testing.T, side guardmem.Side, capacity int, names ...string) *guardEnv[T] {
	e := &guardEnv[T]{t: t, side: side, bufs: make(map[string]*guardmem.Buffer[T])}
	for _, name := range names {
		e.bufs[name] = guardmem.New[T](t, name, capacity, side)
	}
	e.pattern = make([]T, capacity)
	for i := range e.pattern {
		e.pattern[i] = T(i%13-6) / 8
	}
	return e
}

// in returns the n-element slice of buffer name filled with the pattern.
func (e *guardEnv[T]) in(name string, n int) []T {
	s := e.bufs[name].Slice(n)
	copy(s, e.pattern)
	return s
}

// call runs f and reports a fault in it as a failure of the call that what
// describes; the test stops after maxFailures of them.
func (e *guardEnv[T]) call(what func() string, f func()) {
	e.t.Helper()
	if err := guardmem.Catch(f); err != nil {
		e.t.Errorf("%s %s, guard %s: %v", typeName[T](), what(), e.side, err)
		if e.fails++; e.fails >= maxFailures {
			e.t.FailNow()
		}
	}
}

// guardVecLens returns the vector lengths of the sweep: every length through
// guardMaxVec, then lengths around the wrappers' chunk sizes (one sigmoid
// call, one call of the other kernels) so that a chunk boundary falls just
// before the guard.
func guardVecLens[T floattest.Float]() []int {
	lens := make([]int, guardMaxVec+1)
	for i := range lens {
		lens[i] = i
	}
	if testing.Short() {
		return lens
	}
	const sigmoidChunk = 1 << 15
	c := chunkElems[T]()
	return append(lens, sigmoidChunk, sigmoidChunk+1, c, c+1, 2*c+13)
}

// guardVectors runs every level-1 and activation kernel of k on every length
// of guardVecLens, in place where the kernel allows it too.
func guardVectors[T floattest.Float](t *testing.T, side guardmem.Side, k *kernels.Funcs[T]) {
	lens := guardVecLens[T]()
	e := newGuardEnv[T](t, side, lens[len(lens)-1], "x", "y", "g", "a", "dst", "m", "v")
	for _, n := range lens {
		what := func(fn string) func() string {
			return func() string { return fmt.Sprintf("%s n=%d", fn, n) }
		}
		e.call(what("axpy"), func() { k.Axpy(0.5, e.in("x", n), e.in("y", n)) })
		e.call(what("dot"), func() { guardSink = float64(k.Dot(e.in("x", n), e.in("y", n))) })
		e.call(what("scal α=0.5"), func() { k.Scal(0.5, e.in("x", n)) })
		e.call(what("scal α=0"), func() { k.Scal(0, e.in("x", n)) })
		e.call(what("sigmoid"), func() { k.Sigmoid(e.in("dst", n), e.in("x", n)) })
		e.call(what("sigmoid in place"), func() { x := e.in("x", n); k.Sigmoid(x, x) })
		e.call(what("relu"), func() { k.Relu(e.in("dst", n), e.in("x", n)) })
		e.call(what("relu in place"), func() { x := e.in("x", n); k.Relu(x, x) })
		e.call(what("adam"), func() {
			k.Adam(kernels.AdamCoefs[T]{Decay: 0.999, L2: 0.01, Beta1: 0.9, Beta2: 0.999, StepSize: 1e-3, InvBias2: 1.5, Eps: 1e-8},
				e.in("x", n), e.in("g", n), e.in("m", n), e.in("v", n))
		})
		for _, bw := range []struct {
			name string
			f    func(dst, g, a []T)
		}{{"sigmoidBackward", k.SigmoidBackward}, {"reluBackward", k.ReluBackward}} {
			e.call(what(bw.name), func() { bw.f(e.in("dst", n), e.in("g", n), e.in("a", n)) })
			e.call(what(bw.name+" dst=g"), func() { g := e.in("g", n); bw.f(g, g, e.in("a", n)) })
			e.call(what(bw.name+" dst=a"), func() { a := e.in("a", n); bw.f(a, e.in("g", n), a) })
		}
	}
}

// A guardShape is an m×n matrix with leading dimension lda (lddw for the
// second matrix of SdenseBackward).
type guardShape struct{ m, n, lda, lddw int }

// guardShapes returns the matrix shapes of the sweep: every m×n with
// m, n ≤ guardMaxSmall, each with the tight lda and two looser ones; the pairs
// of guardLargeSizes beyond that, with an lda that varies with the shape;
// and the chunkShapes, which the wrappers cut into several calls.
func guardShapes[T floattest.Float]() []guardShape {
	var shapes []guardShape
	for m := 0; m <= guardMaxSmall; m++ {
		for n := 0; n <= guardMaxSmall; n++ {
			shapes = append(shapes,
				guardShape{m, n, max(1, n), n + 3},
				guardShape{m, n, n + 1, max(1, n)},
				guardShape{m, n, n + 5, n + 2})
		}
	}
	large := guardLargeSizes
	if testing.Short() {
		large = guardShortSizes
	}
	for _, m := range large {
		for _, n := range large {
			if m > guardMaxSmall || n > guardMaxSmall {
				shapes = append(shapes, guardShape{m, n, max(1, n+(m+n)%5), max(1, n+(m*n)%3)})
			}
		}
	}
	if testing.Short() {
		return shapes
	}
	for _, s := range chunkShapes[T]() {
		shapes = append(shapes, guardShape{s[0], s[1], s[1] + 1, s[1]})
	}
	return shapes
}

// guardMatrices runs every level-2 and dense kernel of k on every shape of
// guardShapes: Gemv and GemvT with (α, β) = (0.5, 0.25), (1, 0) and (0, 0.5)
// (the general path, β = 0 and α = 0 take different routes), Ger, the dense
// forward kernel with each activation and with out = b, and both backward
// kernels with and without dx.
func guardMatrices[T floattest.Float](t *testing.T, side guardmem.Side, k *kernels.Funcs[T]) {
	shapes := guardShapes[T]()
	capacity := 0
	for _, s := range shapes {
		capacity = max(capacity, matrixLen(s.m, s.n, s.lda), matrixLen(s.m, s.n, s.lddw), s.m, s.n)
	}
	e := newGuardEnv[T](t, side, capacity, "a", "dw", "x", "y", "b", "dx")
	for _, s := range shapes {
		m, n, lda, lddw := s.m, s.n, s.lda, s.lddw
		la, ldw := matrixLen(m, n, lda), matrixLen(m, n, lddw)
		what := func(fn string) func() string {
			return func() string { return fmt.Sprintf("%s m=%d n=%d lda=%d lddw=%d", fn, m, n, lda, lddw) }
		}
		for _, ab := range [][2]T{{0.5, 0.25}, {1, 0}, {0, 0.5}} {
			alpha, beta := ab[0], ab[1]
			e.call(what(fmt.Sprintf("gemv α=%v β=%v", alpha, beta)), func() {
				k.Gemv(m, n, alpha, e.in("a", la), lda, e.in("x", n), beta, e.in("y", m))
			})
			e.call(what(fmt.Sprintf("gemvT α=%v β=%v", alpha, beta)), func() {
				k.GemvT(m, n, alpha, e.in("a", la), lda, e.in("x", m), beta, e.in("y", n))
			})
		}
		e.call(what("ger"), func() { k.Ger(m, n, 0.5, e.in("x", m), e.in("y", n), e.in("a", la), lda) })
		for _, h := range kernels.Activations() {
			e.call(what("denseForward "+h.String()), func() {
				k.DenseForward(h, m, n, e.in("a", la), lda, e.in("x", n), e.in("b", m), e.in("y", m))
			})
		}
		e.call(what("denseForward out=b"), func() {
			b := e.in("b", m)
			k.DenseForward(kernels.ReLU, m, n, e.in("a", la), lda, e.in("x", n), b, b)
		})
		e.call(what("denseBackward dx=nil"), func() {
			k.DenseBackward(m, n, e.in("a", la), lda, e.in("y", m), e.in("x", n), nil, e.in("dw", ldw), lddw, e.in("b", m))
		})
		e.call(what("denseBackward"), func() {
			k.DenseBackward(m, n, e.in("a", la), lda, e.in("y", m), e.in("x", n), e.in("dx", n), e.in("dw", ldw), lddw, e.in("b", m))
		})
		// With dx = nil, decay ≠ 1 scales W before Ger; with dx, the
		// fused kernel scales it.
		for _, decay := range []T{1, 0.875} {
			e.call(what(fmt.Sprintf("denseBackwardSGD dx=nil decay=%v", decay)), func() {
				k.DenseBackwardSGD(m, n, 0.125, decay, e.in("a", la), lda, e.in("y", m), e.in("x", n), nil, e.in("b", m))
			})
			e.call(what(fmt.Sprintf("denseBackwardSGD decay=%v", decay)), func() {
				k.DenseBackwardSGD(m, n, 0.125, decay, e.in("a", la), lda, e.in("y", m), e.in("x", n), e.in("dx", n), e.in("b", m))
			})
		}
	}
}

// guardRun runs f for each implementation, each side and each element type.
func guardRun(t *testing.T, f32 func(*testing.T, guardmem.Side, *kernels.Funcs[float32]), f64 func(*testing.T, guardmem.Side, *kernels.Funcs[float64])) {
	if !guardmem.Supported() {
		t.Skip(guardmem.ErrUnsupported)
	}
	impltest.RunAll(t, "kernels", func(t *testing.T) {
		for _, side := range guardmem.Sides {
			t.Run("guard="+side.String(), func(t *testing.T) {
				t.Run("f32", func(t *testing.T) { f32(t, side, kernels.For[float32]()) })
				t.Run("f64", func(t *testing.T) { f64(t, side, kernels.For[float64]()) })
			})
		}
	})
}

// TestGuardPagesVectors runs the level-1 and activation kernels with every
// operand flush against a guard page.
func TestGuardPagesVectors(t *testing.T) {
	guardRun(t, guardVectors[float32], guardVectors[float64])
}

// TestGuardPagesMatrices runs the level-2 and dense kernels with every
// operand flush against a guard page.
func TestGuardPagesMatrices(t *testing.T) {
	guardRun(t, guardMatrices[float32], guardMatrices[float64])
}

// guardGemm runs Gemm in every operand form on every m×n×k of small sizes
// around the micro-kernel's tile (MR = 6 rows, NR = 8 or 16 columns) and a
// few past kc and mc, with tight and loose leading dimensions and
// (α, β) = (0.5, 0.25), (1, 0) and (0, 0.5), every operand flush against a
// guard: the edge tiles' masked loads and stores must stay inside C.
func guardGemm[T floattest.Float](t *testing.T, side guardmem.Side) {
	gemm := kernels.For[T]().Gemm
	type shape struct{ m, n, k int }
	var shapes []shape
	for _, m := range []int{0, 1, 5, 6, 7, 13} {
		for _, n := range []int{0, 1, 3, 7, 8, 9, 15, 16, 17, 33} {
			for _, k := range []int{0, 1, 3, 17} {
				shapes = append(shapes, shape{m, n, k})
			}
		}
	}
	shapes = append(shapes, shape{7, 17, gemmKC + 1}, shape{gemmMC[T]() + 1, 9, 2}, shape{3, 2*gemmNR[T]() + 1, gemmKC - 1})
	capacity := 0
	for _, s := range shapes {
		capacity = max(capacity, (s.m+3)*(s.k+3), (s.k+3)*(s.n+3), (s.n+3)*(s.k+3), s.m*(s.n+3))
	}
	e := newGuardEnv[T](t, side, capacity, "a", "b", "c")
	for _, s := range shapes {
		for _, tA := range gemmTrans {
			for _, tB := range gemmTrans {
				for _, pad := range []int{0, 3} {
					c := gemmCase{tA: tA, tB: tB, m: s.m, n: s.n, k: s.k}
					ar, ac, br, bc := c.stored()
					lda, ldb, ldc := max(1, ac)+pad, max(1, bc)+pad, max(1, s.n)+pad
					la, lb, lc := matrixLen(ar, ac, lda), matrixLen(br, bc, ldb), matrixLen(s.m, s.n, ldc)
					for _, ab := range [][2]T{{0.5, 0.25}, {1, 0}, {0, 0.5}} {
						e.call(func() string {
							return fmt.Sprintf("gemm %v,%v m=%d n=%d k=%d ld(a,b,c)=(%d,%d,%d) α=%v β=%v", tA, tB, s.m, s.n, s.k, lda, ldb, ldc, ab[0], ab[1])
						}, func() {
							gemm(tA, tB, s.m, s.n, s.k, ab[0], e.in("a", la), lda, e.in("b", lb), ldb, ab[1], e.in("c", lc), ldc)
						})
					}
				}
			}
		}
	}
}

// TestGuardPagesGemm runs Gemm with every operand flush against a guard page.
func TestGuardPagesGemm(t *testing.T) {
	guardRun(t,
		func(t *testing.T, side guardmem.Side, _ *kernels.Funcs[float32]) { guardGemm[float32](t, side) },
		func(t *testing.T, side guardmem.Side, _ *kernels.Funcs[float64]) { guardGemm[float64](t, side) })
}
