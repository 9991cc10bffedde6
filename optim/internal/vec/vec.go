package vec

import "descent/internal/simd"

// frame is everything one kernel call reads and writes. The assembly
// addresses its fields by the offsets of gen_vec.go (checked by
// TestFrameLayout): the slices' data pointers, n, flags, the norms and
// the constants, each of which is broadcast to 8 lanes so that the AVX2
// kernels can use it as a memory operand.
type frame struct {
	theta, grad []float32 // θ (updated in place) and g = ∇J(θ)
	s1, s2, s3  []float32 // state buffers, by kernel (see each kernel)
	n           int       // elements the assembly handles
	flags       uint64    // flag* bits
	norms       [3]float64
	k           [10][8]float32
}

// Flags of a kernel's variants, tested inside the loops.
const (
	flagWD        = 1 << iota // L2 weight decay: g ← g + λθ
	flagFirst                 // momentum's first step: b ← g
	flagNesterov              // Nesterov: d ← g + μb
	flagCentered              // RMSprop's √(v − ḡ²)
	flagMomentum              // RMSprop's momentum buffer
	flagDecoupled             // AdamW's θ ← θ(1 − αλ)
	flagAMSGrad               // Adam's v̂ ← max(v̂, v)
)

// kernel names one of the update kernels.
type kernel int

const (
	kSGD kernel = iota
	kMomentum
	kAdagrad
	kRMSprop
	kAdam
)

// kLo indexes the low half of the weight decay λ in frame.k.
const kLo = 9

// set broadcasts the constants c to f.k.
func (f *frame) set(c ...float32) {
	for i, x := range c {
		f.set1(i, x)
	}
}

// setDecay stores the weight decay λ as λhi (constant 1) and λlo = λ − λhi
// (constant kLo): when g + λθ nearly cancels, rounding λ itself to float32
// would cost tens of ulps of the result.
func (f *frame) setDecay(wd float64) {
	hi := float32(wd)
	f.set1(1, hi)
	f.set1(kLo, float32(wd-float64(hi)))
}

func (f *frame) set1(i int, x float32) {
	for j := range f.k[i] {
		f.k[i][j] = x
	}
}

// flag returns bit if on, else 0.
func flag(on bool, bit uint64) uint64 {
	if on {
		return bit
	}
	return 0
}

// run does kernel k over f's slices and returns the norms.
func run(k kernel, f *frame) (g2, d2, t2 float64) {
	if len(f.theta) > 0 {
		if dispatch.Current() == simd.Portable {
			portable(k, f, 0)
		} else {
			fast(k, f)
		}
	}
	return f.norms[0], f.norms[1], f.norms[2]
}

// check panics unless every non-nil slice of s has len(theta) elements.
func check(theta []float32, s ...[]float32) {
	for _, x := range s {
		if x != nil && len(x) != len(theta) {
			panic("vec: slice lengths differ")
		}
	}
}

// SGD does plain gradient descent in place and returns ‖g‖², ‖Δθ‖² and
// ‖θ‖² (θ after the step). The weight decay λ is applied as the float32 pair
// λhi + λlo = λ, so that a gradient that λθ nearly cancels keeps its digits:
//
//	g ← fma(λlo, θ, fma(λhi, θ, g))   (only if wd = λ ≠ 0; λ = λhi + λlo)
//	θ ← fma(−α, g, θ)   (α = lr)
func SGD(theta, grad []float32, lr float32, wd float64) (g2, d2, t2 float64) {
	check(theta, grad)
	f := frame{theta: theta, grad: grad, flags: flag(wd != 0, flagWD)}
	f.set(-lr)
	f.setDecay(wd)
	return run(kSGD, &f)
}

