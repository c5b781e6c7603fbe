//go:build !amd64 || !gc || purego

package roof

// Available reports whether the probes can run: on amd64 with AVX2 and FMA.
var Available = false

func fma32(int)          { mustAvailable() }
func fma64(int)          { mustAvailable() }
func load256(*byte, int) { mustAvailable() }
