package mnist

import (
	"fmt"
	"math"
)

// Limits of a drawing that Preprocess accepts.
const (
	MinCanvas = 28
	MaxCanvas = 1024
)

// Box is the size of the square that MNIST's digits were fitted into, and
// Center the pixel (in row and column indices) where their centre of mass was
// put, as NIST's digits were made into MNIST: crop, scale to fit 20×20 keeping
// the aspect ratio, with anti-aliasing, and centre the mass in 28×28. On the
// training set the mean centre of mass is (14.00, 13.99).
const (
	Box    = 20
	Center = 14.0
)

// inkThreshold is the grey level below which a canvas pixel does not count
// when finding the drawing's bounding box: the faint edge of an anti-aliased
// stroke should not widen the box.
const inkThreshold = 24

// Preprocess turns a drawing into the exact 28×28 image that the network is
// given, the way MNIST itself was made: crop to the bounding box, scale to fit
// 20×20 keeping the aspect ratio (area-averaged, so anti-aliased), and place it
// in 28×28 with its centre of mass at the centre. pix holds w×h grey levels,
// row-major, white ink (255) on black (0). A drawing with no ink reports blank
// and an all-zero image; a malformed one an error.
func Preprocess(pix []uint8, w, h int) (img []uint8, blank bool, err error) {
	img, blank, _, err = Place(pix, w, h)
	return img, blank, err
}

// Placement is where Preprocess put a drawing: the ink's box on the canvas,
// [X0, X0+W) × [Y0, Y0+H) in canvas pixels, became the box [DX, DX+OW) ×
// [DY, DY+OH) of the 28×28 image. A canvas point (x, y) lands at
//
//	u = DX + (x − X0)·OW/W,  v = DY + (y − Y0)·OH/H
//
// (column u, row v, in image pixels), so that a map over the image (the
// saliency) can be laid over the canvas by the inverse.
type Placement struct {
	X0 int `json:"x0"`
	Y0 int `json:"y0"`
	W  int `json:"w"`
	H  int `json:"h"`
	DX int `json:"dx"`
	DY int `json:"dy"`
	OW int `json:"ow"`
	OH int `json:"oh"`
}

// Place is Preprocess with the placement of the drawing in the image (zero
// when blank).
func Place(pix []uint8, w, h int) (img []uint8, blank bool, at Placement, err error) {
	if w < MinCanvas || w > MaxCanvas || h < MinCanvas || h > MaxCanvas {
		return nil, false, at, fmt.Errorf("mnist: drawing is %d×%d, want each side in [%d, %d]", w, h, MinCanvas, MaxCanvas)
	}
	if len(pix) != w*h {
		return nil, false, at, fmt.Errorf("mnist: drawing has %d pixels, want %d×%d = %d", len(pix), w, h, w*h)
	}
	img = make([]uint8, InputSize)
	x0, y0, x1, y1, ok := inkBox(pix, w, h)
	if !ok {
		return img, true, at, nil
	}
	bw, bh := x1-x0, y1-y0
	scale := float64(Box) / float64(max(bw, bh))
	ow, oh := max(1, int(math.Round(float64(bw)*scale))), max(1, int(math.Round(float64(bh)*scale)))
	small := resample(pix, w, x0, y0, bw, bh, ow, oh)
	cx, cy := centerOfMass(small, ow, oh)
	dx := clampShift(int(math.Round(Center-cx)), ow)
	dy := clampShift(int(math.Round(Center-cy)), oh)
	for r := range oh {
		for c := range ow {
			img[(r+dy)*Cols+c+dx] = uint8(math.Round(min(255, small[r*ow+c])))
		}
	}
	return img, false, Placement{X0: x0, Y0: y0, W: bw, H: bh, DX: dx, DY: dy, OW: ow, OH: oh}, nil
}

// inkBox returns the half-open bounding box [x0, x1) × [y0, y1) of the pixels
// at or above inkThreshold.
func inkBox(pix []uint8, w, h int) (x0, y0, x1, y1 int, ok bool) {
	x0, y0, x1, y1 = w, h, -1, -1
	for y := range h {
		row := pix[y*w : (y+1)*w]
		for x, v := range row {
			if v >= inkThreshold {
				x0, x1 = min(x0, x), max(x1, x)
				y0, y1 = min(y0, y), max(y1, y)
			}
		}
	}
	return x0, y0, x1 + 1, y1 + 1, x1 >= 0
}

// resample scales the bw×bh box at (x0, y0) of pix (row stride w) to ow×oh by
// area averaging: each output pixel is the mean of the source area it covers,
// with partly covered source pixels weighted by their coverage.
func resample(pix []uint8, w, x0, y0, bw, bh, ow, oh int) []float64 {
	// Horizontal pass: bh rows of ow values, then vertical: oh rows.
	tmp := make([]float64, bh*ow)
	for y := range bh {
		src := pix[(y0+y)*w+x0 : (y0+y)*w+x0+bw]
		boxFilter(tmp[y*ow:(y+1)*ow], func(i int) float64 { return float64(src[i]) }, bw)
	}
	out := make([]float64, oh*ow)
	col := make([]float64, oh)
	for x := range ow {
		boxFilter(col, func(i int) float64 { return tmp[i*ow+x] }, bh)
		for y, v := range col {
			out[y*ow+x] = v
		}
	}
	return out
}

// boxFilter resamples the n values of src to len(dst) values by area averaging.
func boxFilter(dst []float64, src func(int) float64, n int) {
	step := float64(n) / float64(len(dst)) // source pixels per output pixel
	for j := range dst {
		lo, hi := float64(j)*step, float64(j+1)*step
		var sum float64
		for i := int(lo); i < n && float64(i) < hi; i++ {
			cover := min(hi, float64(i+1)) - max(lo, float64(i))
			sum += cover * src(i)
		}
		dst[j] = sum / step
	}
}

// centerOfMass returns the intensity-weighted mean column and row.
func centerOfMass(img []float64, w, h int) (cx, cy float64) {
	var m float64
	for r := range h {
		for c := range w {
			v := img[r*w+c]
			m += v
			cx += v * float64(c)
			cy += v * float64(r)
		}
	}
	if m == 0 {
		return float64(w-1) / 2, float64(h-1) / 2
	}
	return cx / m, cy / m
}

// clampShift keeps a shifted run of n pixels inside the 28-pixel field.
func clampShift(d, n int) int { return max(0, min(d, Cols-n)) }
