package traj

import (
	"sync"
	"testing"
	"time"

	"descent/server/protocol"
)

// TestSlowWriterHoldsSetBack plays a set as fast as possible while its
// page's writer takes nothing: the set stops at maxPendingIterates, so a
// slow page costs bounded memory; then every step comes out in order.
func TestSlowWriterHoldsSetBack(t *testing.T) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	defer func() { close(done); wg.Wait() }()
	sets := NewSets(func() {}, done, &wg)
	rate := 0.0
	start := &protocol.TrajStart{Fn: "rosenbrock", Start: [2]float64{-1.5, 2}, Steps: protocol.MaxTrajSteps, Rate: &rate,
		Optimizers: []protocol.TrajOptimizer{{Method: "adam"}, {Method: "gd"}, {Method: "sgd"}}}
	plan, err := Check(start, protocol.MaxTrajSteps)
	if err != nil {
		t.Fatal(err)
	}
	if err := sets.Start(plan, 1); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	for _, s := range sets.list() {
		if n := maxPendingIterates - s.room(); n > maxPendingIterates+protocol.MaxTrajOptimizers || n < maxPendingIterates/2 {
			t.Errorf("%d iterates pending, want about %d", n, maxPendingIterates)
		}
	}
	last := map[int]int{0: -1, 1: -1, 2: -1}
	for deadline := time.Now().Add(30 * time.Second); last[0] < protocol.MaxTrajSteps && time.Now().Before(deadline); {
		err := sets.Flush(func(v any) error {
			if p, ok := v.(protocol.TrajPoints); ok {
				for _, it := range p.Points {
					if it.Step != last[it.Trajectory]+1 {
						t.Fatalf("trajectory %d: step %d after %d", it.Trajectory, it.Step, last[it.Trajectory])
					}
					last[it.Trajectory] = it.Step
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if last[0] != protocol.MaxTrajSteps {
		t.Errorf("adam reached step %d, want %d", last[0], protocol.MaxTrajSteps)
	}
}
