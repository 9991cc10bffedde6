package mnist

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
)

// stroke draws a vertical bar of ink into a w×h picture of background bg.
func stroke(w, h int, bg, ink color.Color) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := bg
			if x >= w/2-3 && x < w/2+3 && y >= h/4 && y < 3*h/4 {
				c = ink
			}
			img.Set(x, y, c)
		}
	}
	return img
}

// TestInkConventions checks that every usual picture of a digit becomes
// white ink on black, and gives the same network input.
func TestInkConventions(t *testing.T) {
	white, black := color.NRGBA{255, 255, 255, 255}, color.NRGBA{0, 0, 0, 255}
	clear := color.NRGBA{0, 0, 0, 0}
	want, _, _ := Preprocess(greyOf(stroke(60, 60, black, white)), 60, 60)
	for _, c := range []struct {
		name    string
		bg, ink color.Color
		same    bool // the same levels as white on black
	}{
		{"white on black (the page's canvas)", black, white, true},
		{"black on white (a scan)", white, black, true},
		{"dark blue on white", white, color.NRGBA{0, 0, 60, 255}, false}, // luma 7: ink 248
		{"black on transparent", clear, black, true},
		{"white on transparent", color.NRGBA{255, 255, 255, 0}, white, true},
	} {
		pix, w, h, err := Ink(stroke(60, 60, c.bg, c.ink))
		if err != nil || w != 60 || h != 60 {
			t.Fatalf("%s: %v, %d×%d", c.name, err, w, h)
		}
		if pix[0] != 0 || pix[30*60+30] < 200 {
			t.Errorf("%s: background %d, ink %d; want 0 and near 255", c.name, pix[0], pix[30*60+30])
		}
		if got, _, _ := Preprocess(pix, w, h); c.same && !bytes.Equal(got, want) {
			t.Errorf("%s: the network's input differs from white on black", c.name)
		}
	}
	grey := image.NewGray(image.Rect(0, 0, 40, 30))
	if pix, _, _, err := Ink(grey); err != nil || len(pix) != 1200 {
		t.Errorf("a grey image: %v", err)
	}
	if _, _, _, err := Ink(image.NewGray(image.Rect(0, 0, 20, 40))); err == nil || !strings.Contains(err.Error(), "20×40") {
		t.Errorf("a 20×40 image: %v, want a size error", err)
	}
}

// greyOf is the red channel of an opaque picture.
func greyOf(img *image.NRGBA) []uint8 {
	b := img.Bounds()
	out := make([]uint8, 0, b.Dx()*b.Dy())
	for i := 0; i < len(img.Pix); i += 4 {
		out = append(out, img.Pix[i])
	}
	return out
}

// FuzzInkPNG feeds arbitrary bytes through the path of `descent explain
// --image`: decode the PNG (when its header allows the size), Ink,
// Preprocess. Nothing may panic, and a decoded picture gives w×h levels.
func FuzzInkPNG(f *testing.F) {
	var buf bytes.Buffer
	png.Encode(&buf, stroke(30, 30, color.White, color.Black))
	f.Add(buf.Bytes())
	buf.Reset()
	png.Encode(&buf, stroke(28, 40, color.NRGBA{}, color.NRGBA{200, 10, 10, 128}))
	f.Add(buf.Bytes())
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width > MaxCanvas || cfg.Height > MaxCanvas {
			return
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		pix, w, h, err := Ink(img)
		if err != nil {
			return
		}
		if len(pix) != w*h {
			t.Fatalf("%d levels for %d×%d", len(pix), w, h)
		}
		if out, _, err := Preprocess(pix, w, h); err != nil || len(out) != InputSize {
			t.Fatalf("Preprocess: %v, %d pixels", err, len(out))
		}
	})
}
