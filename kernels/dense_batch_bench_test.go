package kernels_test

import (
	"fmt"
	"testing"

	"github.com/simdnn/simdnn/internal/benchshape"
	"github.com/simdnn/simdnn/internal/impltest"
	"github.com/simdnn/simdnn/kernels"
)

// denseBatchLayers are the layers (inputs → outputs, activation) of the
// 784-256-128-10 network, and denseBatchSizes the batches they run on.
var (
	denseBatchLayers = []struct {
		in, out int
		h       kernels.Activation
	}{{784, 256, kernels.Sigmoid}, {256, 128, kernels.Sigmoid}, {128, 10, kernels.Identity}}
	denseBatchSizes = []int{8, 32, 128, 256}
)

// BenchmarkDenseBatch measures the batch dense kernels on the layers of
// 784-256-128-10 against the unfused kernels they replace:
//
//	pass=forward   out = h(X·Wᵀ + b), 2·batch·in·out flops; unfused: b
//	               copied into every row of out, Sgemm(NoTrans, Trans, β = 1),
//	               then one Ssigmoid pass over out;
//	pass=backward  δ = g ⊙ h′(a), db, dW = δᵀX and dX = δW, 4·batch·in·out
//	               flops; unfused: one SsigmoidBackward pass over g, Saxpy
//	               over the rows for db, two Sgemm calls;
//	pass=delta     the δ and db pass alone (no flops counted: ns/op is what
//	               the backward spends outside the products),
//
// named BenchmarkDenseBatch/type=f32/pass=forward/layer=784x256/batch=32/form=fused/impl=avx2.
func BenchmarkDenseBatch(b *testing.B) {
	benchTypes(b, benchDenseBatch[float32], benchDenseBatch[float64])
}

func benchDenseBatch[T benchshape.Float](b *testing.B) {
	f := kernels.For[T]()
	for _, pass := range []string{"forward", "backward", "delta"} {
		for _, l := range denseBatchLayers {
			for _, batch := range denseBatchSizes {
				m, n := l.out, l.in
				w, x := benchshape.Rand[T](m*n, 1), benchshape.Rand[T](batch*n, 2)
				bias, out := benchshape.Rand[T](m, 3), benchshape.Rand[T](batch*m, 4)
				a, g0 := benchshape.Rand[T](batch*m, 5), benchshape.Rand[T](batch*m, 6)
				g, dx, dw, db := make([]T, batch*m), make([]T, batch*n), make([]T, m*n), make([]T, m)
				act := func(dst, x []T) {
					if l.h == kernels.Sigmoid {
						f.Sigmoid(dst, x)
					}
				}
				actBack := func(d, a []T) {
					if l.h == kernels.Sigmoid {
						f.SigmoidBackward(d, d, a)
					}
				}
				forms := map[string]func(){
					"fused": func() {
						switch pass {
						case "forward":
							f.DenseForwardBatch(l.h, batch, m, n, w, n, x, n, bias, out, m)
						case "backward":
							copy(g, g0)
							f.DenseBackwardBatch(l.h, batch, m, n, w, n, a, m, g, m, x, n, dx, n, dw, n, db)
						case "delta":
							copy(g, g0)
							f.DenseBackwardBatch(l.h, batch, m, 0, nil, 1, a, m, g, m, nil, 1, nil, 1, nil, 1, db)
						}
					},
					"unfused": func() {
						switch pass {
						case "forward":
							for r := range batch {
								copy(out[r*m:][:m], bias)
							}
							f.Gemm(kernels.NoTrans, kernels.Trans, batch, m, n, 1, x, n, w, n, 1, out, m)
							act(out, out)
						case "backward", "delta":
							copy(g, g0)
							actBack(g, a)
							clear(db)
							for r := range batch {
								f.Axpy(1, g[r*m:][:m], db)
							}
							if pass == "backward" {
								f.Gemm(kernels.Trans, kernels.NoTrans, m, n, batch, 1, g, m, x, n, 0, dw, n)
								f.Gemm(kernels.NoTrans, kernels.NoTrans, batch, n, m, 1, g, m, w, n, 0, dx, n)
							}
						}
					},
				}
				flops := map[string]int{"forward": 2 * batch * m * n, "backward": 4 * batch * m * n, "delta": 0}[pass]
				for _, form := range []string{"fused", "unfused"} {
					name := fmt.Sprintf("pass=%s/layer=%dx%d/batch=%d/form=%s", pass, n, m, batch, form)
					b.Run(name, func(b *testing.B) {
						impltest.BenchAll(b, "kernels", func(b *testing.B) {
							b.ReportAllocs()
							for b.Loop() {
								forms[form]()
							}
							if flops > 0 {
								benchReport(b, flops)
							}
						})
					})
				}
			}
		}
	}
}
