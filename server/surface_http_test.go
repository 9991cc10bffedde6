package server

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"descent/optim"
	"descent/server/figures"
)

// TestSurfaceEndpoint: a good request gets a PNG of the asked size whose
// X-Plot-Area is the data area that figures.RenderSurface reports, so that
// the page's mapping puts Rosenbrock's minimum on the pixel figures' does.
func TestSurfaceEndpoint(t *testing.T) {
	s, _ := newTestServer(t, 100, 1)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/api/surface?fn=rosenbrock&w=400&h=320&lang=ko", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	img, err := png.Decode(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 400 || b.Dy() != 320 {
		t.Errorf("image is %v, want 400 × 320", b)
	}
	fn, _ := optim.LookupFunction("rosenbrock")
	want, err := figures.RenderSurface(fn, figures.DomainOf(fn), 400, 320, figures.SurfaceOptions{Lang: "ko"})
	if err != nil {
		t.Fatal(err)
	}
	var area image.Rectangle
	if _, err := fmt.Sscanf(rec.Header().Get("X-Plot-Area"), "%d,%d,%d,%d", &area.Min.X, &area.Min.Y, &area.Max.X, &area.Max.Y); err != nil {
		t.Fatalf("X-Plot-Area %q: %v", rec.Header().Get("X-Plot-Area"), err)
	}
	if area != want.Plot {
		t.Errorf("X-Plot-Area %v, want %v", area, want.Plot)
	}
	if got := rec.Header().Get("X-Domain"); got != "-2,2,-1,3" {
		t.Errorf("X-Domain %q", got)
	}
	// The second request comes from the cache, byte for byte.
	again := httptest.NewRecorder()
	s.ServeHTTP(again, httptest.NewRequest("GET", "/api/surface?lang=ko&h=320&w=400&fn=rosenbrock", nil))
	if !bytes.Equal(again.Body.Bytes(), rec.Body.Bytes()) {
		t.Error("the same query drew a different image")
	}
}

// TestSurfaceEndpointRefuses bad parameters with 400 and the parameter's name.
func TestSurfaceEndpointRefuses(t *testing.T) {
	s, _ := newTestServer(t, 100, 1)
	cases := []struct{ query, want string }{
		{"", "fn is missing"},
		{"fn=nope", "fn:"},
		{"fn=rosenbrock&xmin=NaN", "xmin"},
		{"fn=rosenbrock&xmin=abc", "xmin"},
		{"fn=rosenbrock&xmin=3&xmax=1", "xmax − xmin"},
		{"fn=rosenbrock&ymin=0&ymax=0.0000000001", "ymax − ymin"},
		{"fn=rosenbrock&xmin=-2e6", "xmin"},
		{"fn=rosenbrock&w=10", "w ="},
		{"fn=rosenbrock&h=99999", "h ="},
		{"fn=rosenbrock&lang=fr", "lang"},
		{"fn=rosenbrock&dpi=5000", "dpi"},
		{"fn=rosenbrock&zoom=2", "zoom"},
		{"fn=quadratic&p.cond=0", "cond"},
		{"fn=rosenbrock&p.cond=3", "cond"},
	}
	for _, tc := range cases {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", "/api/surface?"+tc.query, nil))
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), tc.want) ||
			!strings.HasPrefix(rec.Body.String(), "server: ") {
			t.Errorf("%q: %d %q, want 400 mentioning %q", tc.query, rec.Code, rec.Body, tc.want)
		}
	}
}
