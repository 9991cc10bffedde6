package optim

import "math"

// power tracks βᵗ for Adam's bias corrections 1 − βᵗ without allocating. It
// keeps βᵗ as an unevaluated sum hi + lo of two float64 (a double-double,
// about 106 bits), multiplied by β once per step with an exact product
// (math.FMA recovers the rounding error of β·hi), so hi is βᵗ correctly
// rounded, as Python's β**t (glibc pow) gives it, while βᵗ > 1e-290; math.Pow
// can be off by up to a hundred ulp.
type power struct {
	ok     bool // hi + lo holds baseᵗ; false in the zero value
	base   float64
	t      int
	hi, lo float64
}

// at returns baseᵗ. It costs one multiplication when t grows by one between
// calls and restarts from β⁰ = 1 when base changes or t goes back. Below
// 1e-290 it returns 0 (1 − βᵗ is exactly 1 long before that).
func (p *power) at(base float64, t int) float64 {
	if !p.ok || base != p.base || t < p.t {
		*p = power{ok: true, base: base, hi: 1}
	}
	for p.t < t && p.hi != 0 {
		p.mul(base)
		if p.hi < 1e-290 { // stop before subnormals, which are slow: call it 0
			p.hi, p.lo = 0, 0
		}
	}
	p.t = t
	return p.hi
}

// mul sets hi + lo ← (hi + lo)·b, keeping hi = fl(hi + lo).
func (p *power) mul(b float64) {
	ph := float64(p.hi * b)                        // rounded: Go may fuse across statements otherwise
	pl := math.FMA(p.hi, b, -ph) + float64(p.lo*b) // exact error of hi·b, plus lo·b
	hi := ph + pl
	p.lo = pl - (hi - ph)
	p.hi = hi
	p.t++
}
