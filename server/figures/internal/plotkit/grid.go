package plotkit

import (
	"math"
	"slices"
)

// Rect is the rectangle [XMin, XMax] × [YMin, YMax] of the plane that a
// grid covers; a figures.Domain converts to it.
type Rect struct {
	XMin, XMax, YMin, YMax float64
}

// Grid is a function sampled at the centres of a cols × rows partition of
// a Rect, the plotter.GridXYZ of a heat map and of contour lines. Row 0 is
// at YMin.
type Grid struct {
	r          Rect
	cols, rows int
	z          []float64 // z[r*cols+c]
}

// Sample evaluates f at the cell centres (XMin + (c+½)Δx, YMin + (r+½)Δy)
// of a cols × rows grid over r.
func Sample(f func(x, y float64) float64, r Rect, cols, rows int) *Grid {
	g := &Grid{r: r, cols: cols, rows: rows, z: make([]float64, cols*rows)}
	for j := range rows {
		y := g.Y(j)
		for c := range cols {
			g.z[j*cols+c] = f(g.X(c), y)
		}
	}
	return g
}

// CellsFor returns the columns and rows of a grid over r with n cells
// along its longer side and as many along the shorter one as keep the
// cells about square, at least 16.
func CellsFor(r Rect, n int) (cols, rows int) {
	cols, rows = n, n
	if w, h := r.XMax-r.XMin, r.YMax-r.YMin; w > h {
		rows = max(int(float64(n)*h/w), 16)
	} else {
		cols = max(int(float64(n)*w/h), 16)
	}
	return cols, rows
}

// Dims implements plotter.GridXYZ.
func (g *Grid) Dims() (c, r int) { return g.cols, g.rows }

// Z implements plotter.GridXYZ.
func (g *Grid) Z(c, r int) float64 { return g.z[r*g.cols+c] }

// X implements plotter.GridXYZ: the centre of column c.
func (g *Grid) X(c int) float64 {
	return g.r.XMin + (float64(c)+0.5)*(g.r.XMax-g.r.XMin)/float64(g.cols)
}

// Y implements plotter.GridXYZ: the centre of row r.
func (g *Grid) Y(r int) float64 {
	return g.r.YMin + (float64(r)+0.5)*(g.r.YMax-g.r.YMin)/float64(g.rows)
}

// Rect returns the rectangle the grid covers.
func (g *Grid) Rect() Rect { return g.r }

// Finite returns the grid's finite values, sorted.
func (g *Grid) Finite() []float64 {
	var v []float64
	for _, z := range g.z {
		if isFinite(z) {
			v = append(v, z)
		}
	}
	slices.Sort(v)
	return v
}

// Map returns a grid of the same cells holding t applied to each value.
func (g *Grid) Map(t Transform) *Grid {
	m := &Grid{r: g.r, cols: g.cols, rows: g.rows, z: make([]float64, len(g.z))}
	for i, z := range g.z {
		m.z[i] = t.Apply(z)
	}
	return m
}

// Transform maps J to the quantity that colours and contour levels are
// linear in: J itself, or under Log t = log₁₀(J − Min + Eps).
type Transform struct {
	Log      bool
	Min, Eps float64
}

// Apply returns t(z).
func (t Transform) Apply(z float64) float64 {
	if !t.Log {
		return z
	}
	return math.Log10(math.Max(z-t.Min, 0) + t.Eps)
}

// Invert returns the z with t(z) = v.
func (t Transform) Invert(v float64) float64 {
	if !t.Log {
		return v
	}
	return math.Pow(10, v) - t.Eps + t.Min
}

// Spread returns log₁₀((max − min)/(q10 − min)) of sorted finite values,
// q10 their 10th percentile (+Inf when q10 equals the minimum but the range
// does not vanish, 0 for a flat grid): wide when most of the values sit far
// below their peaks.
func Spread(sorted []float64) float64 {
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

// Levels returns n contour levels (in J) evenly spaced in transformed value
// strictly between the transformed minimum and maximum of sorted.
func Levels(sorted []float64, t Transform, n int) []float64 {
	if len(sorted) == 0 || n <= 0 {
		return nil
	}
	a, b := t.Apply(sorted[0]), t.Apply(sorted[len(sorted)-1])
	if !(a < b) {
		return nil
	}
	out := make([]float64, n)
	for k := range out {
		out[k] = t.Invert(a + (b-a)*float64(k+1)/float64(n+1))
	}
	return out
}
