package kernels

// AxpySigmoid sets dst[i] = σ(q[i] + a·p[i]) with σ(x) = 1/(1+e^-x), one
// pass instead of a copy, an Axpy and an AddBiasSigmoid: the loss
// landscape's first layer at a grid point, (W₁ + a·D₁ + b·E₁)·x = q + a·p
// with q = P₀ + b·P_E shared by a row of points. dst may be q itself. The
// result is within a few float32 ulps of the float64 formula at the float32
// input q + a·p (the fast paths fuse the multiply-add; 1/(1+e) is a
// reciprocal estimate refined by one Newton step, r ← r + r·(1 − d·r)).
func AxpySigmoid(dst, q, p []float32, a float32) {
	if len(q) != len(dst) || len(p) != len(dst) {
		panic("kernels: AxpySigmoid length mismatch")
	}
	if len(dst) == 0 {
		return
	}
	axpySigmoid(dst, q, p, a)
}

// axpySigmoidGo is the portable AxpySigmoid, the reference of the others.
func axpySigmoidGo(dst, q, p []float32, a float32) {
	q, p = q[:len(dst)], p[:len(dst)]
	for i := range dst {
		dst[i] = sigmoid32(q[i] + a*p[i])
	}
}
