package figures

import (
	"bytes"
	"fmt"
	"image/png"
	"math"
	"strings"
	"testing"

	"descent/optim"
)

func TestEncode(t *testing.T) {
	f, err := ConfusionFigure(fixtureConfusion(), fixtureMeta)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		scale2x bool
		w, h    int
	}{{false, 400, 300}, {true, 800, 600}} {
		var buf bytes.Buffer
		if err := Encode(&buf, f, "png", 0, 0, tc.scale2x); err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Width != tc.w || cfg.Height != tc.h {
			t.Errorf("PNG with scale2x = %v is %d × %d, want %d × %d", tc.scale2x, cfg.Width, cfg.Height, tc.w, tc.h)
		}
	}
	var svg bytes.Buffer
	if err := Encode(&svg, f, "svg", 0, 0, true); err != nil {
		t.Fatal(err)
	}
	if s := svg.String(); !strings.Contains(s, "<svg") || !strings.Contains(s, "predicted digit") {
		t.Errorf("SVG lacks <svg or the axis label: %.200s…", s)
	}
	if err := Encode(&svg, f, "gif", 0, 0, false); err == nil || !strings.HasPrefix(err.Error(), "figures: ") {
		t.Errorf("Encode(gif) = %v, want a figures: error", err)
	}
}

func TestSmooth(t *testing.T) {
	got := Smooth([]float64{math.NaN(), 2, 4, math.Inf(1), 4}, 0.5)
	// a = 1, 2.5, 3.25 after each finite value; debiased by 1 − 0.5ⁿ.
	want := []float64{math.NaN(), 2, 2.5 / 0.75, 2.5 / 0.75, 3.25 / 0.875}
	for i := range want {
		if !(got[i] == want[i] || math.IsNaN(got[i]) && math.IsNaN(want[i])) {
			t.Errorf("Smooth[%d] = %g, want %g", i, got[i], want[i])
		}
	}
}

func TestFigureInputErrors(t *testing.T) {
	rosen, _ := optim.LookupFunction("rosenbrock")
	cases := map[string]error{}
	_, cases["loss x/y"] = LossFigure(Series{X: []float64{1}, Y: nil}, 0.5, Meta{})
	_, cases["loss smoothing"] = LossFigure(lossCurve("", 5, 1), 1, Meta{})
	_, cases["weights size"] = WeightsFigure(make([]float32, 700), 1, Meta{})
	_, cases["confusion negative"] = ConfusionFigure([10][10]int{{-1}}, Meta{})
	_, cases["trajectory domain"] = TrajectoryFigure(rosen, Domain{}, nil, Meta{})
	_, cases["trajectory empty"] = TrajectoryFigure(rosen, DomainOf(rosen), []Trajectory{{Label: "x"}}, Meta{})
	for name, err := range cases {
		if err == nil || !strings.HasPrefix(err.Error(), "figures: ") {
			t.Errorf("%s: error %v, want one prefixed figures: ", name, err)
		}
	}
}

func TestTrajectoriesFrom(t *testing.T) {
	its := []optim.Iterate{
		{Trajectory: 0, Step: 0, X: [2]float64{1, 2}, F: 5},
		{Trajectory: 1, Step: 0, X: [2]float64{1, 2}, F: 5},
		{Trajectory: 0, Step: 1, X: [2]float64{0.5, 1}, F: 1, Status: optim.Converged},
		{Trajectory: 1, Step: 1, X: [2]float64{3, 4}, F: 9, Status: optim.Diverged},
	}
	ts := TrajectoriesFrom(its, []string{"SGD"})
	got := fmt.Sprint(ts)
	want := "[{SGD [[1 2] [0.5 1]] [5 1] converged} {#2 [[1 2] [3 4]] [5 9] diverged}]"
	if got != want {
		t.Errorf("TrajectoriesFrom = %s, want %s", got, want)
	}
}

// TestCaptionOnce drops the parts of a caption that repeat an earlier one.
func TestCaptionOnce(t *testing.T) {
	for in, want := range map[string]string{
		"sgd α=0.1 · 784-100-10 sigmoid · sgd α=0.1 · batch 64": "sgd α=0.1 · 784-100-10 sigmoid · batch 64",
		"a · b · a · b · c": "a · b · c",
		"":                  "",
	} {
		if got := once(in); got != want {
			t.Errorf("once(%q) = %q, want %q", in, got, want)
		}
	}
}
