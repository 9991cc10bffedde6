package figures

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
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
// largest |w| and coloured on a diverging map (weightColor), blue below 0,
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
	f.Plot.Add(aspectImage{weightTiles(w, hidden)})
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
			c := weightColor(t)
			if !isFinite(float64(v)) {
				c = color.NRGBA{A: 0xFF} // not finite: a NaN weight shows as black
			}
			fillBlock(img, x0+p%tileSide, y0+p/tileSide, c)
		}
	}
	return img
}

// The ends of the weights' diverging map, the same as the page's
// (web/src/pictures.js): t = −1 is negBlue, 0 white, +1 posOrange.
var (
	negBlue   = [3]float64{0x21, 0x66, 0xac}
	posOrange = [3]float64{0xb3, 0x58, 0x06}
)

// weightColor is the colour of a weight w/max|w| = t in [−1, 1].
func weightColor(t float64) color.NRGBA {
	end := posOrange
	if t < 0 {
		end = negBlue
	}
	a := math.Min(math.Abs(t), 1)
	mix := func(k int) uint8 { return uint8(math.Round(255 + a*(end[k]-255))) }
	return color.NRGBA{R: mix(0), G: mix(1), B: mix(2), A: 0xFF}
}

// fillBlock paints the tileZoom × tileZoom block of raster pixel (x, y).
func fillBlock(img *image.NRGBA, x, y int, c color.Color) {
	for dy := range tileZoom {
		for dx := range tileZoom {
			img.Set(x*tileZoom+dx, y*tileZoom+dy, c)
		}
	}
}

// aspectImage draws an image as large as fits in the data area, centred,
// keeping its aspect ratio.
type aspectImage struct{ img image.Image }

// Plot draws the image into the largest centred rectangle of its shape.
func (a aspectImage) Plot(c draw.Canvas, _ *plot.Plot) {
	b := a.img.Bounds()
	size := c.Size()
	s := math.Min(float64(size.X)/float64(b.Dx()), float64(size.Y)/float64(b.Dy()))
	w, h := vg.Length(s*float64(b.Dx())), vg.Length(s*float64(b.Dy()))
	mid := c.Center()
	r := vg.Rectangle{Min: vg.Point{X: mid.X - w/2, Y: mid.Y - h/2}, Max: vg.Point{X: mid.X + w/2, Y: mid.Y + h/2}}
	c.DrawImage(r, a.img)
}
