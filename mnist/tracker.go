package mnist

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"
)

// TrackerOptions set a Tracker. Zero values take the defaults.
type TrackerOptions struct {
	// Examples is the probe set: the first Examples training images of the
	// run. If 0, it is defaulted to DefaultSharpnessExamples (or the run's
	// training images when fewer).
	Examples int
	// Budget is the share of one core that the tracker may take, averaged
	// over its measurements: after a measurement of t seconds it rests
	// t·(1 − Budget)/Budget. Sharing a core with its run, it slows the run by
	// at most Budget/(1 − Budget); beside it on a free core, hardly at all.
	// If 0, it is defaulted to 0.15, which keeps the slowdown under 18 %.
	Budget float64
	// PerEpoch is the most measurements an epoch: snapshots are at least
	// ⌈steps per epoch/PerEpoch⌉ steps apart. If 0, it is defaulted to 20.
	PerEpoch int
}

// Tracker measures a run's sharpness beside its training, as often as its
// budget allows: about 20 measurements an epoch would cost a batch-64 run
// several times its own time (a warm-started measurement on 1,000 images is
// about 10 ms, 50 of its steps), so the budget, not a fixed K, sets the
// rate. The training goroutine hands it a snapshot of the weights (and of
// Adam's preconditioner) through Observe, in microseconds, only when it is
// ready for one; Run measures on its own goroutine, never blocking training.
type Tracker struct {
	t      *Trainer
	meter  *sharpnessMeter
	budget float64
	gap    int // steps between snapshots, at least

	want  atomic.Bool   // Run is ready for a snapshot
	ready chan struct{} // a snapshot was taken
	last  int           // the step of the last snapshot; training goroutine only
	snap  snapshot      // written by Observe while want is true, read by Run after ready
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
	if opt.Budget < 0 || opt.Budget > 1 || opt.PerEpoch < 0 || opt.Examples < 0 {
		return nil, fmt.Errorf("mnist: tracker budget %g (want (0, 1]), %d per epoch, %d examples", opt.Budget, opt.PerEpoch, opt.Examples)
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
// the run's Step hook, on the training goroutine: when Run is ready and the
// last snapshot is far enough back, it copies the weights (about 80,000
// floats for the report's network) and returns; otherwise it returns at once.
func (tr *Tracker) Observe(ev StepEvent) {
	if !tr.want.Load() || ev.Step-tr.last < tr.gap {
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

// Run measures every snapshot that Observe hands it and passes each result
// to emit, on Run's goroutine (emit must not block for long), resting after
// each measurement to keep to the budget. It returns nil when ctx ends, and
// starts no goroutine of its own.
func (tr *Tracker) Run(ctx context.Context, emit func(SharpnessEvent)) error {
	defer tr.want.Store(false)
	for {
		tr.want.Store(true)
		select {
		case <-ctx.Done():
			return nil
		case <-tr.ready:
		}
		s := &tr.snap
		ev, err := tr.meter.measure(ctx, s.params, s.precond, s.step, s.lr)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return err
		}
		emit(ev)
		if !sleep(ctx, time.Duration(ev.Seconds*(1-tr.budget)/tr.budget*float64(time.Second))) {
			return nil
		}
	}
}

// sleep waits for d, and reports false if ctx ends first.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
