package main

import (
	. "github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/gotypes"
	. "github.com/mmcloughlin/avo/operand"
)

// addr returns the stack address of a scalar argument or result, for
// instructions that take it straight from memory.
func addr(c gotypes.Component) Mem {
	b, err := c.Resolve()
	if err != nil {
		panic(err)
	}
	return b.Addr
}

// kernel opens k's assembly function for v, with the doc comment of its
// stub, and writes its body. The stub is marked //go:noescape: the assembly
// keeps no pointer it is given, and without the pragma every slice a caller
// passes would escape to the heap.
func kernel(k kernelDef, v vec) {
	TEXT(v.name(k.name), NOSPLIT, v.sig(k.signature()))
	Pragma("noescape")
	Doc(k.doc)
	k.emit(v)
}
