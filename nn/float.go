package nn

import (
	"unsafe"

	"github.com/simdnn/simdnn/kernels"
)

// Float is the set of element types a Network can hold: float32 for speed,
// float64 for checking (gradient checks, reference runs). It is the kernels'
// own set, so that a Network[T] calls the kernels of T.
type Float = kernels.Float

// dtypeSize returns the size of T in bytes.
func dtypeSize[T Float]() int { return int(unsafe.Sizeof(T(0))) }
