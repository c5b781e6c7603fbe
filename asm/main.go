// Command asm generates simdnn's AVX2/FMA assembly and its Go declarations
// with Avo. It is a module of its own so that importing simdnn never
// downloads Avo; kernels/doc.go runs it from `go generate ./...`:
//
//	go run -C ../asm . -out ../kernels/kernels_amd64.s -stubs ../kernels/kernels_amd64.go -pkg kernels
//
// Each kernel family has a file here that describes it once for both element
// types (see elem.go): float32 as 8 lanes of PS instructions, float64 as 4
// lanes of PD instructions.
package main

import . "github.com/mmcloughlin/avo/build"

func main() {
	ConstraintExpr("amd64,gc,!purego")
	declareTailMask()
	declareConsts64()
	declareOne32()
	for _, e := range []elem{f32, f64} {
		axpy(e)
		scal(e)
		dot(e)
		gemv(e)
		gemvT(e)
		ger(e)
		sigmoid(e)
		relu(e)
		sigmoidBackward(e)
		reluBackward(e)
		denseBackward(e, false)
		denseBackward(e, true)
		gemm(e)
	}
	Generate()
}
