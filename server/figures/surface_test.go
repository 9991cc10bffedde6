package figures

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"testing"

	"descent/optim"
)

func TestToPixelFromPixelRoundTrip(t *testing.T) {
	d := Domain{XMin: -2, XMax: 2, YMin: -1, YMax: 3}
	area := image.Rect(44, 15, 468, 360)
	corners := []struct{ x, y, px, py float64 }{
		{-2, 3, 44, 15},   // top-left of the data area
		{2, -1, 468, 360}, // bottom-right
		{0, 1, 256, 187.5},
	}
	for _, c := range corners {
		px, py := d.ToPixel(c.x, c.y, area)
		if px != c.px || py != c.py {
			t.Errorf("ToPixel(%g, %g) = (%g, %g), want (%g, %g)", c.x, c.y, px, py, c.px, c.py)
		}
		x, y := d.FromPixel(px, py, area)
		if math.Abs(x-c.x) > 1e-12 || math.Abs(y-c.y) > 1e-12 {
			t.Errorf("FromPixel(ToPixel(%g, %g)) = (%g, %g)", c.x, c.y, x, y)
		}
	}
}

func TestDomainValidate(t *testing.T) {
	bad := []Domain{{0, 0, 0, 1}, {1, 0, 0, 1}, {0, 1, 0, math.NaN()}, {math.Inf(-1), 1, 0, 1}}
	for _, d := range bad {
		if d.Validate() == nil {
			t.Errorf("Validate(%v) = nil, want an error", d)
		}
	}
	if err := (Domain{-1, 1, -1, 1}).Validate(); err != nil {
		t.Errorf("Validate([-1, 1]²) = %v", err)
	}
}

// renderDecoded renders fn over dom and decodes the PNG.
func renderDecoded(t *testing.T, fn optim.Function, dom Domain, w, h int, opts SurfaceOptions) (*Surface, image.Image) {
	t.Helper()
	s, err := RenderSurface(fn, dom, w, h, opts)
	if err != nil {
		t.Fatalf("RenderSurface(%s, %v): %v", fn.Name, dom, err)
	}
	img, err := png.Decode(bytes.NewReader(s.PNG))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Fatalf("image is %v, want %d × %d", b, w, h)
	}
	return s, img
}

func luma(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return 0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)
}

// cone is J = |x − a| + |y − b|, whose minimum at (a, b) is one sharp pixel
// on a log scale.
func cone(a, b float64) optim.Function {
	return optim.Function{
		Name: "cone", F: func(x, y float64) float64 { return math.Abs(x-a) + math.Abs(y-b) },
		Domain: [4]float64{-1, 1, -1, 1}, Minima: [][2]float64{{a, b}},
	}
}

// The heat map's darkest pixel must be the one that ToPixel puts the
// minimum in: exactly for a cone on a log scale, and within a pixel for the
// registered functions (several pixels can share the palette's darkest
// colour, and a pixel shows J at its centre, which on Rosenbrock's narrow
// valley can be lower beside the minimum's pixel than in it). Markers and
// contours are off so that they do not cover the heat map.
func TestMinimumLandsOnItsPixel(t *testing.T) {
	for _, tc := range []struct {
		fn   optim.Function
		dom  Domain
		w, h int
	}{
		{cone(0.3183, -0.2718), Domain{-1, 1, -1, 1}, 300, 300},
		{cone(0.3183, -0.2718), Domain{0.1, 0.6, -0.5, -0.1}, 333, 257},
		{lookup(t, "rosenbrock"), Domain{-2, 2, -1, 3}, 547, 400}, // the data area beside the colour bar: 432 × 345
		{lookup(t, "rosenbrock"), Domain{0.5, 1.3, 0.6, 1.4}, 333, 257},
		{lookup(t, "quadratic"), Domain{-5, 5, -5, 5}, 300, 300},
		{lookup(t, "booth"), Domain{-10, 10, -10, 10}, 400, 300},
	} {
		x, y := tc.fn.Minima[0][0], tc.fn.Minima[0][1]
		fn := tc.fn
		fn.Minima, fn.Saddles = nil, nil
		opts := SurfaceOptions{Levels: -1}
		if fn.Name == "cone" {
			opts.Scale = ScaleLog
		}
		s, img := renderDecoded(t, fn, tc.dom, tc.w, tc.h, opts)
		px, py := tc.dom.ToPixel(x, y, s.Plot)
		want := image.Pt(int(math.Floor(px)), int(math.Floor(py)))
		darkest, ties := math.Inf(1), 0
		for dy := -4; dy <= 4; dy++ {
			for dx := -4; dx <= 4; dx++ {
				switch l := luma(img.At(want.X+dx, want.Y+dy)); {
				case l < darkest:
					darkest, ties = l, 1
				case l == darkest:
					ties++
				}
			}
		}
		at := luma(img.At(want.X, want.Y))
		near := math.Inf(1)
		for dy := -1; dy <= 1; dy++ {
			for dx := -1; dx <= 1; dx++ {
				near = math.Min(near, luma(img.At(want.X+dx, want.Y+dy)))
			}
		}
		if fn.Name == "cone" && (at != darkest || ties != 1) || near != darkest {
			t.Errorf("%s over %v, %d × %d: the minimum (%g, %g) maps to pixel %v (luma %.0f), but the darkest near it has luma %.0f (%d such pixels)",
				fn.Name, tc.dom, tc.w, tc.h, x, y, want, at, darkest, ties)
		}
	}
}

