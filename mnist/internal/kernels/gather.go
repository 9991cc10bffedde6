package kernels

import "math"

// Normalize sets dst[i] = float32(u·scale + shift) for every byte u = src[i],
// the product and sum done in float64 with one rounding (a fused
// multiply-add) and the result rounded once to float32. len(dst) must be at
// least len(src).
//
// This is how the network's pixels are normalised, x = (u/255 − μ)/σ with
// scale = 1/(255σ) and shift = −μ/σ: for MNIST's μ and σ the fused form
// gives, for every u, the float32 that the direct formula gives.
func Normalize(dst []float32, src []uint8, scale, shift float64) {
	if len(dst) < len(src) {
		panic("kernels: Normalize dst shorter than src")
	}
	if len(src) == 0 {
		return
	}
	normalize(dst[:len(src)], src, scale, shift)
}

// normalizeGo is the portable Normalize.
func normalizeGo(dst []float32, src []uint8, scale, shift float64) {
	dst = dst[:len(src)]
	for i, u := range src {
		dst[i] = float32(math.FMA(float64(u), scale, shift))
	}
}

// Prefetch asks the CPU to bring the cache lines of p into its caches, so
// that a later read does not wait for memory. It changes nothing else; on
// the portable path it does nothing.
func Prefetch(p []uint8) {
	if len(p) > 0 {
		prefetch(p)
	}
}
