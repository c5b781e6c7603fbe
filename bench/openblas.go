//go:build openblas && cgo

package bench

/*
#cgo LDFLAGS: -lopenblas
#include <cblas.h>
*/
import "C"

import "unsafe"

// OpenBLAS runs on one thread, like every other implementation the suite
// measures: the comparison is per core.
func init() {
	C.openblas_set_num_threads(1)
}

// openblasCorename returns the name of the kernel set OpenBLAS chose for this
// CPU (or was told to use by OPENBLAS_CORETYPE), e.g. "Haswell".
func openblasCorename() string { return C.GoString(C.openblas_get_corename()) }

// openblasConfig returns OpenBLAS's build configuration, e.g.
// "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64".
func openblasConfig() string { return C.GoString(C.openblas_get_config()) }

// setOpenblasThreads makes OpenBLAS run on n threads.
func setOpenblasThreads(n int) { C.openblas_set_num_threads(C.int(n)) }

// openblasThreads returns the number of threads OpenBLAS uses.
func openblasThreads() int { return int(C.openblas_get_num_threads()) }

func fptr(s []float32) *C.float {
	return (*C.float)(unsafe.Pointer(unsafe.SliceData(s)))
}

func dptr(s []float64) *C.double {
	return (*C.double)(unsafe.Pointer(unsafe.SliceData(s)))
}

func transpose(trans bool) C.enum_CBLAS_TRANSPOSE {
	if trans {
		return C.CblasTrans
	}
	return C.CblasNoTrans
}

// openblasSgemm computes C = α·op(A)·op(B) + βC for row-major float32
// matrices, op(X) = Xᵀ when tA (tB) is set: cblas_sgemm.
func openblasSgemm(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	C.cblas_sgemm(C.CblasRowMajor, transpose(tA), transpose(tB), C.blasint(m), C.blasint(n), C.blasint(k),
		C.float(alpha), fptr(a), C.blasint(lda), fptr(b), C.blasint(ldb), C.float(beta), fptr(c), C.blasint(ldc))
}

// openblasDgemm is openblasSgemm for float64: cblas_dgemm.
func openblasDgemm(tA, tB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	C.cblas_dgemm(C.CblasRowMajor, transpose(tA), transpose(tB), C.blasint(m), C.blasint(n), C.blasint(k),
		C.double(alpha), dptr(a), C.blasint(lda), dptr(b), C.blasint(ldb), C.double(beta), dptr(c), C.blasint(ldc))
}

// openblasSgemv computes y = αAx + βy, or y = αAᵀx + βy when trans, for a
// row-major m×n float32 matrix A: cblas_sgemv.
func openblasSgemv(trans bool, m, n int, alpha float32, a []float32, lda int, x []float32, beta float32, y []float32) {
	C.cblas_sgemv(C.CblasRowMajor, transpose(trans), C.blasint(m), C.blasint(n),
		C.float(alpha), fptr(a), C.blasint(lda), fptr(x), 1, C.float(beta), fptr(y), 1)
}

// openblasDgemv is openblasSgemv for float64: cblas_dgemv.
func openblasDgemv(trans bool, m, n int, alpha float64, a []float64, lda int, x []float64, beta float64, y []float64) {
	C.cblas_dgemv(C.CblasRowMajor, transpose(trans), C.blasint(m), C.blasint(n),
		C.double(alpha), dptr(a), C.blasint(lda), dptr(x), 1, C.double(beta), dptr(y), 1)
}

// openblasSger computes A += αxyᵀ for a row-major m×n float32 matrix A:
// cblas_sger.
func openblasSger(m, n int, alpha float32, x, y, a []float32, lda int) {
	C.cblas_sger(C.CblasRowMajor, C.blasint(m), C.blasint(n), C.float(alpha),
		fptr(x), 1, fptr(y), 1, fptr(a), C.blasint(lda))
}

// openblasDger is openblasSger for float64: cblas_dger.
func openblasDger(m, n int, alpha float64, x, y, a []float64, lda int) {
	C.cblas_dger(C.CblasRowMajor, C.blasint(m), C.blasint(n), C.double(alpha),
		dptr(x), 1, dptr(y), 1, dptr(a), C.blasint(lda))
}

// openblasSaxpy computes y += αx: cblas_saxpy.
func openblasSaxpy(alpha float32, x, y []float32) {
	C.cblas_saxpy(C.blasint(len(x)), C.float(alpha), fptr(x), 1, fptr(y), 1)
}

// openblasDaxpy computes y += αx: cblas_daxpy.
func openblasDaxpy(alpha float64, x, y []float64) {
	C.cblas_daxpy(C.blasint(len(x)), C.double(alpha), dptr(x), 1, dptr(y), 1)
}

// openblasSdot returns xᵀy: cblas_sdot.
func openblasSdot(x, y []float32) float32 {
	return float32(C.cblas_sdot(C.blasint(len(x)), fptr(x), 1, fptr(y), 1))
}

// openblasDdot returns xᵀy: cblas_ddot.
func openblasDdot(x, y []float64) float64 {
	return float64(C.cblas_ddot(C.blasint(len(x)), dptr(x), 1, dptr(y), 1))
}
