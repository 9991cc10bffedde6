package mnist

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// inkRows returns the first and last rows and columns with ink.
func inkExtent(img []uint8) (r0, r1, c0, c1 int) {
	r0, c0, r1, c1 = Rows, Cols, -1, -1
	for r := range Rows {
		for c := range Cols {
			if img[r*Cols+c] > 0 {
				r0, r1, c0, c1 = min(r0, r), max(r1, r), min(c0, c), max(c1, c)
			}
		}
	}
	return
}

func mass(img []uint8) (cx, cy float64) {
	f := make([]float64, len(img))
	for i, v := range img {
		f[i] = float64(v)
	}
	return centerOfMass(f, Cols, Rows)
}

func TestPreprocessCentresASmallOffCentreDigit(t *testing.T) {
	const w, h = 280, 280
	canvas := make([]uint8, w*h)
	// A "1" in the top-left corner: 8 px wide, 60 px tall.
	for y := 20; y < 80; y++ {
		for x := 30; x < 38; x++ {
			canvas[y*w+x] = 255
		}
	}
	img, blank, err := Preprocess(canvas, w, h)
	if err != nil || blank {
		t.Fatalf("blank %v, err %v", blank, err)
	}
	r0, r1, c0, c1 := inkExtent(img)
	if tall := r1 - r0 + 1; tall != Box {
		t.Errorf("digit is %d px tall, want %d", tall, Box)
	}
	if wide := c1 - c0 + 1; wide < 2 || wide > 4 {
		t.Errorf("digit is %d px wide, want about 8·20/60 ≈ 3 (aspect kept)", wide)
	}
	cx, cy := mass(img)
	if math.Abs(cx-Center) > 0.5 || math.Abs(cy-Center) > 0.5 {
		t.Errorf("centre of mass (%.2f, %.2f), want (%v, %v)", cx, cy, Center, Center)
	}
}

func TestPreprocessBlankAndFaint(t *testing.T) {
	canvas := make([]uint8, 100*100)
	canvas[5050] = inkThreshold - 1 // a speck too faint to count
	img, blank, err := Preprocess(canvas, 100, 100)
	if err != nil || !blank || len(img) != InputSize {
		t.Fatalf("blank %v, err %v, %d pixels", blank, err, len(img))
	}
	for _, v := range img {
		if v != 0 {
			t.Fatal("blank drawing gave ink")
		}
	}
}

func TestPreprocessRefusesMalformed(t *testing.T) {
	for _, c := range []struct {
		n, w, h int
		want    string
	}{
		{100, 10, 10, "10×10"},
		{5000 * 5000, 5000, 5000, "5000×5000"},
		{99, 28, 28, "99 pixels, want 28×28 = 784"},
		{0, 0, 0, "0×0"},
		{784, -28, -28, "-28×-28"},
	} {
		_, _, err := Preprocess(make([]uint8, c.n), c.w, c.h)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%d×%d with %d pixels: error %v, want %q", c.w, c.h, c.n, err, c.want)
		}
	}
}

// drawLike renders a 28×28 MNIST image into a size×size canvas, magnified by
// scale and placed at (ox, oy), with bilinear interpolation: what a student's
// drawing of that digit looks like before preprocessing.
func drawLike(img []uint8, size int, scale, ox, oy float64) []uint8 {
	canvas := make([]uint8, size*size)
	at := func(r, c int) float64 {
		if r < 0 || r >= Rows || c < 0 || c >= Cols {
			return 0
		}
		return float64(img[r*Cols+c])
	}
	for y := range size {
		for x := range size {
			sx, sy := (float64(x)-ox)/scale, (float64(y)-oy)/scale
			c, r := int(math.Floor(sx)), int(math.Floor(sy))
			fx, fy := sx-float64(c), sy-float64(r)
			v := (1-fy)*((1-fx)*at(r, c)+fx*at(r, c+1)) + fy*((1-fx)*at(r+1, c)+fx*at(r+1, c+1))
			canvas[y*size+x] = uint8(math.Round(v))
		}
	}
	return canvas
}

