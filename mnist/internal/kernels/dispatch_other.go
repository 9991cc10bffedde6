//go:build !amd64 || purego

package kernels

// detectImpl reports that only the portable path exists.
func detectImpl() int32 { return implPortable }

// fast falls back to the portable path.
func (g *gemm) fast() { g.portable() }
