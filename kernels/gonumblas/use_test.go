package gonumblas_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/simdnn/simdnn/kernels"
	"github.com/simdnn/simdnn/kernels/gonumblas"
)

// TestUseBlas64 checks that blas64.Use installs the backend and that gonum's
// mat package then computes what it computes on gonum's own BLAS, on matrix
// views whose stride exceeds their width: matrix-vector products, rank-one
// updates, and Dense.Mul with every transpose.
func TestUseBlas64(t *testing.T) {
	defer blas64.Use(blas64.Implementation())
	rnd := rand.New(rand.NewPCG(11, 12))
	full := mat.NewDense(40, 30, random[float64](rnd, 40*30))
	a := full.Slice(1, 38, 2, 25).(*mat.Dense) // 37×23, stride 30
	x := mat.NewVecDense(23, random[float64](rnd, 23))
	w := mat.NewVecDense(37, random[float64](rnd, 37))

	b := full.Slice(3, 26, 1, 30).(*mat.Dense) // 23×29, stride 30
	c := mat.NewDense(37, 29, random[float64](rnd, 37*29))

	type results struct {
		ax, atw *mat.VecDense
		ab, atc *mat.Dense
		abt     *mat.Dense
		rank1   *mat.Dense
		dot     float64
		axpy    []float64
	}
	run := func(impl blas.Float64) results {
		blas64.Use(impl)
		var r results
		r.ax, r.atw = new(mat.VecDense), new(mat.VecDense)
		r.ax.MulVec(a, x)      // Dgemv, NoTrans
		r.atw.MulVec(a.T(), w) // Dgemv, Trans
		r.ab, r.atc, r.abt = new(mat.Dense), new(mat.Dense), new(mat.Dense)
		r.ab.Mul(a, b)          // Dgemm, NoTrans NoTrans
		r.atc.Mul(a.T(), c)     // Dgemm, Trans NoTrans
		r.abt.Mul(b.T(), a.T()) // Dgemm, Trans Trans
		r.rank1 = mat.DenseCopyOf(a)
		r.rank1.RankOne(r.rank1, 0.5, w, x) // Dger
		v := blas64.Vector{N: 23, Inc: 1, Data: slices.Clone(x.RawVector().Data)}
		r.dot = blas64.Dot(v, v)
		blas64.Axpy(-2, v, v)
		blas64.Scal(3, v)
		r.axpy = v.Data
		return r
	}
	want := run(native)
	got := run(ours)
	require.IsType(t, gonumblas.Implementation{}, blas64.Implementation())

	const tol = 1e-12 // 40·ε·40 for |values| < 1, with room to spare
	require.True(t, mat.EqualApprox(got.ab, want.ab, tol), "AB differs")
	require.True(t, mat.EqualApprox(got.atc, want.atc, tol), "AᵀC differs")
	require.True(t, mat.EqualApprox(got.abt, want.abt, tol), "BᵀAᵀ differs")
	require.True(t, mat.EqualApprox(got.ax, want.ax, tol), "Ax = %v, want %v", got.ax, want.ax)
	require.True(t, mat.EqualApprox(got.atw, want.atw, tol), "Aᵀw = %v, want %v", got.atw, want.atw)
	require.True(t, mat.EqualApprox(got.rank1, want.rank1, tol), "A + 0.5·wxᵀ differs")
	require.InDelta(t, want.dot, got.dot, tol)
	require.InDeltaSlice(t, want.axpy, got.axpy, tol)
}

// TestUseBlas32 checks that blas32.Use installs the backend and that
// blas32's level-1, level-2 and Gemm functions compute what they compute on
// gonum's own BLAS.
func TestUseBlas32(t *testing.T) {
	defer blas32.Use(blas32.Implementation())
	rnd := rand.New(rand.NewPCG(13, 14))
	const m, n, stride = 37, 23, 30
	a := random[float32](rnd, (m-1)*stride+n)
	x := random[float32](rnd, n)
	w := random[float32](rnd, m)

	const k = 19
	bk := random[float32](rnd, n*k) // n×k
	run := func(impl blas.Float32) (ax, atw, rank1, prod []float32, dot float32) {
		blas32.Use(impl)
		ga := blas32.General{Rows: m, Cols: n, Stride: stride, Data: slices.Clone(a)}
		vx := blas32.Vector{N: n, Inc: 1, Data: x}
		vw := blas32.Vector{N: m, Inc: 1, Data: w}
		ax, atw = make([]float32, m), make([]float32, n)
		blas32.Gemv(blas.NoTrans, 1, ga, vx, 0, blas32.Vector{N: m, Inc: 1, Data: ax})
		blas32.Gemv(blas.Trans, 1, ga, vw, 0, blas32.Vector{N: n, Inc: 1, Data: atw})
		prod = make([]float32, m*k)
		gb := blas32.General{Rows: n, Cols: k, Stride: k, Data: bk}
		blas32.Gemm(blas.NoTrans, blas.NoTrans, 1, ga, gb, 0, blas32.General{Rows: m, Cols: k, Stride: k, Data: prod})
		blas32.Ger(0.5, vw, vx, ga)
		blas32.Axpy(2, vx, blas32.Vector{N: n, Inc: 1, Data: atw})
		blas32.Scal(-1, blas32.Vector{N: m, Inc: 1, Data: ax})
		return ax, atw, ga.Data, prod, blas32.Dot(vx, vx)
	}
	wantAx, wantAtw, wantRank1, wantProd, wantDot := run(native)
	gotAx, gotAtw, gotRank1, gotProd, gotDot := run(ours)
	require.IsType(t, gonumblas.Implementation{}, blas32.Implementation())

	const tol = 1e-4 // 40·2⁻²⁴·40 for |values| < 1, with room to spare
	require.InDeltaSlice(t, wantAx, gotAx, tol)
	require.InDeltaSlice(t, wantAtw, gotAtw, tol)
	require.InDeltaSlice(t, wantRank1, gotRank1, tol)
	require.InDeltaSlice(t, wantProd, gotProd, tol)
	require.InDelta(t, wantDot, gotDot, tol)
}

