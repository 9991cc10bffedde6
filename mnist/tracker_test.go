package mnist

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestTrackerBesideTraining runs a tracker beside a run, with a budget that
// never binds, and checks its measurements against float64 products at the
// weights it was handed; then that Run returns once its context ends.
func TestTrackerBesideTraining(t *testing.T) {
	data := sparseData(400, 3)
	cfg := sharpConfig("sgd", map[string]float64{"momentum": 0.5}, 0.1)
	cfg.SharpnessEvery, cfg.Batch, cfg.Epochs = 0, 20, 2 // 20 steps an epoch
	tr, err := NewTrainer(cfg, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	track, err := NewTracker(tr, TrackerOptions{Examples: 100, Budget: 1000, PerEpoch: 5})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	var got []SharpnessEvent
	var wg sync.WaitGroup
	var runErr error
	wg.Go(func() {
		runErr = track.Run(ctx, func(ev SharpnessEvent) {
			mu.Lock()
			got = append(got, ev)
			mu.Unlock()
		})
	})
	models := map[int]*Model{}
	hook := func(ev StepEvent) {
		models[ev.Step+1] = tr.CurrentModel()
		track.Observe(ev)
		time.Sleep(2 * time.Millisecond) // a slower run, so that the tracker keeps up
	}
	if _, err := tr.Run(context.Background(), Hooks{Step: hook}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond) // the last measurement
	cancel()
	wg.Wait()
	if runErr != nil {
		t.Fatal(runErr)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) < 2 {
		t.Fatalf("%d measurements in 40 steps, want several", len(got))
	}
	for i, ev := range got {
		if i > 0 && ev.Step-got[i-1].Step < 4 {
			t.Errorf("measurements at steps %d and %d: closer than 20/5 = 4 steps", got[i-1].Step, ev.Step)
		}
		want := exactSharpness(t, models[ev.Step], data, 100, nil, 0)
		if math.Abs(ev.Sharpness-want) > 1e-4*want || math.Abs(ev.Threshold-3/0.1) > 1e-12 || ev.HVPs < 1 {
			t.Errorf("step %d: %+v, want sharpness %.8g and threshold 30", ev.Step, ev, want)
		}
	}
}

// TestTrackerObserveNeverBlocks: with no Run, Observe returns at once and
// takes no snapshot; a Run cancelled while it waits returns nil.
func TestTrackerObserveNeverBlocks(t *testing.T) {
	data := randomData(100, 1)
	tr, _ := NewTrainer(smallConfig(), data, nil)
	track, err := NewTracker(tr, TrackerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for step := range 1000 {
		track.Observe(StepEvent{Step: step + 1})
	}
	if track.last >= 0 {
		t.Errorf("a snapshot at step %d with nobody to measure it", track.last)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- track.Run(ctx, func(SharpnessEvent) { t.Error("a measurement without a snapshot") }) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v, want nil when its context ends", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
	if _, err := NewTracker(tr, TrackerOptions{Budget: -1}); err == nil {
		t.Error("budget -1: no error")
	}
}

// TestTrackerKeepsToItsBudget: with a budget far below one measurement's
// cost, the first snapshot is measured and no other.
func TestTrackerKeepsToItsBudget(t *testing.T) {
	data := sparseData(300, 3)
	cfg := sharpConfig("sgd", nil, 0.1)
	cfg.SharpnessEvery, cfg.Batch, cfg.Epochs = 0, 10, 1
	tr, _ := NewTrainer(cfg, data, nil)
	track, err := NewTracker(tr, TrackerOptions{Examples: 100, Budget: 1e-6, PerEpoch: 30})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var n atomic.Int64
	wg.Go(func() { track.Run(ctx, func(SharpnessEvent) { n.Add(1) }) })
	tr.Run(context.Background(), Hooks{Step: func(ev StepEvent) {
		track.Observe(ev)
		time.Sleep(3 * time.Millisecond)
	}})
	cancel()
	wg.Wait()
	if n.Load() != 1 || track.trained <= 0 {
		t.Errorf("%d measurements in 30 steps on a budget of 1e-6 of %.3g flops of training, want 1", n.Load(), track.trained)
	}
}

// TestTrackerObserveStart: once Run is ready, ObserveStart hands it the
// initial weights, measured as step 1 against step 1's α; before, it does
// nothing.
func TestTrackerObserveStart(t *testing.T) {
	data := sparseData(200, 3)
	cfg := sharpConfig("sgd", nil, 0.5)
	cfg.SharpnessEvery, cfg.Batch, cfg.Epochs = 0, 20, 1
	tr, err := NewTrainer(cfg, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	track, err := NewTracker(tr, TrackerOptions{Examples: 50})
	if err != nil {
		t.Fatal(err)
	}
	track.ObserveStart() // Run is not waiting: nothing happens
	if track.Ready() {
		t.Fatal("ready before Run")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(chan SharpnessEvent, 1)
	go track.Run(ctx, func(ev SharpnessEvent) { got <- ev })
	for !track.Ready() {
		time.Sleep(time.Millisecond)
	}
	m := tr.CurrentModel()
	track.ObserveStart()
	ev := <-got
	want := exactSharpness(t, m, data, 50, nil, 0)
	if ev.Step != 1 || ev.LR != 0.5 || ev.Threshold != 4 || math.Abs(ev.Sharpness-want) > 1e-3*want {
		t.Errorf("the first measurement %+v, want step 1 at α 0.5, λmax %v", ev, want)
	}
}

// TestTrackerSetBudget: after a budget far above its work, a lower one
// counts from the change, so the measurements go on at the lower rate
// instead of waiting until the training has paid for the earlier ones.
func TestTrackerSetBudget(t *testing.T) {
	data := sparseData(300, 3)
	cfg := sharpConfig("sgd", nil, 0.1)
	cfg.SharpnessEvery, cfg.Batch, cfg.Epochs = 0, 10, 1
	tr, _ := NewTrainer(cfg, data, nil)
	track, err := NewTracker(tr, TrackerOptions{Examples: 100, Budget: 1000, PerEpoch: 30})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var mu sync.Mutex
	var steps []int
	wg.Go(func() {
		track.Run(ctx, func(ev SharpnessEvent) {
			mu.Lock()
			steps = append(steps, ev.Step)
			mu.Unlock()
		})
	})
	var changed float64
	tr.Run(context.Background(), Hooks{Step: func(ev StepEvent) {
		if ev.Step == 10 {
			changed = float64(track.spent.Load()) / track.trained
			track.SetBudget(10)
		}
		track.Observe(ev)
		time.Sleep(3 * time.Millisecond)
	}})
	cancel()
	wg.Wait()
	late := 0
	for _, s := range steps {
		if s > 12 {
			late++
		}
	}
	if changed <= 10 || late == 0 || late > 3 {
		t.Errorf("measured at steps %v; at the change the measurements had cost %.3g× the training, want > 10 and then 1 to 3 measurements at budget 10", steps, changed)
	}
}
