package figures

import (
	"image/color"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"descent/server/figures/internal/plotkit"
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

	style  text.Style        // of the caption
	legend *plot.Legend      // drawn beside the plot (outsideLegend), or nil
	bar    *plotkit.ColorBar // a surface's colour bar at the right, or nil

	restoreTitle func() // puts back the title that Draw took out of the plot
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
		a.Tick.Marker = plotkit.NiceTicks{}
	}
	style(&p.Legend.TextStyle, legendSize)
	p.Title.Text = drawable(title, fnt)
	p.X.Label.Text = drawable(xLabel, fnt)
	p.Y.Label.Text = drawable(yLabel, fnt)
	f := &Figure{Plot: p, Caption: drawable(once(l.meta.Caption), fnt), Lang: l.code}
	f.style = text.Style{Color: color.Gray{Y: 0x40}, Handler: handler, XAlign: draw.XLeft, YAlign: draw.YTop}
	style(&f.style, captionSize)
	return f
}

// once drops the parts of a caption (joined by " · ") that repeat an
// earlier one, such as a run's name that its settings spell out again.
func once(caption string) string {
	parts := strings.Split(caption, " · ")
	seen := map[string]bool{}
	kept := parts[:0]
	for _, p := range parts {
		if !seen[p] {
			seen[p] = true
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, " · ")
}

// label returns s made drawable in the figure's font, for legends and notes.
func (f *Figure) label(s string) string { return drawable(s, fontFor(f.Lang)) }

// Draw draws the title across c, the plot under it with its legend beside
// it (and a surface's colour bar), and the caption in a band under them.
func (f *Figure) Draw(c draw.Canvas) {
	defer func() {
		if f.restoreTitle != nil {
			f.restoreTitle()
			f.restoreTitle = nil
		}
	}()
	if f.Caption != "" {
		c = plotkit.CaptionBelow(c, f.Caption, f.style, vg.Points(4))
	}
	c, f.restoreTitle = plotkit.TitleAbove(c, f.Plot)
	if f.Lower != nil {
		plotkit.Stack(c, f.Plot, f.Lower)
		return
	}
	if f.bar == nil {
		f.Plot.Draw(f.drawLegend(c))
		return
	}
	rest, strip := plotkit.SplitBar(c)
	pc := f.drawLegend(rest)
	area := f.Plot.DataCanvas(pc)
	f.bar.Draw(strip, area.Min.Y, area.Max.Y)
	f.Plot.Draw(pc)
}
