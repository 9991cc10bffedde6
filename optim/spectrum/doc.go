// Package spectrum finds what can be known about a large symmetric matrix A
// from products A·v alone, without ever forming A: its extreme eigenvalues
// (Lanczos with full reorthogonalisation, power iteration), its trace
// (Hutchinson's estimator) and its spectral density (stochastic Lanczos
// quadrature). For the network, A is the Hessian H = ∇²J of the loss, with
// 79,510² entries for the report's network, reached only through exact
// Hessian-vector products (Pearlmutter 1994); these are the methods of
// PyHessian (Yao et al. 2020) and of Ghorbani et al. (2019).
//
// Every method takes an Operator and the dimension n, honours a context
// between products, and reports how many products it used. The small
// tridiagonal eigenproblems are solved by gonum's LAPACK (Dsteqr). The
// package does no I/O and knows nothing of networks.
package spectrum

import (
	"errors"
	"fmt"
)

// Operator applies a symmetric linear map: dst = A·v. dst and v have the
// dimension n that the method was given and never alias; Operator must not
// keep either.
type Operator func(dst, v []float64)

// ErrBadDimension is wrapped by the error for a dimension below 1 or a start
// vector of the wrong length.
var ErrBadDimension = errors.New("spectrum: bad dimension")

func checkDim(n int, start []float64) error {
	if n < 1 {
		return fmt.Errorf("%w: n = %d, want at least 1", ErrBadDimension, n)
	}
	if start != nil && len(start) != n {
		return fmt.Errorf("%w: start vector has %d entries, want %d", ErrBadDimension, len(start), n)
	}
	return nil
}
