package figures

import (
	"fmt"
	"math"

	"gonum.org/v1/plot/plotter"
)

// Series is one curve of a chart: Y against X, with its legend label. A
// training run that blew up has Diverged set and DivergedAt, the step at
// which the loss stopped being finite; its Y may end in NaN or ±Inf.
type Series struct {
	Label      string
	X, Y       []float64
	Diverged   bool
	DivergedAt int
	// Lo and Hi, when set, are the lowest and highest Y that each point
	// stands for (a thinned curve: package steps' rule); the loss figure
	// draws them as a band, so that spikes stay visible.
	Lo, Hi []float64
}

// check returns an error unless s has as many X as Y values.
func (s Series) check() error {
	if len(s.X) != len(s.Y) {
		return fmt.Errorf("figures: series %q has %d x and %d y values", s.Label, len(s.X), len(s.Y))
	}
	return nil
}

// finite returns the points of s up to its first non-finite one.
func (s Series) finite() plotter.XYs {
	var xys plotter.XYs
	for i := range s.X {
		if !isFinite(s.X[i]) || !isFinite(s.Y[i]) {
			break
		}
		xys = append(xys, plotter.XY{X: s.X[i], Y: s.Y[i]})
	}
	return xys
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Smooth returns the exponential moving average of y with weight w in [0, 1),
// debiased as TensorBoard does: aₜ = w·aₜ₋₁ + (1 − w)·yₜ with a₋₁ = 0, and
// sₜ = aₜ / (1 − wᵗ⁺¹), so that the first values are not pulled toward 0.
// Non-finite values are skipped (sₜ repeats the last smoothed value, NaN
// before the first finite one). w = 0 returns a copy of y.
func Smooth(y []float64, w float64) []float64 {
	out := make([]float64, len(y))
	a, n := 0.0, 0
	for i, v := range y {
		if isFinite(v) {
			a = w*a + (1-w)*v
			n++
		}
		if n == 0 {
			out[i] = math.NaN()
			continue
		}
		out[i] = a / (1 - math.Pow(w, float64(n)))
	}
	return out
}
