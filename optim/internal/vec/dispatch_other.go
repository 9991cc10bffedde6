//go:build !amd64 || purego

package vec

import "descent/internal/simd"

// detectImpl reports that only the Go loops exist.
func detectImpl() simd.Level { return simd.Portable }

// fast falls back to the Go loops.
func fast(k kernel, f *frame) { portable(k, f, 0) }
