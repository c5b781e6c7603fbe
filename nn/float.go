package nn

import "github.com/simdnn/simdnn/kernels"

// Float is the set of element types a Network can hold: float32 for speed,
// float64 for checking (gradient checks, reference runs). It is the kernels'
// own set, so that a Network[T] calls the kernels of T.
type Float = kernels.Float
