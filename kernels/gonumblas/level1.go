package gonumblas

import "github.com/simdnn/simdnn/kernels"

// Saxpy computes y += αx for float32 vectors of n elements with increments
// incX and incY. With incX = incY = 1 it runs kernels.Saxpy; other increments
// run gonum's Saxpy. α = 0 returns without reading x or y.
func (impl Implementation) Saxpy(n int, alpha float32, x []float32, incX int, y []float32, incY int) {
	if !level1Fast(n, len(x), incX, len(y), incY) {
		impl.Implementation.Saxpy(n, alpha, x, incX, y, incY)
		return
	}
	kernels.Saxpy(alpha, x[:n], y[:n])
}

// Daxpy computes y += αx for float64 vectors; see Saxpy.
func (impl Implementation) Daxpy(n int, alpha float64, x []float64, incX int, y []float64, incY int) {
	if !level1Fast(n, len(x), incX, len(y), incY) {
		impl.Implementation.Daxpy(n, alpha, x, incX, y, incY)
		return
	}
	kernels.Daxpy(alpha, x[:n], y[:n])
}

// Sdot returns the dot product xᵀy = Σᵢ xᵢyᵢ of float32 vectors of n elements
// with increments incX and incY, 0 for n = 0. With incX = incY = 1 it runs
// kernels.Sdot; other increments run gonum's Sdot.
func (impl Implementation) Sdot(n int, x []float32, incX int, y []float32, incY int) float32 {
	if !level1Fast(n, len(x), incX, len(y), incY) {
		return impl.Implementation.Sdot(n, x, incX, y, incY)
	}
	return kernels.Sdot(x[:n], y[:n])
}

// Ddot returns the dot product xᵀy of float64 vectors; see Sdot.
func (impl Implementation) Ddot(n int, x []float64, incX int, y []float64, incY int) float64 {
	if !level1Fast(n, len(x), incX, len(y), incY) {
		return impl.Implementation.Ddot(n, x, incX, y, incY)
	}
	return kernels.Ddot(x[:n], y[:n])
}

// Sscal computes x = αx for a float32 vector of n elements with increment
// incX. α = 0 sets the elements to zero without reading them. As in the
// reference BLAS, incX < 0 does nothing. With incX = 1 it runs kernels.Sscal;
// other increments run gonum's Sscal.
func (impl Implementation) Sscal(n int, alpha float32, x []float32, incX int) {
	if !level1Fast(n, len(x), incX, n, 1) {
		impl.Implementation.Sscal(n, alpha, x, incX)
		return
	}
	kernels.Sscal(alpha, x[:n])
}

// Dscal computes x = αx for a float64 vector; see Sscal.
func (impl Implementation) Dscal(n int, alpha float64, x []float64, incX int) {
	if !level1Fast(n, len(x), incX, n, 1) {
		impl.Implementation.Dscal(n, alpha, x, incX)
		return
	}
	kernels.Dscal(alpha, x[:n])
}

// level1Fast reports whether a level-1 call on vectors of n elements may run
// on the kernels: unit increments, n ≥ 1, and slices long enough, so that
// gonum would neither panic nor return early.
func level1Fast(n, lenX, incX, lenY, incY int) bool {
	return incX == 1 && incY == 1 && n >= 1 && lenX >= n && lenY >= n
}
