package phase

import (
	"testing"
	"time"
)

// TestMarksChargeTheirPhase times a step of two phases and checks that each
// gets its own time, the rest goes to Rest, and marks outside a step or
// without a Recorder count nothing.
func TestMarksChargeTheirPhase(t *testing.T) {
	Mark(Gather) // no Recorder: nothing happens
	r := Start()
	defer Stop()
	Mark(Gather) // outside a step
	Begin()
	time.Sleep(2 * time.Millisecond)
	Mark(Gather)
	time.Sleep(4 * time.Millisecond)
	Mark(Forward(1))
	End()
	Mark(Softmax) // after the step
	if r.Steps != 1 {
		t.Fatalf("%d steps, want 1", r.Steps)
	}
	g, f := r.Total[Gather], r.Total[Forward(1)]
	if g < 2*time.Millisecond || f < 4*time.Millisecond { // sleeps may overshoot, never undershoot
		t.Errorf("gather %v, forward %v: want at least 2 ms and 4 ms", g, f)
	}
	if r.Total[Softmax] != 0 || r.Total[Forward(0)] != 0 {
		t.Errorf("phases outside the step were charged: %v", r.Total)
	}
}

func TestNames(t *testing.T) {
	for p, want := range map[Phase]string{
		Forward(0): "product x·W₁ᵀ", WeightGrad(1): "product δ₂ᵀ·a₁", InputGrad(1): "product δ₂·W₂",
		Forward(4): "product a₄·W₅ᵀ", Gather: "gather and normalise the batch",
	} {
		if got := p.String(); got != want {
			t.Errorf("phase %d is %q, want %q", p, got, want)
		}
	}
	if !Forward(0).IsProduct() || Rest.IsProduct() {
		t.Error("IsProduct is wrong")
	}
}
