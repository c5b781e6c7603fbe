// Package benchshape holds the cases the kernel benchmarks run on (shapes,
// scalars, data), shared by the kernels package's own benchmarks and the bench module's comparison with
// gonum and OpenBLAS, so that both measure the same shapes with the same
// scalars.
package benchshape

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"unsafe"

	"github.com/simdnn/simdnn/kernels"
)

// The scalars the benchmarks pass: neither 0 nor 1, so that no
// implementation takes a shortcut and the general path runs. With β = 0.5
// repeated gemv calls converge to y = 2.2·Ax instead of growing; Ger and Axpy
// grow A and y by a fixed α·xyᵀ or αx per call, linearly, far from overflow.
const (
	Alpha = 1.1
	Beta  = 0.5
)

// Shape is the m×n of a matrix operand.
type Shape struct{ M, N int }

// String returns the sub-benchmark name part of the shape, "shape=MxN".
func (s Shape) String() string { return fmt.Sprintf("shape=%dx%d", s.M, s.N) }

// Gemv are the shapes Gemv and GemvT run on: squares from 32 (the matrix fits
// in L1) to 4096 (64 MiB of float32, 128 MiB of float64: far past every
// cache), then the layers of a 784-256-10 MNIST network (forward y = Wx for
// Gemv, backward Wᵀδ for GemvT): tall, wide, and only 10 rows.
var Gemv = []Shape{
	{32, 32}, {64, 64}, {128, 128}, {256, 256}, {512, 512},
	{1024, 1024}, {2048, 2048}, {4096, 4096},
	{784, 256}, {256, 784}, {10, 256},
}

// Ger are the shapes Ger runs on: a cache-resident and a memory-bound square,
// and the first layer's weight gradient of that network.
var Ger = []Shape{{256, 256}, {1024, 1024}, {784, 256}}

// VecLens are the lengths Axpy and Dot run on: 256 (two vectors of 1 KiB of
// float32: L1 and call overhead), 65536 (L2) and 1<<20 (8 MiB of float32,
// 16 MiB of float64: past L2 and most L3s; several kernel calls).
var VecLens = []int{256, 1 << 16, 1 << 20}

// Float is the set of element types the kernels are written for.
type Float = kernels.Float

// Size returns the size of T in bytes.
func Size[T Float]() int { return int(unsafe.Sizeof(T(0))) }

// TypeKey returns the sub-benchmark name part of T: "type=f32" or "type=f64".
func TypeKey[T Float]() string { return fmt.Sprintf("type=f%d", 8*Size[T]()) }

// Rand returns n values uniform in [−1, 1) from a fixed seed: the same inputs
// on every run, none of them NaN, Inf or subnormal.
func Rand[T Float](n int, seed uint64) []T {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	s := make([]T, n)
	for i := range s {
		s[i] = T(2*r.Float64() - 1)
	}
	return s
}

// GemmShape is one matrix product C = op(A)·op(B): C is M×N, the inner size
// K, and Op names the operand forms, "NN", "NT", "TN" or "TT" (T: that
// operand is stored transposed).
type GemmShape struct {
	M, N, K int
	Op      string
}

// String returns the sub-benchmark name part of the product,
// "op=NT/shape=MxNxK".
func (s GemmShape) String() string { return fmt.Sprintf("op=%s/shape=%dx%dx%d", s.Op, s.M, s.N, s.K) }

// Gemm are the products Sgemm and Dgemm run on: squares from 32 (every
// operand in L1) to 1024 (4 MiB of float32 each, past L2), NN, then the
// products of training a 784-256-10 MNIST network on batches of 32: the
// forward X·Wᵀ of both layers (NT: W is stored out×in), the weight gradients
// Δᵀ·X (TN) and the input gradient Δ·W (NN).
var Gemm = []GemmShape{
	{32, 32, 32, "NN"}, {64, 64, 64, "NN"}, {128, 128, 128, "NN"},
	{256, 256, 256, "NN"}, {512, 512, 512, "NN"}, {1024, 1024, 1024, "NN"},
	{256, 256, 256, "NT"}, {256, 256, 256, "TN"}, {256, 256, 256, "TT"},
	{32, 256, 784, "NT"}, {32, 10, 256, "NT"}, {256, 784, 32, "TN"}, {10, 256, 32, "TN"},
	{32, 784, 256, "NN"},
}

