package vec

import "math"

// The Go loops compute what the assembly computes, operation for operation:
// every product, sum, quotient and root rounds to float32, and fma32 rounds
// once. Explicit float32 conversions keep the compiler from fusing a
// product into a later sum (the Go spec allows it; gc does on arm64).

// portable does kernel k on f's elements from lo on, adding their norms to
// f.norms.
func portable(k kernel, f *frame, lo int) {
	switch k {
	case kSGD:
		sgdGo(f, lo)
	case kMomentum:
		momentumGo(f, lo)
	case kAdagrad:
		adagradGo(f, lo)
	case kRMSprop:
		rmspropGo(f, lo)
	case kAdam:
		adamGo(f, lo)
	}
}

// fma32 returns x·y + z rounded once to float32, as VFMADD…PS does. The
// float64 FMA rounds the exact result once; rounding that again to float32
// is only wrong when it landed exactly on a float32 rounding tie (or among
// the float32 subnormals), which fma32Slow settles.
func fma32(x, y, z float32) float32 {
	r := math.FMA(float64(x), float64(y), float64(z))
	b := math.Float64bits(r)
	const tieBits, tie = 1<<29 - 1, 1 << 28 // the 29 bits that float32 drops
	const minExp = 1023 - 126               // exponent of the smallest normal float32
	if b&tieBits != tie && (b>>52)&0x7ff >= minExp {
		return float32(r)
	}
	return fma32Slow(x, y, z)
}

// fma32Slow is fma32 by rounding to odd: the product is exact in float64,
// TwoSum gives the error of the sum, and a sum with an error is moved to
// its odd neighbour, so that the rounding to float32 rounds once.
func fma32Slow(x, y, z float32) float32 {
	p := float64(float64(x) * float64(y))
	s := float64(p + float64(z))
	bb := float64(s - p)
	e := float64(p-float64(s-bb)) + float64(float64(z)-bb)
	if e == 0 || math.IsInf(s, 0) || s != s {
		return float32(s)
	}
	b := math.Float64bits(s)
	if b&1 == 0 {
		if (e > 0) == (s > 0) {
			b++
		} else {
			b--
		}
	}
	return float32(math.Float64frombits(b))
}

// sqrt32 is the correctly rounded float32 square root (VSQRTPS).
func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }

// norms accumulates ‖g‖², ‖Δθ‖² and ‖θ‖² in float64.
type norms struct{ g, d, t float64 }

// add accumulates the raw gradient g and θ before and after the step.
func (n *norms) add(g, before, after float32) {
	d := float64(after) - float64(before)
	n.g += float64(g) * float64(g)
	n.d += d * d
	n.t += float64(after) * float64(after)
}

// addTo adds n to f's norms.
func (n norms) addTo(f *frame) {
	f.norms[0] += n.g
	f.norms[1] += n.d
	f.norms[2] += n.t
}

// decayed returns g + λθ when the frame has weight decay, else g; λ is
// the pair λhi + λlo, λhi in wd.
func decayed(f *frame, wd, p, g float32) float32 {
	if f.flags&flagWD != 0 {
		return fma32(f.k[kLo][0], p, fma32(wd, p, g))
	}
	return g
}

func sgdGo(f *frame, lo int) {
	nlr, wd := f.k[0][0], f.k[1][0]
	theta, grad := f.theta, f.grad[:len(f.theta)]
	var acc norms
	for i := lo; i < len(theta); i++ {
		p := theta[i]
		g := decayed(f, wd, p, grad[i])
		theta[i] = fma32(nlr, g, p) // θ ← θ − αg
		acc.add(grad[i], p, theta[i])
	}
	acc.addTo(f)
}

