//go:build !amd64 || purego

package kernels

// axpy does y += alpha·x over len(x) elements (len(y) ≥ len(x)).
func axpy(alpha float32, x, y []float32) { axpyUnitary(alpha, x, y[:len(x)]) }

// dot returns Σ x[i]·y[i] over len(x) elements (len(y) ≥ len(x)).
func dot(x, y []float32) float32 { return dotUnitary(x, y[:len(x)]) }
