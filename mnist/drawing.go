package mnist

import (
	"fmt"
	"image"
	"image/color"
)

// Ink turns a picture of a digit into the grey levels that Preprocess takes,
// white ink (255) on black (0), MNIST's convention and the page's canvas's:
//
//   - colour becomes its luma, Y = 0.299R + 0.587G + 0.114B (ITU-R BT.601,
//     as color.GrayModel computes it);
//   - a picture whose border is mostly transparent (mean alpha under one
//     half) is ink where it is opaque, whatever its colour: ink = alpha;
//   - otherwise transparency is laid over white paper, and a picture whose
//     border is light (mean grey above 128: dark ink on paper, the usual
//     scan or PNG of a digit) is inverted, ink = 255 − Y; a dark border
//     (white ink on black, as the page draws) is kept, ink = Y.
//
// The border is the outermost row and column on each side. It returns the
// w×h levels row-major, or an error when a side is outside MinCanvas to
// MaxCanvas.
func Ink(img image.Image) (pix []uint8, w, h int, err error) {
	b := img.Bounds()
	w, h = b.Dx(), b.Dy()
	if w < MinCanvas || w > MaxCanvas || h < MinCanvas || h > MaxCanvas {
		return nil, w, h, fmt.Errorf("mnist: image is %d×%d, want each side in [%d, %d]", w, h, MinCanvas, MaxCanvas)
	}
	grey, alpha := make([]uint8, w*h), make([]uint8, w*h)
	for y := range h {
		for x := range w {
			c := color.NRGBAModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA)
			yl := (19595*uint32(c.R) + 38470*uint32(c.G) + 7471*uint32(c.B) + 1<<15) >> 16 // as color.GrayModel
			a := uint32(c.A)
			grey[y*w+x] = uint8((yl*a + 255*(255-a) + 127) / 255) // over white paper
			alpha[y*w+x] = c.A
		}
	}
	if borderMean(alpha, w, h) < 128 {
		return alpha, w, h, nil
	}
	if borderMean(grey, w, h) > 128 {
		for i, v := range grey {
			grey[i] = 255 - v
		}
	}
	return grey, w, h, nil
}

// borderMean is the mean of the outermost rows and columns of pix.
func borderMean(pix []uint8, w, h int) float64 {
	var s, n int
	for x := range w {
		s += int(pix[x]) + int(pix[(h-1)*w+x])
		n += 2
	}
	for y := 1; y < h-1; y++ {
		s += int(pix[y*w]) + int(pix[y*w+w-1])
		n += 2
	}
	return float64(s) / float64(n)
}
