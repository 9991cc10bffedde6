//go:build !amd64 || purego

package kernels

// normalize is Normalize on equal lengths > 0.
func normalize(dst []float32, src []uint8, scale, shift float64) {
	normalizeGo(dst, src, scale, shift)
}

// prefetch does nothing without assembly.
func prefetch([]uint8) {}
