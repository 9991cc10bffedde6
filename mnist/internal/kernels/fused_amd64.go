//go:build !purego

package kernels

// axpySigmoid256 sets dst[i] = σ(q[i] + a·p[i]) for i < n (AVX2+FMA).
//
//go:noescape
func axpySigmoid256(n int, a float32, dst, q, p *float32)

// axpySigmoid512 sets dst[i] = σ(q[i] + a·p[i]) for i < n (AVX-512F).
//
//go:noescape
func axpySigmoid512(n int, a float32, dst, q, p *float32)

func axpySigmoid(dst, q, p []float32, a float32) {
	switch currentImpl() {
	case implPortable:
		axpySigmoidGo(dst, q, p, a)
	case implAVX512:
		axpySigmoid512(len(dst), a, &dst[0], &q[0], &p[0])
	default:
		axpySigmoid256(len(dst), a, &dst[0], &q[0], &p[0])
	}
}
