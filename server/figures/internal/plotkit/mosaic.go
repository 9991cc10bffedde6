package plotkit

import (
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Mosaic geometry, in raster pixels before magnification.
const (
	mosaicGap  = 1
	mosaicZoom = 4 // each value is a mosaicZoom × mosaicZoom block, so PNGs stay crisp
)

// Mosaic draws n square tiles of side × side values each (v is n rows of
// side², row-major) in ⌈√n⌉ columns on a light background, each tile
// scaled to its own largest |v| and coloured by Diverging, so that every
// tile's pattern shows whatever its magnitude. A value that is not finite
// is black.
func Mosaic(v []float32, n, side int) *image.NRGBA {
	cols := int(math.Ceil(math.Sqrt(float64(n))))
	rows := (n + cols - 1) / cols
	step := side + mosaicGap
	img := image.NewNRGBA(image.Rect(0, 0, (cols*step+mosaicGap)*mosaicZoom, (rows*step+mosaicGap)*mosaicZoom))
	bg := color.NRGBA{R: 0xF4, G: 0xF4, B: 0xF4, A: 0xFF}
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = bg.R, bg.G, bg.B, bg.A
	}
	for u := range n {
		tile := v[u*side*side : (u+1)*side*side]
		scale := 0.0
		for _, x := range tile {
			scale = math.Max(scale, math.Abs(float64(x)))
		}
		x0, y0 := (u%cols)*step+mosaicGap, (u/cols)*step+mosaicGap
		for p, x := range tile {
			t := 0.0
			if scale > 0 && isFinite(float64(x)) {
				t = float64(x) / scale
			}
			c := Diverging(t)
			if !isFinite(float64(x)) {
				c = color.NRGBA{A: 0xFF}
			}
			fillBlock(img, x0+p%side, y0+p/side, c)
		}
	}
	return img
}

// fillBlock paints the mosaicZoom × mosaicZoom block of raster pixel (x, y).
func fillBlock(img *image.NRGBA, x, y int, c color.Color) {
	for dy := range mosaicZoom {
		for dx := range mosaicZoom {
			img.Set(x*mosaicZoom+dx, y*mosaicZoom+dy, c)
		}
	}
}

// AspectImage draws Img as large as fits in the data area, centred,
// keeping its aspect ratio.
type AspectImage struct{ Img image.Image }

// Plot draws the image into the largest centred rectangle of its shape.
func (a AspectImage) Plot(c draw.Canvas, _ *plot.Plot) {
	b := a.Img.Bounds()
	size := c.Size()
	s := math.Min(float64(size.X)/float64(b.Dx()), float64(size.Y)/float64(b.Dy()))
	w, h := vg.Length(s*float64(b.Dx())), vg.Length(s*float64(b.Dy()))
	mid := c.Center()
	r := vg.Rectangle{Min: vg.Point{X: mid.X - w/2, Y: mid.Y - h/2}, Max: vg.Point{X: mid.X + w/2, Y: mid.Y + h/2}}
	c.DrawImage(r, a.Img)
}
