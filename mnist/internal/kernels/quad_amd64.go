//go:build !purego

package kernels

// sigmoid2Quad512 is Sigmoid2Quad for n values (AVX-512F).
//
//go:noescape
func sigmoid2Quad512(n int, a float32, d0, d1, d2, d3, q, p, r *float32)

// exp2Scale512 is Exp2Scaled for n values (AVX-512F).
//
//go:noescape
func exp2Scale512(n int, s float32, dst, p *float32) (maxAbs float32)

func sigmoid2Quad(d *[4][]float32, q, p, r []float32, a float32) {
	if currentImpl() != implAVX512 {
		sigmoid2QuadGo(d, q, p, r, a)
		return
	}
	sigmoid2Quad512(len(q), a, &d[0][0], &d[1][0], &d[2][0], &d[3][0], &q[0], &p[0], &r[0])
}

func exp2Scaled(dst, p []float32, s float32) float32 {
	if currentImpl() != implAVX512 {
		return exp2ScaledGo(dst, p, s)
	}
	return exp2Scale512(len(dst), s, &dst[0], &p[0])
}
