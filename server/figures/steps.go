package figures

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"descent/optim"
	"descent/server/figures/internal/plotkit"
)

// Metrics that StepFigure draws: a run's per-step gradient norm, update
// ratio and learning rate, and its test loss per epoch.
const (
	GradNorm     = "gradnorm"
	UpdateRatio  = "ratio"
	LearningRate = "lr"
	TestLoss     = "testloss"
)

// StepFigure plots one metric (GradNorm, UpdateRatio, LearningRate or
// TestLoss) of one or more runs against the step (the epoch for TestLoss),
// one line per series, on a log scale for GradNorm and UpdateRatio.
// Points that are not finite, or not positive on a log scale, are left out.
func StepFigure(metric string, runs []Series, m Meta) (*Figure, error) {
	l := newLang(m)
	x := l.step
	var y, title string
	logY := false
	switch metric {
	case GradNorm:
		y, title, logY = l.gradNorm, l.gradNormTitle, true
	case UpdateRatio:
		y, title, logY = l.updateRatio, l.ratioTitle, true
	case LearningRate:
		y, title = l.learningRate, l.lrTitle
	case TestLoss:
		x, y, title = l.epoch, l.testLoss, l.testLossTitle
	default:
		return nil, fmt.Errorf("figures: unknown metric %q", metric)
	}
	return stepLines(newFigure(l, l.title(title), x, y), runs, logY, metric == TestLoss, metricColor(metric))
}

// GradStepFigure plots the gradient norm ‖∇J‖ against the step for each trajectory, on a log
// scale, from grads[i] (the norms along trajs[i]) or, where that is empty,
// from fn's gradient at the points.
func GradStepFigure(fn optim.Function, trajs []Trajectory, grads [][]float64, m Meta) (*Figure, error) {
	l := newLang(m)
	var runs []Series
	for i, t := range trajs {
		s := Series{Label: t.Label}
		for k, p := range t.Points {
			g := math.NaN()
			if i < len(grads) && k < len(grads[i]) {
				g = grads[i][k]
			} else if fn.Grad != nil {
				gx, gy := fn.Grad(p[0], p[1])
				g = math.Hypot(gx, gy)
			}
			s.X, s.Y = append(s.X, float64(k)), append(s.Y, g)
		}
		runs = append(runs, s)
	}
	return stepLines(newFigure(l, l.title(fmt.Sprintf(l.gTitle, fn.Title)), l.step, l.gradF), runs, true, false, Palette[0])
}

// stepLines adds a line per series to f (with points when marks), series i
// in Palette[i] or a single one in single, skipping values that are not
// finite or, with logY, not positive.
func stepLines(f *Figure, runs []Series, logY, marks bool, single color.Color) (*Figure, error) {
	n := 0
	for i, r := range runs {
		if err := r.check(); err != nil {
			return nil, err
		}
		var xys plotter.XYs
		for k := range r.X {
			if isFinite(r.X[k]) && isFinite(r.Y[k]) && (!logY || r.Y[k] > 0) {
				xys = append(xys, plotter.XY{X: r.X[k], Y: r.Y[k]})
			}
		}
		if len(xys) == 0 {
			continue
		}
		n++
		line, points, err := plotter.NewLinePoints(xys)
		if err != nil {
			return nil, fmt.Errorf("figures: %w", err)
		}
		line.Color, line.Width = paletteColor(i), vg.Points(1.2)
		if len(runs) == 1 {
			line.Color = single
		}
		f.Plot.Add(line)
		if marks {
			points.Color, points.Radius = line.Color, vg.Points(2)
			f.Plot.Add(points)
		}
		if r.Label != "" {
			f.Plot.Legend.Add(f.label(r.Label), line)
		}
	}
	if n == 0 {
		return nil, fmt.Errorf("figures: no value to draw")
	}
	if logY {
		f.Plot.Y.Scale = plot.LogScale{}
		f.Plot.Y.Tick.Marker = plotkit.LogTicks{}
	}
	f.outsideLegend()
	return f, nil
}
