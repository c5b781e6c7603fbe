package kernels

import (
	"fmt"
	"strings"

	"github.com/simdnn/simdnn/internal/impl"
)

// Implementations returns the names of the kernel implementations this
// machine can run, the default first: "avx512" (AVX-512 F, DQ and VL
// assembly) and "avx2" (AVX2 and FMA assembly) where the CPU has them, and
// always "go", the pure-Go fallback.
func Implementations() []string {
	return impl.Names("kernels")
}

// Implementation returns the name of the implementation the kernels use now.
func Implementation() string {
	return impl.Selected("kernels")
}

// UseImplementation makes every kernel run the named implementation, one of
// Implementations, so that programs can compare them; "" restores the
// default. It must not be called while kernels run in other goroutines.
func UseImplementation(name string) error {
	if name == "" {
		impl.Reset("kernels")
		return nil
	}
	if !impl.Select("kernels", name) {
		impl.Reset("kernels")
		return fmt.Errorf("kernels: implementation %q is not available on this machine (have %s)",
			name, strings.Join(Implementations(), ", "))
	}
	return nil
}
