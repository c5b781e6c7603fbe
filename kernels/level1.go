package kernels

// Saxpy computes y += αx for float32 vectors of equal length.
//
// Each element is rounded once or twice (fused or not), so
// |y − y_exact| ≤ 2ε(|α||x|+|y|) elementwise.
func Saxpy(alpha float32, x, y []float32) {
	checkLen("Saxpy", "y", len(y), "len(x)", len(x))
	axpy(alpha, x, y, axpy32)
}

// Daxpy computes y += αx for float64 vectors of equal length; see Saxpy.
func Daxpy(alpha float64, x, y []float64) {
	checkLen("Daxpy", "y", len(y), "len(x)", len(x))
	axpy(alpha, x, y, axpy64)
}

// Sdot returns the dot product xᵀy of float32 vectors of equal length,
// accumulated in float32 with several partial sums:
// |result − exact| ≤ n·ε·Σ|xᵢ||yᵢ| for n = len(x).
func Sdot(x, y []float32) float32 {
	checkLen("Sdot", "y", len(y), "len(x)", len(x))
	return dot(x, y, dot32)
}

// Ddot returns the dot product xᵀy of float64 vectors of equal length; see
// Sdot.
func Ddot(x, y []float64) float64 {
	checkLen("Ddot", "y", len(y), "len(x)", len(x))
	return dot(x, y, dot64)
}

// Sscal computes x = αx for a float32 vector. α = 0 sets x to zero without
// reading it, as the BLAS β = 0 rule does for y.
func Sscal(alpha float32, x []float32) {
	scal(alpha, x, scal32)
}

// Dscal computes x = αx for a float64 vector; see Sscal.
func Dscal(alpha float64, x []float64) {
	scal(alpha, x, scal64)
}

func axpy[T float](alpha T, x, y []T, kernel func(alpha T, x, y []T)) {
	if alpha == 0 {
		return
	}
	step := maxCallElems[T]()
	for lo := 0; lo < len(x); lo += step {
		hi := min(len(x), lo+step)
		kernel(alpha, x[lo:hi], y[lo:hi])
	}
}

func dot[T float](x, y []T, kernel func(x, y []T) T) T {
	step := maxCallElems[T]()
	var sum T
	for lo := 0; lo < len(x); lo += step {
		hi := min(len(x), lo+step)
		sum += kernel(x[lo:hi], y[lo:hi])
	}
	return sum
}

func scal[T float](alpha T, x []T, kernel func(alpha T, x []T)) {
	switch alpha {
	case 0:
		clear(x)
		return
	case 1:
		return
	}
	step := maxCallElems[T]()
	for lo := 0; lo < len(x); lo += step {
		kernel(alpha, x[lo:min(len(x), lo+step)])
	}
}

// scalKernel returns the Scal kernel for T (assembly where the CPU has it),
// for the generic drivers that scale y by β.
func scalKernel[T float]() func(alpha T, x []T) {
	var k any = scal64
	if _, single := any(T(0)).(float32); single {
		k = scal32
	}
	return k.(func(T, []T))
}
