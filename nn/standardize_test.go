package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestStandardizer: fitted statistics are StandardScaler's (population
// deviation; 1 for a constant column), Transform and Inverse undo each
// other, and the statistics survive a model file bit for bit.
func TestStandardizer(t *testing.T) {
	x := []float64{1, 10, 5, 3, 20, 5, 5, 60, 5} // three rows, three columns
	s, err := FitStandardizer(x, 3)
	require.NoError(t, err)
	require.Equal(t, []float64{3, 30, 5}, s.Mean)
	require.InDeltaSlice(t, []float64{math.Sqrt(8.0 / 3), math.Sqrt(1400.0 / 3), 1}, s.Std, 1e-15)
	z := make([]float64, len(x))
	s.Transform(z, x)
	require.InDeltaSlice(t, []float64{-2 / s.Std[0], -20 / s.Std[1], 0}, z[:3], 1e-15)
	back := make([]float64, len(z))
	s.Inverse(back, z)
	require.InDeltaSlice(t, x, back, 1e-13)

	// float32 networks: statistics in float64, each value rounded once.
	s32, err := FitStandardizer([]float32{1, 2, 3, 4}, 2)
	require.NoError(t, err)
	z32 := []float32{1, 2, 3, 4}
	s32.Transform(z32, z32)
	require.Equal(t, []float32{-1, -1, 1, 1}, z32)

	// Through a model file.
	n := mustNew[float32](t, arch(MSE, []int{3, 1}, Identity), 1)
	path := t.TempDir() + "/m.safetensors"
	require.NoError(t, n.Save(path, s.Metadata("features.")))
	_, meta, err := Load[float32](path)
	require.NoError(t, err)
	got, err := ParseStandardizer[float64](meta, "features.")
	require.NoError(t, err)
	require.Equal(t, s, got)
	require.Equal(t, 3, got.Cols())

	for _, c := range []struct {
		x    []float64
		want string
	}{
		{nil, "nn: FitStandardizer: no rows"},
		{[]float64{1, math.NaN()}, "nn: FitStandardizer: x[1] = NaN (row 0, column 1), want a finite value"},
		{[]float64{1, 2, math.Inf(-1), 0}, "nn: FitStandardizer: x[2] = -Inf (row 1, column 0), want a finite value"},
	} {
		_, err := FitStandardizer(c.x, 2)
		require.EqualError(t, err, c.want)
	}
	for _, c := range []struct {
		meta map[string]string
		want string
	}{
		{map[string]string{"p.std": "[1]"}, `nn: ParseStandardizer: no metadata "p.mean"`},
		{map[string]string{"p.mean": "[1]", "p.std": "oops"}, `nn: ParseStandardizer: metadata "p.std" = "oops" is not an array of numbers`},
		{map[string]string{"p.mean": "[1, 2]", "p.std": "[1]"}, "nn: ParseStandardizer: 2 means and 1 deviations, want as many, at least one"},
		{map[string]string{"p.mean": "[]", "p.std": "[]"}, "nn: ParseStandardizer: 0 means and 0 deviations, want as many, at least one"},
		{map[string]string{"p.mean": "[1]", "p.std": "[0]"}, "nn: ParseStandardizer: column 0: mean 1, deviation 0, want finite values and a deviation > 0"},
	} {
		_, err := ParseStandardizer[float32](c.meta, "p.")
		require.EqualError(t, err, c.want)
	}
	require.PanicsWithValue(t, "nn: FitStandardizer: len(x) = 3, cols = 2: want cols ≥ 1 dividing len(x)",
		func() { _, _ = FitStandardizer([]float64{1, 2, 3}, 2) })
	require.PanicsWithValue(t, "nn: Standardizer.Transform: len(dst) = 2, len(x) = 3, 3 means, 3 deviations: want equal lengths, a multiple of the columns",
		func() { s.Transform(make([]float64, 2), x[:3]) })
}
