package server

import (
	"math"
	"slices"
	"testing"
)

// TestThinIndices wants a long loss curve cut to at most maxPoints steps,
// in order, that keep its spike, its lowest point and its divergence.
func TestThinIndices(t *testing.T) {
	n := 100_000
	loss := make([]float64, n)
	for i := range loss {
		loss[i] = 2 / math.Sqrt(float64(i+1))
	}
	loss[31_337] = 50 // a spike
	loss[70_000] = -1 // the lowest
	loss[99_998] = math.Inf(1)
	loss[99_999] = math.NaN() // diverged
	idx := thinIndices(n, 400, func(i int) float64 { return loss[i] })
	if len(idx) > 400 || len(idx) < 200 || !slices.IsSorted(idx) {
		t.Fatalf("%d indices (sorted %v), want 200 to 400 in order", len(idx), slices.IsSorted(idx))
	}
	for _, want := range []int{0, 31_337, 70_000} {
		if !slices.Contains(idx, want) {
			t.Errorf("step index %d is left out", want)
		}
	}
	if last := idx[len(idx)-1]; last < 99_998 {
		t.Errorf("the last index kept is %d, want the divergence at 99998 or 99999", last)
	}
	if thinIndices(400, 400, nil) != nil || thinIndices(5, 0, nil) != nil {
		t.Error("short runs are not thinned")
	}
}
