package optim

import "math"

// Adam is torch.optim.Adam (Kingma & Ba 2015), with its AMSGrad option:
//
//	g ← ∇J(θ) + λθ                          (L2 weight decay λ, torch's form)
//	m ← β₁m + (1 − β₁)g
//	v ← β₂v + (1 − β₂)g²
//	AMSGrad: v̂ ← max(v̂, v), used in place of v below
//	θ ← θ − (α / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
//
// that is θ ← θ − α m̂ / (√v̂ + ε) with the bias-corrected m̂ = m/(1 − β₁ᵗ) and
// v̂ = v/(1 − β₂ᵗ), computed in torch's order (ε added after dividing by
// √(1 − β₂ᵗ)). βᵗ is exact to the last bit (see power). Use NewAdam for
// torch's defaults.
type Adam[T Float] struct {
	// LearningRate is α; torch's default 0.001.
	LearningRate float64
	// Beta1 is β₁, the decay of the first moment m; torch's default 0.9.
	Beta1 float64
	// Beta2 is β₂, the decay of the second moment v; torch's default 0.999.
	Beta2 float64
	// Eps is ε; torch's default 1e-8.
	Eps float64
	// WeightDecay is λ; Adam adds λθ to the gradient (torch's default 0),
	// AdamW decays θ ← θ(1 − αλ) instead (torch's default 0.01).
	WeightDecay float64
	// AMSGrad uses the running maximum v̂ of v (Reddi et al. 2018); default false.
	AMSGrad bool

	t          int
	m, v, vmax []T
	pow1, pow2 power // β₁ᵗ and β₂ᵗ
	internals  []Internal[T]
}

// NewAdam returns Adam with step size lr and torch's defaults.
func NewAdam[T Float](lr float64) *Adam[T] {
	return &Adam[T]{LearningRate: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
}

// Name returns "adam".
func (o *Adam[T]) Name() string { return "adam" }

// LR returns the step size α.
func (o *Adam[T]) LR() float64 { return o.LearningRate }

// SetLR sets the step size α of the next step.
func (o *Adam[T]) SetLR(lr float64) { o.LearningRate = lr }

// Reset sets t to 0 and zeroes m, v and v̂.
func (o *Adam[T]) Reset() { o.t = 0; clear(o.m); clear(o.v); clear(o.vmax) }

// Internals returns "m", "v" and, with AMSGrad, "vMax" (v̂).
func (o *Adam[T]) Internals() []Internal[T] { return o.internals }

// Step does θ ← θ − α m̂ / (√v̂ + ε) in place.
func (o *Adam[T]) Step(theta, grad []T) { o.step(theta, grad, false, nil) }

// StepMeasured is Step that also returns the step's norms.
func (o *Adam[T]) StepMeasured(theta, grad []T) (n Norms) {
	o.step(theta, grad, false, &n)
	return n
}

// step is Adam's step, or AdamW's when decoupled.
func (o *Adam[T]) step(theta, grad []T, decoupled bool, acc *Norms) {
	checkLen(len(theta), len(grad))
	o.size(len(theta))
	o.t++
	b1, b2, eps, wd := o.Beta1, o.Beta2, o.Eps, o.WeightDecay
	c1, c2 := 1-b1, 1-b2 // 1 − β at run time: Go would fold constants exactly
	bc1 := 1 - o.pow1.at(b1, o.t)
	bc2 := math.Sqrt(1 - o.pow2.at(b2, o.t))
	stepSize := o.LearningRate / bc1
	decay := 1 - float64(o.LearningRate*wd) // AdamW: 1 − αλ, one rounding
	if fast32[T]() {
		o.adam32(theta, grad, stepSize, bc2, decay, decoupled, acc)
		return
	}
	for i := range theta {
		p, g := float64(theta[i]), float64(grad[i])
		old := p
		if decoupled {
			p = float64(T(p * decay)) // θ ← θ(1 − αλ)
		} else if wd != 0 {
			g = math.FMA(wd, p, g) // g ← g + λθ
		}
		o.m[i] = T(math.FMA(c1, g, float64(o.m[i])*b1))   // m ← β₁m + (1 − β₁)g
		o.v[i] = T(math.FMA(c2*g, g, float64(o.v[i])*b2)) // v ← β₂v + (1 − β₂)g²
		v := float64(o.v[i])
		if o.AMSGrad {
			o.vmax[i] = max(o.vmax[i], o.v[i]) // v̂ ← max(v̂, v)
			v = float64(o.vmax[i])
		}
		denom := math.Sqrt(v)/bc2 + eps
		theta[i] = T(p + float64(-stepSize*float64(o.m[i]))/denom) // θ ← θ − α m̂/(√v̂ + ε)
		measure(acc, grad[i], old, theta[i])
	}
}

// size allocates m, v and v̂ on the first Step.
func (o *Adam[T]) size(n int) {
	if len(o.m) == n && (!o.AMSGrad || len(o.vmax) == n) {
		return
	}
	o.t = 0
	o.m, o.v = make([]T, n), make([]T, n)
	o.internals = []Internal[T]{{Name: "m", Values: o.m}, {Name: "v", Values: o.v}}
	if o.AMSGrad {
		o.vmax = make([]T, n)
		o.internals = append(o.internals, Internal[T]{Name: "vMax", Values: o.vmax})
	}
}

// AdamW is torch.optim.AdamW (Loshchilov & Hutter 2019): Adam with the weight
// decay taken out of the gradient and applied to θ directly, first:
//
//	θ ← θ(1 − αλ)
//	m, v (and v̂) as in Adam, from the gradient g = ∇J(θ) at the undecayed θ
//	θ ← θ − α m̂ / (√v̂ + ε)
//
// Use NewAdamW for torch's defaults (λ = 0.01).
type AdamW[T Float] struct {
	Adam[T]
}

// NewAdamW returns AdamW with step size lr and torch's defaults.
func NewAdamW[T Float](lr float64) *AdamW[T] {
	w := &AdamW[T]{Adam: *NewAdam[T](lr)}
	w.WeightDecay = 0.01
	return w
}

// Name returns "adamw".
func (o *AdamW[T]) Name() string { return "adamw" }

// Step does θ ← θ(1 − αλ), then θ ← θ − α m̂ / (√v̂ + ε), in place.
func (o *AdamW[T]) Step(theta, grad []T) { o.step(theta, grad, true, nil) }

// StepMeasured is Step that also returns the step's norms.
func (o *AdamW[T]) StepMeasured(theta, grad []T) (n Norms) {
	o.step(theta, grad, true, &n)
	return n
}
