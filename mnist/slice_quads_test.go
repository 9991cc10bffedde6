package mnist

import (
	"context"
	"math"
	"testing"
)

// TestSliceQuadsEqualPlain checks every point of float32 slices of a sigmoid
// network, whose grid rows are computed two points at a time where the
// fused kernels run (slice_quads.go), against the plain computation: on a
// fine grid, and on one so coarse that |Δ·P_D| is past maxQuadShift and
// the points are computed one by one.
func TestSliceQuadsEqualPlain(t *testing.T) {
	data := randomData(300, 7)
	_, p := planeModel(t, Arch{Hidden: []int{7}, Activation: Sigmoid}, 13)
	s, _ := NewSlicer[float32](p, Probe{data, 300})
	for _, o := range []SliceOptions{
		{Grid: 7, Domain: [4]float64{-0.6, 0.6, -1, 0.2}, Preview: 3},
		{Grid: 4, Domain: [4]float64{-900, 900, -0.5, 0.5}, Preview: -1},
	} {
		sl, err := s.Compute(context.Background(), o, nil)
		if err != nil {
			t.Fatal(err)
		}
		for j, b := range sl.B {
			for i, a := range sl.A {
				want, acc := plainLoss(t, p, data, 300, a, b)
				if got := sl.Loss[j][i]; math.Abs(got-want) > 2e-5*want || math.Abs(sl.Accuracy[j][i]-acc) > 2.0/300 {
					t.Errorf("grid %d at (%g, %g): %.8g (accuracy %g), plain %.8g (%g)", o.Grid, a, b, got, sl.Accuracy[j][i], want, acc)
				}
			}
		}
	}
}
