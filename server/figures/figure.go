package figures

import (
	"image/color"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Figure is a gonum/plot plot with a caption line under it, ready for
// Encode. Callers may change Plot before encoding.
type Figure struct {
	// Plot is the chart, its title, axes and legend.
	Plot *plot.Plot
	// Lower, when set, is a second chart drawn under Plot, their data areas
	// aligned (LineChartFigure's accuracy under its loss).
	Lower *plot.Plot
	// Caption is drawn under the plot, wrapped to the figure's width.
	Caption string
	// Lang is the language the figure was drawn in ("en" or "ko"), which is
	// "en" when Korean was asked for but no Hangul font was found.
	Lang string

	style text.Style // of the caption
}

// Text sizes, in points.
const (
	titleSize   = 12
	labelSize   = 10
	tickSize    = 9
	legendSize  = 9
	captionSize = 8
)

// newFigure returns a Figure in language l with the title, axis labels and
// caption set, every text in the language's font.
func newFigure(l lang, title, xLabel, yLabel string) *Figure {
	p := plot.New()
	fnt := fontFor(l.code)
	style := func(s *text.Style, size font.Length) {
		s.Font = font.From(fnt, size)
		s.Handler = handler
	}
	p.TextHandler = handler
	style(&p.Title.TextStyle, titleSize)
	p.Title.Padding = vg.Points(4)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		style(&a.Label.TextStyle, labelSize)
		style(&a.Tick.Label, tickSize)
		a.Tick.Marker = niceTicks{}
	}
	style(&p.Legend.TextStyle, legendSize)
	p.Title.Text = drawable(title, fnt)
	p.X.Label.Text = drawable(xLabel, fnt)
	p.Y.Label.Text = drawable(yLabel, fnt)
	f := &Figure{Plot: p, Caption: drawable(l.meta.Caption, fnt), Lang: l.code}
	f.style = text.Style{Color: color.Gray{Y: 0x40}, Handler: handler, XAlign: draw.XLeft, YAlign: draw.YTop}
	style(&f.style, captionSize)
	return f
}

// label returns s made drawable in the figure's font, for legends and notes.
func (f *Figure) label(s string) string { return drawable(s, fontFor(f.Lang)) }

// Draw draws the plot on c and the caption in a band under it.
func (f *Figure) Draw(c draw.Canvas) {
	if f.Caption != "" {
		pad := vg.Points(4)
		caption := wrap(f.Caption, f.style, c.Size().X-2*pad)
		h := f.style.Height(caption) + 2*pad
		c.FillText(f.style, vg.Point{X: c.Min.X + pad, Y: c.Min.Y + h - pad}, caption)
		c = draw.Crop(c, 0, 0, h, 0)
	}
	if f.Lower != nil {
		f.drawStacked(c)
		return
	}
	f.Plot.Draw(c)
}

// wrap breaks s into lines at spaces so that each fits in width.
func wrap(s string, sty text.Style, width vg.Length) string {
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
