package spectrum

import (
	"context"
	"fmt"
	"math"
)

// LanczosOptions set what Lanczos looks for and when it stops.
type LanczosOptions struct {
	// K is the number of largest eigenvalues wanted. If 0, it is defaulted
	// to 1. They are the largest algebraically: a negative eigenvalue is
	// returned negative (ask for Bottom to get the most negative ones).
	K int
	// Bottom is the number of smallest eigenvalues wanted besides; default 0.
	Bottom int
	// Tol is the relative residual at which a Ritz pair counts as converged:
	// ‖Ax − θx‖ ≤ Tol·max|θ|. Its eigenvalue is then within
	// ‖Ax − θx‖²/gap of a true one (Parlett 1998, §11.7), so Tol = 1e-6 gives
	// about 12 digits for a well-separated eigenvalue. If 0, it is defaulted
	// to 1e-6.
	Tol float64
	// MaxIter bounds the products (and the basis vectors kept, n floats
	// each). If 0, it is defaulted to min(n, 300).
	MaxIter int
	// Start is the first basis vector (it need not be normalised); nil draws
	// a random one from Seed. Tracking passes the last eigenvector, so that
	// a few products suffice when the matrix has changed a little.
	Start []float64
	// Seed seeds the random start and the restarts after a breakdown.
	Seed uint64
	// Vectors asks for the eigenvectors as well.
	Vectors bool
	// Extra asks for the Ritz vectors of the next Extra largest Ritz values
	// too, in Eigen.Extra, converged or not. Tracking restarts from their sum
	// with the top one, so that an eigenvalue that overtakes the top one, as
	// the matrix changes, is in the start vector.
	Extra int
}

// Eigen is what Lanczos found.
type Eigen struct {
	// Values are the K largest eigenvalues, in descending order.
	Values []float64
	// Bottom are the Bottom smallest eigenvalues, in ascending order.
	Bottom []float64
	// Vectors and BottomVectors are the unit eigenvectors of Values and
	// Bottom, when LanczosOptions.Vectors is set.
	Vectors, BottomVectors [][]float64
	// Extra are the unit Ritz vectors of the Ritz values after the K
	// largest, when LanczosOptions.Extra asks for them.
	Extra [][]float64
	// Residuals and BottomResiduals are ‖Ax − θx‖ of each pair.
	Residuals, BottomResiduals []float64
	// Products is the number of operator applications.
	Products int
	// Converged reports that every wanted pair met Tol (or that the Krylov
	// space filled the whole space, so that the values are exact).
	Converged bool
}

// Lanczos finds the largest (and, with Bottom, the smallest) eigenvalues of
// the symmetric operator op of dimension n by the Lanczos method with full
// reorthogonalisation (Lanczos 1950; Golub & Van Loan 2013, §10.1):
// j products build Qⱼ with QⱼᵀAQⱼ = Tⱼ tridiagonal, whose eigenvalues (the
// Ritz values) converge to the extreme eigenvalues of A first. It stops
// when every wanted Ritz pair has a relative residual below Tol, after
// MaxIter products, or when ctx ends (then it returns what it has and ctx's
// error). The Ritz values are always inside A's spectrum, so Values[0] is
// never above λmax.
func Lanczos(ctx context.Context, op Operator, n int, opt LanczosOptions) (Eigen, error) {
	if err := checkDim(n, opt.Start); err != nil {
		return Eigen{}, err
	}
	opt = opt.withDefaults(n)
	if opt.K < 0 || opt.Bottom < 0 || opt.K+opt.Bottom > n {
		return Eigen{}, fmt.Errorf("spectrum: K = %d and Bottom = %d eigenvalues asked of a %d × %d matrix", opt.K, opt.Bottom, n, n)
	}
	k := newKrylov(op, n, opt.Start, opt.Seed)
	var r ritz
	converged := false
	for k.size() < opt.MaxIter && !converged {
		if err := k.step(ctx); err != nil {
			return finish(k, r, opt, false), err
		}
		if k.size() < opt.K+opt.Bottom {
			continue
		}
		var err error
		if r, err = eigTridiag(k.alpha, k.beta); err != nil {
			return Eigen{Products: k.products}, err
		}
		converged = k.exhausted() || wantedConverged(r, k.lastBeta(), opt) && lastBlockConverged(k, opt)
	}
	return finish(k, r, opt, converged), nil
}

func (o LanczosOptions) withDefaults(n int) LanczosOptions {
	if o.K == 0 {
		o.K = 1
	}
	if o.Tol == 0 {
		o.Tol = 1e-6
	}
	if o.MaxIter == 0 {
		o.MaxIter = 300
	}
	o.MaxIter = min(max(o.MaxIter, o.K+o.Bottom), n)
	return o
}

// wantedConverged reports that the K top and Bottom bottom Ritz pairs all
// have β·|zₘᵢ| ≤ Tol·max|θ|.
func wantedConverged(r ritz, beta float64, opt LanczosOptions) bool {
	scale := math.Max(math.Abs(r.theta[0]), math.Abs(r.theta[r.m-1]))
	for _, i := range wanted(r.m, opt) {
		if math.Abs(beta*r.last(i)) > opt.Tol*scale {
			return false
		}
	}
	return true
}

// lastBlockConverged guards against a breakdown: the Ritz values of the
// blocks before it are exact but may miss the extremes, so the block that
// explores the rest of the space must have converged at its own ends too.
func lastBlockConverged(k *krylov, opt LanczosOptions) bool {
	if k.block == 0 {
		return true
	}
	if k.block == k.size() {
		return false
	}
	r, err := eigTridiag(k.alpha[k.block:], k.beta[k.block:])
	if err != nil {
		return false
	}
	return wantedConverged(r, k.lastBeta(), opt)
}

// wanted lists the indices into the ascending Ritz values: the K top ones
// (descending), then the Bottom ones (ascending).
func wanted(m int, opt LanczosOptions) []int {
	var idx []int
	for i := range min(opt.K, m) {
		idx = append(idx, m-1-i)
	}
	for i := range min(opt.Bottom, m) {
		idx = append(idx, i)
	}
	return idx
}

// finish reads the wanted pairs out of the last decomposition.
func finish(k *krylov, r ritz, opt LanczosOptions, converged bool) Eigen {
	e := Eigen{Products: k.products, Converged: converged}
	if r.m == 0 {
		return e
	}
	beta := k.lastBeta()
	for n, i := range wanted(r.m, opt) {
		top := n < min(opt.K, r.m)
		res := math.Abs(beta * r.last(i))
		var vec []float64
		if opt.Vectors {
			vec = k.vector(r.col(i))
		}
		if top {
			e.Values, e.Residuals = append(e.Values, r.theta[i]), append(e.Residuals, res)
			if vec != nil {
				e.Vectors = append(e.Vectors, vec)
			}
			continue
		}
		e.Bottom, e.BottomResiduals = append(e.Bottom, r.theta[i]), append(e.BottomResiduals, res)
		if vec != nil {
			e.BottomVectors = append(e.BottomVectors, vec)
		}
	}
	for i := opt.K; i < min(opt.K+opt.Extra, r.m); i++ {
		e.Extra = append(e.Extra, k.vector(r.col(r.m-1-i)))
	}
	return e
}
