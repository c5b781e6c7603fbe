package kernels

// The pure-Go kernels: what arm64, CPUs without AVX2 and FMA, and the purego
// build run. Each keeps several independent accumulators so that the
// floating-point adds overlap instead of waiting on one another, and slices
// its operands to exact lengths so that the compiler drops the bounds checks
// in the inner loops.

// axpyGo computes y += αx; len(y) = len(x).
func axpyGo[T Float](alpha T, x, y []T) {
	y = y[:len(x)]
	i := 0
	for ; i <= len(x)-4; i += 4 {
		xs, ys := x[i:i+4:i+4], y[i:i+4:i+4]
		ys[0] += alpha * xs[0]
		ys[1] += alpha * xs[1]
		ys[2] += alpha * xs[2]
		ys[3] += alpha * xs[3]
	}
	for ; i < len(x); i++ {
		y[i] += alpha * x[i]
	}
}

// dotGo returns xᵀy; len(y) = len(x).
func dotGo[T Float](x, y []T) T {
	y = y[:len(x)]
	var s0, s1, s2, s3 T
	i := 0
	for ; i <= len(x)-4; i += 4 {
		xs, ys := x[i:i+4:i+4], y[i:i+4:i+4]
		s0 += xs[0] * ys[0]
		s1 += xs[1] * ys[1]
		s2 += xs[2] * ys[2]
		s3 += xs[3] * ys[3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// scalGo computes x = αx.
func scalGo[T Float](alpha T, x []T) {
	for i := range x {
		x[i] *= alpha
	}
}

// gemvGo computes y = αAx + βy, four rows at a time so that each xⱼ is
// loaded once for four independent sums.
func gemvGo[T Float](a []T, lda int, x, y []T, alpha, beta T) {
	m, n := len(y), len(x)
	i := 0
	for ; i <= m-4; i += 4 {
		r0 := a[i*lda:][:n]
		r1 := a[(i+1)*lda:][:n]
		r2 := a[(i+2)*lda:][:n]
		r3 := a[(i+3)*lda:][:n]
		var s0, s1, s2, s3 T
		for j, xj := range x {
			s0 += r0[j] * xj
			s1 += r1[j] * xj
			s2 += r2[j] * xj
			s3 += r3[j] * xj
		}
		ys := y[i : i+4 : i+4]
		ys[0] = alpha*s0 + beta*ys[0]
		ys[1] = alpha*s1 + beta*ys[1]
		ys[2] = alpha*s2 + beta*ys[2]
		ys[3] = alpha*s3 + beta*ys[3]
	}
	for ; i < m; i++ {
		y[i] = alpha*dotGo(a[i*lda:][:n], x) + beta*y[i]
	}
}

// gemvTGo computes y += αAᵀx, four rows at a time so that each yⱼ is
// loaded and stored once per four rows.
func gemvTGo[T Float](a []T, lda int, x, y []T, alpha T) {
	m, n := len(x), len(y)
	i := 0
	for ; i <= m-4; i += 4 {
		r0 := a[i*lda:][:n]
		r1 := a[(i+1)*lda:][:n]
		r2 := a[(i+2)*lda:][:n]
		r3 := a[(i+3)*lda:][:n]
		x0, x1, x2, x3 := alpha*x[i], alpha*x[i+1], alpha*x[i+2], alpha*x[i+3]
		for j := range y {
			y[j] += (x0*r0[j] + x1*r1[j]) + (x2*r2[j] + x3*r3[j])
		}
	}
	for ; i < m; i++ {
		axpyGo(alpha*x[i], a[i*lda:][:n], y)
	}
}

// gerGo computes A += αxyᵀ row by row.
func gerGo[T Float](a []T, lda int, x, y []T, alpha T) {
	n := len(y)
	for i, xi := range x {
		axpyGo(alpha*xi, y, a[i*lda:][:n])
	}
}

// denseBackwardGo computes dx += Wᵀδ and dW += δxᵀ row by row.
func denseBackwardGo[T Float](w []T, ldw int, dw []T, lddw int, delta, x, dx []T) {
	n := len(x)
	for i, d := range delta {
		axpyGo(d, w[i*ldw:][:n], dx)
		axpyGo(d, x, dw[i*lddw:][:n])
	}
}

// denseBackwardSGDGo computes dx += Wᵀδ and W ← decay·W + αδxᵀ row
// by row, reading each row into dx before updating it. decay = 1 is the
// plain update through axpyGo, as it was before weight decay; otherwise
// decay·wⱼ + c·xⱼ is one expression, which the compiler may fuse into an FMA
// either way round (Go 1.26 with GOAMD64=v3, arm64): each of the three
// orders rounds c = α·δᵢ, c·xⱼ, decay·wⱼ and the sum at most once each,
// within Sger's 3ε(|α||δᵢ||xⱼ| + |decay||wⱼ|) either way.
func denseBackwardSGDGo[T Float](w []T, ldw int, delta, x, dx []T, alpha, decay T) {
	n := len(x)
	for i, d := range delta {
		row := w[i*ldw:][:n]
		axpyGo(d, row, dx)
		if decay == 1 {
			axpyGo(alpha*d, x, row)
			continue
		}
		c := alpha * d
		x := x[:len(row)]
		for j, v := range row {
			row[j] = decay*v + c*x[j]
		}
	}
}
