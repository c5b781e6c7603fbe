package main

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// isa describes a vector instruction set the kernels are generated for.
type isa struct {
	name  string // the suffix of its function names, e.g. "AVX2" in sgemvAVX2
	impl  string // its name in internal/impl and for users, e.g. "avx2"
	cpu   string // the Go condition under which the CPU runs it
	bytes int    // register width in bytes
	// reg allocates a virtual vector register of that width.
	reg func() VecVirtual
	// dotRows×dotCols is gemmDot's tile: dotRows·dotCols accumulators of
	// dotBytes each, plus dotRows loaded A vectors and one B vector, fill
	// the vector registers. AVX-512's 4×5 was measured against 5×5, 4×6,
	// 6×4 and 3×7 (AMD EPYC Zen 5, Sgemm NT 32×256×784, 8×256×784,
	// 32×10×256, 32×128×256 and 64×128×256, thread CPU time): 175–185
	// GFLOP/s at 32×256×784 against 125–168 for the others, and ahead or
	// level on every shape.
	dotRows, dotCols int
	// tables declares the constant tables its strategies read, if any.
	tables func(s *isa)
	// The strategies for partial vectors and horizontal sums (see the vec
	// methods of the same names).
	countMask  func(v vec, count Register) Op
	maskLoad   func(v vec, mem, mask, dst Op)
	maskStore  func(v vec, src, mask, mem Op)
	reduce     func(v vec, acc VecVirtual) VecVirtual
	reduceRows func(v vec, acc []VecVirtual) ([]VecVirtual, int)
	// The strategies for lane-wise selection (see the vec methods of the
	// same names): a mask register is a vector of all-ones lanes on AVX2.
	compare func(v vec, pred uint8, a, b Op) Op
	// signMask returns the mask of the float32 lanes of x whose sign bit
	// is set, −0 and NaNs included.
	signMask func(v vec, x Op) Op
	choose   func(v vec, mask, ifFalse, ifTrue, dst Op)
	keep     func(v vec, mask, src, dst Op)
	// Half-width registers, for the float64 activations' float32
	// division: half views a register at half its width, and narrow
	// rounds the float64 lanes of src to float32 in the half-width dst.
	half   func(r VecVirtual) Register
	narrow func(src, dst Op)
	// The GEMM micro-kernel's tile: gemmMR rows of C by gemmVecs vectors of
	// columns (see gemm.go). AVX-512's 8 rows were measured against 6, 12
	// and 14 (AMD EPYC Zen 5, 2 shared vCPUs, Sgemm and Dgemm 64³, 256³,
	// 512³ and 32×784×256, interleaved runs): geometric means 96, 83, 63 and
	// 67 GFLOP/s.
	gemmMR, gemmVecs int
}

// isas are the instruction sets, in the order the dispatch prefers them.
var isas = []*isa{
	{name: "AVX512", impl: "avx512", bytes: 64, reg: ZMM,
		cpu:    "cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ && cpu.X86.HasAVX512VL && cpu.X86.HasAVX2 && cpu.X86.HasFMA && cpu.X86.HasBMI2",
		tables: func(*isa) {}, countMask: avx512CountMask, maskLoad: avx512MaskLoad, maskStore: avx512MaskStore,
		reduce: avx512Reduce, reduceRows: avx512ReduceRows,
		compare: avx512Compare, signMask: avx512SignMask, choose: avx512Choose, keep: avx512Keep,
		half: VecVirtual.AsY, narrow: func(src, dst Op) { VCVTPD2PS(src, dst) },
		gemmMR: 8, gemmVecs: 2, dotRows: 4, dotCols: 5},
	avx2,
}

// avx2 is the AVX2/FMA instruction set; the AVX-512 reductions end with its
// steps.
var avx2 = &isa{name: "AVX2", impl: "avx2", cpu: "cpu.X86.HasAVX2 && cpu.X86.HasFMA", bytes: 32, reg: YMM,
	tables: declareTailMask, countMask: avx2CountMask, maskLoad: avx2MaskLoad, maskStore: avx2MaskStore,
	reduce: avx2Reduce, reduceRows: avx2ReduceRows,
	compare: avx2Compare, signMask: avx2SignMask, choose: avx2Choose, keep: avx2Keep,
	half: VecVirtual.AsX, narrow: func(src, dst Op) { VCVTPD2PSY(src, dst) },
	gemmMR: 6, gemmVecs: 2, dotRows: 2, dotCols: 3}

// isaNamed returns the instruction set called impl, or nil.
func isaNamed(impl string) *isa {
	for _, s := range isas {
		if s.impl == impl {
			return s
		}
	}
	return nil
}

// ret leaves an AVX function. VZEROUPPER first: with dirty upper YMM halves
// every later SSE instruction, that is all scalar Go float code, runs several
// times slower.
func ret() {
	VZEROUPPER()
	RET()
}

// halfWidth returns v in 256-bit YMM registers when its instruction set's
// are wider, with that instruction set's strategies (AVX-512's opmask tails
// work on YMM through AVX512VL): for the kernels that measured slower in
// ZMM than AVX2's YMM (see ger.go and adam.go).
func halfWidth(v vec) vec {
	if v.bytes <= 32 {
		return v
	}
	s := *v.isa
	s.bytes, s.reg = 32, YMM
	return newVec(v.elem, &s)
}
