package kernels_test

import (
	"bufio"
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestAVX2Registers checks that the AVX2 assembly names only the 16 vector
// registers an AVX2 CPU has. Avo's register allocator hands out X16–X31 and
// Y16–Y31 too when a function needs more than 16 at once; the assembler
// then encodes the instruction with an EVEX prefix (AVX-512) or rejects
// it, and a CPU without AVX-512 would fault on it.
func TestAVX2Registers(t *testing.T) {
	f, err := os.Open("kernels_avx2_amd64.s")
	require.NoError(t, err)
	defer f.Close()
	high := regexp.MustCompile(`\b[XYZ](1[6-9]|2[0-9]|3[01])\b|\bZ[0-9]+\b|\bK[0-7]\b`)
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		if r := high.FindString(sc.Text()); r != "" {
			t.Errorf("kernels_avx2_amd64.s:%d names %s, which AVX2 does not have: %s", line, r, sc.Text())
		}
	}
	require.NoError(t, sc.Err())
}
