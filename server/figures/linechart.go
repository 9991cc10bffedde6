package figures

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"descent/server/figures/internal/plotkit"
)

// LineChart is the loss and accuracy of networks along the line from
// their initial weights θ₀ to their weights θ_end, θ(t) = (1 − t)·θ₀ +
// t·θ_end (Goodfellow et al. 2015, "Qualitatively characterizing neural
// network optimization problems"): one LineRun per network, sharing T.
type LineChart struct {
	T    []float64
	Runs []LineRun
}

// LineRun is one network's line: its loss and accuracy (fractions) at
// each t on the training images and, when measured, on test images.
type LineRun struct {
	Label                    string
	TrainLoss, TrainAccuracy []float64
	TestLoss, TestAccuracy   []float64 // nil when not measured
}

// lineWords are the chart's own words.
var lineWords = map[string]struct{ title, t, loss, accuracy, train, test, ends, styles string }{
	"en": {"Loss along the line from θ₀ to θ_end", "t, on θ = (1 − t)·θ₀ + t·θ_end", "loss (cross-entropy)",
		"accuracy (%)", "training images", "test images", "t = 0 is θ₀, t = 1 is θ_end",
		"solid: training images, dashed: test images"},
	"ko": {"θ₀에서 θ_end까지 직선 위의 손실", "t (θ = (1 − t)·θ₀ + t·θ_end)", "손실 (교차 엔트로피)",
		"정확도 (%)", "학습 이미지", "테스트 이미지", "t = 0은 θ₀, t = 1은 θ_end",
		"실선: 학습 이미지, 점선: 테스트 이미지"},
}

// LineChartFigure draws the loss (above) and the accuracy in % (below)
// against t, one colour per run, training images solid and test images
// dashed, with t = 0 and t = 1 marked. The loss axis stops at three times
// the highest loss between θ₀ and θ_end, so that the blow-up beyond the
// ends does not flatten the rest.
func LineChartFigure(lc LineChart, m Meta) (*Figure, error) {
	if len(lc.T) < 2 || len(lc.Runs) == 0 {
		return nil, errors.New("figures: a line chart needs at least two t and one run")
	}
	l := newLang(m)
	w := lineWords[l.code]
	f := newFigure(l, l.title(w.title), "", w.loss)
	low := newFigure(l, "", w.t, w.accuracy).Plot
	top := math.Inf(-1)
	for i, r := range lc.Runs {
		if len(r.TrainLoss) != len(lc.T) || len(r.TrainAccuracy) != len(lc.T) {
			return nil, fmt.Errorf("figures: line %q has %d values for %d t", r.Label, len(r.TrainLoss), len(lc.T))
		}
		c := paletteColor(i) // run i in the page's colour, never red
		for k, set := range [][2][]float64{{r.TrainLoss, r.TrainAccuracy}, {r.TestLoss, r.TestAccuracy}} {
			if set[0] == nil {
				continue
			}
			dashed := k == 1
			loss, err := lineOf(lc.T, set[0], 1, c, dashed)
			if err != nil {
				return nil, err
			}
			acc, err := lineOf(lc.T, set[1], 100, c, dashed)
			if err != nil {
				return nil, err
			}
			f.Plot.Add(loss)
			low.Add(acc)
			label := r.Label
			if len(lc.Runs) == 1 {
				label = []string{w.train, w.test}[k]
			}
			if label != "" && (k == 0 || len(lc.Runs) == 1) {
				f.Plot.Legend.Add(f.label(label), loss)
			}
			for j, t := range lc.T {
				if t >= 0 && t <= 1 && isFinite(set[0][j]) {
					top = max(top, set[0][j])
				}
			}
		}
	}
	if top > 0 && !math.IsInf(top, 0) {
		f.Plot.Y.Min, f.Plot.Y.Max = 0, 3*top
	}
	low.Y.Min, low.Y.Max = 0, 100
	low.Y.Tick.Marker = plot.ConstantTicks{{Value: 0, Label: "0"}, {Value: 50, Label: "50"}, {Value: 100, Label: "100"}}
	for _, p := range []*plot.Plot{f.Plot, low} {
		p.X.Min, p.X.Max = lc.T[0], lc.T[len(lc.T)-1]
		p.Add(plotkit.Verticals([]float64{0, 1}, p.Y.Min, p.Y.Max)...)
	}
	f.outsideLegend()
	f.Lower = low
	f.Caption = joinCaption(f.Caption, f.label(w.ends))
	if len(lc.Runs) > 1 {
		f.Caption = joinCaption(f.Caption, f.label(w.styles))
	}
	return f, nil
}

// lineOf is y·scale against t up to the first value that is not finite,
// in colour c, dashed or solid.
func lineOf(t, y []float64, scale float64, c color.Color, dashed bool) (*plotter.Line, error) {
	if len(y) != len(t) {
		return nil, fmt.Errorf("figures: a line of %d values for %d t", len(y), len(t))
	}
	s := Series{X: t, Y: make([]float64, len(y))}
	for i, v := range y {
		s.Y[i] = v * scale
	}
	line, err := plotter.NewLine(s.finite())
	if err != nil {
		return nil, fmt.Errorf("figures: %w", err)
	}
	line.Color, line.Width = c, vg.Points(1.3)
	if dashed {
		line.Dashes = []vg.Length{vg.Points(4), vg.Points(2)}
	}
	return line, nil
}
