package spectrum

import (
	"context"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestHutchinson(t *testing.T) {
	n, probes := 200, 400
	a := withSpectrum(hessianLike(n, 5), 5)
	trace, offDiag2 := 0.0, 0.0
	for i := range n {
		trace += a.At(i, i)
		for j := range n {
			if i != j {
				offDiag2 += a.At(i, j) * a.At(i, j)
			}
		}
	}
	tr, err := Hutchinson(context.Background(), operator(a), n, probes, 1)
	if err != nil {
		t.Fatal(err)
	}
	// Var(zᵀAz) = 2·Σ_{i≠j} Aᵢⱼ² for Rademacher z (Hutchinson 1990).
	se := math.Sqrt(2 * offDiag2 / float64(probes))
	if math.Abs(tr.Mean-trace) > 4*se || tr.Probes != probes {
		t.Errorf("trace %v ± %v over %d probes, want %v ± %v", tr.Mean, tr.StdErr, tr.Probes, trace, se)
	}
	if math.Abs(tr.StdErr-se) > 0.2*se {
		t.Errorf("standard error %v, want about %v", tr.StdErr, se)
	}
}

// TestHutchinsonDiagonal: on a diagonal matrix zᵀAz = tr(A) for every
// Rademacher z, so the estimate is exact and its standard error 0.
func TestHutchinsonDiagonal(t *testing.T) {
	d := mat.NewSymDense(5, nil)
	for i, v := range []float64{1, -2, 3, 0.5, 7} {
		d.SetSym(i, i, v)
	}
	tr, err := Hutchinson(context.Background(), operator(d), 5, 10, 1)
	if err != nil || tr.Mean != 9.5 || tr.StdErr != 0 {
		t.Errorf("trace %+v, %v; want exactly 9.5 ± 0", tr, err)
	}
	if _, err := Hutchinson(context.Background(), operator(d), 5, 0, 1); err == nil {
		t.Error("0 probes: no error")
	}
}
