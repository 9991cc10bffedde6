package figures

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"descent/server/figures/internal/plotkit"
)

// SharpnessSeries is one run's sharpness measurements: λmax of the
// training loss's Hessian (of P⁻¹H for Adam) at each measured step, and the
// stability threshold of that step's α (NaN where none applies).
type SharpnessSeries struct {
	Label     string
	Step      []float64
	Sharpness []float64
	Threshold []float64
}

// sharpnessWords are the sharpness figure's words.
var sharpnessWords = map[string]struct{ title, y, lambda, threshold, thresholds, crossed, none string }{
	"en": {"Sharpness against the stability threshold", "sharpness λmax", "λmax", "threshold (2/α for gradient descent)",
		"dashed: each run's threshold", "λmax above the threshold at step %g", "no threshold applies"},
	"ko": {"안정성 임계값과 비교한 날카로움", "날카로움 λmax", "λmax", "임계값 (경사 하강법은 2/α)",
		"점선: 각 실행의 임계값", "%g 스텝에서 λmax가 임계값을 넘음", "적용되는 임계값 없음"},
}

// sharpnessColor is a single run's λmax, after the page's metric colours
// (metricColor); its threshold is drawn dashed in thresholdColor.
var sharpnessColor, thresholdColor = Palette[6], Palette[7]

// dashed is the threshold's line style in colour c.
func dashed(c color.Color) draw.LineStyle {
	return draw.LineStyle{Color: c, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
}

// SharpnessFigure plots λmax against the step for one run or several (a
// sweep's lanes): each run's measurements as points joined by a line and its
// threshold, which follows a schedule's α, dashed in the same colour. One run
// takes the page's sharpness colour with its threshold in dark grey; run i
// of several takes Palette[i]. A run's legend says at which step λmax first
// rose above its threshold, or that no threshold applies. The y axis is
// logarithmic when the values span more than a factor of 20.
func SharpnessFigure(runs []SharpnessSeries, m Meta) (*Figure, error) {
	l := newLang(m)
	w := sharpnessWords[l.code]
	f := newFigure(l, l.title(w.title), l.step, w.y)
	lo, hi, n := math.Inf(1), math.Inf(-1), 0
	for i, r := range runs {
		if len(r.Step) != len(r.Sharpness) || len(r.Step) != len(r.Threshold) {
			return nil, fmt.Errorf("figures: sharpness series %q has %d steps, %d values and %d thresholds", r.Label, len(r.Step), len(r.Sharpness), len(r.Threshold))
		}
		c, tc := paletteColor(i), paletteColor(i)
		if len(runs) == 1 {
			c, tc = sharpnessColor, thresholdColor
		}
		sharp, thr := positive(r.Step, r.Sharpness), positive(r.Step, r.Threshold)
		if len(sharp) == 0 {
			continue
		}
		n++
		line, points, err := plotter.NewLinePoints(sharp)
		if err != nil {
			return nil, fmt.Errorf("figures: %w", err)
		}
		line.Color, line.Width, points.Color, points.Radius = c, vg.Points(1.2), c, vg.Points(1.8)
		f.Plot.Add(line, points)
		if len(thr) > 0 {
			t, _ := plotter.NewLine(thr)
			t.LineStyle = dashed(tc)
			f.Plot.Add(t)
			if len(runs) == 1 {
				f.Plot.Legend.Add(f.label(w.threshold), t)
			}
		}
		f.Plot.Legend.Add(f.label(sharpnessLabel(r, len(runs) == 1, l.code)), line, points)
		for _, xy := range append(sharp, thr...) {
			lo, hi = math.Min(lo, xy.Y), math.Max(hi, xy.Y)
		}
	}
	if n == 0 {
		return nil, fmt.Errorf("figures: no sharpness measured yet")
	}
	if len(runs) > 1 {
		f.Plot.Legend.Add(f.label(w.thresholds), plotkit.LineThumb(dashed(thresholdColor)))
	}
	if hi > 20*lo {
		f.Plot.Y.Scale = plot.LogScale{}
		f.Plot.Y.Tick.Marker = plotkit.LogTicks{}
	} else {
		f.Plot.Y.Min = 0
	}
	f.outsideLegend()
	return f, nil
}

// sharpnessLabel is a run's legend: its label (λmax for a single run), with
// the step at which λmax first rose above its threshold, or that none
// applies.
func sharpnessLabel(r SharpnessSeries, single bool, lang string) string {
	w := sharpnessWords[lang]
	label := r.Label
	if single || label == "" {
		label = w.lambda
	}
	applies := false
	for i, t := range r.Threshold {
		if !isFinite(t) || t <= 0 {
			continue
		}
		applies = true
		if r.Sharpness[i] > t {
			return label + " — " + fmt.Sprintf(w.crossed, r.Step[i])
		}
	}
	if !applies {
		return label + " — " + w.none
	}
	return label
}

// positive returns the points (x, y) whose y is finite and above 0.
func positive(x, y []float64) plotter.XYs {
	var xys plotter.XYs
	for i := range x {
		if isFinite(x[i]) && isFinite(y[i]) && y[i] > 0 {
			xys = append(xys, plotter.XY{X: x[i], Y: y[i]})
		}
	}
	return xys
}
