//go:build !amd64 || purego

package kernels

import "descent/internal/simd"

// detectImpl reports that only the portable path exists.
func detectImpl() simd.Level { return implPortable }

// fast falls back to the portable path.
func (g *gemm) fast() { g.portable() }
