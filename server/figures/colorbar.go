package figures

import (
	"math"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The colour bar of a surface: the heat map's colours from the lowest J to
// the highest, beside the map, with J's values at round ticks (of J − Jₘᵢₙ
// on a log scale, where the colours are log-spaced).
const (
	barStrip = 50  // points: the strip at the right of the map that holds the bar and its labels
	barWidth = 9   // points: the bar itself
	barSlabs = 128 // bands of colour drawn
)

// colorBar says how a field's colours map to J.
type colorBar struct {
	t        transform
	min, max float64
	style    text.Style // of the tick labels
	title    string     // "J", or "J − Jmin" on a log scale
}

// colorBar returns the field's bar, labelled in l's words and the tick style sty.
func (f *field) colorBar(l lang, sty text.Style) *colorBar {
	if !(f.max > f.min) {
		return nil
	}
	title := l.j
	if f.t.log {
		title = l.jRange
	}
	return &colorBar{t: f.t, min: f.min, max: f.max, style: sty, title: title}
}

// split returns the canvas left for the map and the strip for the bar.
func (b *colorBar) split(c draw.Canvas) (rest, strip draw.Canvas) {
	w := vg.Points(barStrip)
	return draw.Crop(c, 0, -w, 0, 0), draw.Crop(c, c.Size().X-w, 0, 0, 0)
}

// ticks are the bar's labelled values of J, at round values (of J − Jₘᵢₙ
// under a log transform), with their place in [0, 1] along the bar.
func (b *colorBar) ticks() (pos []float64, labels []string) {
	a, z := b.t.apply(b.min), b.t.apply(b.max)
	add := func(j float64, label string) {
		if p := (b.t.apply(j) - a) / (z - a); p >= -1e-9 && p <= 1+1e-9 && label != "" {
			pos, labels = append(pos, p), append(labels, label)
		}
	}
	if b.t.log {
		for _, tk := range (roundLogTicks{}).Ticks(b.t.eps, b.max-b.min) {
			add(b.min+tk.Value, tk.Label)
		}
		return pos, labels
	}
	for _, tk := range (niceTicks{}).Ticks(b.min, b.max) {
		add(tk.Value, tk.Label)
	}
	return pos, labels
}

// draw draws the bar in strip beside a data area from y0 up to y1: the
// lowest J at y0, the highest under the bar's title.
func (b *colorBar) draw(strip draw.Canvas, y0, y1 vg.Length) {
	pal := surfaceColors.Colors()
	top := y1
	y1 -= vg.Points(13)
	x0 := strip.Min.X + vg.Points(6)
	x1 := x0 + vg.Points(barWidth)
	for i := range barSlabs {
		lo := y0 + (y1-y0)*vg.Length(i)/barSlabs
		hi := y0 + (y1-y0)*vg.Length(i+1)/barSlabs
		strip.SetColor(pal[int(math.Round(float64(i)*float64(len(pal)-1)/(barSlabs-1)))])
		strip.Fill(vg.Rectangle{Min: vg.Point{X: x0, Y: lo}, Max: vg.Point{X: x1, Y: hi + 0.2}}.Path())
	}
	edge := draw.LineStyle{Color: b.style.Color, Width: vg.Points(0.5)}
	strip.StrokeLines(edge, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}, {X: x0, Y: y0}})
	sty := b.style
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YCenter
	pos, labels := b.ticks()
	for i, p := range pos {
		y := y0 + (y1-y0)*vg.Length(p)
		strip.StrokeLine2(edge, x1, y, x1+vg.Points(3), y)
		strip.FillText(sty, vg.Point{X: x1 + vg.Points(4), Y: y}, labels[i])
	}
	head := b.style
	head.XAlign, head.YAlign = draw.XLeft, draw.YBottom
	head.YAlign = draw.YTop
	strip.FillText(head, vg.Point{X: strip.Min.X + vg.Points(2), Y: top}, b.title)
}
