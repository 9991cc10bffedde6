package kernels

// Transpose writes the (rows, cols) matrix src (row stride lds) into dst as
// its transpose, (cols, rows) with row stride ldd: dst[j*ldd+i] = src[i*lds+j].
// It moves values only, so every path gives the same bits.
func Transpose(dst []float32, ldd int, src []float32, lds, rows, cols int) {
	switch {
	case rows < 0 || cols < 0:
		panic("kernels: negative dimension")
	case rows == 0 || cols == 0:
		return
	case lds < cols || ldd < rows:
		panic("kernels: bad leading dimension")
	case len(src) < (rows-1)*lds+cols:
		panic("kernels: Transpose src too short")
	case len(dst) < (cols-1)*ldd+rows:
		panic("kernels: Transpose dst too short")
	}
	transpose(dst, ldd, src, lds, rows, cols)
}

// transposeGo is the portable Transpose of the rows [r0, r1) and columns
// [c0, cols).
func transposeGo(dst []float32, ldd int, src []float32, lds, r0, r1, c0, cols int) {
	for i := r0; i < r1; i++ {
		row := src[i*lds : i*lds+cols]
		for j := c0; j < cols; j++ {
			dst[j*ldd+i] = row[j]
		}
	}
}

// FastTranspose reports whether Transpose runs at the speed of a copy or
// nearly (AVX-512's 16×16 blocks), so that transposing an operand to save
// packing a larger one pays.
func FastTranspose() bool { return currentImpl() == implAVX512 }
