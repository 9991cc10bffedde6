package figures

import (
	"math"
	"strings"
	"testing"
)

// eosRun is a made-up full-batch run at rate lr: λmax rises to 2/α and
// hovers there (the edge of stability), or rises past it at step cross.
func eosRun(label string, lr float64, cross int) SharpnessSeries {
	s := SharpnessSeries{Label: label}
	for k := 1; k <= 600; k += 15 {
		lam := (2 / lr) * (1 - 0.7*math.Exp(-float64(k)/150)) * (1 + 0.03*noise(k))
		if cross > 0 && k >= cross {
			lam = 2 / lr * (1.05 + float64(k-cross)/200)
		}
		s.Step, s.Sharpness, s.Threshold = append(s.Step, float64(k)), append(s.Sharpness, lam), append(s.Threshold, 2/lr)
	}
	return s
}

func TestSharpnessLabels(t *testing.T) {
	r := eosRun("α = 8", 8, 301)
	if got := sharpnessLabel(r, false, "en"); !strings.HasSuffix(got, "at step 301") {
		t.Errorf("a run that crossed its threshold: %q", got)
	}
	for i := range r.Threshold {
		r.Threshold[i] = math.NaN()
	}
	if got := sharpnessLabel(r, false, "en"); !strings.Contains(got, "no threshold applies") {
		t.Errorf("a run without a threshold: %q", got)
	}
	if _, err := SharpnessFigure([]SharpnessSeries{{Label: "x", Step: []float64{1}}}, fixtureMeta); err == nil {
		t.Error("a series of 1 step and no values: no error")
	}
	if _, err := SharpnessFigure([]SharpnessSeries{{Label: "empty"}}, fixtureMeta); err == nil {
		t.Error("no measurement: no error")
	}
	if _, err := DensityFigure(Spectrum{DensityX: []float64{1, 2}, DensityY: []float64{0, 0}}, fixtureMeta); err == nil {
		t.Error("a zero density: no error")
	}
	if _, err := EigenvaluesFigure(Spectrum{Eigenvalues: []float64{math.NaN()}}, fixtureMeta); err == nil {
		t.Error("a NaN eigenvalue: no error")
	}
}

// fixtureSpectrum is a made-up Hessian spectrum: a bulk near 0 and a few
// outliers, one eigenvalue negative.
func fixtureSpectrum() Spectrum {
	s := Spectrum{Eigenvalues: []float64{4.1, 2.9, 2.2, 1.4, -0.3}}
	for i := range 512 {
		x := -0.6 + 5*float64(i)/511
		y := 0.98*math.Exp(-x*x/0.002)/math.Sqrt(0.002*math.Pi) + 0.004*math.Exp(-(x-2.5)*(x-2.5)/2)
		for _, e := range s.Eigenvalues {
			y += 1e-5 * math.Exp(-(x-e)*(x-e)/0.0004)
		}
		s.DensityX, s.DensityY = append(s.DensityX, x), append(s.DensityY, y)
	}
	return s
}

func TestGoldenHessianFigures(t *testing.T) {
	figs := map[string]func() (*Figure, error){
		"sharpness": func() (*Figure, error) { return SharpnessFigure([]SharpnessSeries{eosRun("", 0.5, 0)}, fixtureMeta) },
		"sharpness_sweep": func() (*Figure, error) {
			return SharpnessFigure([]SharpnessSeries{eosRun("α = 0.5", 0.5, 0), eosRun("α = 2", 2, 0), eosRun("α = 8", 8, 301)}, fixtureMeta)
		},
		"density":     func() (*Figure, error) { return DensityFigure(fixtureSpectrum(), fixtureMeta) },
		"eigenvalues": func() (*Figure, error) { return EigenvaluesFigure(fixtureSpectrum(), fixtureMeta) },
	}
	checkGoldens(t, figs)
}
