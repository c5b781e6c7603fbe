package kernels_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/simdnn/simdnn/internal/impltest"
	"github.com/simdnn/simdnn/kernels"
)

// startImplementation is the implementation selected when the test binary
// started, before any test could change it: package variables are
// initialized after the imported packages' init functions, which register
// the assembly.
var startImplementation = kernels.Implementation()

// TestAssemblySelected fails when an implementation SIMDNN_REQUIRE_ASM names
// (CI: avx2 on machines with AVX2 and FMA) is unknown or unavailable, or when
// the kernels did not start on the first of them: a CPU check or build
// constraint gone wrong would otherwise make every other test test another
// path twice, and pass.
func TestAssemblySelected(t *testing.T) {
	required := impltest.RequiredAsm()
	if len(required) == 0 {
		t.Skipf("%s is empty; started on %q", impltest.RequireAsmEnv, startImplementation)
	}
	for _, name := range required {
		require.Contains(t, kernels.Implementations(), name, "%s=%s", impltest.RequireAsmEnv, os.Getenv(impltest.RequireAsmEnv))
	}
	require.Contains(t, required, startImplementation, "the default implementation at start is one the CPU was required to run")
	require.Equal(t, kernels.Implementations()[0], startImplementation, "the default is the fastest available")
}

// TestImplementations checks the selection API: the list (default first,
// "go" always last), selecting each name, unknown names, and "" restoring
// the default.
func TestImplementations(t *testing.T) {
	t.Cleanup(func() { _ = kernels.UseImplementation("") })
	require.NoError(t, kernels.UseImplementation(""))

	impls := kernels.Implementations()
	require.NotEmpty(t, impls)
	require.Equal(t, "go", impls[len(impls)-1], "the pure-Go fallback is always available, last")
	require.Equal(t, impls[0], kernels.Implementation(), "the default is the first listed")
	require.Equal(t, startImplementation, kernels.Implementation())
	require.Equal(t, impls, slices.Compact(slices.Clone(impls)), "no name twice")

	for _, name := range impls {
		require.NoError(t, kernels.UseImplementation(name))
		require.Equal(t, name, kernels.Implementation())
		// The selected implementation computes.
		x := []float32{1, 2, 3, 4, 5, 6, 7, 8, 9}
		require.Equal(t, float32(285), kernels.Sdot(x, x), "Sdot with %s", name)
	}

	require.NoError(t, kernels.UseImplementation(""))
	require.Equal(t, impls[0], kernels.Implementation(), `"" restores the default`)

	unknown := []string{"nope", "AVX2", "Go", " go"}
	if !slices.Contains(impls, "avx2") {
		unknown = append(unknown, "avx2") // registered or not, unavailable
	}
	for _, name := range unknown {
		require.NoError(t, kernels.UseImplementation("go"))
		err := kernels.UseImplementation(name)
		require.EqualError(t, err, fmt.Sprintf("kernels: implementation %q is not available on this machine (have %s)",
			name, strings.Join(impls, ", ")))
		require.Equal(t, impls[0], kernels.Implementation(), "a failed selection restores the default")
	}
}

// ExpectImplEnv names the environment variable that states which
// implementation the dispatcher must pick by default on this CPU: `make
// test-emulated` sets it for each emulated CPU, CI from the CPU's flags.
const ExpectImplEnv = "SIMDNN_EXPECT_IMPL"

// TestExpectedImplementation proves the run-time choice: the default
// implementation is the one ExpectImplEnv names (avx512, avx2 or go). It is
// skipped when the variable is not set.
func TestExpectedImplementation(t *testing.T) {
	want := os.Getenv(ExpectImplEnv)
	if want == "" {
		t.Skipf("%s is not set", ExpectImplEnv)
	}
	t.Cleanup(func() { _ = kernels.UseImplementation("") })
	require.NoError(t, kernels.UseImplementation(""))
	require.Equal(t, want, kernels.Implementation(), "the implementation selected at start-up")
	require.Equal(t, want, kernels.Implementations()[0], "the first, default, implementation")
}