// TestFastPathIsKernels checks that unit-stride calls really run on simdnn's
// kernels: their results are bit for bit those of the kernels called
// directly, for every kernels implementation.
func TestFastPathIsKernels(t *testing.T) {
	rnd := rand.New(rand.NewPCG(15, 16))
	const m, n, lda = 67, 129, 131
	a := random[float64](rnd, (m-1)*lda+n+guard)
	x := random[float64](rnd, n+guard)
	y := random[float64](rnd, m+guard)
	a32, x32, y32 := to32(a), to32(x), to32(y)
	for _, name := range kernels.Implementations() {
		t.Run(name, func(t *testing.T) {
			require.NoError(t, kernels.UseImplementation(name))
			defer kernels.UseImplementation("")
			need := (m-1)*lda + n

			y1, y2 := slices.Clone(y), slices.Clone(y)
			ours.Dgemv(blas.NoTrans, m, n, 0.5, a, lda, x, 1, -1, y1, 1)
			kernels.Dgemv(m, n, 0.5, a[:need], lda, x[:n], -1, y2[:m])
			require.Equal(t, y2, y1, "Dgemv")

			y1, y2 = slices.Clone(x), slices.Clone(x)
			ours.Dgemv(blas.ConjTrans, m, n, 0.5, a, lda, y, 1, -1, y1, 1)
			kernels.DgemvT(m, n, 0.5, a[:need], lda, y[:m], -1, y2[:n])
			require.Equal(t, y2, y1, "Dgemv(Trans)")

			s1, s2 := slices.Clone(y32), slices.Clone(y32)
			ours.Sgemv(blas.NoTrans, m, n, 0.5, a32, lda, x32, 1, -1, s1, 1)
			kernels.Sgemv(m, n, 0.5, a32[:need], lda, x32[:n], -1, s2[:m])
			require.Equal(t, s2, s1, "Sgemv")

			s1, s2 = slices.Clone(x32), slices.Clone(x32)
			ours.Sgemv(blas.Trans, m, n, 0.5, a32, lda, y32, 1, -1, s1, 1)
			kernels.SgemvT(m, n, 0.5, a32[:need], lda, y32[:m], -1, s2[:n])
			require.Equal(t, s2, s1, "Sgemv(Trans)")

			// Dgemm Trans NoTrans: C (n×n) = 0.5·AᵀA − C; Sgemm NoTrans Trans:
			// C (m×m) = 0.5·AAᵀ − C.
			c1, c2 := random[float64](rnd, n*n), make([]float64, n*n)
			copy(c2, c1)
			ours.Dgemm(blas.Trans, blas.NoTrans, n, n, m, 0.5, a, lda, a, lda, -1, c1, n)
			kernels.Dgemm(kernels.Trans, kernels.NoTrans, n, n, m, 0.5, a[:need], lda, a[:need], lda, -1, c2, n)
			require.Equal(t, c2, c1, "Dgemm(Trans, NoTrans)")
			d1, d2 := to32(random[float64](rnd, m*m)), make([]float32, m*m)
			copy(d2, d1)
			ours.Sgemm(blas.NoTrans, blas.ConjTrans, m, m, n, 0.5, a32, lda, a32, lda, -1, d1, m)
			kernels.Sgemm(kernels.NoTrans, kernels.Trans, m, m, n, 0.5, a32[:need], lda, a32[:need], lda, -1, d2, m)
			require.Equal(t, d2, d1, "Sgemm(NoTrans, Trans)")

			a1, a2 := slices.Clone(a), slices.Clone(a)
			ours.Dger(m, n, -0.5, y, 1, x, 1, a1, lda)
			kernels.Dger(m, n, -0.5, y[:m], x[:n], a2[:need], lda)
			require.Equal(t, a2, a1, "Dger")

			b1, b2 := slices.Clone(a32), slices.Clone(a32)
			ours.Sger(m, n, -0.5, y32, 1, x32, 1, b1, lda)
			kernels.Sger(m, n, -0.5, y32[:m], x32[:n], b2[:need], lda)
			require.Equal(t, b2, b1, "Sger")

			require.Equal(t, kernels.Ddot(x[:n], a[:n]), ours.Ddot(n, x, 1, a, 1), "Ddot")
			require.Equal(t, kernels.Sdot(x32[:n], a32[:n]), ours.Sdot(n, x32, 1, a32, 1), "Sdot")

			y1, y2 = slices.Clone(a[:n+guard]), slices.Clone(a[:n+guard])
			ours.Daxpy(n, 0.25, x, 1, y1, 1)
			kernels.Daxpy(0.25, x[:n], y2[:n])
			require.Equal(t, y2, y1, "Daxpy")

			s1, s2 = slices.Clone(a32[:n+guard]), slices.Clone(a32[:n+guard])
			ours.Saxpy(n, 0.25, x32, 1, s1, 1)
			kernels.Saxpy(0.25, x32[:n], s2[:n])
			require.Equal(t, s2, s1, "Saxpy")

			y1, y2 = slices.Clone(x), slices.Clone(x)
			ours.Dscal(n, 3, y1, 1)
			kernels.Dscal(3, y2[:n])
			require.Equal(t, y2, y1, "Dscal")

			s1, s2 = slices.Clone(x32), slices.Clone(x32)
			ours.Sscal(n, 3, s1, 1)
			kernels.Sscal(3, s2[:n])
			require.Equal(t, s2, s1, "Sscal")
		})
	}
}
