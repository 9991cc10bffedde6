package steps

// Group returns how many consecutive steps make one point so that n steps
// give at most maxPoints points: 1 when they fit (or maxPoints ≤ 0), else
// ⌈n/maxPoints⌉.
func Group(n, maxPoints int) int {
	if maxPoints <= 0 || n <= maxPoints {
		return 1
	}
	return (n + maxPoints - 1) / maxPoints
}

// Source is a run of n steps to thin: the step number of each index and its
// metrics, with the lowest and highest loss that the index stands for (the
// loss itself for a single step).
type Source interface {
	Len() int
	StepAt(i int) int
	PointAt(i int) (p Point, lo, hi float32)
}

// Thin returns the points of src in [from, to) as at most maxPoints points
// (every one when maxPoints ≤ 0), by the package's rule: groups of
// Group(to−from, maxPoints) steps, each with its mean loss, gradient norm
// and update ratio, its lowest and highest loss, and its last rate and
// throughput, at its last step. When src is Marked, each group also keeps
// the last of the marks among its steps, at that mark's own step (every
// mark when the steps are not grouped).
func Thin(src Source, from, to, maxPoints int) Columns {
	n := max(to-from, 0)
	g := Group(n, maxPoints)
	if g == 1 {
		out := Make(n, false)
		for i := from; i < to; i++ {
			p, _, _ := src.PointAt(i)
			out.Add(src.StepAt(i), p)
		}
		out.thinMarks(src, from, to, 1)
		return out
	}
	out := Make((n+g-1)/g, true)
	for lo := from; lo < to; lo += g {
		out.merge(src, lo, min(lo+g, to))
	}
	out.thinMarks(src, from, to, g)
	return out
}

// merge appends the point that stands for src's indices [lo, hi).
func (c *Columns) merge(src Source, lo, hi int) {
	var loss, gn, ur float64
	var mn, mx float32
	for i := lo; i < hi; i++ {
		p, l, h := src.PointAt(i)
		loss, gn, ur = loss+float64(p.Loss), gn+float64(p.GradNorm), ur+float64(p.UpdateRatio)
		if i == lo {
			mn, mx = l, h
		}
		mn, mx = min(mn, l), max(mx, h) // a NaN stays NaN
	}
	k := float64(hi - lo)
	last, _, _ := src.PointAt(hi - 1)
	c.Add(src.StepAt(hi-1), Point{Loss: float32(loss / k), GradNorm: float32(gn / k), UpdateRatio: float32(ur / k),
		LR: last.LR, SamplesPerSec: last.SamplesPerSec})
	c.LossMin, c.LossMax = append(c.LossMin, mn), append(c.LossMax, mx)
}

// Thin returns c thinned to at most maxPoints points by the package's rule;
// c itself when it fits.
func (c Columns) Thin(maxPoints int) Columns {
	if Group(c.Len(), maxPoints) == 1 {
		return c
	}
	return Thin(&c, 0, c.Len(), maxPoints)
}

// StepAt and PointAt make Columns a Source.
func (c *Columns) StepAt(i int) int { return c.Step[i] }

// PointAt returns point i with its lowest and highest loss.
func (c *Columns) PointAt(i int) (Point, float32, float32) { return c.At(i) }
