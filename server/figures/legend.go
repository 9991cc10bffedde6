package figures

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legendPad is the space around a legend drawn outside the data area.
const legendPad = 6

// outsideLegend takes the plot's legend, if it has entries, out of the data
// area: Figure.Draw draws it beside the plot, at the right, or under the
// plot when it would take more than a third of the width. Call it once all
// entries are added.
func (f *Figure) outsideLegend() {
	leg := f.Plot.Legend
	leg.Top, leg.Left = true, true
	leg.XOffs, leg.YOffs = 0, 0
	f.legend = &leg
	f.Plot.Legend = plot.NewLegend()
	f.Plot.Legend.TextStyle = leg.TextStyle
}

// drawLegend draws the outside legend on c, if any, and returns the canvas
// left for the plot.
func (f *Figure) drawLegend(c draw.Canvas) draw.Canvas {
	if f.legend == nil {
		return c
	}
	size := f.legend.Rectangle(c).Size()
	if size.Y <= 0 {
		return c
	}
	pad := vg.Points(legendPad)
	if w := size.X + 2*pad; w <= c.Size().X/3 {
		f.legend.Draw(draw.Crop(c, c.Size().X-w+pad, 0, 0, -2*pad))
		return draw.Crop(c, 0, -w, 0, 0)
	}
	h := size.Y + 2*pad
	f.legend.Draw(draw.Crop(c, pad, 0, 0, -(c.Size().Y - h + pad)))
	return draw.Crop(c, 0, 0, h, 0)
}
