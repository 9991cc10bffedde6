package kernels

import "math"

// Sigmoid2Quad sets the sigmoids of the loss landscape's first layer at
// four neighbouring grid points a, a + Δ, a + 2Δ, a + 3Δ for inputs in base
// 2 (σ₂(u) = 1/(1 + 2⁻ᵘ), see [AxpySigmoid2Mul]), paying one exponential
// for the four:
//
//	d[k][i] = 1/(1 + E₀·r[i]ᵏ),  E₀ = 2^-(q[i] + a·p[i])
//	        = σ₂(q[i] + (a + kΔ)·p[i])  when r = 2^(-Δ·p),
//
// with r from [Exp2Scaled](r, p, −Δ) and the powers of r taken one product
// at a time. E₀ is clamped to [2⁻¹²⁶, 2^127.4] and every E below 2¹²⁷, so
// that while |Δ·p| ≤ 20 (Exp2Scaled's result) d[1…3] are as good as d[0]
// but past E₀'s clamps, where d[0] is 1 to float32 or below 2⁻¹²⁷ and the
// others 1 or below 2^(3|Δ·p| − 127) ≤ 2⁻⁶⁷: about 0 next to the 1 of an
// unsaturated unit. Each value is within a few ulps of the formula at the
// float32 q + a·p (d[k] about 1.5k more, for the products with r).
func Sigmoid2Quad(d *[4][]float32, q, p, r []float32, a float32) {
	n := len(q)
	if len(p) != n || len(r) != n || len(d[0]) != n || len(d[1]) != n || len(d[2]) != n || len(d[3]) != n {
		panic("kernels: Sigmoid2Quad length mismatch")
	}
	if n > 0 {
		sigmoid2Quad(d, q, p, r, a)
	}
}

// Exp2Scaled sets dst[i] = 2^(s·p[i]), s·p[i] clamped to [−126, 127.4], and
// returns the largest |s·p[i]| (NaNs left out): Sigmoid2Quad's r for s = −Δ.
func Exp2Scaled(dst, p []float32, s float32) (maxAbs float32) {
	if len(dst) != len(p) {
		panic("kernels: Exp2Scaled length mismatch")
	}
	if len(dst) == 0 {
		return 0
	}
	return exp2Scaled(dst, p, s)
}

// Clamps of the base-2 exponent and of E₁…E₃, as quad_amd64.s.
const (
	exp2Hi = 127.4
	exp2Lo = -126
	e1Max  = 0x1.fffffep126 // float32 bits 0x7effffff
)

// exp2Go is 2^clamp(u) in float32 arithmetic, NaN kept, as the fast
// paths: n = round(u), f = u − n exactly, 2^f a degree-6 polynomial on
// [−½, ½] (fusedmul_amd64.s's), 2ⁿ in the exponent bits.
func exp2Go(u float32) float32 {
	if u != u {
		return u
	}
	u = min(max(u, exp2Lo), exp2Hi)
	n := float32(math.RoundToEven(float64(u)))
	f := u - n
	p := (((((1.5353362e-4*f+1.3398875e-3)*f+9.6184369e-3)*f+5.5503324e-2)*f+
		2.4022648e-1)*f+6.9314718e-1)*f + 1
	return p * math.Float32frombits(uint32(int32(n)+127)<<23)
}

// sigmoid2QuadGo is the portable Sigmoid2Quad, the reference of the others.
func sigmoid2QuadGo(d *[4][]float32, q, p, r []float32, a float32) {
	p, r = p[:len(q)], r[:len(q)]
	for i := range q {
		e := exp2Go(-(q[i] + a*p[i]))
		for k := range d {
			d[k][i] = 1 / (1 + e)
			if e *= r[i]; e == e {
				e = min(e, e1Max)
			}
		}
	}
}

// exp2ScaledGo is the portable Exp2Scaled.
func exp2ScaledGo(dst, p []float32, s float32) (maxAbs float32) {
	for i, v := range p[:len(dst)] {
		u := s * v
		if u == u {
			maxAbs = max(maxAbs, abs(u))
		}
		dst[i] = exp2Go(u)
	}
	return maxAbs
}
