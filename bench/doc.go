// Package bench compares simdnn's kernels with the other ways a Go program
// can do the same work: simdnn's AVX2/FMA assembly (impl=avx2) and its pure-Go
// fallback (impl=go), gonum's native BLAS (impl=gonum, Go and Go assembly),
// OpenBLAS through cgo (impl=openblas, with the build tag openblas), and for
// the activations a plain Go loop (impl=naive).
//
// It also times the training steps of package nn (nn_test.go) on simdnn's two
// paths: a per-sample SGD step, a batch-32 step and batch-1 inference, which
// gonum and OpenBLAS have no counterpart of.
//
// The package is only its benchmarks (bench_test.go, nn_test.go) and, under
// the openblas tag, the cgo bindings they call (openblas.go); it lives in its
// own module so that gonum, gonum/plot and cgo never reach a program that
// imports simdnn. Run it from this directory:
//
//	go test -run '^$' -bench . -tags openblas
//	go run ./cmd/report
//
// Every sub-benchmark is named key=value, the implementation last:
//
//	BenchmarkGemv/type=f32/shape=256x256/impl=openblas
//	BenchmarkDot/type=f64/n=65536/impl=gonum
//	BenchmarkSigmoid/type=f32/n=4096/impl=naive
//	BenchmarkTrainStep/net=784-256-128-10/step=sgd1/impl=avx2
//
// so that `benchstat -col /impl` puts the implementations side by side. The
// BenchmarkRoof benchmarks measure this machine's ceilings (FMA peak, read
// bandwidth of each cache level and of DRAM) for the report's chart; see
// internal/roof.
package bench
