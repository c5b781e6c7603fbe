package kernels

// Saxpy computes y += αx for float32 vectors of equal length.
//
// Each element is rounded once or twice (fused or not), so
// |y − y_exact| ≤ 2ε(|α||x|+|y|) elementwise.
func Saxpy(alpha float32, x, y []float32) {
	checkLen("Saxpy", "y", len(y), "len(x)", len(x))
	axpy(alpha, x, y)
}

// Daxpy computes y += αx for float64 vectors of equal length; see Saxpy.
func Daxpy(alpha float64, x, y []float64) {
	checkLen("Daxpy", "y", len(y), "len(x)", len(x))
	axpy(alpha, x, y)
}

// Sdot returns the dot product xᵀy of float32 vectors of equal length,
// accumulated in float32 with several partial sums:
// |result − exact| ≤ n·ε·Σ|xᵢ||yᵢ| for n = len(x).
func Sdot(x, y []float32) float32 {
	checkLen("Sdot", "y", len(y), "len(x)", len(x))
	return dot(x, y)
}

// Ddot returns the dot product xᵀy of float64 vectors of equal length; see
// Sdot.
func Ddot(x, y []float64) float64 {
	checkLen("Ddot", "y", len(y), "len(x)", len(x))
	return dot(x, y)
}

// Sscal computes x = αx for a float32 vector. α = 0 sets x to zero without
// reading it, as the BLAS β = 0 rule does for y.
func Sscal(alpha float32, x []float32) {
	scal(alpha, x)
}

// Dscal computes x = αx for a float64 vector; see Sscal.
func Dscal(alpha float64, x []float64) {
	scal(alpha, x)
}

// axpy reads x and y and writes y: three elements per index.
func axpy[T Float](alpha T, x, y []T) {
	if alpha == 0 {
		return
	}
	spans(len(x), maxCallElems[T]()/3, func(lo, hi int) {
		observeCall[T](len(x[lo:hi]) + 2*len(y[lo:hi]))
		axpyKernel(alpha, x[lo:hi], y[lo:hi])
	})
}

func dot[T Float](x, y []T) T {
	var sum T
	spans(len(x), maxCallElems[T]()/2, func(lo, hi int) {
		observeCall[T](len(x[lo:hi]) + len(y[lo:hi]))
		sum += dotKernel(x[lo:hi], y[lo:hi])
	})
	return sum
}

func scal[T Float](alpha T, x []T) {
	switch alpha {
	case 0:
		clear(x)
		return
	case 1:
		return
	}
	spans(len(x), maxCallElems[T]()/2, func(lo, hi int) {
		observeCall[T](2 * len(x[lo:hi]))
		scalKernel(alpha, x[lo:hi])
	})
}
