package optim

import (
	"errors"
	"math"
)

// Curvature classifies a 2×2 symmetric Hessian H by its eigenvalues λ₁ ≤ λ₂.
type Curvature int

const (
	// PositiveDefinite: λ₁ > 0, the quadratic model has a minimum and the
	// Newton step points downhill.
	PositiveDefinite Curvature = iota
	// Singular: λ₁ = 0 (to rounding), H⁻¹∇J does not exist.
	Singular
	// Indefinite: λ₁ < 0, H is not positive definite (a saddle or a maximum of
	// the quadratic model), and pure Newton is drawn towards it.
	Indefinite
)

var curvatureNames = [...]string{"positive definite", "singular", "not positive definite"}

// String returns "positive definite", "singular" or "not positive definite".
func (c Curvature) String() string { return curvatureNames[c] }

// MarshalText writes the curvature as its String, for JSON.
func (c Curvature) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// errSingular is returned by Newton.Direction when H (+ λI) cannot be solved.
var errSingular = errors.New("H is singular, so H⁻¹∇J does not exist")

// Newton is Newton's method as the report writes it, on a 2-D surface:
//
//	w ← w − αH⁻¹∇J
//
// solving H d = −∇J (Gaussian elimination with partial pivoting, no inverse).
// Damped, it solves (H + λI) d = −∇J instead, with λ = 0 where H is
// positive definite and λ = μ − λ₁ where it is not (λ₁ ≤ 0 its smallest
// eigenvalue), so that the smallest eigenvalue of H + λI is μ: the step then
// goes downhill where pure Newton would climb to a saddle or a maximum.
type Newton struct {
	// Alpha is the step size α; 1 is the full Newton step.
	Alpha float64
	// Damped turns on the λI term.
	Damped bool
	// Damping is μ, the smallest eigenvalue that H + λI is given where H is
	// not positive definite.
	Damping float64
}

// NewtonStep is a Newton direction with what it found out about H.
type NewtonStep struct {
	// D is the direction d = −(H + λI)⁻¹∇J (the step is αd).
	D [2]float64
	// Lambda is the damping λ added to the diagonal (0 for pure Newton).
	Lambda float64
	// Eigen are the eigenvalues λ₁ ≤ λ₂ of H (undamped).
	Eigen [2]float64
	// Curvature classifies H (undamped).
	Curvature Curvature
}

// Direction returns d = −(H + λI)⁻¹∇J for the gradient g and the Hessian h =
// (hxx, hxy, hyy). Pure Newton fails only when H is singular.
func (n Newton) Direction(g [2]float64, h [3]float64) (NewtonStep, error) {
	var s NewtonStep
	s.Eigen = eigen2(h)
	s.Curvature = classify(s.Eigen, h)
	if n.Damped && s.Curvature != PositiveDefinite {
		s.Lambda = n.Damping - s.Eigen[0] // λ = μ − λ₁
	}
	d, ok := solve2(h[0]+s.Lambda, h[1], h[2]+s.Lambda, -g[0], -g[1])
	if !ok {
		return s, errSingular
	}
	s.D = d
	return s, nil
}

// eigen2 returns the eigenvalues λ₁ ≤ λ₂ of [[a, b], [b, c]]:
// (a + c)/2 ∓ √(((a − c)/2)² + b²).
func eigen2(h [3]float64) [2]float64 {
	m, r := (h[0]+h[2])/2, math.Hypot((h[0]-h[2])/2, h[1])
	return [2]float64{m - r, m + r}
}

// classify calls λ₁ zero when it is below rounding relative to ‖H‖.
func classify(e [2]float64, h [3]float64) Curvature {
	scale := math.Max(math.Abs(h[0]), math.Max(math.Abs(h[1]), math.Abs(h[2])))
	switch {
	case math.Abs(e[0]) <= 1e-14*scale || scale == 0:
		return Singular
	case e[0] < 0:
		return Indefinite
	}
	return PositiveDefinite
}

// solve2 solves [[a, b], [b, c]] d = r by elimination with partial pivoting;
// ok is false for a (numerically) singular matrix.
func solve2(a, b, c, r1, r2 float64) (d [2]float64, ok bool) {
	scale := math.Max(math.Abs(a), math.Max(math.Abs(b), math.Abs(c)))
	tiny := 1e-14 * scale
	if scale == 0 || math.IsNaN(scale) {
		return d, false
	}
	// Rows (p, q | s) and (u, v | w), the pivot row first.
	p, q, s, u, v, w := a, b, r1, b, c, r2
	if math.Abs(b) > math.Abs(a) {
		p, q, s, u, v, w = b, c, r2, a, b, r1
	}
	l := u / p
	v2, w2 := v-l*q, w-l*s
	if math.Abs(v2) <= tiny {
		return d, false
	}
	d[1] = w2 / v2
	d[0] = (s - q*d[1]) / p
	return d, true
}
