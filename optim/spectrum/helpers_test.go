package spectrum

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// withSpectrum returns A = U·diag(lambda)·Uᵀ for a random orthogonal U (the Q
// of a Gaussian matrix), so that A's eigenvalues are known.
func withSpectrum(lambda []float64, seed uint64) *mat.SymDense {
	n := len(lambda)
	rng := rand.New(rand.NewPCG(seed, 2))
	g := mat.NewDense(n, n, nil)
	for i := range n {
		for j := range n {
			g.Set(i, j, rng.NormFloat64())
		}
	}
	var qr mat.QR
	qr.Factorize(g)
	var u mat.Dense
	qr.QTo(&u)
	a := mat.NewSymDense(n, nil)
	for i := range n {
		for j := i; j < n; j++ {
			s := 0.0
			for k, l := range lambda {
				s += u.At(i, k) * l * u.At(j, k)
			}
			a.SetSym(i, j, s)
		}
	}
	return a
}

// wigner returns a random symmetric matrix with N(0, 1) entries.
func wigner(n int, seed uint64) *mat.SymDense {
	rng := rand.New(rand.NewPCG(seed, 3))
	a := mat.NewSymDense(n, nil)
	for i := range n {
		for j := i; j < n; j++ {
			a.SetSym(i, j, rng.NormFloat64())
		}
	}
	return a
}

// hessianLike is a spectrum shaped like a network's Hessian: a few outliers,
// a bulk near 0, and a few negative eigenvalues.
func hessianLike(n int, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 4))
	l := []float64{10, 7, 5.5, 5, 4.8, -3, -2.5}
	for len(l) < n {
		l = append(l, 0.1*rng.NormFloat64())
	}
	return l
}

// operator applies a dense symmetric matrix.
func operator(a *mat.SymDense) Operator {
	return func(dst, v []float64) {
		mat.NewVecDense(len(dst), dst).MulVec(a, mat.NewVecDense(len(v), v))
	}
}

// eigenSym returns a's eigenvalues in ascending order, from gonum.
func eigenSym(t *testing.T, a *mat.SymDense) []float64 {
	t.Helper()
	var e mat.EigenSym
	if !e.Factorize(a, false) {
		t.Fatal("EigenSym did not converge")
	}
	v := e.Values(nil)
	slices.Sort(v)
	return v
}

func relErr(got, want float64) float64 {
	return math.Abs(got-want) / math.Max(math.Abs(want), 1e-300)
}
