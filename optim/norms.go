package optim

import "math"

// Norms are the squared norms of one step, which show how hard it moved:
// ‖∇J(θ)‖², ‖Δθ‖² and ‖θ‖² after the step, accumulated in float64. The ratio
// ‖Δθ‖/‖θ‖ is the relative size of the update.
type Norms struct {
	Grad  float64 // ‖g‖², the raw gradient before weight decay
	Delta float64 // ‖Δθ‖², the update actually applied
	Theta float64 // ‖θ‖², after the step
}

// Measured is a Method that computes a step's Norms in the same pass over θ
// that takes the step, so that measuring costs no extra trip through memory.
// Every first-order method in this package implements it.
type Measured[T Float] interface {
	Method[T]
	StepMeasured(theta, grad []T) Norms
}

// measure accumulates one coordinate into n: the gradient g, and θ before
// and after. A nil n measures nothing, so an unmeasured step pays one branch.
func measure[T Float](n *Norms, g T, before float64, after T) {
	if n == nil {
		return
	}
	d := float64(after) - before
	n.Grad += float64(g) * float64(g)
	n.Delta += d * d
	n.Theta += float64(after) * float64(after)
}

// Ratio is ‖Δθ‖/‖θ‖, or 0 when θ = 0.
func (n Norms) Ratio() float64 {
	if n.Theta == 0 {
		return 0
	}
	return math.Sqrt(n.Delta / n.Theta)
}
