package figures

import (
	"math"
	"slices"
)

// Scale chooses how surface colours and contour levels follow J.
type Scale int

const (
	// ScaleAuto uses ScaleLog when the function asks for it
	// (optim.Function.LogLevels) or when the values on the grid span more
	// than LogDecades decades, and ScaleLinear otherwise.
	ScaleAuto Scale = iota
	// ScaleLinear spaces levels evenly in J.
	ScaleLinear
	// ScaleLog spaces levels evenly in log₁₀(J − Jₘᵢₙ + ε), where Jₘᵢₙ is the
	// grid's minimum and ε = (Jₘₐₓ − Jₘᵢₙ)·LogFloor.
	ScaleLog
)

// LogDecades is the spread, in decades, beyond which ScaleAuto switches to
// log-spaced levels. The spread is log₁₀((Jₘₐₓ − Jₘᵢₙ)/(J₁₀ − Jₘᵢₙ)), where
// J₁₀ is the grid's 10th percentile: wide when most of the window sits far
// below its peaks, as on Rosenbrock, Beale and the six-hump camel.
const LogDecades = 2

// LogFloor is ε relative to the grid's range under ScaleLog: the levels
// cover log₁₀(1/LogFloor) = 5 decades below Jₘₐₓ − Jₘᵢₙ.
const LogFloor = 1e-5

// grid is J sampled at the centres of a cols × rows partition of a domain,
// the plotter.GridXYZ of the heat map and the contours. Row 0 is at YMin.
type grid struct {
	dom        Domain
	cols, rows int
	z          []float64 // z[r*cols+c]
}

// sample evaluates f at the cell centres (XMin + (c+½)Δx, YMin + (r+½)Δy).
func sample(f func(x, y float64) float64, dom Domain, cols, rows int) *grid {
	g := &grid{dom: dom, cols: cols, rows: rows, z: make([]float64, cols*rows)}
	for r := range rows {
		y := g.Y(r)
		for c := range cols {
			g.z[r*cols+c] = f(g.X(c), y)
		}
	}
	return g
}

func (g *grid) Dims() (c, r int)   { return g.cols, g.rows }
func (g *grid) Z(c, r int) float64 { return g.z[r*g.cols+c] }
func (g *grid) X(c int) float64 {
	return g.dom.XMin + (float64(c)+0.5)*(g.dom.XMax-g.dom.XMin)/float64(g.cols)
}
func (g *grid) Y(r int) float64 {
	return g.dom.YMin + (float64(r)+0.5)*(g.dom.YMax-g.dom.YMin)/float64(g.rows)
}

// finite returns the grid's finite values, sorted.
func (g *grid) finite() []float64 {
	var v []float64
	for _, z := range g.z {
		if !math.IsNaN(z) && !math.IsInf(z, 0) {
			v = append(v, z)
		}
	}
	slices.Sort(v)
	return v
}

// transform maps J to the quantity that colours and levels are linear in.
type transform struct {
	log      bool
	min, eps float64 // under log: t = log₁₀(J − min + eps)
}

func (t transform) apply(z float64) float64 {
	if !t.log {
		return z
	}
	return math.Log10(math.Max(z-t.min, 0) + t.eps)
}

func (t transform) invert(v float64) float64 {
	if !t.log {
		return v
	}
	return math.Pow(10, v) - t.eps + t.min
}

// spread returns log₁₀((max − min)/(q10 − min)) of sorted finite values
// (+Inf when the 10th percentile equals the minimum but the range does not
// vanish, 0 for a flat grid).
func spread(sorted []float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	lo, hi := sorted[0], sorted[len(sorted)-1]
	q := sorted[len(sorted)/10]
	if hi == lo {
		return 0
	}
	return math.Log10((hi - lo) / (q - lo))
}

// chooseTransform picks the transform for values under scale s; hint is the
// function's own LogLevels.
func chooseTransform(sorted []float64, s Scale, hint bool) transform {
	if len(sorted) == 0 {
		return transform{}
	}
	lo, hi := sorted[0], sorted[len(sorted)-1]
	useLog := s == ScaleLog || s == ScaleAuto && (hint || spread(sorted) > LogDecades)
	if !useLog || hi == lo {
		return transform{}
	}
	return transform{log: true, min: lo, eps: (hi - lo) * LogFloor}
}

// levels returns n contour levels (in J) evenly spaced in transformed value
// strictly between the transformed minimum and maximum.
func levels(sorted []float64, t transform, n int) []float64 {
	if len(sorted) == 0 || n <= 0 {
		return nil
	}
	a, b := t.apply(sorted[0]), t.apply(sorted[len(sorted)-1])
	if !(a < b) {
		return nil
	}
	out := make([]float64, n)
	for k := range out {
		out[k] = t.invert(a + (b-a)*float64(k+1)/float64(n+1))
	}
	return out
}
