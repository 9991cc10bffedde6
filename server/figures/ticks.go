package figures

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// niceTicks puts about five labelled ticks at multiples of 1, 2 or 5 × 10ᵏ,
// labelled with as few decimals as the step needs ("0.5", "100", never
// "250.00"), and an unlabelled tick halfway between.
type niceTicks struct{}

// Ticks implements plot.Ticker.
func (niceTicks) Ticks(min, max float64) []plot.Tick {
	if !(max > min) || !isFinite(min) || !isFinite(max) {
		return nil
	}
	step := niceStep((max - min) / 5)
	prec := max0(-int(math.Floor(math.Log10(step) + 1e-9)))
	var ts []plot.Tick
	for k := math.Ceil(min/step*2 - 1e-9); k <= math.Floor(max/step*2+1e-9); k++ {
		v := k * step / 2
		t := plot.Tick{Value: v}
		if int64(k)%2 == 0 {
			if v == 0 {
				v = 0 // no "-0"
			}
			t.Label = strconv.FormatFloat(v, 'f', prec, 64)
		}
		ts = append(ts, t)
	}
	return ts
}

// niceStep returns the smallest 1, 2 or 5 × 10ᵏ at least raw.
func niceStep(raw float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

func max0(n int) int {
	if n < 0 {
		return 0
	}
	return n
}
