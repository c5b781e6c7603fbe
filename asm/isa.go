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
	// the vector registers.
	dotRows, dotCols int
	// The strategies for partial vectors and horizontal sums (see the vec
	// methods of the same names).
	tailMask   func(v vec, n Register) Op
	countMask  func(v vec, count Register) Op
	maskLoad   func(v vec, mem, mask, dst Op)
	maskStore  func(v vec, src, mask, mem Op)
	reduce     func(v vec, acc VecVirtual) VecVirtual
	reduceRows func(v vec, acc []VecVirtual) ([]VecVirtual, int)
	// The strategies for lane-wise selection (see the vec methods of the
	// same names): a mask register is a vector of all-ones lanes on AVX2.
	compare func(v vec, pred uint8, a, b Op) Op
	choose  func(v vec, mask, ifFalse, ifTrue, dst Op)
	keep    func(v vec, mask, src, dst Op)
}

// isas are the instruction sets, in the order the dispatch prefers them.
var isas = []*isa{
	{name: "AVX2", impl: "avx2", cpu: "cpu.X86.HasAVX2 && cpu.X86.HasFMA", bytes: 32, reg: YMM, dotRows: 2, dotCols: 3,
		tailMask: avx2TailMask, countMask: avx2CountMask, maskLoad: avx2MaskLoad, maskStore: avx2MaskStore,
		reduce: avx2Reduce, reduceRows: avx2ReduceRows,
		compare: avx2Compare, choose: avx2Choose, keep: avx2Keep},
}

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
