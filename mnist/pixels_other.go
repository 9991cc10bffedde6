//go:build !linux

package mnist

// allocPixels returns n zero bytes for a dataset's pixels.
func allocPixels(n int) []uint8 { return make([]uint8, n) }
