package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// matrixArg loads the matrix argument name and its leading dimension ldName:
// the address of its first element, the row stride in bytes, and three
// times it (for the scaled-index forms of rows.at).
func matrixArg(v vec, name, ldName string) (base, ld, ld3 Register) {
	base = Load(Param(name).Base(), GP64())
	ld = Load(Param(ldName), GP64())
	SHLQ(U8(v.shift), ld)
	ld3 = GP64()
	LEAQ(Mem{Base: ld, Index: ld, Scale: 2}, ld3)
	return base, ld, ld3
}

// columns emits a walk along `left` elements (columns of a block of rows, or
// the elements of a vector): unroll whole vectors per step, then one at a
// time, then the masked partial vector. body(vecs) emits the work on vecs
// whole vectors at the current position, advance(bytes) moves every pointer
// of the walk, and tail emits the masked work. It consumes left; its labels
// start with label.
func columns(v vec, label string, left Register, unroll int, body func(vecs int), advance func(bytes int), tail func()) {
	for _, vecs := range []int{unroll, 1}[:min(unroll, 2)] {
		loop := fmt.Sprintf("%s_by%d", label, vecs)
		done := loop + "_done"
		Label(loop)
		CMPQ(left, U32(vecs*v.lanes))
		JL(LabelRef(done))
		body(vecs)
		advance(v.bytes * vecs)
		SUBQ(U32(vecs*v.lanes), left)
		JMP(LabelRef(loop))
		Label(done)
	}
	end := label + "_end"
	TESTQ(left, left)
	JZ(LabelRef(end))
	tail()
	Label(end)
}

// stream emits the loop of an elementwise kernel over n elements of the
// vectors whose addresses are the bases of ptrs (see columns). body(vecs, at)
// emits the work for vecs whole vectors, addressing vector u of p as
// at(p, u); tail emits the masked work at the bases of ptrs.
func stream(v vec, kernel string, n Register, ptrs []Mem, unroll int, body func(vecs int, at func(Mem, int) Mem), tail func()) {
	at := func(p Mem, u int) Mem { return p.Offset(v.bytes * u) }
	columns(v, v.prefix+kernel, n, unroll, func(vecs int) { body(vecs, at) }, func(bytes int) {
		for _, p := range ptrs {
			ADDQ(U32(bytes), p.Base)
		}
	}, tail)
}