// GemmSquares returns Gemm's square NN products, 32³ to 1024³: the sizes at
// which the bench module compares every library's GEMM.
func GemmSquares() []GemmShape {
	var out []GemmShape
	for _, s := range Gemm {
		if s.M == s.N && s.N == s.K && s.Op == "NN" {
			out = append(out, s)
		}
	}
	return out
}

// TrainNets are the layer widths of the networks whose training steps the
// bench module times and whose matrix products TrainProducts lists: the
// MNIST-sized 784-256-128-10 and a wide 1024-1024-1024-10.
var TrainNets = [][]int{{784, 256, 128, 10}, {1024, 1024, 1024, 10}}

// TrainBatches are the batch sizes of those training steps.
var TrainBatches = []int{1, 8, 32, 128, 256}

// PredictRows are the numbers of rows the inference benchmarks predict in
// one call: a single sample, and a block of 1024.
var PredictRows = []int{1, 1024}

// The benchmarks on several threads (bench/threads_test.go,
// python/mlp_bench.py --threads) run the squares from threadsMinSquare³ and
// the mini-batches and inference blocks from ThreadsMinRows rows: smaller
// calls stay on one thread (the kernels' gemmPartWork), so more threads
// change nothing there.
const (
	threadsMinSquare = 128
	ThreadsMinRows   = 32
)

// threadsMinGemv is the side of the smallest Gemv square the benchmarks on
// several threads run: Gemv and GemvT cut only an A beyond a core's L2
// (more than 2·64³ elements).
const threadsMinGemv = 1024

// ThreadsGemmSquares returns GemmSquares from 128³ on: the products the
// benchmarks on several threads run.
func ThreadsGemmSquares() []GemmShape {
	var out []GemmShape
	for _, s := range GemmSquares() {
		if s.M >= threadsMinSquare {
			out = append(out, s)
		}
	}
	return out
}

// TrainProduct is one matrix product of a training step on a mini-batch.
type TrainProduct struct {
	Net   string // the network's widths, "784-256-128-10"
	Batch int
	Layer int    // 1 for the layer after the input
	Role  string // "forward", "dW" or "dX"
	GemmShape
}

// TrainProducts returns the products of a training step of each of
// TrainNets at each of TrainBatches, by network, batch and layer. A layer
// of in inputs and out outputs keeps W out×in, row-major; on a batch of b
// rows X (b×in) and the output gradient Δ (b×out) it computes
//
//	forward  Z  = X·Wᵀ  b×out, inner size in  (NT)
//	dW       ∂W = Δᵀ·X  out×in, inner size b  (TN)
//	dX       ∂X = Δ·W   b×in, inner size out  (NN)
//
// and the first layer no dX: a training step does not need the gradient of
// the input.
func TrainProducts() []TrainProduct {
	var out []TrainProduct
	for _, widths := range TrainNets {
		net := fmt.Sprint(widths[0])
		for _, w := range widths[1:] {
			net += fmt.Sprintf("-%d", w)
		}
		for _, b := range TrainBatches {
			for l := 1; l < len(widths); l++ {
				in, o := widths[l-1], widths[l]
				out = append(out,
					TrainProduct{net, b, l, "forward", GemmShape{b, o, in, "NT"}},
					TrainProduct{net, b, l, "dW", GemmShape{o, in, b, "TN"}})
				if l > 1 {
					out = append(out, TrainProduct{net, b, l, "dX", GemmShape{b, in, o, "NN"}})
				}
			}
		}
	}
	return out
}

// GemmCompare returns the float32 products the bench module compares across
// libraries (simdnn, gonum, OpenBLAS, PyTorch, numpy): GemmSquares, then the
// shapes of TrainProducts, each once. float64 runs GemmSquares only.
func GemmCompare() []GemmShape {
	shapes := GemmSquares()
	for _, p := range TrainProducts() {
		if !slices.Contains(shapes, p.GemmShape) {
			shapes = append(shapes, p.GemmShape)
		}
	}
	return shapes
}

// ThreadsGemvSquares returns the squares of Gemv from 1024² on: the
// matrix-vector products the benchmarks on several threads run.
func ThreadsGemvSquares() []Shape {
	var out []Shape
	for _, s := range Gemv {
		if s.M == s.N && s.M >= threadsMinGemv {
			out = append(out, s)
		}
	}
	return out
}
