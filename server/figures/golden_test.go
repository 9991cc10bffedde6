package figures

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot/cmpimg"

	"descent/optim"
)

// goldenDelta is the largest per-pixel colour difference (YIQ distance, as
// in gonum/plot's cmpimg) that still counts as equal: it absorbs
// anti-aliasing that differs between platforms.
const goldenDelta = 0.1

// checkGolden compares a PNG with testdata/name.golden.png the way
// gonum/plot's cmpimg does. `go test -regen` (cmpimg's flag) rewrites the
// golden file; on a mismatch the image is written to
// testdata/name.failed.png for a look.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden.png")
	if *cmpimg.GenerateTestData {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v; run `go test ./server/figures/ -regen` to create it", err)
	}
	ok, err := cmpimg.EqualApprox("png", got, want, goldenDelta)
	if err != nil {
		t.Fatal(err)
	}
	failed := filepath.Join("testdata", name+".failed.png")
	if !ok {
		os.WriteFile(failed, got, 0o644)
		t.Errorf("%s differs from %s (written to %s); if the change is intended, run -regen", name, path, failed)
		return
	}
	os.Remove(failed)
}

func TestGoldenSurface(t *testing.T) {
	fn, _ := optim.LookupFunction("rosenbrock")
	s, err := RenderSurface(fn, DomainOf(fn), 400, 300, SurfaceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "surface_rosenbrock", s.PNG)
}

// encodePNG renders f at the default size and scale 1.
func encodePNG(t *testing.T, f *Figure) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Encode(&buf, f, "png", 0, 0, false); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
