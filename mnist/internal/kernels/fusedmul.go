package kernels

// AxpySigmoid2Mul sets z = W·σ₂(q + a·p) + b with σ₂(u) = σ(u·ln2) =
// 1/(1 + 2⁻ᵘ): the loss landscape's second layer over its first at a grid
// point, z₂ = W₂·σ(P₀ + b·P_E + a·P_D) + b₂, with the products given in
// base 2 (times log₂e), which saves the exponential's range reduction. q
// and p are (h × n), z is (m × n), all feature-major with row stride n; W
// (m × h) is given transposed, wt (h × m), and b has m values. Each σ₂ is
// within a few float32 ulps of the formula at the float32 q + a·p, each
// logit a float32 dot product of them.
//
// Where [AxpySigmoid2MulFast] reports true (AVX-512, m = 10: the report's
// network) it is one pass in which σ₂ never leaves the registers; elsewhere
// it is plain Go, and the caller had better use [AxpySigmoid] and [Sgemm].
func AxpySigmoid2Mul(z, wt, b, q, p []float32, a float32, m, h, n int) {
	if len(q) != h*n || len(p) != h*n || len(z) != m*n || len(wt) != h*m || len(b) != m {
		panic("kernels: AxpySigmoid2Mul shapes mismatch")
	}
	if m == 0 || n == 0 {
		return
	}
	if axpySigmoid2MulFast(z, wt, b, q, p, a, m, h, n) {
		return
	}
	axpySigmoid2MulGo(z, wt, b, q, p, a, m, h, n)
}

// AxpySigmoid2MulFast reports whether AxpySigmoid2Mul has its one-pass path
// for m outputs on this machine.
func AxpySigmoid2MulFast(m int) bool { return hasSigmoid2Mul(m) }

// axpySigmoid2MulGo is the portable AxpySigmoid2Mul, the reference of the
// fused path: σ₂ through a pooled buffer, then the product.
func axpySigmoid2MulGo(z, wt, b, q, p []float32, a float32, m, h, n int) {
	for o, v := range b {
		row := z[o*n : (o+1)*n]
		for i := range row {
			row[i] = v
		}
	}
	if h == 0 {
		return
	}
	ws := getWorkspace(h * n)
	x := ws.buf[:h*n]
	for i := range x {
		x[i] = 1 / (1 + exp2Go(-(q[i] + a*p[i])))
	}
	sgemm(nil, true, false, m, n, h, 1, wt, m, x, n, 1, z, n)
	putWorkspace(ws)
}
