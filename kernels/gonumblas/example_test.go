package gonumblas_test

import (
	"fmt"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/simdnn/simdnn/kernels/gonumblas"
)

// Once blas64.Use has installed the backend, gonum's mat package computes
// matrix products with simdnn's kernels.
func Example() {
	blas64.Use(gonumblas.Implementation{})

	a := mat.NewDense(2, 3, []float64{
		1, 2, 3,
		4, 5, 6,
	})
	x := mat.NewVecDense(3, []float64{1, 0, -1})
	var y mat.VecDense
	y.MulVec(a, x) // y = Ax, by kernels.Dgemv
	fmt.Printf("Ax  = %v\n", mat.Formatted(y.T()))

	w := mat.NewVecDense(2, []float64{1, 0.5})
	var z mat.VecDense
	z.MulVec(a.T(), w) // z = Aᵀw, by kernels.DgemvT
	fmt.Printf("Aᵀw = %v\n", mat.Formatted(z.T()))

	var p mat.Dense
	p.Mul(a, a.T()) // p = AAᵀ, by kernels.Dgemm
	fmt.Printf("AAᵀ = %v\n", mat.Formatted(&p, mat.Prefix("      ")))

	fmt.Printf("BLAS: %T\n", blas64.Implementation())
	// Output:
	// Ax  = [-2  -2]
	// Aᵀw = [  3  4.5    6]
	// AAᵀ = ⎡14  32⎤
	//       ⎣32  77⎦
	// BLAS: gonumblas.Implementation
}
