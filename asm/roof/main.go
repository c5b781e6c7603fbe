// Command roof generates the probes that bench/internal/roof times to
// measure a core's ceilings for each instruction set simdnn has assembly for:
// the FMA peak and the read bandwidth of each memory level, with YMM
// registers (AVX2) and with ZMM registers (AVX-512). bench/internal/roof/roof.go
// runs it from `go generate`:
//
//	go run -C ../../../asm ./roof -out ../bench/internal/roof/roof_amd64.s -stubs ../bench/internal/roof/roof_amd64.go -pkg roof
//
// The probes measure the machine, not simdnn's kernels; they are generated
// for the same reason the kernels are: the project has no hand-written
// assembly.
package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// accumulators is the number of independent FMA chains: more than the FMA
// latency (4 cycles) times the FMA ports (2), so the loop is bound by FMA
// throughput alone.
const accumulators = 12

// blockBytes is what one iteration of a read probe loads (roof.BlockBytes).
const blockBytes = 256

// probeISA is one register width the probes are generated for.
type probeISA struct {
	suffix string // of the function names: fma32AVX2
	bytes  int    // register width
	reg    func() VecVirtual
}

// probeISAs are the instruction sets of simdnn's kernels (asm/isa.go).
var probeISAs = []probeISA{{"AVX512", 64, ZMM}, {"AVX2", 32, YMM}}

func main() {
	ConstraintExpr("amd64,gc,!purego")
	for _, s := range probeISAs {
		fma(s, "fma32", "float32", s.bytes/4, func(a, b, acc Op) { VFMADD231PS(a, b, acc) })
		fma(s, "fma64", "float64", s.bytes/8, func(a, b, acc Op) { VFMADD231PD(a, b, acc) })
		load(s)
	}
	Generate()
}

// fma: iters ≥ 1 iterations of accumulators independent FMAs on zeroed
// registers (no denormals, no exceptions).
func fma(s probeISA, base, elem string, lanes int, op func(a, b, acc Op)) {
	name := base + s.suffix
	TEXT(name, NOSPLIT, "func(iters int)")
	Doc(fmt.Sprintf("%s runs iters ≥ 1 iterations of %d independent %d-lane %s FMAs.", name, accumulators, lanes, elem))
	n := Load(Param("iters"), GP64())
	acc := make([]VecVirtual, accumulators)
	for i := range acc {
		acc[i] = s.reg()
		VXORPS(acc[i], acc[i], acc[i])
	}
	a, b := s.reg(), s.reg()
	VXORPS(a, a, a)
	VXORPS(b, b, b)
	Label(name + "loop")
	for _, r := range acc {
		op(a, b, r) // r += a·b
	}
	DECQ(n)
	JNZ(LabelRef(name + "loop"))
	VZEROUPPER()
	RET()
}

// load: blocks ≥ 1 blocks of 256 bytes read from p with independent loads of
// one register each, into registers nothing consumes, so the loop runs at the
// rate the memory level holding p delivers data.
func load(s probeISA) {
	name := "load" + s.suffix
	TEXT(name, NOSPLIT, "func(p *byte, blocks int)")
	Pragma("noescape")
	Doc(fmt.Sprintf("%s reads blocks ≥ 1 blocks of %d bytes starting at p, %d bytes per load.", name, blockBytes, s.bytes))
	p := Load(Param("p"), GP64())
	n := Load(Param("blocks"), GP64())
	Label(name + "loop")
	for i := 0; i < blockBytes/s.bytes; i++ {
		VMOVUPS(Mem{Base: p, Disp: s.bytes * i}, s.reg())
	}
	ADDQ(U32(blockBytes), p)
	DECQ(n)
	JNZ(LabelRef(name + "loop"))
	VZEROUPPER()
	RET()
}
