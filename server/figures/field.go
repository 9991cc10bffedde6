package figures

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"descent/optim"
	"descent/server/figures/internal/plotkit"
)

// DefaultLevels is the number of contour lines when SurfaceOptions.Levels is 0.
const DefaultLevels = 14

// contourCells is the resolution of the grid the contour lines are traced
// on, along its longer side.
const contourCells = 240

// Scale chooses how surface colours and contour levels follow J.
type Scale int

const (
	// ScaleAuto uses ScaleLog when the function asks for it
	// (optim.Function.LogLevels) or when the values on the grid span more
	// than LogDecades decades, and ScaleLinear otherwise.
	ScaleAuto Scale = iota
	// ScaleLinear spaces levels evenly in J.
	ScaleLinear
	// ScaleLog spaces levels evenly in log₁₀(J − Jₘᵢₙ + ε), where Jₘᵢₙ is the
	// grid's minimum and ε = (Jₘₐₓ − Jₘᵢₙ)·LogFloor.
	ScaleLog
)

// LogDecades is the spread, in decades, beyond which ScaleAuto switches to
// log-spaced levels. The spread is log₁₀((Jₘₐₓ − Jₘᵢₙ)/(J₁₀ − Jₘᵢₙ)), where
// J₁₀ is the grid's 10th percentile: wide when most of the window sits far
// below its peaks, as on Rosenbrock, Beale and the six-hump camel.
const LogDecades = 2

// LogFloor is ε relative to the grid's range under ScaleLog: the levels
// cover log₁₀(1/LogFloor) = 5 decades below Jₘₐₓ − Jₘᵢₙ.
const LogFloor = 1e-5

// chooseTransform picks the transform for sorted finite values under scale
// s; hint is the function's own LogLevels.
func chooseTransform(sorted []float64, s Scale, hint bool) plotkit.Transform {
	if len(sorted) == 0 {
		return plotkit.Transform{}
	}
	lo, hi := sorted[0], sorted[len(sorted)-1]
	useLog := s == ScaleLog || s == ScaleAuto && (hint || plotkit.Spread(sorted) > LogDecades)
	if !useLog || hi == lo {
		return plotkit.Transform{}
	}
	return plotkit.Transform{Log: true, Min: lo, Eps: (hi - lo) * LogFloor}
}

// field is J over a domain on its colour scale: the heat map's raster grid,
// its transform and the contour levels.
type field struct {
	raster *plotkit.Grid
	t      plotkit.Transform
	levels []float64 // contour levels, in J
	min    float64   // finite range of J on the raster
	max    float64
}

// newField samples fn on a cols × rows raster over dom and chooses the scale
// and n levels.
func newField(fn optim.Function, dom Domain, cols, rows int, s Scale, n int) *field {
	f := &field{raster: plotkit.Sample(fn.F, plotkit.Rect(dom), cols, rows), min: math.NaN(), max: math.NaN()}
	sorted := f.raster.Finite()
	f.t = chooseTransform(sorted, s, fn.LogLevels)
	f.levels = plotkit.Levels(sorted, f.t, n)
	if len(sorted) > 0 {
		f.min, f.max = sorted[0], sorted[len(sorted)-1]
	}
	return f
}

// heatMap returns the rasterized heat map of the transformed values.
func (f *field) heatMap() *plotter.HeatMap { return plotkit.HeatMap(f.raster, f.t, f.min, f.max) }

// contours returns the contour lines of fn over the field's domain at its
// levels, traced on a grid of about contourCells cells along the longer side.
func (f *field) contours(fn optim.Function) plot.Plotter {
	if len(f.levels) == 0 {
		return nil
	}
	r := f.raster.Rect()
	cols, rows := plotkit.CellsFor(r, contourCells)
	return plotkit.Contours(plotkit.Sample(fn.F, r, cols, rows), f.levels)
}

// colorBar returns the field's bar, labelled in l's words and the tick
// style sty, or nil for a flat field.
func (f *field) colorBar(l lang, sty text.Style) *plotkit.ColorBar {
	if !(f.max > f.min) {
		return nil
	}
	title := l.j
	if f.t.Log {
		title = l.jRange
	}
	return &plotkit.ColorBar{T: f.t, Min: f.min, Max: f.max, Style: sty, Title: title}
}

// markers returns the known minima as white stars and saddle points as
// white crosses, each outlined in black; points outside dom are left out.
func markers(fn optim.Function, dom Domain, size vg.Length) []plot.Plotter {
	var ps []plot.Plotter
	add := func(pts [][2]float64, shape draw.GlyphDrawer) {
		var xys plotter.XYs
		for _, p := range pts {
			if dom.Contains(p[0], p[1]) {
				xys = append(xys, plotter.XY{X: p[0], Y: p[1]})
			}
		}
		if len(xys) == 0 {
			return
		}
		s, err := plotter.NewScatter(xys)
		if err != nil {
			return // minima are finite; nothing to mark otherwise
		}
		s.GlyphStyle = draw.GlyphStyle{Color: color.White, Radius: size, Shape: shape}
		ps = append(ps, plotkit.PlotOnly(s))
	}
	add(fn.Minima, plotkit.Star{})
	add(fn.Saddles, plotkit.Cross{})
	return ps
}