// Momentum does SGD with (Nesterov) momentum in place, with buf the
// momentum buffer b, keep = 1 − τ (dampening τ) and first true on the
// first step, and returns the norms as SGD does:
//
//	g ← g + λθ                                   (only if wd = λ ≠ 0)
//	b ← g if first, else b ← fma(1 − τ, g, b·μ)
//	d ← fma(μ, b, g) if nesterov, else d ← b
//	θ ← fma(−α, d, θ)
func Momentum(theta, grad, buf []float32, lr, mu, keep float32, wd float64, first, nesterov bool) (g2, d2, t2 float64) {
	check(theta, grad, buf)
	f := frame{theta: theta, grad: grad, s1: buf,
		flags: flag(wd != 0, flagWD) | flag(first, flagFirst) | flag(nesterov, flagNesterov)}
	f.set(-lr, 0, mu, keep)
	f.setDecay(wd)
	return run(kMomentum, &f)
}

// Adagrad does Adagrad's step in place with sum the sum of squares s and
// clr the decayed step size αₜ, and returns the norms as SGD does:
//
//	g ← g + λθ                 (only if wd = λ ≠ 0)
//	s ← fma(g, g, s)
//	θ ← θ + (−αₜ·g) / (√s + ε)
func Adagrad(theta, grad, sum []float32, clr, eps float32, wd float64) (g2, d2, t2 float64) {
	check(theta, grad, sum)
	f := frame{theta: theta, grad: grad, s1: sum, flags: flag(wd != 0, flagWD)}
	f.set(-clr, 0, eps)
	f.setDecay(wd)
	return run(kAdagrad, &f)
}

// RMSprop does RMSprop's step in place with sq the mean square v, avg the
// mean gradient ḡ (nil unless centered) and buf the momentum buffer b (nil
// without momentum), keep = 1 − ρ, and returns the norms as SGD does:
//
//	g ← g + λθ                           (only if wd = λ ≠ 0)
//	v ← fma((1 − ρ)·g, g, v·ρ)
//	centered: ḡ ← fma(1 − ρ, g, ḡ·ρ),  σ ← √fma(−ḡ, ḡ, v) + ε
//	otherwise: σ ← √v + ε
//	momentum: b ← b·μ + g/σ,  θ ← fma(−α, b, θ)
//	otherwise: θ ← θ + (−α·g)/σ
func RMSprop(theta, grad, sq, avg, buf []float32, lr, rho, keep, eps, mu float32, wd float64) (g2, d2, t2 float64) {
	check(theta, grad, sq, avg, buf)
	if len(sq) != len(theta) {
		panic("vec: RMSprop needs sq")
	}
	f := frame{theta: theta, grad: grad, s1: sq, s2: avg, s3: buf,
		flags: flag(wd != 0, flagWD) | flag(avg != nil, flagCentered) | flag(buf != nil, flagMomentum)}
	f.set(-lr, 0, rho, keep, eps, mu)
	f.setDecay(wd)
	return run(kRMSprop, &f)
}

// Adam does Adam's (decoupled: AdamW's) step in place with the moments m
// and v, vmax the running maximum v̂ (nil without AMSGrad), c1 = 1 − β₁,
// c2 = 1 − β₂, stepSize = α/(1 − β₁ᵗ), invBC2 = 1/√(1 − β₂ᵗ) and decay =
// 1 − αλ, and returns the norms as SGD does (Δθ includes the decay):
//
//	decoupled: θ ← θ·decay;  otherwise g ← g + λθ (only if wd = λ ≠ 0)
//	m ← fma(1 − β₁, g, m·β₁)
//	v ← fma((1 − β₂)·g, g, v·β₂)
//	AMSGrad: v̂ ← max(v̂, v), used as v below
//	θ ← θ + (−stepSize·m) / fma(√v, invBC2, ε)
func Adam(theta, grad, m, v, vmax []float32, stepSize, b1, c1, b2, c2, invBC2, eps, decay float32, wd float64, decoupled bool) (g2, d2, t2 float64) {
	check(theta, grad, m, v, vmax)
	if len(m) != len(theta) || len(v) != len(theta) {
		panic("vec: Adam needs m and v")
	}
	f := frame{theta: theta, grad: grad, s1: m, s2: v, s3: vmax,
		flags: flag(decoupled, flagDecoupled) | flag(!decoupled && wd != 0, flagWD) | flag(vmax != nil, flagAMSGrad)}
	f.set(-stepSize, 0, b1, c1, b2, c2, invBC2, eps, decay)
	f.setDecay(wd)
	return run(kAdam, &f)
}