func lookup(t *testing.T, name string) optim.Function {
	t.Helper()
	fn, ok := optim.LookupFunction(name)
	if !ok {
		t.Fatalf("no function %q in optim", name)
	}
	return fn
}

// A star drawn at the minimum must be centred within a pixel of ToPixel.
func TestMarkerLandsOnToPixel(t *testing.T) {
	fn, _ := optim.LookupFunction("rosenbrock")
	dom := DomainOf(fn)
	s, img := renderDecoded(t, fn, dom, 480, 400, SurfaceOptions{Levels: -1})
	px, py := dom.ToPixel(1, 1, s.Plot)
	// The star is white on a dark valley: find the centroid of near-white pixels.
	var sx, sy, n float64
	for y := int(py) - 12; y <= int(py)+12; y++ {
		for x := int(px) - 12; x <= int(px)+12; x++ {
			if luma(img.At(x, y)) > 0.9*0xFFFF {
				sx, sy, n = sx+float64(x)+0.5, sy+float64(y)+0.5, n+1
			}
		}
	}
	if n == 0 {
		t.Fatalf("no star near (%g, %g)", px, py)
	}
	// The star's centroid sits below its centre by about 0.06 radius; allow 1.5 px.
	if cx, cy := sx/n, sy/n; math.Abs(cx-px) > 1 || math.Abs(cy-py) > 1.5 {
		t.Errorf("star centred at (%.2f, %.2f), ToPixel(1, 1) = (%.2f, %.2f)", cx, cy, px, py)
	}
}

func TestRenderSurfaceRejects(t *testing.T) {
	fn, _ := optim.LookupFunction("booth")
	cases := map[string]func() error{
		"empty domain": func() error { _, err := RenderSurface(fn, Domain{1, 1, 0, 1}, 300, 300, SurfaceOptions{}); return err },
		"too small":    func() error { _, err := RenderSurface(fn, DomainOf(fn), 10, 300, SurfaceOptions{}); return err },
		"too large":    func() error { _, err := RenderSurface(fn, DomainOf(fn), 300, 1e5, SurfaceOptions{}); return err },
		"no J": func() error {
			_, err := RenderSurface(optim.Function{}, DomainOf(fn), 300, 300, SurfaceOptions{})
			return err
		},
	}
	for name, f := range cases {
		if err := f(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestScaleAuto(t *testing.T) {
	for _, fn := range optim.Functions() {
		s, err := RenderSurface(fn, DomainOf(fn), 160, 120, SurfaceOptions{})
		if err != nil {
			t.Fatal(err)
		}
		wantLog := map[string]bool{"rosenbrock": true, "beale": true, "goldstein-price": true, "camel": true}[fn.Name]
		if s.Log != wantLog && !fn.LogLevels {
			t.Errorf("%s: Log = %v, want %v", fn.Name, s.Log, wantLog)
		}
		if len(s.Levels) != DefaultLevels {
			t.Errorf("%s: %d levels, want %d", fn.Name, len(s.Levels), DefaultLevels)
		}
		for i := 1; i < len(s.Levels); i++ {
			if !(s.Levels[i] > s.Levels[i-1]) || s.Levels[i] > s.Max || s.Levels[i-1] < s.Min {
				t.Errorf("%s: levels %v not ascending inside [%g, %g]", fn.Name, s.Levels, s.Min, s.Max)
				break
			}
		}
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// TestSuggestRate finds the steepest fall of a made-up range test, where
// the loss falls fastest against log α (near α = 10^−1.5), and refuses
// short or flat tests.
func TestSuggestRate(t *testing.T) {
	lr, loss := rangeTest()
	got := SuggestRate(lr, Smooth(loss, RangeSmoothing))
	if got < 0.005 || got > 0.1 {
		t.Errorf("SuggestRate of the made-up test = %g, want about 0.03", got)
	}
	if got := SuggestRate(lr[:10], loss[:10]); got != 0 {
		t.Errorf("SuggestRate of 10 points = %g, want 0", got)
	}
	flat := make([]float64, len(lr))
	if got := SuggestRate(lr, flat); got != 0 {
		t.Errorf("SuggestRate of a flat loss = %g, want 0", got)
	}
}
