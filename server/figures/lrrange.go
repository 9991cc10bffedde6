package figures

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"descent/server/figures/internal/plotkit"
)

// RangeSmoothing is the EMA weight of the LR range test's smoothed loss, the page's.
const RangeSmoothing = 0.9

// SuggestRate is the rate of an LR range test (Smith, "Cyclical learning
// rates for training neural networks", 2017) where the smoothed loss falls
// fastest against log α, before the loss's minimum: the slope
// Δloss/Δlog α is taken over windows of max(2, n/50) points. It returns 0
// for fewer than 20 points or a loss that never falls. The page computes
// the same (web/src/rangetest.js).
func SuggestRate(lr, smoothed []float64) float64 {
	n := min(len(lr), len(smoothed))
	if n < 20 {
		return 0
	}
	minAt := 0
	for i := range n {
		if isFinite(smoothed[i]) && smoothed[i] < smoothed[minAt] {
			minAt = i
		}
	}
	w := max(2, n/50)
	best, bestSlope := 0.0, 0.0
	for i := w; i <= minAt; i++ {
		slope := (smoothed[i] - smoothed[i-w]) / (math.Log(lr[i]) - math.Log(lr[i-w]))
		if slope < bestSlope {
			best, bestSlope = lr[i-w/2], slope
		}
	}
	return best
}

// RangeTestFigure plots an LR range test's loss against its rate α on a log
// axis: the raw loss faded, its EMA (RangeSmoothing) on top, and the
// suggested rate (SuggestRate) as a dashed line with its value. lr and loss
// are the run's per-step rate and loss.
func RangeTestFigure(lr, loss []float64, m Meta) (*Figure, error) {
	if len(lr) != len(loss) {
		return nil, fmt.Errorf("figures: range test with %d rates and %d losses", len(lr), len(loss))
	}
	l := newLang(m)
	f := newFigure(l, l.title(l.lrRangeTitle), l.lrAxis, l.loss)
	sm := Smooth(loss, RangeSmoothing)
	var raw, smooth plotter.XYs
	for i := range lr {
		if lr[i] > 0 && isFinite(lr[i]) && isFinite(loss[i]) {
			raw = append(raw, plotter.XY{X: lr[i], Y: loss[i]})
			smooth = append(smooth, plotter.XY{X: lr[i], Y: sm[i]})
		}
	}
	if len(raw) < 2 {
		return nil, fmt.Errorf("figures: range test with %d finite points; want 2 or more", len(raw))
	}
	c := metricColor("loss")
	rawLine, _ := plotter.NewLine(raw)
	rawLine.Color, rawLine.Width = faded(c, 0x50), vg.Points(1)
	smLine, _ := plotter.NewLine(smooth)
	smLine.Color, smLine.Width = c, vg.Points(1.5)
	f.Plot.Add(rawLine, smLine)
	f.Plot.Legend.Add(f.label(l.raw), rawLine)
	f.Plot.Legend.Add(f.label(fmt.Sprintf(l.smoothed, RangeSmoothing)), smLine)
	if s := SuggestRate(lr, sm); s > 0 {
		f.Plot.Add(plotkit.VLine{X: s, Label: f.label(fmt.Sprintf(l.suggested, s)), Color: suggestColor})
	}
	f.Plot.X.Scale = plot.LogScale{}
	f.Plot.X.Tick.Marker = plotkit.LogTicks{}
	f.Plot.Y.Max = math.Min(f.Plot.Y.Max, 1.5*raw[0].Y) // a blow-up at the largest rates does not flatten the curve
	f.outsideLegend()
	return f, nil
}

// suggestColor is the suggested rate's line and label: dark green, a
// suggestion, not the red of divergence.
var suggestColor = Palette[2]
