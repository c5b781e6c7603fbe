package kernels

import "unsafe"

// Float is the set of element types every kernel is written for. Code that
// is generic in it reaches the kernels through For.
type Float interface {
	float32 | float64
}

// isFloat32 reports whether T is float32; otherwise it is float64.
func isFloat32[T Float]() bool { return unsafe.Sizeof(T(0)) == 4 }

// f32s views x, a []T with T = float32, as []float32, so that generic code
// can call the float32 assembly directly: a call through a function value
// would make every slice argument escape to the heap.
func f32s[T Float](x []T) []float32 {
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(x))), len(x))
}

// f64s views x, a []T with T = float64, as []float64; see f32s.
func f64s[T Float](x []T) []float64 {
	return unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(x))), len(x))
}
