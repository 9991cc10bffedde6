package spectrum

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// DensityOptions set stochastic Lanczos quadrature.
type DensityOptions struct {
	// Probes is the number of random start vectors. If 0, it is defaulted to 4.
	Probes int
	// Steps is the number m of Lanczos steps per probe (products, and basis
	// vectors kept): m nodes per probe, exact for polynomials of degree
	// 2m − 1. If 0, it is defaulted to min(n, 80).
	Steps int
	// Sigma is the width σ of the Gaussian that each node is spread into. If
	// 0, it is defaulted to 1/400 of the range of the nodes (Ghorbani et al.
	// use σ² = 1e-5 on a spectrum scaled to [−1, 1], σ ≈ range/625; fewer
	// probes want a little more smoothing).
	Sigma float64
	// Points is the number of grid points of the density. If 0, it is
	// defaulted to 512.
	Points int
	// Seed seeds the probes.
	Seed uint64
}

// Density is an estimate of the spectral density of A,
// φ(t) = (1/n)·Σᵢ δ(t − λᵢ), smoothed by a Gaussian of width σ: the fraction
// of eigenvalues per unit of t, so that ∫φ(t)dt = 1.
type Density struct {
	// X is the grid, from 5σ below the smallest node to 5σ above the largest.
	X []float64 `json:"x"`
	// Y is the smoothed density at X, positive (or 0 where it underflows).
	Y []float64 `json:"y"`
	// Nodes and Weights are each probe's Gauss quadrature: the Ritz values θ
	// of its Lanczos tridiagonal and their weights τ (first components of T's
	// eigenvectors, squared; they sum to 1).
	Nodes, Weights [][]float64 `json:"-"`
	// Sigma is the σ used.
	Sigma float64 `json:"sigma"`
	// Products is the number of operator applications.
	Products int `json:"products"`
}

// SLQ estimates the spectral density of the symmetric operator op by
// stochastic Lanczos quadrature (Golub & Meurant 1994; Lin, Saad & Yang
// 2016; Ghorbani et al. 2019; PyHessian, Yao et al. 2020): for a random unit
// vector v, vᵀf(A)v = Σᵢ (vᵀuᵢ)² f(λᵢ) is a spectral measure whose
// expectation is (1/n)·tr f(A), and m Lanczos steps from v give its Gauss
// quadrature, nodes θₖ with weights τₖ. The density is the average over the
// probes of Σₖ τₖ·g_σ(t − θₖ), g_σ the normal density. A probe whose Krylov
// space becomes invariant stops early, its quadrature then exact. When ctx
// ends it returns ctx's error.
func SLQ(ctx context.Context, op Operator, n int, opt DensityOptions) (Density, error) {
	if err := checkDim(n, nil); err != nil {
		return Density{}, err
	}
	opt = opt.withDefaults(n)
	if opt.Probes < 0 || opt.Steps < 1 || opt.Points < 2 || opt.Sigma < 0 || math.IsNaN(opt.Sigma) {
		return Density{}, fmt.Errorf("spectrum: SLQ needs probes ≥ 1, steps ≥ 1, points ≥ 2 and σ ≥ 0 (got %d, %d, %d, %g)",
			opt.Probes, opt.Steps, opt.Points, opt.Sigma)
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x51c0))
	var d Density
	start := make([]float64, n)
	for p := range opt.Probes {
		for i := range start {
			start[i] = float64(2*int(rng.Uint64()&1) - 1) // Rademacher, normalised by newKrylov
		}
		k := newKrylov(op, n, start, opt.Seed+uint64(p))
		for k.size() < opt.Steps && (k.size() == 0 || k.lastBeta() != 0) {
			if err := k.step(ctx); err != nil {
				d.Products += k.products
				return d, err
			}
		}
		d.Products += k.products
		r, err := eigTridiag(k.alpha, k.beta)
		if err != nil {
			return d, err
		}
		w := make([]float64, r.m)
		for i := range w {
			w[i] = r.first(i) * r.first(i)
		}
		d.Nodes, d.Weights = append(d.Nodes, r.theta), append(d.Weights, w)
	}
	d.smooth(opt)
	return d, nil
}

func (o DensityOptions) withDefaults(n int) DensityOptions {
	if o.Probes == 0 {
		o.Probes = 4
	}
	if o.Steps == 0 {
		o.Steps = 80
	}
	o.Steps = min(o.Steps, n)
	if o.Points == 0 {
		o.Points = 512
	}
	return o
}

// smooth spreads the nodes into Gaussians on the grid.
func (d *Density) smooth(opt DensityOptions) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, nodes := range d.Nodes {
		lo, hi = math.Min(lo, nodes[0]), math.Max(hi, nodes[len(nodes)-1])
	}
	d.Sigma = opt.Sigma
	if d.Sigma == 0 {
		d.Sigma = (hi - lo) / 400
	}
	if d.Sigma == 0 { // a single eigenvalue: a width that shows it
		d.Sigma = 1e-3 * math.Max(1, math.Abs(hi))
	}
	lo, hi = lo-5*d.Sigma, hi+5*d.Sigma
	d.X, d.Y = make([]float64, opt.Points), make([]float64, opt.Points)
	norm := 1 / (float64(len(d.Nodes)) * d.Sigma * math.Sqrt(2*math.Pi))
	for i := range d.X {
		t := lo + (hi-lo)*float64(i)/float64(opt.Points-1)
		d.X[i] = t
		s := 0.0
		for p, nodes := range d.Nodes {
			for k, theta := range nodes {
				u := (t - theta) / d.Sigma
				s += d.Weights[p][k] * math.Exp(-u*u/2)
			}
		}
		d.Y[i] = s * norm
	}
}
