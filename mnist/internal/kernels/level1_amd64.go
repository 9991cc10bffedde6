//go:build !purego

package kernels

// axpy256 does y[i] += alpha·x[i] for i < n with AVX2.
//
//go:noescape
func axpy256(n int, alpha float32, x *float32, y *float32)

// axpy does y += alpha·x over len(x) elements (len(y) ≥ len(x)).
func axpy(alpha float32, x, y []float32) {
	if len(x) == 0 {
		return
	}
	y = y[:len(x)]
	if currentImpl() == implPortable {
		axpyUnitary(alpha, x, y)
		return
	}
	axpy256(len(x), alpha, &x[0], &y[0])
}

// dot returns Σ x[i]·y[i] over len(x) elements (len(y) ≥ len(x)).
func dot(x, y []float32) float32 {
	if len(x) == 0 {
		return 0
	}
	y = y[:len(x)]
	var out [4]float32
	switch currentImpl() {
	case implPortable:
		return dotUnitary(x, y)
	case implAVX512:
		dot4x512(len(x), &x[0], &y[0], 0, &out)
	default:
		dot4x256(len(x), &x[0], &y[0], 0, &out)
	}
	return out[0]
}
