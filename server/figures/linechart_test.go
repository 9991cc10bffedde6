package figures

import (
	"bytes"
	"math"
	"testing"
)

// TestLineChartFigure: the 1-D chart draws the loss above the accuracy,
// the loss axis cut at three times its highest value between θ₀ and θ_end
// (the blow-up beyond the ends does not flatten the rest), and refuses a
// chart whose lines do not fit its t.
func TestLineChartFigure(t *testing.T) {
	ts := []float64{-0.5, 0, 0.5, 1, 1.5}
	lc := LineChart{T: ts, Runs: []LineRun{
		{Label: "α=0.1", TrainLoss: []float64{40, 2.3, 1, 0.3, math.Inf(1)}, TrainAccuracy: []float64{0.1, 0.1, 0.6, 0.9, 0.3},
			TestLoss: []float64{41, 2.3, 1.1, 0.35, 9}, TestAccuracy: []float64{0.1, 0.1, 0.6, 0.88, 0.3}},
		{Label: "α=2", TrainLoss: []float64{9, 2.3, 0.5, 0.1, 0.4}, TrainAccuracy: []float64{0.1, 0.1, 0.8, 0.97, 0.9}},
	}}
	for _, lang := range []string{"en", "ko"} {
		f, err := LineChartFigure(lc, Meta{Lang: lang, Caption: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if f.Lower == nil || math.Abs(f.Plot.Y.Max-6.9) > 1e-9 || f.Lower.Y.Max != 100 {
			t.Errorf("%s: lower %v, loss axis to %g (want 6.9), accuracy to %g", lang, f.Lower != nil, f.Plot.Y.Max, f.Lower.Y.Max)
		}
		for _, format := range []string{"png", "svg"} {
			var buf bytes.Buffer
			if err := Encode(&buf, f, format, 0, 0, true); err != nil || buf.Len() < 1000 {
				t.Errorf("%s %s: %d bytes, %v", lang, format, buf.Len(), err)
			}
		}
	}
	lc.Runs[1].TrainAccuracy = lc.Runs[1].TrainAccuracy[:3]
	if _, err := LineChartFigure(lc, Meta{}); err == nil {
		t.Error("a line of 3 values for 5 t was drawn")
	}
	if _, err := LineChartFigure(LineChart{T: ts}, Meta{}); err == nil {
		t.Error("a chart without lines was drawn")
	}
}
