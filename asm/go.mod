module github.com/simdnn/simdnn/asm

go 1.26.0

require github.com/mmcloughlin/avo v0.6.0

require (
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
	golang.org/x/tools v0.52.0 // indirect
)

require github.com/simdnn/simdnn v0.0.0

// The generator reads constants shared with the Go kernels from this
// checkout, never from a released version.
replace github.com/simdnn/simdnn => ../
