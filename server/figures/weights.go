package figures

import (
	"descent/server/figures/internal/plotkit"
	"fmt"
	"image"
	"image/color"
	"math"
)

// Tile geometry of WeightsFigure, in raster pixels before magnification.
const (
	tileSide  = 28 // an MNIST image is 28 × 28
	tileInput = tileSide * tileSide
	tileGap   = 1
	tileZoom  = 4 // each weight is a tileZoom × tileZoom block, so PNGs stay crisp
)

// WeightsFigure draws the first layer's weights W₁ (hidden × 784, row-major,
// each row one hidden unit's weights on the 28 × 28 input) as a grid of
// tiles, one per hidden unit, about square. Each tile is scaled to its own
// largest |w| and coloured on a diverging map (plotkit.Diverging, the page's), blue below 0,
// white at 0 and orange above, so that every unit's pattern shows whatever
// its magnitude; red is kept for divergence.
func WeightsFigure(w []float32, hidden int, m Meta) (*Figure, error) {
	if hidden <= 0 || len(w) != hidden*tileInput {
		return nil, fmt.Errorf("figures: weights: got %d values for %d hidden units; want hidden × 784", len(w), hidden)
	}
	l := newLang(m)
	if l.meta.Caption == "" {
		l.meta.Caption = l.weightsNote
	} else {
		l.meta.Caption = l.weightsNote + ". " + l.meta.Caption
	}
	f := newFigure(l, l.title(l.weightsTitle), "", "")
	f.Plot.HideAxes()
	f.Plot.Add(plotkit.AspectImage{Img: weightTiles(w, hidden)})
	return f, nil
}

// weightTiles lays the hidden units out in ⌈√hidden⌉ columns on a light
// background, one tile per unit.
func weightTiles(w []float32, hidden int) *image.NRGBA {
	cols := int(math.Ceil(math.Sqrt(float64(hidden))))
	rows := (hidden + cols - 1) / cols
	step := tileSide + tileGap
	img := image.NewNRGBA(image.Rect(0, 0, (cols*step+tileGap)*tileZoom, (rows*step+tileGap)*tileZoom))
	bg := color.NRGBA{R: 0xF4, G: 0xF4, B: 0xF4, A: 0xFF}
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = bg.R, bg.G, bg.B, bg.A
	}
	for u := range hidden {
		row := w[u*tileInput : (u+1)*tileInput]
		scale := 0.0
		for _, v := range row {
			scale = math.Max(scale, math.Abs(float64(v)))
		}
		x0, y0 := (u%cols)*step+tileGap, (u/cols)*step+tileGap
		for p, v := range row {
			t := 0.0
			if scale > 0 && isFinite(float64(v)) {
				t = float64(v) / scale
			}
			c := plotkit.Diverging(t)
			if !isFinite(float64(v)) {
				c = color.NRGBA{A: 0xFF} // not finite: a NaN weight shows as black
			}
			fillBlock(img, x0+p%tileSide, y0+p/tileSide, c)
		}
	}
	return img
}

// fillBlock paints the tileZoom × tileZoom block of raster pixel (x, y).
func fillBlock(img *image.NRGBA, x, y int, c color.Color) {
	for dy := range tileZoom {
		for dx := range tileZoom {
			img.Set(x*tileZoom+dx, y*tileZoom+dy, c)
		}
	}
}
