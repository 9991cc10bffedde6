package mnist

import (
	"fmt"
	"math/rand/v2"
)

// Plane is a 2-D affine slice of a network's parameter space,
//
//	θ(a, b) = Origin + a·X + b·Y,
//
// every vector in the slab layout of Arch (W₁, b₁, W₂, b₂, …). A Plane with
// a nil Y is a line. Planes are immutable once made and may be shared.
type Plane struct {
	Arch   Arch
	Origin []float64
	X, Y   []float64
	// Kind says how the directions were chosen: PlaneRandom or PlanePCA.
	Kind string
	// Explained is, for a PCA plane, the share of the path's squared
	// distance from Origin that lies along X and along Y (see PathPlane).
	Explained [2]float64
}

// The kinds of plane.
const (
	PlaneRandom = "random" // two filter-normalised random directions (Li et al. 2018)
	PlanePCA    = "pca"    // the top two principal directions of a training path
	PlaneLine   = "line"   // one direction, from the initial to the final weights (Goodfellow et al. 2015)
)

// At returns θ(a, b) = Origin + a·X + b·Y.
func (p *Plane) At(a, b float64) []float64 {
	th := make([]float64, len(p.Origin))
	for i, o := range p.Origin {
		th[i] = o + a*p.X[i]
		if p.Y != nil {
			th[i] += b * p.Y[i]
		}
	}
	return th
}

// check reports a plane whose vectors do not fit its shape.
func (p *Plane) check() error {
	if err := p.Arch.Validate(); err != nil {
		return err
	}
	n := p.Arch.NumParams()
	if len(p.Origin) != n || len(p.X) != n || (p.Y != nil && len(p.Y) != n) {
		return fmt.Errorf("mnist: plane of %s has vectors of %d, %d and %d values, want %d",
			p.Arch, len(p.Origin), len(p.X), len(p.Y), n)
	}
	return nil
}

// slabLayer locates one layer in the parameter slab: W at w (out × in,
// row-major), b at b (out).
type slabLayer struct{ in, out, w, b int }

// layout returns where each layer's weights and biases sit in the slab.
func layout(a Arch) []slabLayer {
	sizes, off := a.Sizes(), 0
	var ls []slabLayer
	for l := 0; l+1 < len(sizes); l++ {
		ly := slabLayer{in: sizes[l], out: sizes[l+1], w: off}
		ly.b = off + ly.in*ly.out
		off = ly.b + ly.out
		ls = append(ls, ly)
	}
	return ls
}

// RandomPlane returns the plane through m's weights θ spanned by two random
// directions δ and η, each filter-normalised (Li et al. 2018, "Visualizing
// the Loss Landscape of Neural Nets", §4): drawn from N(0, 1) and rescaled
// so that every filter of the direction has the norm of the same filter of
// θ. For a dense layer a filter is one neuron's row of incoming weights, so
//
//	δᵢ ← δᵢ · ‖θᵢ‖ / ‖δᵢ‖   for each row i of every W_l.
//
// The biases are zero in both directions, as Li et al. do for every
// one-dimensional parameter (their --xignore biasbn): a bias vector has no
// filters to normalise by, a bias row of one value would be rescaled to ±|bᵢ|
// (a random sign, with no scale when bᵢ ≈ 0), and the weights alone already
// move every unit's pre-activation. So the slice shows how the loss depends
// on the weights, the biases staying at θ's. The same seed gives the same
// plane for the same shape.
func RandomPlane(m *Model, seed uint64) (*Plane, error) {
	if err := m.Arch.Validate(); err != nil {
		return nil, err
	}
	if len(m.Params) != m.Arch.NumParams() {
		return nil, fmt.Errorf("mnist: model has %d parameters, %s needs %d", len(m.Params), m.Arch, m.Arch.NumParams())
	}
	origin := make([]float64, len(m.Params))
	for i, v := range m.Params {
		origin[i] = float64(v)
	}
	rng := rand.New(rand.NewPCG(seed, 0x1a4d5ca9e))
	p := &Plane{Arch: m.Arch, Origin: origin, Kind: PlaneRandom}
	p.X = filterNormalized(m.Arch, origin, rng)
	p.Y = filterNormalized(m.Arch, origin, rng)
	return p, nil
}

// filterNormalized draws a Gaussian direction and rescales each weight row
// to the norm of θ's row; biases are zero. A row of θ that is all zero gets
// a zero row.
func filterNormalized(a Arch, theta []float64, rng *rand.Rand) []float64 {
	d := make([]float64, len(theta))
	for _, ly := range layout(a) {
		for r := range ly.out {
			row := d[ly.w+r*ly.in : ly.w+(r+1)*ly.in]
			for i := range row {
				row[i] = rng.NormFloat64()
			}
			scale := norm2(theta[ly.w+r*ly.in:ly.w+(r+1)*ly.in]) / norm2(row)
			for i := range row {
				row[i] *= scale
			}
		}
	}
	return d
}

// LinePlane returns the line from θ₀ to θ₁, θ(t) = θ₀ + t·(θ₁ − θ₀), as a
// Plane with Origin θ₀ and X = θ₁ − θ₀ (Goodfellow et al. 2015,
// "Qualitatively characterizing neural network optimization problems"):
// t = 0 is θ₀, t = 1 is θ₁, which is (1 − t)·θ₀ + t·θ₁.
func LinePlane(arch Arch, theta0, theta1 []float32) (*Plane, error) {
	if err := arch.Validate(); err != nil {
		return nil, err
	}
	n := arch.NumParams()
	if len(theta0) != n || len(theta1) != n {
		return nil, fmt.Errorf("mnist: line between %d and %d parameters, %s needs %d", len(theta0), len(theta1), arch, n)
	}
	p := &Plane{Arch: arch, Origin: make([]float64, n), X: make([]float64, n), Kind: PlaneLine}
	for i := range theta0 {
		p.Origin[i] = float64(theta0[i])
		p.X[i] = float64(theta1[i]) - float64(theta0[i])
	}
	return p, nil
}
