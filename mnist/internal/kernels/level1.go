package kernels

// Axpy does y += alpha·x; x and y must have the same length.
func Axpy(alpha float32, x, y []float32) {
	if len(x) != len(y) {
		panic("kernels: Axpy length mismatch")
	}
	if alpha != 0 {
		axpy(alpha, x, y)
	}
}

// Dot returns Σ x[i]·y[i]; x and y must have the same length.
func Dot(x, y []float32) float32 {
	if len(x) != len(y) {
		panic("kernels: Dot length mismatch")
	}
	return dot(x, y)
}

// ColSum sets dst = Σ_i a[i,:] + beta·dst, the column sums of a (rows,
// cols), row-major with stride cols; dst has length cols. With beta == 0
// dst is overwritten without being read. This is the bias gradient of a
// layer: db = Σ_batch dY.
func ColSum(dst []float32, a []float32, rows, cols int, beta float32) {
	checkMatrix(a, rows, cols)
	if len(dst) != cols {
		panic("kernels: ColSum dst length != cols")
	}
	switch beta {
	case 0:
		clear(dst)
	case 1:
	default:
		for j := range dst {
			dst[j] *= beta
		}
	}
	for i := 0; i < rows; i++ {
		axpy(1, a[i*cols:(i+1)*cols], dst)
	}
}

// checkMatrix panics unless a holds a (rows, cols) row-major matrix.
func checkMatrix(a []float32, rows, cols int) {
	if rows < 0 || cols < 0 {
		panic("kernels: negative dimension")
	}
	if len(a) < rows*cols {
		panic("kernels: matrix slice too short")
	}
}
