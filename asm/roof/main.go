// Command roof generates the probes that bench/internal/roof times to
// measure a core's ceilings: the AVX2 FMA peak and the read bandwidth of each
// memory level. bench/internal/roof/roof.go runs it from `go generate`:
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

func main() {
	ConstraintExpr("amd64,gc,!purego")
	fma("fma32", "8-lane float32", func(a, b, acc Op) { VFMADD231PS(a, b, acc) })
	fma("fma64", "4-lane float64", func(a, b, acc Op) { VFMADD231PD(a, b, acc) })
	load256()
	Generate()
}

// fma: iters ≥ 1 iterations of accumulators independent FMAs on zeroed YMM
// registers (no denormals, no exceptions).
func fma(name, lanes string, op func(a, b, acc Op)) {
	TEXT(name, NOSPLIT, "func(iters int)")
	Doc(fmt.Sprintf("%s runs iters ≥ 1 iterations of %d independent %s FMAs.", name, accumulators, lanes))
	n := Load(Param("iters"), GP64())
	acc := make([]VecVirtual, accumulators)
	for i := range acc {
		acc[i] = YMM()
		VXORPS(acc[i], acc[i], acc[i])
	}
	a, b := YMM(), YMM()
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

// load256: blocks ≥ 1 blocks of 256 bytes read from p with eight independent
// 32-byte loads each, into registers nothing consumes, so the loop runs at the
// rate the memory level holding p delivers data.
func load256() {
	TEXT("load256", NOSPLIT, "func(p *byte, blocks int)")
	Pragma("noescape")
	Doc("load256 reads blocks ≥ 1 blocks of 256 bytes starting at p.")
	p := Load(Param("p"), GP64())
	n := Load(Param("blocks"), GP64())
	Label("loadloop")
	for i := 0; i < 8; i++ {
		VMOVUPS(Mem{Base: p, Disp: 32 * i}, YMM())
	}
	ADDQ(U32(256), p)
	DECQ(n)
	JNZ(LabelRef("loadloop"))
	VZEROUPPER()
	RET()
}
