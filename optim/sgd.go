package optim

import "math"

// SGD is (stochastic) gradient descent as torch.optim.SGD computes it, with
// optional momentum, Nesterov momentum and L2 weight decay:
//
//	g ← ∇J(θ) + λθ                       (weight decay λ)
//	b ← g on the first step, then b ← μb + (1 − τ)g   (momentum μ, dampening τ)
//	d ← g + μb (Nesterov) or d ← b (momentum) or d ← g (plain)
//	θ ← θ − αd
//
// With μ = 0 and λ = 0 it is the report's θ ← θ − α∇J(θ). Nesterov is
// torch's reformulated form: the gradient is taken at θ, not at a look-ahead
// point. Use NewSGD for torch's defaults; the fields are used as they are.
type SGD[T Float] struct {
	// LearningRate is the step size α (torch's lr).
	LearningRate float64
	// Momentum is μ; 0 (torch's default) turns momentum off.
	Momentum float64
	// Dampening is τ, which scales the gradient by 1 − τ in b; torch's default 0.
	Dampening float64
	// WeightDecay is the L2 coefficient λ added as λθ to the gradient; default 0.
	WeightDecay float64
	// Nesterov selects Nesterov momentum (needs μ > 0 and τ = 0); default false.
	Nesterov bool

	name      string // registry name when not "sgd"
	buf       []T    // momentum buffer b
	steps     int    // steps taken with momentum; the first sets b ← g
	internals []Internal[T]
}

// NewSGD returns plain gradient descent θ ← θ − α∇J(θ) with step size lr and
// torch's defaults for everything else (no momentum, no weight decay).
func NewSGD[T Float](lr float64) *SGD[T] { return &SGD[T]{LearningRate: lr} }

// Name returns "sgd", or the name ("gd", "momentum", "nesterov") that New
// built it under.
func (o *SGD[T]) Name() string {
	if o.name == "" {
		return "sgd"
	}
	return o.name
}

// LR returns the step size α.
func (o *SGD[T]) LR() float64 { return o.LearningRate }

// SetLR sets the step size α of the next step.
func (o *SGD[T]) SetLR(lr float64) { o.LearningRate = lr }

// Reset forgets the momentum buffer b.
func (o *SGD[T]) Reset() { o.steps = 0; clear(o.buf) }

// Internals returns the momentum buffer "buf" (b), or nothing without momentum.
func (o *SGD[T]) Internals() []Internal[T] { return o.internals }

// Step does θ ← θ − αd in place, d as in the type's doc comment.
func (o *SGD[T]) Step(theta, grad []T) { o.step(theta, grad, nil) }

// StepMeasured is Step that also returns the step's norms.
func (o *SGD[T]) StepMeasured(theta, grad []T) (n Norms) {
	o.step(theta, grad, &n)
	return n
}

func (o *SGD[T]) step(theta, grad []T, acc *Norms) {
	checkLen(len(theta), len(grad))
	mu, wd, lr := o.Momentum, o.WeightDecay, o.LearningRate
	if mu == 0 {
		if fast32[T]() {
			o.sgd32(theta, grad, false, acc)
			return
		}
		for i := range theta {
			p, g := float64(theta[i]), float64(grad[i])
			if wd != 0 {
				g = math.FMA(wd, p, g) // g ← g + λθ
			}
			theta[i] = T(math.FMA(-lr, g, p)) // θ ← θ − αg
			measure(acc, grad[i], p, theta[i])
		}
		return
	}
	o.size(len(theta))
	first := o.steps == 0
	o.steps++
	if fast32[T]() {
		o.sgd32(theta, grad, first, acc)
		return
	}
	keep := 1 - o.Dampening // 1 − τ, at run time
	for i := range theta {
		p, g := float64(theta[i]), float64(grad[i])
		if wd != 0 {
			g = math.FMA(wd, p, g) // g ← g + λθ
		}
		b := g // b ← g on the first step
		if !first {
			b = math.FMA(keep, g, float64(o.buf[i])*mu) // b ← μb + (1 − τ)g
		}
		o.buf[i] = T(b)
		d := float64(o.buf[i])
		if o.Nesterov {
			d = math.FMA(mu, d, g) // d ← g + μb
		}
		theta[i] = T(math.FMA(-lr, d, p)) // θ ← θ − αd
		measure(acc, grad[i], p, theta[i])
	}
}

// size allocates the momentum buffer for n parameters on the first Step.
func (o *SGD[T]) size(n int) {
	if len(o.buf) == n {
		return
	}
	o.buf = make([]T, n)
	o.steps = 0
	o.internals = []Internal[T]{{Name: "buf", Values: o.buf}}
}
