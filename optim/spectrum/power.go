package spectrum

import (
	"context"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
)

// PowerOptions set when power iteration stops.
type PowerOptions struct {
	// Tol is the relative residual ‖Ax − θx‖ ≤ Tol·|θ| at which it stops. If
	// 0, it is defaulted to 1e-6.
	Tol float64
	// MaxIter bounds the products. If 0, it is defaulted to 1000.
	MaxIter int
	// Start is the first iterate; nil draws a random one from Seed.
	Start []float64
	// Seed seeds the random start.
	Seed uint64
}

// Power is what power iteration found.
type Power struct {
	// Value is the Rayleigh quotient θ = xᵀAx of the last iterate.
	Value float64
	// Vector is the last iterate x, a unit vector.
	Vector []float64
	// Residual is ‖Ax − θx‖.
	Residual float64
	// Products is the number of operator applications.
	Products int
	// Converged reports that the residual met Tol.
	Converged bool
}

// PowerIteration finds the eigenvalue of largest magnitude of the symmetric
// operator op, and its eigenvector, by x ← Ax/‖Ax‖ (von Mises 1929), as
// PyHessian does: the error shrinks like |λ₂/λ₁| per product, so it is slow
// when the top two are close, and Lanczos is better from the same start.
// It stops when the residual meets Tol, after MaxIter products, or when ctx
// ends (then it returns what it has and ctx's error).
func PowerIteration(ctx context.Context, op Operator, n int, opt PowerOptions) (Power, error) {
	if err := checkDim(n, opt.Start); err != nil {
		return Power{}, err
	}
	if opt.Tol == 0 {
		opt.Tol = 1e-6
	}
	if opt.MaxIter == 0 {
		opt.MaxIter = 1000
	}
	x, ax := make([]float64, n), make([]float64, n)
	if opt.Start != nil {
		copy(x, opt.Start)
	}
	if opt.Start == nil || floats.Norm(x, 2) == 0 {
		rng := rand.New(rand.NewPCG(opt.Seed, 0x90e3))
		for i := range x {
			x[i] = rng.NormFloat64()
		}
	}
	floats.Scale(1/floats.Norm(x, 2), x)
	var p Power
	for p.Products < opt.MaxIter {
		if err := ctx.Err(); err != nil {
			return p, err
		}
		op(ax, x)
		p.Products++
		p.Value = floats.Dot(x, ax)
		p.Residual = residual(ax, x, p.Value)
		p.Vector = append(p.Vector[:0], x...)
		if p.Converged = p.Residual <= opt.Tol*math.Abs(p.Value); p.Converged {
			break
		}
		norm := floats.Norm(ax, 2)
		if norm == 0 { // A x = 0: x is an eigenvector of 0
			p.Converged = true
			break
		}
		x, ax = ax, x
		floats.Scale(1/norm, x)
	}
	return p, nil
}

// residual is ‖ax − θx‖.
func residual(ax, x []float64, theta float64) float64 {
	s := 0.0
	for i, v := range ax {
		d := v - theta*x[i]
		s += d * d
	}
	return math.Sqrt(s)
}
