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

// Spectrum is what the Hessian panel shows of H = ∇²J: its top eigenvalues
// (descending, negative ones negative) and, when computed, its spectral
// density φ(λ) on a grid (the fraction of the eigenvalues per unit of λ,
// stochastic Lanczos quadrature).
type Spectrum struct {
	Eigenvalues        []float64
	DensityX, DensityY []float64
}

// spectrumWords are the spectrum figures' words.
var spectrumWords = map[string]struct{ densityTitle, eigTitle, lambda, density, rank, top, negative string }{
	"en": {"Spectral density of the Hessian", "Top eigenvalues of the Hessian", "eigenvalue λ",
		"density (log scale)", "rank k", "top eigenvalues (λmax = %.4g)", "negative"},
	"ko": {"헤시안의 스펙트럼 밀도", "헤시안의 가장 큰 고윳값", "고윳값 λ",
		"밀도 (로그 눈금)", "순위 k", "가장 큰 고윳값 (λmax = %.4g)", "음수"},
}

// densityFloor is the lowest density drawn, relative to the peak: the
// Gaussian tails of stochastic Lanczos quadrature fall to 1e-300, which
// would flatten everything else on a log axis.
const densityFloor = 1e-7

// DensityFigure plots the spectral density against λ on a log y axis, with
// the top eigenvalues as vertical marks in the page's colour of the
// sharpness (metricColor), λmax's value in the legend.
func DensityFigure(s Spectrum, m Meta) (*Figure, error) {
	if len(s.DensityX) != len(s.DensityY) || len(s.DensityX) < 2 {
		return nil, fmt.Errorf("figures: a density needs as many x as y values, at least 2 (got %d and %d)", len(s.DensityX), len(s.DensityY))
	}
	l := newLang(m)
	w := spectrumWords[l.code]
	f := newFigure(l, l.title(w.densityTitle), w.lambda, w.density)
	peak := 0.0
	for _, y := range s.DensityY {
		if isFinite(y) {
			peak = math.Max(peak, y)
		}
	}
	if peak <= 0 {
		return nil, fmt.Errorf("figures: the density is zero everywhere")
	}
	var xys plotter.XYs
	for i, x := range s.DensityX {
		if isFinite(x) && isFinite(s.DensityY[i]) {
			xys = append(xys, plotter.XY{X: x, Y: math.Max(s.DensityY[i], densityFloor*peak)})
		}
	}
	line, err := plotter.NewLine(xys)
	if err != nil {
		return nil, fmt.Errorf("figures: %w", err)
	}
	line.Color, line.Width = Palette[0], vg.Points(1.3)
	f.Plot.Add(line)
	f.Plot.Y.Scale = plot.LogScale{}
	f.Plot.Y.Tick.Marker = plotkit.LogTicks{}
	f.Plot.Y.Min = densityFloor * peak
	if len(s.Eigenvalues) > 0 {
		marks := plotkit.Rug{Values: s.Eigenvalues, Style: draw.LineStyle{Color: sharpnessColor, Width: vg.Points(1.2)}}
		f.Plot.Add(marks)
		f.Plot.Legend.Add(f.label(fmt.Sprintf(w.top, s.Eigenvalues[0])), plotkit.LineThumb(marks.Style))
		f.Plot.X.Max = math.Max(f.Plot.X.Max, s.Eigenvalues[0])
		f.Plot.X.Min = math.Min(f.Plot.X.Min, s.Eigenvalues[len(s.Eigenvalues)-1])
	}
	f.Plot.Legend.Add(f.label("φ(λ)"), line)
	f.outsideLegend()
	return f, nil
}

// EigenvaluesFigure plots the top eigenvalues against their rank k = 1…K,
// as stems from 0 in the sharpness colour; a negative one hangs below 0 in
// a lighter shade and is said so in the legend.
func EigenvaluesFigure(s Spectrum, m Meta) (*Figure, error) {
	if len(s.Eigenvalues) == 0 {
		return nil, fmt.Errorf("figures: no eigenvalues to draw")
	}
	l := newLang(m)
	w := spectrumWords[l.code]
	f := newFigure(l, l.title(w.eigTitle), w.rank, w.lambda)
	var pos, neg plotter.XYs
	for k, v := range s.Eigenvalues {
		if !isFinite(v) {
			return nil, fmt.Errorf("figures: eigenvalue %d is not finite", k+1)
		}
		xy := plotter.XY{X: float64(k + 1), Y: v}
		if v < 0 {
			neg = append(neg, xy)
		} else {
			pos = append(pos, xy)
		}
	}
	for i, set := range []plotter.XYs{pos, neg} {
		if len(set) == 0 {
			continue
		}
		var c color.Color = sharpnessColor
		if i == 1 {
			c = faded(sharpnessColor, 0x90)
		}
		st := plotkit.Stems{XYs: set, Style: draw.LineStyle{Color: c, Width: vg.Points(1.5)}}
		pts, _ := plotter.NewScatter(set)
		pts.Color, pts.Radius, pts.Shape = c, vg.Points(3), draw.CircleGlyph{}
		f.Plot.Add(st, pts)
		if i == 0 {
			f.Plot.Legend.Add(f.label(fmt.Sprintf(w.top, s.Eigenvalues[0])), pts)
		} else {
			f.Plot.Legend.Add(f.label(w.negative), pts)
		}
	}
	f.Plot.Y.Min, f.Plot.Y.Max = math.Min(f.Plot.Y.Min, 0), math.Max(f.Plot.Y.Max, 0)
	f.Plot.X.Min, f.Plot.X.Max = 0.5, float64(len(s.Eigenvalues))+0.5
	f.Plot.X.Tick.Marker = plotkit.IntTicks(1, len(s.Eigenvalues))
	f.outsideLegend()
	return f, nil
}
