//go:build openblas && cgo

package bench

import (
	"cmp"
	"fmt"
	"os"
)

func init() {
	blasImpls = append(blasImpls, blasImpl{
		name: "openblas",
		f32: routines[float32]{
			gemv: openblasSgemv,
			ger:  openblasSger,
			axpy: openblasSaxpy,
			dot:  openblasSdot,
		},
		f64: routines[float64]{
			gemv: openblasDgemv,
			ger:  openblasDger,
			axpy: openblasDaxpy,
			dot:  openblasDdot,
		},
	})
	configLines = append(configLines, openblasConfigLines)
}

// openblasConfigLines states which OpenBLAS kernels the benchmarks measure,
// e.g.
//
//	openblas-core: Haswell
//	openblas-config: OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64
//	openblas-threads: 1
//	openblas-coretype-env: Haswell
//
// OpenBLAS picks its kernels for the CPU when it loads; the environment
// variable OPENBLAS_CORETYPE (e.g. Haswell, SkylakeX) overrides the choice.
func openblasConfigLines() []string {
	return []string{
		"openblas-core: " + openblasCorename(),
		"openblas-config: " + openblasConfig(),
		fmt.Sprintf("openblas-threads: %d", openblasThreads()),
		"openblas-coretype-env: " + cmp.Or(os.Getenv("OPENBLAS_CORETYPE"), "unset"),
	}
}
