// Package bench compares simdnn's kernels with the other ways a Go program
// can do the same work: simdnn's AVX2/FMA assembly (impl=avx2) and its pure-Go
// fallback (impl=go), gonum's native BLAS (impl=gonum, Go and Go assembly),
// OpenBLAS through cgo (with the build tag openblas: impl=openblas for the
// kernels it picks itself, impl=openblas-haswell under
// OPENBLAS_CORETYPE=Haswell), and plain Go loops (impl=naive).
//
// It also times the training steps of package nn (nn_test.go) on simdnn's two
// paths: a per-sample SGD step, mini-batch steps of 1 to 256 samples and
// inference of 1 and 1024 rows, which gonum and OpenBLAS have no counterpart
// of; python/mlp_bench.py measures PyTorch and numpy on the same GEMM shapes
// and network (impl=torch, impl=numpy), and the report runs it in the same
// run.
//
// The package is only its benchmarks (bench_test.go, gemm_test.go, nn_test.go) and, under
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
//	BenchmarkGemm/type=f32/op=NT/shape=32x256x784/impl=avx2
//	BenchmarkDot/type=f64/n=65536/impl=gonum
//	BenchmarkSigmoid/type=f32/n=4096/impl=naive
//	BenchmarkTrainStep/net=784-256-128-10/step=sgd1/impl=avx2
//
// so that `benchstat -col /impl` puts the implementations side by side. The
// BenchmarkRoof benchmarks measure this machine's ceilings (FMA peak, read
// bandwidth of each cache level and of DRAM) for the report's chart; see
// internal/roof.
package bench
