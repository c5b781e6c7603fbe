package kernels

// MaxCallBytes lets the tests size their inputs so that the Go wrappers'
// chunking (at most maxCallBytes per assembly call) is crossed.
const MaxCallBytes = maxCallBytes
