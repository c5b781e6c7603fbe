package main

// kernelDef is one kernel: its assembly functions (one per element type and
// instruction set), their Go declarations, and the dispatch function that
// picks among them and the pure-Go fallback.
type kernelDef struct {
	// name names the assembly, e.g. sgemvAVX2 for "gemv", and the dispatch
	// function, gemvKernel.
	name string
	// params and result are the Go parameters and result type, with %[1]s
	// for the element type.
	params, result string
	doc            string
	// fallback names the pure-Go function: one generic function, or one per
	// element type, "%[1]s" standing for its BLAS prefix (s or d).
	fallback string
	// emit writes the body of the assembly function for v.
	emit func(v vec)
}

// kernelDefs are every kernel, in the order of the generated files.
var kernelDefs = []kernelDef{
	{name: "axpy", params: "alpha %[1]s, x, y []%[1]s", doc: "y += αx for len(y) = len(x).", fallback: "axpyGo", emit: axpy},
	{name: "scal", params: "alpha %[1]s, x []%[1]s", doc: "x = αx.", fallback: "scalGo", emit: scal},
	{name: "dot", params: "x, y []%[1]s", result: "%[1]s", doc: "xᵀy for len(y) = len(x).", fallback: "dotGo", emit: dot},
	{name: "gemv", params: "a []%[1]s, lda int, x, y []%[1]s, alpha, beta %[1]s",
		doc: "y = αAx + βy for row-major A with m = len(y), n = len(x) ≥ 1.", fallback: "gemvGo", emit: gemv},
	{name: "gemvT", params: "a []%[1]s, lda int, x, y []%[1]s, alpha %[1]s",
		doc: "y += αAᵀx for row-major A with m = len(x) ≥ 1, n = len(y) ≥ 1.", fallback: "gemvTGo", emit: gemvT},
	{name: "ger", params: "a []%[1]s, lda int, x, y []%[1]s, alpha %[1]s",
		doc: "A += αxyᵀ for row-major A with m = len(x) ≥ 1, n = len(y) ≥ 1.", fallback: "gerGo", emit: ger},
	{name: "sigmoid", params: "dst, x []%[1]s", doc: "dst = σ(x) for len(dst) = len(x).", fallback: "%[1]ssigmoidGo", emit: sigmoid},
	{name: "tanh", params: "dst, x []%[1]s", doc: "dst = tanh(x) for len(dst) = len(x).", fallback: "%[1]stanhGo", emit: tanh},
	{name: "relu", params: "dst, x []%[1]s", doc: "dst = max(x, 0), NaN kept, −0 made +0, for len(dst) = len(x).", fallback: "reluGo", emit: relu},
	{name: "sigmoidBackward", params: "dst, g, a []%[1]s", doc: "dst = g·(a·(1−a)) for len(dst) = len(g) = len(a).",
		fallback: "sigmoidBackwardGo", emit: sigmoidBackward},
	{name: "tanhBackward", params: "dst, g, a []%[1]s", doc: "dst = g·((1−a)·(1+a)) for len(dst) = len(g) = len(a).",
		fallback: "tanhBackwardGo", emit: tanhBackward},
	{name: "reluBackward", params: "dst, g, a []%[1]s", doc: "dst = a > 0 ? g : +0 for len(dst) = len(g) = len(a).",
		fallback: "reluBackwardGo", emit: reluBackward},
	{name: "adam", params: "coef, w, g, m, v []%[1]s",
		doc:      "one step of Adam's rule on every element of w, g, m and v (equal lengths), coef as asm/adam.go orders it.",
		fallback: "adamGo", emit: adam},
	{name: "denseBackward", params: "w []%[1]s, ldw int, dw []%[1]s, lddw int, delta, x, dx []%[1]s",
		doc:      "dx += Wᵀδ and dW += δxᵀ in one pass, m = len(δ) ≥ 1, n = len(x) = len(dx) ≥ 1.",
		fallback: "denseBackwardGo", emit: func(v vec) { denseBackward(v, false) }},
	{name: "denseBackwardSGD", params: "w []%[1]s, ldw int, delta, x, dx []%[1]s, alpha, decay %[1]s",
		doc:      "dx += Wᵀδ with W before the update, then W ← decay·W + αδxᵀ, in one pass; m = len(δ) ≥ 1, n = len(x) = len(dx) ≥ 1.",
		fallback: "denseBackwardSGDGo", emit: func(v vec) { denseBackward(v, true) }},
	{name: "gemm", params: "k int, a []%[1]s, lda int, b []%[1]s, ldb int, c []%[1]s, ldc, mr, nr int, alpha, beta %[1]s",
		doc:      "C[:mr, :nr] = α·Σₗ a[l]ᵀ·b[l] + β·C[:mr, :nr] for packed MR×k and k×NR panels; C not read when β = 0.",
		fallback: "%[1]sgemmGo", emit: gemm},
	{name: "transpose8", params: "k int, src []%[1]s, lds int, dst []%[1]s, ldd int",
		doc:      "dst[l·ldd + r] = src[r·lds + l] for r < 8 and l < k: eight rows of src transposed into k rows of dst.",
		fallback: "transpose8Go", emit: transpose8},
	{name: "gemmdot", params: "k int, a []%[1]s, lda int, b []%[1]s, ldb int, c []%[1]s, ldc, m, n int, alpha, beta %[1]s",
		doc:      "C[:m, :n] = α·A·Bᵀ + β·C[:m, :n] for row-major A (m×k) and B (n×k), dot products in dotBytes-interleaved partial sums; C not read when β = 0.",
		fallback: "%[1]sgemmdotGo", emit: gemmDot},
}

// signature returns k's Go signature for element type goType, as
// "func(…) result".
func (k kernelDef) signature() string {
	sig := "func(" + k.params + ")"
	if k.result != "" {
		sig += " " + k.result
	}
	return sig
}
