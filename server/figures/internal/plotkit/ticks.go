package plotkit

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// NiceTicks puts about five labelled ticks at multiples of 1, 2 or 5 × 10ᵏ,
// labelled with as few decimals as the step needs ("0.5", "100", never
// "250.00"), and an unlabelled tick halfway between.
type NiceTicks struct{}

// Ticks implements plot.Ticker.
func (NiceTicks) Ticks(min, max float64) []plot.Tick {
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

// LogTicks are the ticks of a log axis: 1, 2, …, 9 × 10ᵏ, the powers of
// ten labelled ("0.001", "100", "1e-5", never "9.999999999999998e-05"),
// and 2 and 5 × 10ᵏ labelled too when the axis spans less than two decades.
type LogTicks struct{}

// Ticks implements plot.Ticker.
func (LogTicks) Ticks(min, max float64) []plot.Tick {
	if !(min > 0) || !(max > min) || !isFinite(min) || !isFinite(max) {
		return nil
	}
	lo, hi := int(math.Floor(math.Log10(min))), int(math.Ceil(math.Log10(max)))
	few := hi-lo <= 2
	var ts []plot.Tick
	for k := lo; k <= hi; k++ {
		for m := 1; m <= 9; m++ {
			v, _ := strconv.ParseFloat(strconv.Itoa(m)+"e"+strconv.Itoa(k), 64) // exactly the decimal m·10ᵏ
			if v < min*(1-1e-9) || v > max*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || few && (m == 2 || m == 5) {
				t.Label = decimal(m, k)
			}
			ts = append(ts, t)
		}
	}
	return ts
}

// decimal writes m·10ᵏ as a plain decimal for 10⁻⁴ ≤ m·10ᵏ < 10⁶, else as "me-k".
func decimal(m, k int) string {
	if k >= -4 && k <= 5 {
		return strconv.FormatFloat(float64(m)*math.Pow10(k), 'f', max0(-k), 64)
	}
	return strconv.Itoa(m) + "e" + strconv.Itoa(k)
}

// IntTicks labels the integers from, from+1, …, to, as a confusion
// matrix's digits or a spectrum's ranks.
func IntTicks(from, to int) plot.ConstantTicks {
	ts := make(plot.ConstantTicks, 0, max(0, to-from+1))
	for k := from; k <= to; k++ {
		ts = append(ts, plot.Tick{Value: float64(k), Label: strconv.Itoa(k)})
	}
	return ts
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
