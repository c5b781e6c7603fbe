//go:build amd64 && gc && !purego

package roof

import "golang.org/x/sys/cpu"

// Available reports whether the probes can run: on amd64 with AVX2 and FMA.
var Available = cpu.X86.HasAVX2 && cpu.X86.HasFMA
