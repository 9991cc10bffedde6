package figures

import (
	"bytes"
	"math"
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

// noise is a fixed pseudo-random sequence in [−1, 1], the same everywhere.
func noise(k int) float64 {
	v := math.Sin(float64(k)*12.9898) * 43758.5453
	return 2*(v-math.Floor(v)) - 1
}

// lossCurve is a made-up training loss over steps 0…n−1 that falls at rate r.
func lossCurve(label string, n int, r float64) Series {
	s := Series{Label: label}
	for k := range n {
		s.X = append(s.X, float64(k))
		s.Y = append(s.Y, 2.3*math.Exp(-r*float64(k))+0.15+0.12*noise(k)*math.Exp(-r*float64(k)/3))
	}
	return s
}

// diverging blows up from step at.
func diverging(label string, n, at int) Series {
	s := lossCurve(label, n, 0.01)
	s.Diverged, s.DivergedAt = true, at
	for k := at - 6; k < n; k++ {
		s.Y[k] = s.Y[at-7] * math.Exp(float64(k-at+7))
		if k >= at {
			s.Y[k] = math.Inf(1)
		}
	}
	return s
}

// fixtureTrajectories are two hand-made paths on Rosenbrock, one diverging.
func fixtureTrajectories() []Trajectory {
	var a, b Trajectory
	a.Label, a.Status = "SGD α = 0.001", "stepLimit"
	b.Label, b.Status = "Adam α = 0.1", "diverged"
	for k := range 60 {
		t := float64(k) / 59
		a.Points = append(a.Points, [2]float64{-1.5 + 2.4*t, 2 - 1.2*t + 0.6*t*t})
		b.Points = append(b.Points, [2]float64{-1.5 + 3*t, 2 - 2.5*t*t})
	}
	return []Trajectory{a, b}
}

func fixtureConfusion() [10][10]int {
	var c [10][10]int
	for r := range 10 {
		for p := range 10 {
			c[r][p] = int(4 + 4*noise(r*10+p))
		}
		c[r][r] = 950 + 10*r
	}
	c[4][9], c[7][2], c[5][3] = 31, 22, 27
	return c
}

func fixtureWeights(hidden int) []float32 {
	w := make([]float32, hidden*784)
	for u := range hidden {
		a := float64(u) * math.Pi / float64(hidden)
		for p := range 784 {
			x, y := float64(p%28)-13.5, float64(p/28)-13.5
			r := math.Hypot(x, y)
			w[u*784+p] = float32(math.Exp(-r*r/120) * math.Cos((x*math.Cos(a)+y*math.Sin(a))/2.5) * float64(u+1))
		}
	}
	return w
}

// rangeTest is a made-up LR range test of 300 steps from α = 1e-5 to 10:
// the loss stays, falls fastest near α = 0.03, and blows up past 1.
func rangeTest() (lr, loss []float64) {
	for k := range 300 {
		a := 1e-5 * math.Pow(1e6, float64(k)/299)
		lr = append(lr, a)
		fall := 1 / (1 + math.Exp(-2*(math.Log10(a)+1.5)))
		loss = append(loss, 2.3-2*fall+0.05*noise(k)+math.Max(0, math.Log10(a))*4)
	}
	return lr, loss
}

var fixtureMeta = Meta{Lang: "en", Caption: "784-100-10 sigmoid, SGD, batch 64, 300 steps, seed 1"}

// TestGoldenFigures renders one figure of every kind, in English with the
// embedded Liberation fonts, and compares it with its golden image.
func TestGoldenFigures(t *testing.T) {
	rosen, _ := optim.LookupFunction("rosenbrock")
	figs := map[string]func() (*Figure, error){
		"loss": func() (*Figure, error) { return LossFigure(lossCurve("SGD", 300, 0.02), 0.9, fixtureMeta) },
		"accuracy": func() (*Figure, error) {
			a, b := Series{Label: "SGD α = 0.1"}, Series{Label: "Adam α = 0.001"}
			for e := 1; e <= 10; e++ {
				a.X, a.Y = append(a.X, float64(e)), append(a.Y, 97.8-6*math.Exp(-float64(e)/2))
				b.X, b.Y = append(b.X, float64(e)), append(b.Y, 98.1-3*math.Exp(-float64(e)/1.5))
			}
			return AccuracyFigure([]Series{a, b}, fixtureMeta)
		},
		"sweep": func() (*Figure, error) {
			return SweepFigure([]Series{
				lossCurve("α = 0.001", 200, 0.002), lossCurve("α = 0.01", 200, 0.01),
				lossCurve("α = 0.1", 200, 0.04), diverging("α = 1", 200, 37),
			}, fixtureMeta)
		},
		"compare": func() (*Figure, error) {
			return CompareFigure([]Series{
				lossCurve("SGD", 200, 0.01), lossCurve("momentum", 200, 0.025),
				lossCurve("Adam", 200, 0.05), diverging("RMSprop α = 0.1", 200, 120),
			}, fixtureMeta)
		},
		"trajectory": func() (*Figure, error) {
			return TrajectoryFigure(rosen, DomainOf(rosen), fixtureTrajectories(), Meta{Lang: "en", Caption: "start (−1.5, 2), 60 steps"})
		},
		"fvsstep": func() (*Figure, error) {
			return FvsStepFigure(rosen, fixtureTrajectories(), fixtureMeta)
		},
		"gradnorm": func() (*Figure, error) {
			s := lossCurve("", 300, 0.02)
			for k := range s.Y {
				s.Y[k] = 3 * s.Y[k] * s.Y[k]
			}
			return StepFigure(GradNorm, []Series{s}, fixtureMeta)
		},
		"gradsteps": func() (*Figure, error) {
			return GradStepFigure(rosen, fixtureTrajectories(), nil, fixtureMeta)
		},
		"confusion": func() (*Figure, error) { return ConfusionFigure(fixtureConfusion(), fixtureMeta) },
		"weights":   func() (*Figure, error) { return WeightsFigure(fixtureWeights(16), 16, fixtureMeta) },
		"lrrange": func() (*Figure, error) {
			lr, loss := rangeTest()
			return RangeTestFigure(lr, loss, Meta{Lang: "en", Caption: "SGD, batch 64"})
		},
	}
	checkGoldens(t, figs)
}

// checkGoldens draws every figure of figs and compares it with its golden
// image, one subtest each.
func checkGoldens(t *testing.T, figs map[string]func() (*Figure, error)) {
	t.Helper()
	for name, build := range figs {
		t.Run(name, func(t *testing.T) {
			f, err := build()
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, name, encodePNG(t, f))
		})
	}
}
