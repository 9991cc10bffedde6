package plotkit

import (
	"image"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// AlignDataArea crops c by less than a pixel on each side so that p's data
// area falls on whole pixels, and returns the cropped canvas and that area
// in image pixels (k pixels per point, the image heightPx high). The axes'
// sizes hardly depend on the canvas, so a few rounds settle.
func AlignDataArea(p *plot.Plot, c draw.Canvas, k vg.Length, heightPx float64) (draw.Canvas, image.Rectangle) {
	outer := c
	var px [4]float64 // left, top, right, bottom in pixels
	for range 6 {
		r := p.DataCanvas(outer).Rectangle
		px = [4]float64{
			float64(r.Min.X * k), heightPx - float64(r.Max.Y*k),
			float64(r.Max.X * k), heightPx - float64(r.Min.Y*k),
		}
		dl := math.Ceil(px[0]-1e-6) - px[0]
		dt := math.Ceil(px[1]-1e-6) - px[1]
		dr := px[2] - math.Floor(px[2]+1e-6)
		db := px[3] - math.Floor(px[3]+1e-6)
		if math.Abs(dl)+math.Abs(dt)+math.Abs(dr)+math.Abs(db) < 1e-6 {
			break
		}
		outer = draw.Crop(outer, vg.Length(dl)/k, -vg.Length(dr)/k, vg.Length(db)/k, -vg.Length(dt)/k)
	}
	return outer, image.Rect(int(math.Round(px[0])), int(math.Round(px[1])), int(math.Round(px[2])), int(math.Round(px[3])))
}

// Wrap breaks s into lines at spaces so that each fits in width.
func Wrap(s string, sty text.Style, width vg.Length) string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		next := w
		if line != "" {
			next = line + " " + w
		}
		if line != "" && sty.Width(next) > width {
			lines = append(lines, line)
			next = w
		}
		line = next
	}
	return strings.Join(append(lines, line), "\n")
}

// Stack draws upper on the upper 58 % of c and lower under it, each
// cropped at the sides so that their data areas line up (the same x at the
// same place in both).
func Stack(c draw.Canvas, upper, lower *plot.Plot) {
	h := c.Max.Y - c.Min.Y
	cs := []draw.Canvas{draw.Crop(c, 0, 0, 0.42*h, 0), draw.Crop(c, 0, 0, 0, -0.58*h)}
	ps := []*plot.Plot{upper, lower}
	var left, right vg.Length
	for k, p := range ps {
		d := p.DataCanvas(cs[k])
		left, right = max(left, d.Min.X-cs[k].Min.X), max(right, cs[k].Max.X-d.Max.X)
	}
	for k, p := range ps {
		d := p.DataCanvas(cs[k])
		p.Draw(draw.Crop(cs[k], left-(d.Min.X-cs[k].Min.X), -(right - (cs[k].Max.X - d.Max.X)), 0, 0))
	}
}

// TitleAbove draws p's title centred over the whole width of c, so that a
// legend beside the plot does not push it aside, and returns the canvas
// under it. The plot is then to be drawn without its title: TitleAbove
// takes it out of p and returns restore, which puts it back (nil when p
// has no title).
func TitleAbove(c draw.Canvas, p *plot.Plot) (under draw.Canvas, restore func()) {
	t := &p.Title
	if t.Text == "" {
		return c, nil
	}
	sty := t.TextStyle
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YTop
	pad := t.Padding
	c.FillText(sty, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y - pad}, t.Text)
	h := sty.Height(t.Text) + 2*pad
	text := t.Text
	t.Text = ""
	return draw.Crop(c, 0, 0, 0, -h), func() { t.Text = text }
}

// CaptionBelow draws caption in sty along the bottom of c, wrapped to its
// width inside a padding of pad, and returns the canvas above it.
func CaptionBelow(c draw.Canvas, caption string, sty text.Style, pad vg.Length) draw.Canvas {
	caption = Wrap(caption, sty, c.Size().X-2*pad)
	h := sty.Height(caption) + 2*pad
	c.FillText(sty, vg.Point{X: c.Min.X + pad, Y: c.Min.Y + h - pad}, caption)
	return draw.Crop(c, 0, 0, h, 0)
}

// LegendBeside draws leg outside the data area, padded by pad: at the
// right of c, or under the plot when it would take more than a third of
// the width; it returns the canvas left for the plot (c itself for an
// empty legend).
func LegendBeside(c draw.Canvas, leg *plot.Legend, pad vg.Length) draw.Canvas {
	size := leg.Rectangle(c).Size()
	if size.Y <= 0 {
		return c
	}
	if w := size.X + 2*pad; w <= c.Size().X/3 {
		leg.Draw(draw.Crop(c, c.Size().X-w+pad, 0, 0, -2*pad))
		return draw.Crop(c, 0, -w, 0, 0)
	}
	h := size.Y + 2*pad
	leg.Draw(draw.Crop(c, pad, 0, 0, -(c.Size().Y - h + pad)))
	return draw.Crop(c, 0, 0, h, 0)
}
