package plotkit

import (
	"math"
	"testing"
)

// TestTransform inverts the log transform and spaces levels evenly in it,
// strictly inside the range.
func TestTransform(t *testing.T) {
	tr := Transform{Log: true, Min: 2, Eps: 1e-5}
	for _, z := range []float64{2, 2.5, 10, 1e6} {
		if got := tr.Invert(tr.Apply(z)); math.Abs(got-z) > 1e-9*math.Max(1, z) {
			t.Errorf("Invert(Apply(%g)) = %g", z, got)
		}
	}
	sorted := []float64{2, 3, 50, 1e4}
	lv := Levels(sorted, tr, 4)
	if len(lv) != 4 {
		t.Fatalf("%d levels, want 4", len(lv))
	}
	step := tr.Apply(lv[1]) - tr.Apply(lv[0])
	for k, v := range lv {
		if !(v > sorted[0] && v < sorted[len(sorted)-1]) {
			t.Errorf("level %d = %g outside (%g, %g)", k, v, sorted[0], sorted[len(sorted)-1])
		}
		if k > 0 && math.Abs(tr.Apply(v)-tr.Apply(lv[k-1])-step) > 1e-9 {
			t.Errorf("levels %v are not evenly spaced in log₁₀(J − min + ε)", lv)
		}
	}
	if Levels([]float64{1, 1}, Transform{}, 3) != nil {
		t.Error("a flat grid has levels")
	}
}

// TestGrid samples at cell centres, row 0 at YMin, and keeps cells about
// square.
func TestGrid(t *testing.T) {
	g := Sample(func(x, y float64) float64 { return 10*x + y }, Rect{XMin: 0, XMax: 4, YMin: -1, YMax: 1}, 4, 2)
	if got := g.Z(1, 0); got != 10*1.5-0.5 {
		t.Errorf("Z(1, 0) = %g, want J(1.5, −0.5) = 14.5", got)
	}
	if cols, rows := CellsFor(g.Rect(), 300); cols != 300 || rows != 150 {
		t.Errorf("CellsFor 4 × 2 = %d × %d, want 300 × 150", cols, rows)
	}
	if cols, rows := CellsFor(Rect{XMax: 1, YMax: 100}, 300); cols != 16 || rows != 300 {
		t.Errorf("CellsFor 1 × 100 = %d × %d, want at least 16 columns", cols, rows)
	}
}
