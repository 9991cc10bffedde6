package figures

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legendPad is the space around a legend drawn outside the data area.
const legendPad = 6

// outsideLegend takes the plot's legend, if it has entries, out of the data
// area: Figure.Draw draws it beside the plot, at the right, or under the
// plot when it would take more than a third of the width. Call it once all
// entries are added.
func (f *Figure) outsideLegend() {
	leg := f.Plot.Legend
	leg.Top, leg.Left = true, true
	leg.XOffs, leg.YOffs = 0, 0
	f.legend = &leg
	f.Plot.Legend = plot.NewLegend()
	f.Plot.Legend.TextStyle = leg.TextStyle
}

// drawLegend draws the outside legend on c, if any, and returns the canvas
// left for the plot.
func (f *Figure) drawLegend(c draw.Canvas) draw.Canvas {
	if f.legend == nil {
		return c
	}
	size := f.legend.Rectangle(c).Size()
	if size.Y <= 0 {
		return c
	}
	pad := vg.Points(legendPad)
	if w := size.X + 2*pad; w <= c.Size().X/3 {
		f.legend.Draw(draw.Crop(c, c.Size().X-w+pad, 0, 0, -2*pad))
		return draw.Crop(c, 0, -w, 0, 0)
	}
	h := size.Y + 2*pad
	f.legend.Draw(draw.Crop(c, pad, 0, 0, -(c.Size().Y - h + pad)))
	return draw.Crop(c, 0, 0, h, 0)
}

// Series is one curve of a chart: Y against X, with its legend label. A
// training run that blew up has Diverged set and DivergedAt, the step at
// which the loss stopped being finite; its Y may end in NaN or ±Inf.
type Series struct {
	Label      string
	X, Y       []float64
	Diverged   bool
	DivergedAt int
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
