package optim

import "math"

// RMSprop is torch.optim.RMSprop (Hinton's lecture 6e): the step is divided by
// the root of a running mean of squared gradients.
//
//	g ← ∇J(θ) + λθ                          (weight decay λ)
//	v ← ρv + (1 − ρ)g²                      (smoothing constant ρ, torch's alpha)
//	centered: ḡ ← ρḡ + (1 − ρ)g,  σ ← √(v − ḡ²) + ε;  otherwise σ ← √v + ε
//	momentum μ > 0: b ← μb + g/σ,  θ ← θ − αb
//	otherwise:      θ ← θ − αg/σ
//
// There is no bias correction, and ε sits outside the root. Use NewRMSprop for
// torch's defaults.
type RMSprop[T Float] struct {
	// LearningRate is α; torch's default 0.01.
	LearningRate float64
	// Alpha is the smoothing constant ρ; torch's default 0.99.
	Alpha float64
	// Eps is ε; torch's default 1e-8.
	Eps float64
	// WeightDecay is the L2 coefficient λ; torch's default 0.
	WeightDecay float64
	// Momentum is μ; torch's default 0.
	Momentum float64
	// Centered divides by the estimated standard deviation √(v − ḡ²) instead
	// of √v; torch's default false.
	Centered bool

	sq, avg, buf []T // v, ḡ and b
	steps        int // steps taken, kept for checkpoints
	internals    []Internal[T]
}

// NewRMSprop returns RMSprop with step size lr and torch's defaults.
func NewRMSprop[T Float](lr float64) *RMSprop[T] {
	return &RMSprop[T]{LearningRate: lr, Alpha: 0.99, Eps: 1e-8}
}

// Name returns "rmsprop".
func (o *RMSprop[T]) Name() string { return "rmsprop" }

// LR returns the step size α.
func (o *RMSprop[T]) LR() float64 { return o.LearningRate }

// SetLR sets the step size α of the next step.
func (o *RMSprop[T]) SetLR(lr float64) { o.LearningRate = lr }

// Reset zeroes v, ḡ and b.
func (o *RMSprop[T]) Reset() { o.steps = 0; clear(o.sq); clear(o.avg); clear(o.buf) }

// Internals returns "squareAvg" (v), and "gradAvg" (ḡ) when centered and
// "buf" (b) with momentum, as they were set at the first Step.
func (o *RMSprop[T]) Internals() []Internal[T] { return o.internals }

// Step does θ ← θ − αg/σ (or θ ← θ − αb with momentum) in place.
func (o *RMSprop[T]) Step(theta, grad []T) { o.step(theta, grad, nil) }

// StepMeasured is Step that also returns the step's norms.
func (o *RMSprop[T]) StepMeasured(theta, grad []T) (n Norms) {
	o.step(theta, grad, &n)
	return n
}

func (o *RMSprop[T]) step(theta, grad []T, acc *Norms) {
	checkLen(len(theta), len(grad))
	o.size(len(theta))
	o.steps++
	if fast32[T]() {
		o.rmsprop32(theta, grad, acc)
		return
	}
	rho, eps, wd, mu, lr := o.Alpha, o.Eps, o.WeightDecay, o.Momentum, o.LearningRate
	keep := 1 - rho // 1 − ρ, at run time
	for i := range theta {
		p, g := float64(theta[i]), float64(grad[i])
		if wd != 0 {
			g = math.FMA(wd, p, g) // g ← g + λθ
		}
		o.sq[i] = T(math.FMA(keep*g, g, float64(o.sq[i])*rho)) // v ← ρv + (1 − ρ)g²
		v := float64(o.sq[i])
		if o.Centered {
			o.avg[i] = T(math.FMA(keep, g, float64(o.avg[i])*rho)) // ḡ ← ρḡ + (1 − ρ)g
			a := float64(o.avg[i])
			v = math.FMA(-a, a, v) // v − ḡ²
		}
		sigma := math.Sqrt(v) + eps
		if mu > 0 {
			o.buf[i] = T(float64(float64(o.buf[i])*mu) + g/sigma) // b ← μb + g/σ
			theta[i] = T(math.FMA(-lr, float64(o.buf[i]), p))     // θ ← θ − αb
			measure(acc, grad[i], p, theta[i])
			continue
		}
		theta[i] = T(p + float64(-lr*g)/sigma) // θ ← θ − αg/σ
		measure(acc, grad[i], p, theta[i])
	}
}

// size allocates v, ḡ and b on the first Step.
func (o *RMSprop[T]) size(n int) {
	if len(o.sq) == n {
		return
	}
	o.sq, o.avg, o.buf = make([]T, n), make([]T, n), make([]T, n)
	o.internals = []Internal[T]{{Name: "squareAvg", Values: o.sq}}
	if o.Centered {
		o.internals = append(o.internals, Internal[T]{Name: "gradAvg", Values: o.avg})
	}
	if o.Momentum > 0 {
		o.internals = append(o.internals, Internal[T]{Name: "buf", Values: o.buf})
	}
}