// TestPreprocessKeepsAccuracy takes real test digits, magnifies and shifts them
// as a drawing would be, preprocesses them back, and checks that the trained
// report's network classifies them within 2 points of the originals.
func TestPreprocessKeepsAccuracy(t *testing.T) {
	train, test := realData(t)
	c := DefaultConfig()
	c.Epochs, c.EvalLimit = 2, 1
	tr, _ := NewTrainer(c, train, test)
	tr.Run(context.Background(), Hooks{})
	p, _ := NewPredictor(tr.Snapshot())
	rng := rand.New(rand.NewPCG(1, 2))
	const n, size = 1000, 280
	var orig, drawn int
	for i := range n {
		img := test.Image(i)
		scale := 4 + 5*rng.Float64()              // 112 to 252 px wide
		ox := rng.Float64() * (size - Cols*scale) // anywhere on the canvas
		oy := rng.Float64() * (size - Rows*scale)
		pre, blank, err := Preprocess(drawLike(img, size, scale, ox, oy), size, size)
		if err != nil || blank {
			t.Fatalf("image %d: blank %v, %v", i, blank, err)
		}
		a, _ := p.PredictPixels(img)
		b, _ := p.PredictPixels(pre)
		if ArgMax(a[:]) == int(test.Labels[i]) {
			orig++
		}
		if ArgMax(b[:]) == int(test.Labels[i]) {
			drawn++
		}
	}
	t.Logf("accuracy on %d test images: original %.1f%%, drawn and preprocessed %.1f%%", n, 100*float64(orig)/n, 100*float64(drawn)/n)
	if orig-drawn > n*2/100 {
		t.Errorf("preprocessing lost %.1f points (original %d, preprocessed %d of %d)", 100*float64(orig-drawn)/n, orig, drawn, n)
	}
}

// TestPlaceMapsTheInkBox: Place gives Preprocess's image, and its placement
// takes the canvas's ink box onto the image's.
func TestPlaceMapsTheInkBox(t *testing.T) {
	const w, h = 280, 200
	canvas := make([]uint8, w*h)
	for y := 40; y < 160; y++ { // a slanted stroke, 30 px wide
		for x := 100 + y/4; x < 130+y/4; x++ {
			canvas[y*w+x] = 255
		}
	}
	img, _, at, err := Place(canvas, w, h)
	want, _, _ := Preprocess(canvas, w, h)
	if err != nil || string(img) != string(want) {
		t.Fatalf("Place: %v, or its image is not Preprocess's", err)
	}
	if at.X0 != 110 || at.Y0 != 40 || at.W != 59 || at.H != 120 {
		t.Errorf("ink box %+v, want x 110 + 59, y 40 + 120", at)
	}
	r0, r1, c0, c1 := inkExtent(img)
	u := func(x int) float64 { return float64(at.DX) + float64(x-at.X0)*float64(at.OW)/float64(at.W) }
	v := func(y int) float64 { return float64(at.DY) + float64(y-at.Y0)*float64(at.OH)/float64(at.H) }
	if u(at.X0) != float64(c0) || u(at.X0+at.W) != float64(c1+1) || v(at.Y0) != float64(r0) || v(at.Y0+at.H) != float64(r1+1) {
		t.Errorf("the ink box maps to columns [%g, %g) rows [%g, %g), the image's ink is in [%d, %d] × [%d, %d]",
			u(at.X0), u(at.X0+at.W), v(at.Y0), v(at.Y0+at.H), c0, c1, r0, r1)
	}
	if _, blank, at, _ := Place(make([]uint8, w*h), w, h); !blank || at != (Placement{}) {
		t.Errorf("a blank canvas: blank %v, placement %+v", blank, at)
	}
}
