package plotkit

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// contourStyle is the style of the contour lines: thin, white, half opaque.
var contourStyle = draw.LineStyle{Color: color.NRGBA{R: 255, G: 255, B: 255, A: 150}, Width: vg.Points(0.6)}

// HeatMap returns the rasterized heat map of g's values under t in the
// Kindlmann colours, from t(min) (darkest) to t(max) (lightest); values
// beyond take the end colours and NaN is light grey. A flat range, or no
// finite value, gives one colour.
func HeatMap(g *Grid, t Transform, min, max float64) *plotter.HeatMap {
	h := plotter.NewHeatMap(g.Map(t), Kindlmann)
	h.Min, h.Max = t.Apply(min), t.Apply(max)
	if !(h.Min < h.Max) {
		h.Min, h.Max = 0, 1
	}
	pal := Kindlmann.Colors()
	h.Underflow, h.Overflow = pal[0], pal[len(pal)-1]
	h.NaN = color.NRGBA{R: 0xC8, G: 0xC8, B: 0xC8, A: 0xFF}
	h.Rasterized = true
	return h
}

// Contours returns g's contour lines at levels (in g's values), thin white
// lines that read on every colour of the map.
func Contours(g *Grid, levels []float64) *plotter.Contour {
	c := plotter.NewContour(g, append([]float64(nil), levels...), nil)
	c.LineStyles = []draw.LineStyle{contourStyle}
	c.Min, c.Max = math.Inf(-1), math.Inf(1)
	return c
}
