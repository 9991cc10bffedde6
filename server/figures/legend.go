package figures

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"descent/server/figures/internal/plotkit"
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
	return plotkit.LegendBeside(c, f.legend, vg.Points(legendPad))
}
