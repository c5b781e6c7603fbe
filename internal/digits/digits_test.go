package digits

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"
)

// The checksums of ../shared/data/SHA256SUMS: the embedded files decompress
// to exactly the shared copies.
var sums = map[string]string{
	"digits.csv":             "7a93e51f73dadeb4429b4fc0718b334d12864332b906bdf44f9da7599a7e0e01",
	"digits_split_train.txt": "094f5e5e94a0b7eed18c6f8a72462840f890d23da22c95613f98564f5b04b344",
	"digits_split_test.txt":  "5a8d3620854a23511d10ba407bf42df6fe44481d290068952ad8a4517f7d326f",
}

func TestChecksums(t *testing.T) {
	for name, gz := range map[string][]byte{
		"digits.csv":             csvGz,
		"digits_split_train.txt": trainGz,
		"digits_split_test.txt":  testGz,
	} {
		raw, err := gunzip(gz)
		require.NoError(t, err, name)
		sum := sha256.Sum256(raw)
		require.Equal(t, sums[name], hex.EncodeToString(sum[:]), name)
	}
}

func TestLoad(t *testing.T) {
	d, err := Load()
	require.NoError(t, err)
	require.Len(t, d.X, Samples*Features)
	require.Len(t, d.Labels, Samples)
	require.Len(t, d.Train, Train)
	require.Len(t, d.Test, Test)

	// The first image of the file is a 0 (see the CSV's second line).
	require.Equal(t, 0, d.Labels[0])
	require.Equal(t, []float64{0, 0, 5, 13, 9, 1, 0, 0}, d.X[:8])

	// The split is stratified: every class is in both parts, in about the
	// proportions of the whole (75/25 within a couple of images).
	var all, test [Classes]int
	for _, l := range d.Labels {
		all[l]++
	}
	for _, r := range d.Test {
		test[d.Labels[r]]++
	}
	for c := range Classes {
		require.InDelta(t, float64(all[c])/4, float64(test[c]), 2, "class %d", c)
	}

	x, labels := d.Rows(d.Test[:2])
	require.Equal(t, d.X[d.Test[1]*Features:(d.Test[1]+1)*Features], x[Features:])
	require.Equal(t, []int{d.Labels[d.Test[0]], d.Labels[d.Test[1]]}, labels)
}
