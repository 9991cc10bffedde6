package mnist

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"time"
)

// TrackerOptions set a Tracker. Zero values take the defaults.
type TrackerOptions struct {
	// Examples is the probe set: the first Examples training images of the
	// run. If 0, it is defaulted to DefaultSharpnessExamples (or the run's
	// training images when fewer).
	Examples int
	// Budget bounds the tracker's cost against its run's: a snapshot is taken
	// only while the measurements so far have cost at most Budget times the
	// run's training time (the CPU time of the tracker's thread, on Linux,
	// against the steps' own wall time, as StepEvent.SamplesPerSec counts
	// it). Sharing a core with its run, the tracker then slows it by about
	// Budget; on a free core, hardly at all, and the caller may allow more
	// than 1. If 0, it is defaulted to 0.15.
	Budget float64
	// PerEpoch is the most measurements an epoch: snapshots are at least
	// ⌈steps per epoch/PerEpoch⌉ steps apart. If 0, it is defaulted to 20.
	PerEpoch int
}

// Tracker measures a run's sharpness beside its training, as often as its
// budget allows. A fixed K of about 20 measurements an epoch would cost a
// batch-64 run more than twice its own time (a warm-started measurement on
// 1,000 images is about 8 float32 products, some 25 ms, while an epoch of
// 938 steps takes about 0.2 s), so the budget, not K, sets the rate: about
// one measurement an epoch at batch 64, one every few steps for full-batch
// gradient descent on 5,000 images. The training goroutine hands it a copy
// of the weights (and of Adam's preconditioner) through Observe, in
// microseconds, only when it is ready for one and within budget; Run
// measures on its own goroutine and never blocks training.
type Tracker struct {
	t      *Trainer
	meter  *sharpnessMeter
	budget float64
	gap    int // steps between snapshots, at least

	want  atomic.Bool   // Run is ready for a snapshot
	spent atomic.Int64  // nanoseconds of measurement so far
	ready chan struct{} // a snapshot was taken
	snap  snapshot      // written by Observe while want is true, read by Run after ready

	// The training goroutine's accounts.
	last         int     // the step of the last snapshot
	trained      float64 // seconds of training so far
	epochElapsed float64 // seconds of training in the current epoch so far
}

// snapshot is the state a measurement needs.
type snapshot struct {
	step    int
	lr      float64
	params  []float32
	precond []float64
}

// NewTracker prepares a tracker for the run t.
func NewTracker(t *Trainer, opt TrackerOptions) (*Tracker, error) {
	if opt.Budget < 0 || opt.PerEpoch < 0 || opt.Examples < 0 {
		return nil, fmt.Errorf("mnist: tracker budget %g (want > 0), %d per epoch, %d examples", opt.Budget, opt.PerEpoch, opt.Examples)
	}
	if opt.Budget == 0 {
		opt.Budget = 0.15
	}
	if opt.PerEpoch == 0 {
		opt.PerEpoch = 20
	}
	n, err := Config{SharpnessExamples: opt.Examples}.sharpnessExamples(t.train.N)
	if err != nil {
		return nil, err
	}
	meter, err := newSharpnessMeter(t.cfg.Arch, t.train, n, t.opt)
	if err != nil {
		return nil, err
	}
	tr := &Tracker{t: t, meter: meter, budget: opt.Budget, ready: make(chan struct{}, 1),
		gap: (t.StepsPerEpoch() + opt.PerEpoch - 1) / opt.PerEpoch, last: -1 << 30}
	tr.snap.params = make([]float32, len(t.net.Params))
	if meter.d != nil {
		tr.snap.precond = make([]float64, len(t.net.Params))
	}
	return tr, nil
}

// Observe offers the weights after the step ev to the tracker. Call it from
// the run's Step hook, on the training goroutine, for every step: when Run
// is ready, the last snapshot far enough back and the budget not spent, it
// copies the weights (about 80,000 floats for the report's network);
// otherwise it returns at once.
func (tr *Tracker) Observe(ev StepEvent) {
	tr.account(ev)
	if !tr.want.Load() || ev.Step-tr.last < tr.gap || float64(tr.spent.Load())/1e9 > tr.budget*tr.trained {
		return
	}
	if !tr.meter.preconditioner(tr.t.opt, tr.snap.precond) {
		return
	}
	copy(tr.snap.params, tr.t.net.Params)
	tr.snap.step, tr.snap.lr = ev.Step+1, tr.t.lrAt(ev.Step) // the weights step ev.Step + 1 starts from
	tr.last = ev.Step
	tr.want.Store(false)
	select {
	case tr.ready <- struct{}{}:
	default:
	}
}

// account adds the step's training time, from the epoch's throughput so far.
func (tr *Tracker) account(ev StepEvent) {
	if ev.SamplesPerSec <= 0 {
		return
	}
	elapsed := float64(min(ev.Batch*tr.t.cfg.Batch, tr.t.train.N)) / ev.SamplesPerSec
	if ev.Batch == 1 {
		tr.epochElapsed = 0
	}
	tr.trained += max(elapsed-tr.epochElapsed, 0)
	tr.epochElapsed = elapsed
}

// Run measures every snapshot that Observe hands it and passes each result
// to emit, on Run's goroutine (emit must not block for long). It returns nil
// when ctx ends, and starts no goroutine of its own. Call it once.
func (tr *Tracker) Run(ctx context.Context, emit func(SharpnessEvent)) error {
	defer tr.want.Store(false)
	for {
		tr.want.Store(true)
		select {
		case <-ctx.Done():
			return nil
		case <-tr.ready:
		}
		ev, err := tr.measure(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return err
		}
		emit(ev)
	}
}

// measure measures the snapshot on a locked thread and adds its cost to
// spent: the thread's CPU time where the system tells it (Linux), else the
// wall time.
func (tr *Tracker) measure(ctx context.Context) (SharpnessEvent, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := time.Now()
	cpu0, ok0 := threadCPU()
	s := &tr.snap
	ev, err := tr.meter.measure(ctx, s.params, s.precond, s.step, s.lr)
	cost := time.Since(start)
	if cpu1, ok1 := threadCPU(); ok0 && ok1 {
		cost = cpu1 - cpu0
	}
	tr.spent.Add(int64(cost))
	return ev, err
}
