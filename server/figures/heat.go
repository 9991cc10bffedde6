package figures

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg/draw"

	"descent/server/figures/internal/plotkit"
)

// matrix is a 10 × 10 grid of values at integer coordinates, row r at y = r.
type matrix [10][10]float64

func (m *matrix) Dims() (c, r int)   { return 10, 10 }
func (m *matrix) Z(c, r int) float64 { return m[r][c] }
func (m *matrix) X(c int) float64    { return float64(c) }
func (m *matrix) Y(r int) float64    { return float64(r) }

// ConfusionFigure draws the confusion matrix conf[actual][predicted] as a
// heat map, predicted digits across and actual digits down (0 at the top),
// each cell showing its count and shaded in one hue by the square root of
// its share of the actual digit's row, so that errors of a few percent stand
// out next to the diagonal; the page shades its matrix the same way.
func ConfusionFigure(conf [10][10]int, m Meta) (*Figure, error) {
	l := newLang(m)
	f := newFigure(l, l.title(l.confusionTitle), l.predicted, l.actual)
	var share matrix
	var labels plotter.XYLabels
	var styles []text.Style
	for r := range 10 {
		total := 0
		for c := range 10 {
			if conf[r][c] < 0 {
				return nil, fmt.Errorf("figures: confusion[%d][%d] = %d is negative", r, c, conf[r][c])
			}
			total += conf[r][c]
		}
		for c := range 10 {
			if total > 0 {
				share[r][c] = math.Sqrt(float64(conf[r][c]) / float64(total))
			}
			labels.XYs = append(labels.XYs, plotter.XY{X: float64(c), Y: float64(r)})
			labels.Labels = append(labels.Labels, strconv.Itoa(conf[r][c]))
			sty := f.Plot.X.Tick.Label
			sty.Font = font.From(sty.Font, 7)
			sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
			sty.Color = color.Black
			if share[r][c] > 0.6 {
				sty.Color = color.White
			}
			styles = append(styles, sty)
		}
	}
	h := plotter.NewHeatMap(&share, plotkit.Blues)
	h.Min, h.Max = 0, 1
	counts, err := plotter.NewLabels(labels)
	if err != nil {
		return nil, fmt.Errorf("figures: %w", err)
	}
	counts.TextStyle = styles
	f.Plot.Add(h, plotkit.PlotOnly(counts))
	ticks := plotkit.IntTicks(0, 9)
	f.Plot.X.Min, f.Plot.X.Max, f.Plot.Y.Min, f.Plot.Y.Max = -0.5, 9.5, -0.5, 9.5
	f.Plot.X.Padding, f.Plot.Y.Padding = 0, 0
	f.Plot.X.Tick.Marker, f.Plot.Y.Tick.Marker = ticks, ticks
	f.Plot.Y.Scale = plot.InvertedScale{Normalizer: plot.LinearScale{}}
	return f, nil
}
