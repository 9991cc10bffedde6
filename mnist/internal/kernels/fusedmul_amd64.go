//go:build !purego

package kernels

// axpySigmoidMul10 is AxpySigmoid2Mul for m = 10 (AVX-512F).
//
//go:noescape
func axpySigmoidMul10(z, wt, b, q, p *float32, a float32, h, n int)

func hasSigmoid2Mul(m int) bool { return currentImpl() == implAVX512 && m == 10 }

func axpySigmoid2MulFast(z, wt, b, q, p []float32, a float32, m, h, n int) bool {
	if !hasSigmoid2Mul(m) || h == 0 {
		return false
	}
	axpySigmoidMul10(&z[0], &wt[0], &b[0], &q[0], &p[0], a, h, n)
	return true
}
