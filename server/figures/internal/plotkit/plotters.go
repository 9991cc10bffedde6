package plotkit

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// PlotOnly returns p without its GlyphBoxes and DataRange, so that marks
// near the edge neither move the data area nor widen the axes.
func PlotOnly(p plot.Plotter) plot.Plotter { return plotOnly{p} }

type plotOnly struct{ p plot.Plotter }

// Plot draws the wrapped plotter.
func (o plotOnly) Plot(c draw.Canvas, p *plot.Plot) { o.p.Plot(c, p) }

// LineThumb returns a legend entry drawn as a short line in style.
func LineThumb(style draw.LineStyle) plot.Thumbnailer { return thumb{style} }

type thumb struct{ style draw.LineStyle }

// Thumbnail implements plot.Thumbnailer.
func (t thumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(t.style, c.Min.X, y, c.Max.X, y)
}

// Rug draws a vertical mark at each of Values, from the bottom of the data
// area a third of the way up, as a spectrum's eigenvalues under its density.
type Rug struct {
	Values []float64
	Style  draw.LineStyle
}

// Plot implements plot.Plotter.
func (r Rug) Plot(c draw.Canvas, p *plot.Plot) {
	for _, v := range r.Values {
		x := c.X(p.X.Norm(v))
		c.StrokeLine2(r.Style, x, c.Min.Y, x, c.Min.Y+(c.Max.Y-c.Min.Y)/3)
	}
}

// Stems draws a line from y = 0 to each point.
type Stems struct {
	XYs   plotter.XYs
	Style draw.LineStyle
}

// Plot implements plot.Plotter.
func (s Stems) Plot(c draw.Canvas, p *plot.Plot) {
	for _, xy := range s.XYs {
		x := c.X(p.X.Norm(xy.X))
		c.StrokeLine2(s.Style, x, c.Y(p.Y.Norm(0)), x, c.Y(p.Y.Norm(xy.Y)))
	}
}

// DataRange makes the stems, 0 included, part of the axes' range.
func (s Stems) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = plotter.XYRange(s.XYs)
	return xmin, xmax, math.Min(ymin, 0), math.Max(ymax, 0)
}

// VLine is a dashed vertical line across the data area at X in Color, with
// Label at its top in the x axis's tick style, on the side with more room.
type VLine struct {
	X     float64
	Label string
	Color color.Color
}

// Plot implements plot.Plotter.
func (v VLine) Plot(c draw.Canvas, p *plot.Plot) {
	x := c.X(p.X.Norm(v.X))
	style := draw.LineStyle{Color: v.Color, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
	c.StrokeLine2(style, x, c.Min.Y, x, c.Max.Y)
	sty := p.X.Tick.Label
	sty.Color, sty.XAlign, sty.YAlign = v.Color, draw.XLeft, draw.YTop
	if x > (c.Min.X+c.Max.X)/2 {
		sty.XAlign = draw.XRight
		x -= vg.Points(3)
	} else {
		x += vg.Points(3)
	}
	c.FillText(sty, vg.Point{X: x, Y: c.Max.Y - vg.Points(2)}, v.Label)
}

// Band is the area between lo and hi against x up to the first point that
// is not finite, without an edge, or nil when lo or hi does not match x or
// fewer than two points are finite: the spread of a thinned curve.
func Band(x, lo, hi []float64) *plotter.Polygon {
	if len(lo) != len(x) || len(hi) != len(x) {
		return nil
	}
	var low, high plotter.XYs
	for i := range x {
		if !isFinite(lo[i]) || !isFinite(hi[i]) {
			break
		}
		low, high = append(low, plotter.XY{X: x[i], Y: lo[i]}), append(high, plotter.XY{X: x[i], Y: hi[i]})
	}
	if len(low) < 2 {
		return nil
	}
	for i := len(high) - 1; i >= 0; i-- {
		low = append(low, high[i])
	}
	p, err := plotter.NewPolygon(low)
	if err != nil {
		return nil
	}
	p.LineStyle.Width = 0
	return p
}

// Verticals are thin grey dashed lines at each of xs from y = lo to hi,
// marks of special places such as the ends of an interval.
func Verticals(xs []float64, lo, hi float64) []plot.Plotter {
	var out []plot.Plotter
	for _, x := range xs {
		l, err := plotter.NewLine(plotter.XYs{{X: x, Y: lo}, {X: x, Y: hi}})
		if err != nil {
			continue
		}
		l.Color, l.Width, l.Dashes = color.Gray{Y: 0xa0}, vg.Points(0.6), []vg.Length{vg.Points(2), vg.Points(2)}
		out = append(out, l)
	}
	return out
}
