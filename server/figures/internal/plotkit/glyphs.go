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
	var p vg.Path
	for i := range 10 {
		r := sty.Radius
		if i%2 == 1 {
			r *= 0.45
		}
		a := math.Pi/2 + float64(i)*math.Pi/5
		q := vg.Point{X: pt.X + r*vg.Length(math.Cos(a)), Y: pt.Y + r*vg.Length(math.Sin(a))}
		if i == 0 {
			p.Move(q)
		} else {
			p.Line(q)
		}
	}
	p.Close()
	fillAndEdge(c, p, sty.Color)
}

// Cross is a saltire (×) with thick arms in the glyph's colour, edged
// in black, the mark of a saddle point.
type Cross struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (Cross) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r, w := sty.Radius, sty.Radius*0.3
	var p vg.Path
	// The twelve corners of a plus sign of arm half-width w, turned 45°.
	corners := [][2]vg.Length{{w, w}, {w, r}, {-w, r}, {-w, w}, {-r, w}, {-r, -w}, {-w, -w}, {-w, -r}, {w, -r}, {w, -w}, {r, -w}, {r, w}}
	s := vg.Length(math.Sqrt2 / 2)
	for i, k := range corners {
		q := vg.Point{X: pt.X + s*(k[0]-k[1]), Y: pt.Y + s*(k[0]+k[1])}
		if i == 0 {
			p.Move(q)
		} else {
			p.Line(q)
		}
	}
	p.Close()
	fillAndEdge(c, p, sty.Color)
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
