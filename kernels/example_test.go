package kernels_test

import (
	"fmt"

	"github.com/simdnn/simdnn/kernels"
)

// A dense layer forward and backward, as the lecture writes it:
// a = σ(Wx + b), then δ = dL/da ⊙ a(1−a), dL/dx = Wᵀδ and dL/dW = δxᵀ.
func Example() {
	w := []float32{ // 2×3, row-major: one row per output
		0.5, -1, 0.25,
		1, 0, -0.5,
	}
	b := []float32{0, 0.5}
	x := []float32{1, 2, 4}

	z := make([]float32, 2)
	copy(z, b)
	kernels.Sgemv(2, 3, 1, w, 3, x, 1, z) // z = Wx + b
	a := make([]float32, 2)
	kernels.Ssigmoid(a, z)
	fmt.Printf("z = %.4f, a = %.4f\n", z, a)

	grad := []float32{1, -1} // dL/da
	delta := make([]float32, 2)
	kernels.SsigmoidBackward(delta, grad, a) // δ = dL/da ⊙ a(1−a)
	dx := make([]float32, 3)
	kernels.SgemvT(2, 3, 1, w, 3, delta, 0, dx) // dL/dx = Wᵀδ
	dw := make([]float32, 6)
	kernels.Sger(2, 3, 1, delta, x, dw, 3) // dL/dW = δxᵀ
	fmt.Printf("δ = %.4f\ndx = %.4f\ndW = %.4f\n", delta, dx, dw)

	// The same forward pass in one fused call.
	kernels.SdenseForward(kernels.Sigmoid, 2, 3, w, 3, x, b, a)
	fmt.Printf("a = %.4f\n", a)
	// Output:
	// z = [-0.5000 -0.5000], a = [0.3775 0.3775]
	// δ = [0.2350 -0.2350]
	// dx = [-0.1175 -0.2350 0.1763]
	// dW = [0.2350 0.4700 0.9400 -0.2350 -0.4700 -0.9400]
	// a = [0.3775 0.3775]
}