func momentumGo(f *frame, lo int) {
	nlr, wd, mu, keep := f.k[0][0], f.k[1][0], f.k[2][0], f.k[3][0]
	first, nesterov := f.flags&flagFirst != 0, f.flags&flagNesterov != 0
	theta, grad, buf := f.theta, f.grad[:len(f.theta)], f.s1[:len(f.theta)]
	var acc norms
	for i := lo; i < len(theta); i++ {
		p := theta[i]
		g := decayed(f, wd, p, grad[i])
		b := g // b ← g on the first step
		if !first {
			b = fma32(keep, g, float32(buf[i]*mu)) // b ← μb + (1 − τ)g
		}
		buf[i] = b
		d := b
		if nesterov {
			d = fma32(mu, b, g) // d ← g + μb
		}
		theta[i] = fma32(nlr, d, p) // θ ← θ − αd
		acc.add(grad[i], p, theta[i])
	}
	acc.addTo(f)
}

func adagradGo(f *frame, lo int) {
	nclr, wd, eps := f.k[0][0], f.k[1][0], f.k[2][0]
	theta, grad, sum := f.theta, f.grad[:len(f.theta)], f.s1[:len(f.theta)]
	var acc norms
	for i := lo; i < len(theta); i++ {
		p := theta[i]
		g := decayed(f, wd, p, grad[i])
		sum[i] = fma32(g, g, sum[i]) // s ← s + g²
		std := float32(sqrt32(sum[i]) + eps)
		theta[i] = p + float32(nclr*g)/std // θ ← θ − αₜg/(√s + ε)
		acc.add(grad[i], p, theta[i])
	}
	acc.addTo(f)
}

func rmspropGo(f *frame, lo int) {
	nlr, wd, rho, keep, eps, mu := f.k[0][0], f.k[1][0], f.k[2][0], f.k[3][0], f.k[4][0], f.k[5][0]
	centered, momentum := f.flags&flagCentered != 0, f.flags&flagMomentum != 0
	theta, grad, sq := f.theta, f.grad[:len(f.theta)], f.s1[:len(f.theta)]
	var acc norms
	for i := lo; i < len(theta); i++ {
		p := theta[i]
		g := decayed(f, wd, p, grad[i])
		v := fma32(float32(keep*g), g, float32(sq[i]*rho)) // v ← ρv + (1 − ρ)g²
		sq[i] = v
		if centered {
			a := fma32(keep, g, float32(f.s2[i]*rho)) // ḡ ← ρḡ + (1 − ρ)g
			f.s2[i] = a
			v = fma32(-a, a, v) // v − ḡ²
		}
		sigma := float32(sqrt32(v) + eps)
		if momentum {
			b := float32(f.s3[i]*mu) + g/sigma // b ← μb + g/σ
			f.s3[i] = b
			theta[i] = fma32(nlr, b, p) // θ ← θ − αb
		} else {
			theta[i] = p + float32(nlr*g)/sigma // θ ← θ − αg/σ
		}
		acc.add(grad[i], p, theta[i])
	}
	acc.addTo(f)
}

func adamGo(f *frame, lo int) {
	k := &f.k
	nss, wd, b1, c1, b2, c2 := k[0][0], k[1][0], k[2][0], k[3][0], k[4][0], k[5][0]
	invBC2, eps, decay := k[6][0], k[7][0], k[8][0]
	decoupled, ams := f.flags&flagDecoupled != 0, f.flags&flagAMSGrad != 0
	theta, grad := f.theta, f.grad[:len(f.theta)]
	m, v := f.s1[:len(theta)], f.s2[:len(theta)]
	var acc norms
	for i := lo; i < len(theta); i++ {
		old := theta[i]
		p, g := old, grad[i]
		if decoupled {
			p = old * decay // θ ← θ(1 − αλ)
		} else {
			g = decayed(f, wd, p, g)
		}
		m[i] = fma32(c1, g, float32(m[i]*b1))            // m ← β₁m + (1 − β₁)g
		v[i] = fma32(float32(c2*g), g, float32(v[i]*b2)) // v ← β₂v + (1 − β₂)g²
		vh := v[i]
		if ams {
			if f.s3[i] > vh { // v̂ ← max(v̂, v); a NaN v wins, as in VMAXPS
				vh = f.s3[i]
			}
			f.s3[i] = vh
		}
		denom := fma32(sqrt32(vh), invBC2, eps)
		theta[i] = p + float32(nss*m[i])/denom // θ ← θ − α m̂/(√v̂ + ε)
		acc.add(grad[i], old, theta[i])
	}
	acc.addTo(f)
}
