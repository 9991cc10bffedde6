package steps

import (
	"encoding/json"
	"math"
	"sync"
	"testing"
)

// TestThinRule checks the one rule: groups of ⌈n/max⌉ steps, each with its
// mean, its lowest and highest loss, the last rate, at its last step.
func TestThinRule(t *testing.T) {
	var s Series
	for i := range 10 {
		s.Add(Point{Loss: float32(i), GradNorm: 2 * float32(i), UpdateRatio: 1, LR: float32(i) / 10, SamplesPerSec: 64})
	}
	got := s.Points(0, 10, 4) // groups of 3: [0 1 2] [3 4 5] [6 7 8] [9]
	wantStep := []int{3, 6, 9, 10}
	wantLoss := []float32{1, 4, 7, 9}
	wantMin := []float32{0, 3, 6, 9}
	wantMax := []float32{2, 5, 8, 9}
	for i := range wantStep {
		if got.Step[i] != wantStep[i] || got.Loss[i] != wantLoss[i] || got.LossMin[i] != wantMin[i] || got.LossMax[i] != wantMax[i] {
			t.Errorf("point %d: step %d loss %g [%g, %g], want step %d loss %g [%g, %g]", i, got.Step[i], got.Loss[i],
				got.LossMin[i], got.LossMax[i], wantStep[i], wantLoss[i], wantMin[i], wantMax[i])
		}
	}
	if got.LR[0] != 0.2 || got.GradNorm[1] != 8 {
		t.Errorf("lr %g (want the group's last, 0.2), gradNorm %g (want the mean, 8)", got.LR[0], got.GradNorm[1])
	}
	if full := s.Points(2, 6, 100); full.Len() != 4 || full.LossMin != nil || full.Step[0] != 3 {
		t.Errorf("steps that fit: %d points from step %d, lossMin %v; want 4 whole steps from step 3", full.Len(), full.Step[0], full.LossMin)
	}
	// Thinning thinned points keeps the extremes of the groups they stand for.
	again := got.Thin(2)
	if again.Len() != 2 || again.LossMin[0] != 0 || again.LossMax[0] != 5 || again.LossMax[1] != 9 {
		t.Errorf("thinned twice: %+v, want [0, 5] and [6, 9]", again)
	}
}

// TestThinKeepsSpikesAndDivergence thins a long curve with a spike, a low
// point and a divergence at its end.
func TestThinKeepsSpikesAndDivergence(t *testing.T) {
	var c Columns
	n := 100_000
	for i := range n {
		p := Point{Loss: float32(2 / math.Sqrt(float64(i+1)))}
		switch i {
		case 31_337:
			p.Loss = 50
		case 70_000:
			p.Loss = -1
		case n - 1:
			p.Loss = float32(math.NaN())
		}
		c.Add(i+1, p)
	}
	th := c.Thin(400)
	if th.Len() > 400 || th.Len() < 200 {
		t.Fatalf("%d points, want 200 to 400", th.Len())
	}
	var hi, lo float32 = 0, 10
	for i := range th.Len() - 1 {
		hi, lo = max(hi, th.LossMax[i]), min(lo, th.LossMin[i])
	}
	if hi != 50 || lo != -1 {
		t.Errorf("highest %g and lowest %g, want the spike 50 and the low -1", hi, lo)
	}
	if last := th.Len() - 1; !math.IsNaN(float64(th.Loss[last])) || th.Step[last] != n {
		t.Errorf("last point: step %d loss %g, want the divergence (NaN) at step %d", th.Step[last], th.Loss[last], n)
	}
}

func TestColumnJSON(t *testing.T) {
	c := Column{0.1, float32(math.Inf(1)), float32(math.NaN()), 3}
	b, err := json.Marshal(c)
	if err != nil || string(b) != "[0.1,null,null,3]" {
		t.Fatalf("marshal: %s %v", b, err)
	}
	var back Column
	if err := json.Unmarshal(b, &back); err != nil || back[0] != 0.1 || !math.IsNaN(float64(back[1])) || back[3] != 3 {
		t.Errorf("unmarshal: %v %v", back, err)
	}
}

// TestSeriesConcurrentReaders reads the series while it grows across
// chunks: a reader sees only whole steps (run with -race).
func TestSeriesConcurrentReaders(t *testing.T) {
	var s Series
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range 3 * chunkSize {
			s.Add(Point{Loss: float32(i), LR: float32(i)})
		}
	}()
	for s.Len() < 3*chunkSize {
		n := s.Len()
		for i := max(0, n-10); i < n; i++ {
			if p := s.At(i); p.Loss != float32(i) || p.LR != float32(i) {
				t.Fatalf("step index %d read as %+v", i, p)
			}
		}
	}
	wg.Wait()
}
