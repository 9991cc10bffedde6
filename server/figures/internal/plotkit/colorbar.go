package plotkit

import (
	"math"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The colour bar of a heat map: its colours from the lowest J to the
// highest, beside the map, with J's values at round ticks (of J − Jₘᵢₙ on a
// log scale, where the colours are log-spaced).
const (
	barStrip = 50  // points: the strip at the right of the map that holds the bar and its labels
	barWidth = 9   // points: the bar itself
	barSlabs = 128 // bands of colour drawn
)

// ColorBar says how a heat map's colours (HeatMap, with the same T, Min and
// Max) map to J, and how to label it.
type ColorBar struct {
	T        Transform
	Min, Max float64
	Style    text.Style // of the tick labels
	Title    string     // "J", or "J − Jmin" on a log scale
}

// SplitBar returns the canvas left for the map and the strip at the right
// of c for its colour bar.
func SplitBar(c draw.Canvas) (rest, strip draw.Canvas) {
	w := vg.Points(barStrip)
	return draw.Crop(c, 0, -w, 0, 0), draw.Crop(c, c.Size().X-w, 0, 0, 0)
}

// ticks are the bar's labelled values of J, at round values (of J − Jₘᵢₙ
// under a log transform), with their place in [0, 1] along the bar.
func (b *ColorBar) ticks() (pos []float64, labels []string) {
	a, z := b.T.Apply(b.Min), b.T.Apply(b.Max)
	add := func(j float64, label string) {
		if p := (b.T.Apply(j) - a) / (z - a); p >= -1e-9 && p <= 1+1e-9 && label != "" {
			pos, labels = append(pos, p), append(labels, label)
		}
	}
	if b.T.Log {
		for _, tk := range (LogTicks{}).Ticks(b.T.Eps, b.Max-b.Min) {
			add(b.Min+tk.Value, tk.Label)
		}
		return pos, labels
	}
	for _, tk := range (NiceTicks{}).Ticks(b.Min, b.Max) {
		add(tk.Value, tk.Label)
	}
	return pos, labels
}

// Draw draws the bar in strip (SplitBar's) beside a data area from y0 up
// to y1: the lowest J at y0, the highest under the bar's title.
func (b *ColorBar) Draw(strip draw.Canvas, y0, y1 vg.Length) {
	pal := Kindlmann.Colors()
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
	edge := draw.LineStyle{Color: b.Style.Color, Width: vg.Points(0.5)}
	strip.StrokeLines(edge, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}, {X: x0, Y: y0}})
	sty := b.Style
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YCenter
	pos, labels := b.ticks()
	for i, p := range pos {
		y := y0 + (y1-y0)*vg.Length(p)
		strip.StrokeLine2(edge, x1, y, x1+vg.Points(3), y)
		strip.FillText(sty, vg.Point{X: x1 + vg.Points(4), Y: y}, labels[i])
	}
	head := b.Style
	head.XAlign, head.YAlign = draw.XLeft, draw.YBottom
	head.YAlign = draw.YTop
	strip.FillText(head, vg.Point{X: strip.Min.X + vg.Points(2), Y: top}, b.Title)
}
