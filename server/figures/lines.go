package figures

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"descent/server/figures/internal/plotkit"
)

// LossFigure plots the training loss against the step: the raw values
// faded, and on top their EMA with weight smoothing in [0, 1) (see Smooth;
// 0 draws the raw curve alone).
func LossFigure(raw Series, smoothing float64, m Meta) (*Figure, error) {
	if err := raw.check(); err != nil {
		return nil, err
	}
	if !(smoothing >= 0 && smoothing < 1) {
		return nil, fmt.Errorf("figures: smoothing %g is outside [0, 1)", smoothing)
	}
	l := newLang(m)
	f := newFigure(l, l.title(l.lossTitle), l.step, l.loss)
	blue := metricColor("loss")
	rawLine, err := plotter.NewLine(raw.finite())
	if err != nil {
		return nil, fmt.Errorf("figures: %w", err)
	}
	rawLine.Color, rawLine.Width = blue, vg.Points(1)
	if smoothing == 0 {
		f.Plot.Add(rawLine)
		f.Plot.Legend.Add(f.label(raw.Label), rawLine)
		f.Plot.Legend.Top = true
		f.outsideLegend()
		return f, nil
	}
	rawLine.Color = faded(blue, 0x50)
	if b := plotkit.Band(raw.X, raw.Lo, raw.Hi); b != nil {
		b.Color = faded(blue, 0x30)
		f.Plot.Add(b)
	}
	sm := Series{X: raw.X, Y: Smooth(raw.Y, smoothing)}
	smLine, err := plotter.NewLine(sm.finite())
	if err != nil {
		return nil, fmt.Errorf("figures: %w", err)
	}
	smLine.Color, smLine.Width = blue, vg.Points(1.5)
	f.Plot.Add(rawLine, smLine)
	f.Plot.Legend.Add(f.label(l.raw), rawLine)
	f.Plot.Legend.Add(f.label(fmt.Sprintf(l.smoothed, smoothing)), smLine)
	f.outsideLegend()
	return f, nil
}

// AccuracyFigure plots test accuracy (in %) against the epoch, one line
// with points per run: run i in Palette[i], a single run in the page's
// colour of accuracy.
func AccuracyFigure(runs []Series, m Meta) (*Figure, error) {
	l := newLang(m)
	f := newFigure(l, l.title(l.accuracyTitle), l.epoch, l.accuracy)
	for i, r := range runs {
		if err := r.check(); err != nil {
			return nil, err
		}
		line, points, err := plotter.NewLinePoints(r.finite())
		if err != nil {
			return nil, fmt.Errorf("figures: %w", err)
		}
		c := paletteColor(i)
		if len(runs) == 1 {
			c = metricColor("accuracy")
		}
		line.Color, points.Color, points.Shape = c, c, draw.CircleGlyph{}
		f.Plot.Add(line, points)
		if r.Label != "" {
			f.Plot.Legend.Add(f.label(r.Label), line, points)
		}
	}
	f.outsideLegend()
	return f, nil
}

// SweepFigure plots the loss against the step for every learning rate of a
// sweep, the smallest rate (runs[0]) first, run i in Palette[i] as on the
// page, whose runs are made in the same order. A diverged run ends in a red
// cross and its legend says "diverged at step k". The y axis stops at 1.5 ×
// the largest initial loss of the runs that did not diverge, so that
// blow-ups do not flatten them.
func SweepFigure(runs []Series, m Meta) (*Figure, error) {
	l := newLang(m)
	return runsFigure(runs, l, l.title(l.sweepTitle), paletteColor)
}

// CompareFigure plots the loss against the step for several optimizers, in
// the page's colours, with diverged runs and the y range as in SweepFigure.
func CompareFigure(runs []Series, m Meta) (*Figure, error) {
	l := newLang(m)
	return runsFigure(runs, l, l.title(l.compareTitle), paletteColor)
}

// runsFigure draws loss curves with colour(i), marking divergence.
func runsFigure(runs []Series, l lang, title string, colour func(int) color.Color) (*Figure, error) {
	f := newFigure(l, title, l.step, l.loss)
	top := robustTop(runs)
	for i, r := range runs {
		if err := r.check(); err != nil {
			return nil, err
		}
		xys := r.finite()
		line, err := plotter.NewLine(xys)
		if err != nil {
			return nil, fmt.Errorf("figures: %w", err)
		}
		line.Color, line.Width = colour(i), vg.Points(1.2)
		f.Plot.Add(line)
		label := r.Label
		if r.Diverged {
			label += " — " + fmt.Sprintf(l.diverged, r.DivergedAt)
			if len(xys) > 0 {
				end := xys[len(xys)-1]
				end.Y = math.Min(end.Y, top)
				s, _ := plotter.NewScatter(plotter.XYs{end})
				s.GlyphStyle = draw.GlyphStyle{Color: Diverged, Radius: vg.Points(4), Shape: plotkit.Cross{}}
				f.Plot.Add(s)
			}
		}
		f.Plot.Legend.Add(f.label(label), line)
	}
	if !math.IsInf(top, 0) {
		f.Plot.Y.Max = top
		f.Plot.Y.Min = math.Min(f.Plot.Y.Min, 0)
	}
	f.outsideLegend()
	return f, nil
}

// robustTop returns 1.5 × the largest first finite value among the runs that
// did not diverge (among all runs when every one diverged), or +Inf.
func robustTop(runs []Series) float64 {
	top := math.Inf(-1)
	for pass := range 2 {
		for _, r := range runs {
			if xys := r.finite(); len(xys) > 0 && (pass == 1 || !r.Diverged) {
				top = math.Max(top, xys[0].Y)
			}
		}
		if !math.IsInf(top, -1) {
			return 1.5 * top
		}
	}
	return math.Inf(1)
}
