//go:build race

package kernels_test

// raceEnabled is true under the race detector, which makes sync.Pool drop
// a quarter of what it is given on purpose: the packing scratch is then
// allocated anew now and then, so the tests that count allocations skip.
const raceEnabled = true
