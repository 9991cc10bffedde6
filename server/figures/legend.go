package figures

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legendBox draws a legend inside the data area on a light box, so that it
// stays readable over lines and heat maps.
type legendBox struct{ leg plot.Legend }

// Plot draws the box and the legend over the data canvas c.
func (b legendBox) Plot(c draw.Canvas, _ *plot.Plot) {
	c.SetColor(color.NRGBA{R: 255, G: 255, B: 255, A: 215})
	c.Fill(b.rect(c).Path())
	b.leg.Draw(c)
}

// rect is where Legend.Draw puts the legend on c, with a margin.
// (Legend.Rectangle gives its size, but not where Draw puts it.)
func (b legendBox) rect(c draw.Canvas) vg.Rectangle {
	size := b.leg.Rectangle(c).Size()
	var r vg.Rectangle
	if b.leg.Left {
		r.Min.X = c.Min.X + b.leg.XOffs
	} else {
		r.Min.X = c.Max.X + b.leg.XOffs - size.X
	}
	if b.leg.Top {
		r.Min.Y = c.Max.Y + b.leg.YOffs - size.Y
	} else {
		r.Min.Y = c.Min.Y + b.leg.YOffs
	}
	pad := vg.Points(3)
	r.Max = vg.Point{X: r.Min.X + size.X + pad, Y: r.Min.Y + size.Y + pad}
	r.Min = vg.Point{X: r.Min.X - pad, Y: r.Min.Y - pad}
	return r
}

// boxLegend moves the plot's legend, if it has entries, into a legendBox
// drawn after every other plotter. Call it once all entries are added.
func (f *Figure) boxLegend() {
	p := f.Plot
	leg := p.Legend
	leg.XOffs, leg.YOffs = -vg.Points(6), -vg.Points(6)
	if leg.Left {
		leg.XOffs = vg.Points(6)
	}
	if !leg.Top {
		leg.YOffs = vg.Points(6)
	}
	p.Legend = plot.NewLegend()
	p.Legend.TextStyle = leg.TextStyle
	p.Add(legendBox{leg})
}

// Series is one curve of a chart: Y against X, with its legend label. A
// training run that blew up has Diverged set and DivergedAt, the step at
// which the loss stopped being finite; its Y may end in NaN or ±Inf.
type Series struct {
	Label      string
	X, Y       []float64
	Diverged   bool
	DivergedAt int
	// Lo and Hi, when set, are the lowest and highest Y that each point
	// stands for (a thinned curve: package steps' rule); the loss figure
	// draws them as a band, so that spikes stay visible.
	Lo, Hi []float64
}

// check returns an error unless s has as many X as Y values.
func (s Series) check() error {
	if len(s.X) != len(s.Y) {
		return fmt.Errorf("figures: series %q has %d x and %d y values", s.Label, len(s.X), len(s.Y))
	}
	return nil
}

// finite returns the points of s up to its first non-finite one.
func (s Series) finite() plotter.XYs {
	var xys plotter.XYs
	for i := range s.X {
		if !isFinite(s.X[i]) || !isFinite(s.Y[i]) {
			break
		}
		xys = append(xys, plotter.XY{X: s.X[i], Y: s.Y[i]})
	}
	return xys
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Smooth returns the exponential moving average of y with weight w in [0, 1),
// debiased as TensorBoard does: aₜ = w·aₜ₋₁ + (1 − w)·yₜ with a₋₁ = 0, and
// sₜ = aₜ / (1 − wᵗ⁺¹), so that the first values are not pulled toward 0.
// Non-finite values are skipped (sₜ repeats the last smoothed value, NaN
// before the first finite one). w = 0 returns a copy of y.
func Smooth(y []float64, w float64) []float64 {
	out := make([]float64, len(y))
	a, n := 0.0, 0
	for i, v := range y {
		if isFinite(v) {
			a = w*a + (1-w)*v
			n++
		}
		if n == 0 {
			out[i] = math.NaN()
			continue
		}
		out[i] = a / (1 - math.Pow(w, float64(n)))
	}
	return out
}
