package kernels

import "math"

// Sigmoid2Pair sets the sigmoids of the loss landscape's first layer at two
// neighbouring grid points a and a + Δ for inputs in base 2 (σ₂(u) = 1/(1 +
// 2⁻ᵘ), see [AxpySigmoid2Mul]), paying one exponential for both:
//
//	d0[i] = σ₂(q[i] + a·p[i]) = 1/(1 + E₀),  E₀ = 2^-(q[i] + a·p[i])
//	d1[i] = 1/(1 + E₀·r[i]) = σ₂(q[i] + (a+Δ)·p[i])  when r = 2^(-Δ·p)
//
// with r from [Exp2Scaled](r, p, −Δ). E₀ is clamped to [2⁻¹²⁶, 2^127.4]
// and E₁ = E₀·r below 2¹²⁷, so that while |Δ·p| ≤ 60 (Exp2Scaled's result)
// d1 is as good as d0 but past E₀'s clamps, where d0 is 1 to float32 or
// below 2⁻¹²⁷ and d1 then 1 or below 2^(|Δ·p| − 127) ≤ 2⁻⁶⁷: about 0 next
// to the 1 of an unsaturated unit.
// Each value is within a few ulps of the formula at the float32 q + a·p
// (d1 two or three more, for the product with r).
func Sigmoid2Pair(d0, d1, q, p, r []float32, a float32) {
	n := len(d0)
	if len(d1) != n || len(q) != n || len(p) != n || len(r) != n {
		panic("kernels: Sigmoid2Pair length mismatch")
	}
	if n > 0 {
		sigmoid2Pair(d0, d1, q, p, r, a)
	}
}

// Exp2Scaled sets dst[i] = 2^(s·p[i]), s·p[i] clamped to [−126, 127.4], and
// returns the largest |s·p[i]| (NaNs left out): Sigmoid2Pair's r for s = −Δ.
func Exp2Scaled(dst, p []float32, s float32) (maxAbs float32) {
	if len(dst) != len(p) {
		panic("kernels: Exp2Scaled length mismatch")
	}
	if len(dst) == 0 {
		return 0
	}
	return exp2Scaled(dst, p, s)
}

// Clamps of the base-2 exponent and of E₁, as pair_amd64.s's.
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

// sigmoid2PairGo is the portable Sigmoid2Pair, the reference of the others.
func sigmoid2PairGo(d0, d1, q, p, r []float32, a float32) {
	q, p, r, d1 = q[:len(d0)], p[:len(d0)], r[:len(d0)], d1[:len(d0)]
	for i := range d0 {
		e0 := exp2Go(-(q[i] + a*p[i]))
		e1 := e0 * r[i]
		if e1 == e1 {
			e1 = min(e1, e1Max)
		}
		d0[i], d1[i] = 1/(1+e0), 1/(1+e1)
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
