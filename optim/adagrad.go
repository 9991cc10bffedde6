package optim

import "math"

// Adagrad is torch.optim.Adagrad (Duchi, Hazan & Singer 2011): each
// coordinate's step is divided by the root of its sum of squared gradients.
//
//	g ← ∇J(θ) + λθ                 (weight decay λ)
//	αₜ ← α / (1 + (t − 1)η)        (learning-rate decay η)
//	s ← s + g²                     (s starts at InitialAccumulatorValue)
//	θ ← θ − αₜ g / (√s + ε)
//
// ε sits outside the root. Use NewAdagrad for torch's defaults.
type Adagrad[T Float] struct {
	// LearningRate is α; torch's default 0.01.
	LearningRate float64
	// LRDecay is η; torch's default 0.
	LRDecay float64
	// WeightDecay is the L2 coefficient λ; torch's default 0.
	WeightDecay float64
	// InitialAccumulatorValue is s before the first step; torch's default 0.
	InitialAccumulatorValue float64
	// Eps is ε; torch's default 1e-10.
	Eps float64

	t         int
	sum       []T // s, the sum of squared gradients
	internals []Internal[T]
}

// NewAdagrad returns Adagrad with step size lr and torch's defaults.
func NewAdagrad[T Float](lr float64) *Adagrad[T] {
	return &Adagrad[T]{LearningRate: lr, Eps: 1e-10}
}

// Name returns "adagrad".
func (o *Adagrad[T]) Name() string { return "adagrad" }

// LR returns the step size α.
func (o *Adagrad[T]) LR() float64 { return o.LearningRate }

// SetLR sets the step size α of the next step.
func (o *Adagrad[T]) SetLR(lr float64) { o.LearningRate = lr }

// Reset sets t to 0 and s back to InitialAccumulatorValue.
func (o *Adagrad[T]) Reset() { o.t = 0; o.sum = o.sum[:0] }

// Internals returns the sum of squared gradients "sum" (s).
func (o *Adagrad[T]) Internals() []Internal[T] { return o.internals }

// Step does θ ← θ − αₜ g / (√s + ε) in place.
func (o *Adagrad[T]) Step(theta, grad []T) { o.step(theta, grad, nil) }

// StepMeasured is Step that also returns the step's norms.
func (o *Adagrad[T]) StepMeasured(theta, grad []T) (n Norms) {
	o.step(theta, grad, &n)
	return n
}

func (o *Adagrad[T]) step(theta, grad []T, acc *Norms) {
	checkLen(len(theta), len(grad))
	o.size(len(theta))
	o.t++
	wd, eps := o.WeightDecay, o.Eps
	clr := o.LearningRate / (1 + float64(float64(o.t-1)*o.LRDecay)) // αₜ
	if fast32[T]() {
		o.adagrad32(theta, grad, clr, acc)
		return
	}
	for i := range theta {
		p, g := float64(theta[i]), float64(grad[i])
		if wd != 0 {
			g = math.FMA(wd, p, g) // g ← g + λθ
		}
		o.sum[i] = T(math.FMA(g, g, float64(o.sum[i]))) // s ← s + g²
		std := math.Sqrt(float64(o.sum[i])) + eps
		theta[i] = T(p + float64(-clr*g)/std) // θ ← θ − αₜ g / (√s + ε)
		measure(acc, grad[i], p, theta[i])
	}
}

// size allocates s on the first Step (and after Reset refills it).
func (o *Adagrad[T]) size(n int) {
	if len(o.sum) == n {
		return
	}
	if cap(o.sum) < n {
		o.sum = make([]T, n)
		o.internals = []Internal[T]{{Name: "sum"}}
	}
	o.sum = o.sum[:n]
	o.internals[0].Values = o.sum
	o.t = 0
	for i := range o.sum {
		o.sum[i] = T(o.InitialAccumulatorValue)
	}
}
