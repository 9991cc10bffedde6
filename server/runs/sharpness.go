package runs

import (
	"context"
	"sync"
	"time"

	"descent/mnist"
	"descent/server/internal/priority"
	"descent/server/steps"
)

// Sharpness tracking beside a live run. A run that asked for it gets an
// mnist.Tracker when it starts to train: the Step hook offers it the weights
// (Observe copies them only when the tracker is ready and within its
// budget, otherwise it returns at once), and the tracker measures on a
// goroutine of its own, on its own thread at training's priority (its first
// measurement is of the weights the run starts from), so that a
// measurement shares the cores as a run does and never waits for the
// training goroutine, nor it for the measurement. Each measurement becomes a
// mark of the run's series (sent to the pages with the steps it follows) and
// a row of the store. The tracker stops with the training: a measurement
// still running is dropped.

// DefaultSharpnessBudget is the trackers' budget when Config.SharpnessBudget
// is 0: the tracker's own default.
const DefaultSharpnessBudget = 0.1

// PacedSharpnessBudget is the budget of a paced run's tracker: such a run
// waits on the clock most of the time (the report's network trains an
// epoch in about 0.1 s of a core, and the page's default pace gives it
// 10 s), so its tracker may do several times its run's work, and
// TrackerOptions.PerEpoch (20 measurements an epoch) bounds it instead:
// for the report's network, 20 measurements of about 8 products on 1,000
// images each, 0.5 to 1 s of a core an epoch.
const PacedSharpnessBudget = 8

// budget is the trackers' budget for a run at a pace of epochSeconds (0:
// as fast as it goes).
func (m *Manager) budget(epochSeconds float64) float64 {
	switch {
	case epochSeconds > 0:
		return max(PacedSharpnessBudget, m.cfg.SharpnessBudget)
	case m.cfg.SharpnessBudget > 0:
		return m.cfg.SharpnessBudget
	}
	return DefaultSharpnessBudget
}

// trackPace sets the tracker's budget for the run's pace when the pace has
// changed, on the training goroutine.
func (r *Live) trackPace() {
	if secs, _ := r.pace.get(); secs != r.tracked {
		r.tracked = secs
		r.tracker.SetBudget(r.m.budget(secs))
	}
}

// track starts the run's tracker, when the run is tracked, and returns the
// function that stops it and waits for it. It runs on the training
// goroutine, before Trainer.Run.
func (r *Live) track() (stop func()) {
	if r.sharpness == 0 {
		return func() {}
	}
	r.tracked, _ = r.pace.get()
	tr, err := mnist.NewTracker(r.trainer, mnist.TrackerOptions{Examples: r.sharpness, Budget: r.m.budget(r.tracked)})
	if err != nil {
		r.m.log.Error("server: sharpness tracking", "run", r.id, "err", err)
		return func() {}
	}
	r.tracker = tr
	ctx, cancel := context.WithCancel(r.ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		priority.Lower(priority.Training) // its thread ends with this goroutine
		if err := tr.Run(ctx, r.onSharpness); err != nil {
			r.m.log.Warn("server: sharpness tracking stopped", "run", r.id, "err", err)
		}
	}()
	for deadline := time.Now().Add(startWait); !tr.Ready() && time.Now().Before(deadline); {
		time.Sleep(100 * time.Microsecond)
	}
	tr.ObserveStart() // the first measurement at the start
	return func() {
		cancel()
		wg.Wait()
	}
}

// startWait bounds how long a run waits for its tracker to be ready before
// its first step, so that the first measurement is of its initial weights;
// it takes microseconds unless the cores are busy.
const startWait = 100 * time.Millisecond

// onSharpness records one measurement, on the tracker's goroutine: a mark of
// the series, and a row of the store (a store that refuses it refuses the
// run's steps too, which stops the run).
func (r *Live) onSharpness(ev mnist.SharpnessEvent) {
	r.steps.AddMark(steps.MarkOf(ev.Step, ev.Sharpness, ev.Threshold, ev.LR))
	if r.storeID != 0 && !r.st.deleted.Load() {
		if err := r.m.st.AddSharpness(r.storeID, ev); err != nil {
			r.m.log.Warn("server: a sharpness measurement was not kept", "run", r.id, "step", ev.Step, "err", err)
		}
	}
}

// preloadMarks fills a restarted run's marks up to step from the store.
func (r *Live) preloadMarks(ctx context.Context, step int) error {
	evs, err := r.m.st.Sharpness(ctx, r.storeID)
	if err != nil {
		return err
	}
	for _, e := range evs {
		if e.Step <= step {
			r.steps.AddMark(steps.MarkOf(e.Step, e.Sharpness, e.Threshold, e.LR))
		}
	}
	return nil
}
