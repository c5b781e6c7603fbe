// Command asm generates simdnn's assembly and its Go declarations with Avo.
// It is a module of its own so that importing simdnn never downloads Avo;
// kernels/doc.go runs it from `go generate ./...`, once per instruction set
// and once for the dispatch:
//
//	go run -C ../asm . -isa avx512 -out ../kernels/kernels_avx512_amd64.s -stubs ../kernels/kernels_avx512_amd64.go -pkg kernels
//	go run -C ../asm . -isa avx2 -out ../kernels/kernels_avx2_amd64.s -stubs ../kernels/kernels_avx2_amd64.go -pkg kernels
//	go run -C ../asm . -dispatch ../kernels/dispatch_amd64.go
//
// Each kernel family has a file here that describes it once, as a function of
// a vector type (elem.go: an element type in the registers of an instruction
// set, isa.go); kernels.go lists the kernels.
package main

import (
	"flag"
	"fmt"
	"os"

	. "github.com/mmcloughlin/avo/build"
)

func main() {
	isaName := flag.String("isa", "", "generate the assembly for this instruction set (avx512, avx2)")
	dispatch := flag.String("dispatch", "", "write the Go dispatch of every kernel to this file instead")
	flag.Parse()
	if *dispatch != "" {
		if err := writeDispatch(*dispatch); err != nil {
			fmt.Fprintln(os.Stderr, "asm:", err)
			os.Exit(1)
		}
		return
	}
	s := isaNamed(*isaName)
	if s == nil {
		fmt.Fprintf(os.Stderr, "asm: -isa %q: want one of the instruction sets in isa.go\n", *isaName)
		os.Exit(2)
	}
	ConstraintExpr("amd64,gc,!purego")
	s.tables(s)
	declareConsts(s)
	for _, e := range elems {
		for _, k := range kernelDefs {
			kernel(k, newVec(e, s))
		}
	}
	Generate()
}
