package optim

import (
	"errors"
	"fmt"
)

// ErrNeedsSurface is wrapped by the error that New returns for a method that
// only works on the 2-D surfaces: Newton's method needs the Hessian H = ∇²J,
// which for the report's 784-100-10 network would have 79,510² ≈ 6.3e9
// entries (51 GB in float64), BFGS keeps a dense estimate of H⁻¹ of the same
// size, and conjugate gradient needs a line search, several evaluations of the
// loss on the whole training set per step. Test for it with errors.Is.
var ErrNeedsSurface = errors.New("optim: method needs a 2-D surface, not the network")

// ErrUnknownMethod is wrapped by the error for an optimizer name that is not
// registered; the message lists the names that are.
var ErrUnknownMethod = errors.New("optim: unknown optimizer")

// ErrUnknownFunction is wrapped by the error for a test function name that is
// not registered; the message lists the names that are.
var ErrUnknownFunction = errors.New("optim: unknown function")

// surfaceOnlyError explains why a surface method cannot train the network.
type surfaceOnlyError struct {
	name, reason string
}

func (e surfaceOnlyError) Error() string {
	return fmt.Sprintf("optim: %s works on the 2-D surfaces only, not on the network: %s; "+
		"train the network with sgd, momentum, nesterov, adagrad, rmsprop, adam or adamw", e.name, e.reason)
}

func (e surfaceOnlyError) Unwrap() error { return ErrNeedsSurface }

// checkLen panics when theta and grad differ in length: that is a programmer
// mistake, not bad input.
func checkLen(nTheta, nGrad int) {
	if nTheta != nGrad {
		panic(fmt.Sprintf("optim: len(theta) = %d but len(grad) = %d", nTheta, nGrad))
	}
}
