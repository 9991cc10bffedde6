package plotkit

import (
	"math"
	"strings"
	"unicode/utf8"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// The gradient's sign and the norm's bars. Liberation Sans has no ∇, and
// its ‖ is two hairlines that read as "ll" at the size of an axis label, so
// MathText draws both as paths: ‖∇J‖ reads as it does on
// the page, in every font.
const (
	nabla = '∇'
	norm  = '‖'
)

// MathText is text.Plain that draws ∇ and ‖ itself.
type MathText struct{ text.Plain }

// Drawn says whether MathText draws r itself, so that a font without the
// glyph need not replace it.
func Drawn(r rune) bool { return r == nabla || r == norm }

// segments splits a line into runs of text and single drawn signs.
func segments(line string) []string {
	var out []string
	for {
		i := strings.IndexFunc(line, Drawn)
		if i < 0 {
			break
		}
		if i > 0 {
			out = append(out, line[:i])
		}
		_, n := utf8.DecodeRuneInString(line[i:])
		out = append(out, line[i:i+n])
		line = line[i+n:]
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}

// hasDrawn says whether a line has a sign the handler draws.
func hasDrawn(line string) bool { return strings.IndexFunc(line, Drawn) >= 0 }

// signWidth is the advance of a Drawn sign: that of a capital V for ∇, of
// "ll" for ‖.
func (h MathText) signWidth(sign string, fnt font.Font) vg.Length {
	face := h.Fonts.Lookup(fnt, fnt.Size)
	if sign == string(norm) {
		return face.Width("ll")
	}
	return face.Width("V")
}

// lineWidth is the advance of a line, Drawn signs included.
func (h MathText) lineWidth(line string, fnt font.Font) vg.Length {
	face := h.Fonts.Lookup(fnt, fnt.Size)
	if !hasDrawn(line) {
		return face.Width(line)
	}
	var w vg.Length
	for _, s := range segments(line) {
		if len(s) > 0 && Drawn([]rune(s)[0]) {
			w += h.signWidth(s, fnt)
		} else {
			w += face.Width(s)
		}
	}
	return w
}

// Box implements text.Handler.
func (h MathText) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	_, height, depth = h.Plain.Box(txt, fnt)
	return h.lineWidth(txt, fnt), height, depth
}

// Draw implements text.Handler: as text.Plain, line by line under the
// style's alignment and rotation, with ∇ and ‖ Drawn as paths.
func (h MathText) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	txt = strings.TrimRight(txt, "\n")
	if !hasDrawn(txt) {
		h.Plain.Draw(c, txt, sty, pt)
		return
	}
	face := h.Fonts.Lookup(sty.Font, sty.Font.Size)
	c.SetColor(sty.Color)
	if sty.Rotation != 0 {
		c.Push()
		c.Rotate(sty.Rotation)
		defer c.Pop()
	}
	// The anchor in the rotated frame.
	sin, cos := math.Sincos(sty.Rotation)
	pt = vg.Point{X: pt.Y*vg.Length(sin) + pt.X*vg.Length(cos), Y: pt.Y*vg.Length(cos) - pt.X*vg.Length(sin)}
	lines := h.Lines(txt)
	pt.Y += sty.Height(txt)*vg.Length(sty.YAlign) - face.Extents().Ascent
	for i, line := range lines {
		at := pt.Add(vg.Point{X: vg.Length(sty.XAlign) * h.lineWidth(line, sty.Font), Y: vg.Length(len(lines)-i) * sty.Font.Size})
		for _, s := range segments(line) {
			if len(s) > 0 && Drawn([]rune(s)[0]) {
				h.drawSign(c, s, at, sty)
				at.X += h.signWidth(s, sty.Font)
				continue
			}
			c.FillString(face, at, s)
			at.X += face.Width(s)
		}
	}
}

// drawSign strokes ∇ or ‖ with its baseline at p, in the style's colour:
// ∇ a triangle as tall as a capital letter, point down; ‖ two bars from
// below the baseline to above the capitals, set well apart.
func (h MathText) drawSign(c vg.Canvas, sign string, p vg.Point, sty text.Style) {
	w := h.signWidth(sign, sty.Font)
	size := sty.Font.Size
	lw := 0.08 * size
	var path vg.Path
	if sign == string(norm) {
		for _, x := range []vg.Length{0.3 * w, 0.7 * w} {
			path.Move(vg.Point{X: p.X + x, Y: p.Y - 0.18*size})
			path.Line(vg.Point{X: p.X + x, Y: p.Y + 0.8*size})
		}
	} else {
		cap := 0.72 * size
		path.Move(vg.Point{X: p.X + 0.08*w, Y: p.Y + cap - lw/2})
		path.Line(vg.Point{X: p.X + 0.92*w, Y: p.Y + cap - lw/2})
		path.Line(vg.Point{X: p.X + 0.5*w, Y: p.Y + lw/2})
		path.Close()
	}
	c.SetLineWidth(lw)
	c.SetLineDash(nil, 0)
	c.SetColor(sty.Color)
	c.Stroke(path)
}
