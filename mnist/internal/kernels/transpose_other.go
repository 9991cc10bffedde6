//go:build !amd64 || purego

package kernels

func transpose(dst []float32, ldd int, src []float32, lds, rows, cols int) {
	transposeGo(dst, ldd, src, lds, 0, rows, 0, cols)
}
