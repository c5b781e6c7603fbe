package kernels

// Packing: GEMM operands copied into the panels the micro-kernel reads,
// k-major and contiguous, transposes taken here so that the micro-kernel
// sees one layout whatever tA and tB are. Panels are zero-padded to whole
// MR rows and NR columns: the micro-kernel always computes a full tile and
// stores only the valid part, and the padding contributes exact zeros.

// packA packs the mb×kb block of op(A) that starts at a[0] (row i of op(A)
// is a[i*lda:] for NoTrans, column a[i:] of the stored k×m matrix for Trans)
// into dst as ⌈mb/MR⌉ panels of kb·MR elements (MR = tileMR), element (l, r) of panel p at
// dst[p·kb·MR + l·MR + r]. With edgeOnly it packs only a last panel of fewer
// than MR rows: the driver reads the full panels of a Trans A where it is
// stored, already k-major with stride lda.
func packA[T Float](t Transpose, mb, kb int, a []T, lda int, dst []T, tileMR int, edgeOnly bool) {
	i0 := 0
	if edgeOnly {
		i0 = mb / tileMR * tileMR
	}
	for ; i0 < mb; i0 += tileMR {
		mr := min(tileMR, mb-i0)
		p := dst[i0*kb:][:tileMR*kb]
		if t == Trans {
			// Row l of the stored matrix holds op(A)'s column l: copy MR.
			for l := range kb {
				q := p[l*tileMR:][:tileMR]
				copy(q, a[l*lda+i0:][:mr])
				clear(q[mr:])
			}
			continue
		}
		if mr == 6 && tileMR == 6 {
			// Six rows at once: one contiguous 6-element store per l.
			r0, r1, r2 := a[i0*lda:][:kb], a[(i0+1)*lda:][:kb], a[(i0+2)*lda:][:kb]
			r3, r4, r5 := a[(i0+3)*lda:][:kb], a[(i0+4)*lda:][:kb], a[(i0+5)*lda:][:kb]
			for l := range kb {
				q := p[l*6:][:6]
				q[0], q[1], q[2], q[3], q[4], q[5] = r0[l], r1[l], r2[l], r3[l], r4[l], r5[l]
			}
			continue
		}
		if mr == 8 && tileMR == 8 {
			// Eight rows stored along k are the panel transposed.
			transpose8Pack(kb, a[i0*lda:], lda, p, 8)
			continue
		}
		for r := range mr {
			row := a[(i0+r)*lda:][:kb]
			for l, v := range row {
				p[l*tileMR+r] = v
			}
		}
		for r := mr; r < tileMR; r++ {
			for l := range kb {
				p[l*tileMR+r] = 0
			}
		}
	}
}

// packB packs the kb×nb block of op(B) that starts at b[0] (row l of op(B)
// is b[l*ldb:] for NoTrans; column j is b[j*ldb:] for Trans) into dst as
// ⌈nb/nr⌉ panels of kb·nr elements, element (l, j) of panel q at
// dst[q·kb·nr + l·nr + j]. With edgeOnly it packs only a last panel of fewer
// than nr columns (see gemmDirectB).
func packB[T Float](t Transpose, kb, nb int, b []T, ldb int, dst []T, nr int, edgeOnly bool) {
	j0 := 0
	if edgeOnly {
		j0 = nb / nr * nr
	}
	if t == NoTrans {
		for l := range kb {
			row := b[l*ldb:][:nb]
			for j := j0; j < nb; j += nr {
				w := min(nr, nb-j)
				q := dst[j*kb+l*nr:][:nr]
				copy(q, row[j:j+w])
				clear(q[w:])
			}
		}
		return
	}
	for ; j0 < nb; j0 += nr {
		w := min(nr, nb-j0)
		p := dst[j0*kb:][:nr*kb]
		if t == NoTrans {
			continue
		}
		j := 0
		for ; j+8 <= w; j += 8 {
			// Eight columns of op(B), stored as rows along k, transposed.
			transpose8Pack(kb, b[(j0+j)*ldb:], ldb, p[j:], nr)
		}
		for ; j < w; j++ {
			col := b[(j0+j)*ldb:][:kb]
			for l, v := range col {
				p[l*nr+j] = v
			}
		}
		for j := w; j < nr; j++ {
			for l := range kb {
				p[l*nr+j] = 0
			}
		}
	}
}

// transpose8Pack is transpose8Kernel for checked packing arguments: eight
// rows of src (stride lds), kb long, into kb rows of dst (stride ldd).
func transpose8Pack[T Float](kb int, src []T, lds int, dst []T, ldd int) {
	observeCall[T](16 * kb)
	transpose8Kernel(kb, src[:7*lds+kb], lds, dst[:(kb-1)*ldd+8], ldd)
}

// transpose8Go is the pure-Go transpose8Kernel: dst[l·ldd + r] =
// src[r·lds + l] for r < 8 and l < k.
func transpose8Go[T Float](k int, src []T, lds int, dst []T, ldd int) {
	r0, r1, r2, r3 := src[:k], src[lds:][:k], src[2*lds:][:k], src[3*lds:][:k]
	r4, r5, r6, r7 := src[4*lds:][:k], src[5*lds:][:k], src[6*lds:][:k], src[7*lds:][:k]
	for l := range k {
		q := dst[l*ldd:][:8]
		q[0], q[1], q[2], q[3] = r0[l], r1[l], r2[l], r3[l]
		q[4], q[5], q[6], q[7] = r4[l], r5[l], r6[l], r7[l]
	}
}
