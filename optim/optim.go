// Package optim holds the optimizers of the report (gradient descent, SGD with
// momentum and Nesterov, Adagrad, RMSprop, Adam, AdamW, Newton's method with the
// Hessian, conjugate gradient and BFGS) and the 2-D test functions that they are
// shown on. It does no I/O.
//
// The same first-order code trains the MNIST network (on float32 parameter slabs)
// and moves the points on the surfaces (on float64 2-vectors): what a student sees
// on Rosenbrock is what trains the digits. Every update is written in the report's
// notation, θ ← θ − α∇J(θ), beside the line that computes it.
package optim

// Float is the element type of the parameters that a Method updates: float32 for
// the network, float64 for the surfaces and for exact comparison with PyTorch.
type Float interface{ ~float32 | ~float64 }

// Method is a first-order optimizer: it turns the gradient g = ∇J(θ) into an
// update of θ, in place.
//
// Step allocates nothing once the state has been sized (on the first Step, from
// len(theta)), so that the training loop runs allocation-free.
type Method[T Float] interface {
	// Name is the registry name of the method, such as "adam".
	Name() string
	// Step updates theta in place from the gradient grad = ∇J(θ), which must have
	// the same length. The step counter t is incremented before use (t = 1 first).
	Step(theta, grad []T)
	// Reset discards all state (the step counter, momentum buffers, moments and
	// sums) so that the next Step is a first step again.
	Reset()
	// LR is the learning rate α used by the next Step.
	LR() float64
	// SetLR sets the learning rate of the next Step; a schedule calls it before
	// every step.
	SetLR(lr float64)
	// Internals returns named views of the optimizer's state (the momentum
	// buffer, Adam's m and v, Adagrad's sum of squares) for drawing. The slices
	// alias the state: callers must copy them before the next Step.
	Internals() []Internal[T]
}

// Internal is one named piece of an optimizer's state, such as "m" or "sum".
type Internal[T Float] struct {
	Name   string
	Values []T
}
