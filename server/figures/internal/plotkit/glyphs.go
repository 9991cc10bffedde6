package plotkit

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// outline is the colour of the edge around light glyphs.
var outline = color.Black

// Star is a five-pointed star filled with the glyph's colour and edged
// in black, the mark of a minimum.
type Star struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (Star) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	var corners []vg.Point
	for i := range 10 {
		r := sty.Radius
		if i%2 == 1 {
			r *= 0.45
		}
		a := math.Pi/2 + float64(i)*math.Pi/5
		corners = append(corners, vg.Point{X: pt.X + r*vg.Length(math.Cos(a)), Y: pt.Y + r*vg.Length(math.Sin(a))})
	}
	fillAndEdge(c, polygon(corners), sty.Color)
}

// Cross is a saltire (×) with thick arms in the glyph's colour, edged
// in black, the mark of a saddle point.
type Cross struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (Cross) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r, w := sty.Radius, sty.Radius*0.3
	// The twelve corners of a plus sign of arm half-width w, turned 45°.
	plus := [][2]vg.Length{{w, w}, {w, r}, {-w, r}, {-w, w}, {-r, w}, {-r, -w}, {-w, -w}, {-w, -r}, {w, -r}, {w, -w}, {r, -w}, {r, w}}
	s := vg.Length(math.Sqrt2 / 2)
	var corners []vg.Point
	for _, k := range plus {
		corners = append(corners, vg.Point{X: pt.X + s*(k[0]-k[1]), Y: pt.Y + s*(k[0]+k[1])})
	}
	fillAndEdge(c, polygon(corners), sty.Color)
}

// polygon is the closed path through corners.
func polygon(corners []vg.Point) vg.Path {
	var p vg.Path
	p.Move(corners[0])
	for _, q := range corners[1:] {
		p.Line(q)
	}
	p.Close()
	return p
}

// fillAndEdge fills p with fill and strokes it with a thin black line.
func fillAndEdge(c *draw.Canvas, p vg.Path, fill color.Color) {
	c.SetColor(fill)
	c.Fill(p)
	c.SetLineStyle(draw.LineStyle{Color: outline, Width: vg.Points(0.75)})
	c.Stroke(p)
}

// Dot is a disc in the glyph's colour edged in black, the mark of a
// network's current weights.
type Dot struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (Dot) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	var p vg.Path
	p.Move(vg.Point{X: pt.X + sty.Radius, Y: pt.Y})
	p.Arc(pt, sty.Radius, 0, 2*math.Pi)
	p.Close()
	fillAndEdge(c, p, sty.Color)
}
