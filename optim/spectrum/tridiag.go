package spectrum

import (
	"errors"

	"gonum.org/v1/gonum/lapack"
	"gonum.org/v1/gonum/lapack/gonum"
)

// ritz holds the eigen-decomposition of a tridiagonal T = Z·diag(θ)·Zᵀ: θ
// ascending, Z row-major with the eigenvector of θᵢ in column i.
type ritz struct {
	m     int
	theta []float64
	z     []float64
}

// col returns the eigenvector of θᵢ.
func (r ritz) col(i int) []float64 {
	v := make([]float64, r.m)
	for row := range r.m {
		v[row] = r.z[row*r.m+i]
	}
	return v
}

// last is the last component of the eigenvector of θᵢ: the Ritz residual of
// (θᵢ, Qzᵢ) is β·|last(i)| (Parlett 1998, §13.2).
func (r ritz) last(i int) float64 { return r.z[(r.m-1)*r.m+i] }

// first is the first component of the eigenvector of θᵢ: its square is the
// Gauss quadrature weight of the node θᵢ (Golub & Welsch 1969).
func (r ritz) first(i int) float64 { return r.z[i] }

// eigTridiag decomposes the m × m tridiagonal with diagonal alpha and
// off-diagonal beta[:m-1], by the implicit QL/QR method (LAPACK's Dsteqr,
// from gonum).
func eigTridiag(alpha, beta []float64) (ritz, error) {
	m := len(alpha)
	d := append([]float64(nil), alpha...)
	e := make([]float64, max(m-1, 1))
	copy(e, beta[:m-1])
	z := make([]float64, m*m)
	work := make([]float64, max(1, 2*m-2))
	if !(gonum.Implementation{}).Dsteqr(lapack.EVTridiag, m, d, e, z, m, work) {
		return ritz{}, errors.New("spectrum: the tridiagonal eigenproblem did not converge")
	}
	return ritz{m: m, theta: d, z: z}, nil
}
