//go:build race

package nn

// raceEnabled is true under the race detector, which makes sync.Pool drop
// a quarter of what it is given on purpose: the kernels' GEMM packing
// scratch is then allocated anew now and then, so the allocation tests skip.
const raceEnabled = true
