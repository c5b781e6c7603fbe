//go:build openblas && cgo

package bench

import (
	"cmp"
	"fmt"
	"os"
	"strings"
)

func init() {
	blasImpls = append(blasImpls, blasImpl{
		name: openblasName(os.Getenv("OPENBLAS_CORETYPE")),
		f32: routines[float32]{
			gemm: openblasSgemm,
			gemv: openblasSgemv,
			ger:  openblasSger,
			axpy: openblasSaxpy,
			dot:  openblasSdot,
		},
		f64: routines[float64]{
			gemm: openblasDgemm,
			gemv: openblasDgemv,
			ger:  openblasDger,
			axpy: openblasDaxpy,
			dot:  openblasDdot,
		},
	})
	configLines = append(configLines, openblasConfigLines)
	threadedBLASes = append(threadedBLASes, threadedBLAS{
		name: openblasName(os.Getenv("OPENBLAS_CORETYPE")),
		use: func(threads int) func() {
			setOpenblasThreads(threads)
			return func() { setOpenblasThreads(1) }
		},
		r: routines[float32]{gemm: openblasSgemm, gemv: openblasSgemv},
	})
}

// openblasName returns OpenBLAS's implementation name for the value of
// OPENBLAS_CORETYPE: "openblas" for the kernels OpenBLAS picks for the CPU
// by itself (the variable unset), "openblas-haswell" for
// OPENBLAS_CORETYPE=Haswell, and so on. OpenBLAS reads the variable once,
// when it loads, so one process measures one kernel set, and two runs, one
// with the variable and one without, set both side by side.
func openblasName(coretype string) string {
	if coretype == "" {
		return "openblas"
	}
	return "openblas-" + strings.ToLower(coretype)
}

// openblasConfigLines states which OpenBLAS kernels the benchmarks measure,
// e.g.
//
//	openblas-impl: openblas-haswell
//	openblas-core: Haswell
//	openblas-config: OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64
//	openblas-threads: 1
//	openblas-coretype-env: Haswell
//
// OpenBLAS picks its kernels for the CPU when it loads; the environment
// variable OPENBLAS_CORETYPE (e.g. Haswell, SkylakeX) overrides the choice.
func openblasConfigLines() []string {
	env := os.Getenv("OPENBLAS_CORETYPE")
	return []string{
		"openblas-impl: " + openblasName(env),
		"openblas-core: " + openblasCorename(),
		"openblas-config: " + openblasConfig(),
		fmt.Sprintf("openblas-threads: %d", openblasThreads()),
		"openblas-coretype-env: " + cmp.Or(env, "unset"),
	}
}
