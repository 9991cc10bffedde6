//go:build !amd64 || purego

package vec

// detectImpl reports that only the Go loops exist.
func detectImpl() int32 { return implPortable }

// fast falls back to the Go loops.
func fast(k kernel, f *frame) { portable(k, f, 0) }
