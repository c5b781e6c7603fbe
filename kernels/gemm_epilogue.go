package kernels

// gemmFused is what a dense layer fuses into the GEMM driver: a row vector
// written into each tile of C just before the tile's first k block (the
// caller passes β = 1, so the micro-kernel adds the products to it), and an
// activation applied to each tile right after its last k block, while the
// MR×NR tile the micro-kernel has just stored is still in L1. Both happen in
// the driver's Go loop between micro-kernel calls, so the assembly stays as
// it is and stays preemptible between tiles. The result is, bit for bit,
// that of gemm on a C whose rows were set to bias beforehand, followed by the
// activation kernel on C: the micro-kernel does the same operations on the
// same values, and the activation kernels are elementwise.
type gemmFused[T Float] struct {
	bias []T        // len n: the row added to every row of C
	h    Activation // applied to every element of C at the end
}

// first sets the mr×nr tile of C at c (leading dimension ldc, columns j0 to
// j0+nr of C) to bias[j0:j0+nr] in every row.
func (f *gemmFused[T]) first(c []T, ldc, j0, mr, nr int) {
	b := f.bias[j0:][:nr]
	for r := range mr {
		copy(c[r*ldc:][:nr], b)
	}
}

// last applies the activation to the mr×nr tile of C at c, row by row.
func (f *gemmFused[T]) last(c []T, ldc, mr, nr int) {
	if f.h == Identity {
		return
	}
	for r := range mr {
		row := c[r*ldc:][:nr]
		activate(f.h, row, row)
	}
}
