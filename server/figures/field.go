package figures

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"descent/optim"
)

// DefaultLevels is the number of contour lines when SurfaceOptions.Levels is 0.
const DefaultLevels = 14

// contourCells is the resolution of the grid the contour lines are traced
// on, along its longer side.
const contourCells = 240

// surfaceColors is the heat map's palette: Moreland's Kindlmann map (black,
// purple, blue, green, yellow), perceptually uniform, from dark at the lowest
// J to light at the highest, stopping short of white so that the white
// contour lines stay visible.
var surfaceColors = func() palette.Palette {
	cm := moreland.Kindlmann()
	cm.SetMin(0)
	cm.SetMax(1)
	var p colors
	for i := range 256 {
		c, err := cm.At(0.05 + 0.83*float64(i)/255)
		if err != nil {
			panic(err) // only for a value outside [min, max]
		}
		p = append(p, c)
	}
	return p
}()

// colors is a fixed palette.Palette.
type colors []color.Color

// Colors returns the colours, darkest first.
func (c colors) Colors() []color.Color { return c }

// contourStyle is the style of the contour lines: thin, white, half opaque.
var contourStyle = draw.LineStyle{Color: color.NRGBA{R: 255, G: 255, B: 255, A: 150}, Width: vg.Points(0.6)}

// field is J over a domain on its colour scale: the heat map's raster grid,
// its transform and the contour levels.
type field struct {
	raster *grid
	t      transform
	levels []float64 // contour levels, in J
	min    float64   // finite range of J on the raster
	max    float64
}

// newField samples fn on a cols × rows raster over dom and chooses the scale
// and n levels.
func newField(fn optim.Function, dom Domain, cols, rows int, s Scale, n int) *field {
	f := &field{raster: sample(fn.F, dom, cols, rows), min: math.NaN(), max: math.NaN()}
	sorted := f.raster.finite()
	f.t = chooseTransform(sorted, s, fn.LogLevels)
	f.levels = levels(sorted, f.t, n)
	if len(sorted) > 0 {
		f.min, f.max = sorted[0], sorted[len(sorted)-1]
	}
	return f
}

// heatMap returns the rasterized heat map of the transformed values.
func (f *field) heatMap() *plotter.HeatMap {
	t := &grid{dom: f.raster.dom, cols: f.raster.cols, rows: f.raster.rows, z: make([]float64, len(f.raster.z))}
	for i, z := range f.raster.z {
		t.z[i] = f.t.apply(z)
	}
	h := plotter.NewHeatMap(t, surfaceColors)
	h.Min, h.Max = f.t.apply(f.min), f.t.apply(f.max)
	if !(h.Min < h.Max) { // flat, or no finite value: one colour
		h.Min, h.Max = 0, 1
	}
	pal := surfaceColors.Colors()
	h.Underflow, h.Overflow = pal[0], pal[len(pal)-1]
	h.NaN = color.NRGBA{R: 0xC8, G: 0xC8, B: 0xC8, A: 0xFF}
	h.Rasterized = true
	return h
}

// contours returns the contour lines of fn over dom at the field's levels,
// traced on a grid of about contourCells cells along the longer side.
func (f *field) contours(fn optim.Function) plot.Plotter {
	if len(f.levels) == 0 {
		return nil
	}
	dom := f.raster.dom
	w, h := dom.XMax-dom.XMin, dom.YMax-dom.YMin
	cols, rows := contourCells, contourCells
	if w > h {
		rows = max(int(contourCells*h/w), 16)
	} else {
		cols = max(int(contourCells*w/h), 16)
	}
	c := plotter.NewContour(sample(fn.F, dom, cols, rows), append([]float64(nil), f.levels...), nil)
	c.LineStyles = []draw.LineStyle{contourStyle}
	c.Min, c.Max = math.Inf(-1), math.Inf(1)
	return c
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
		ps = append(ps, plotOnly{s})
	}
	add(fn.Minima, starGlyph{})
	add(fn.Saddles, crossGlyph{})
	return ps
}

// plotOnly hides a plotter's GlyphBoxes and DataRange, so that markers near
// the edge neither move the data area nor widen the axes.
type plotOnly struct{ p plot.Plotter }

// Plot draws the wrapped plotter.
func (o plotOnly) Plot(c draw.Canvas, p *plot.Plot) { o.p.Plot(c, p) }
