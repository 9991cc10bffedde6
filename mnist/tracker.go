package mnist

import (
	"context"
	"fmt"
	"sync/atomic"
)

// TrackerOptions set a Tracker. Zero values take the defaults.
type TrackerOptions struct {
	// Examples is the probe set: the first Examples training images of the
	// run. If 0, it is defaulted to DefaultSharpnessExamples (or the run's
	// training images when fewer).
	Examples int
	// Budget bounds the tracker's work against its run's: a snapshot is
	// taken only while the measurements so far have done at most Budget
	// times the arithmetic of the training steps so far (the matrix products
	// of each, counted from the shapes: a product over N images costs about
	// what a training step on N images does). Counted in work, not in time,
	// the budget holds however loaded the machine is, and a run's
	// measurements fall at the same steps every time. Sharing a core with its
	// run, the tracker slows it by about Budget; on a free core, hardly at
	// all, and the caller may allow more than 1. If 0, it is defaulted to
	// 0.1: the products are not all of a measurement's work (Lanczos, the
	// conversions to float32, the caches it evicts), and the slowdown of the
	// report's run with it is about 15 % on a shared core.
	Budget float64
	// PerEpoch is the most measurements an epoch: snapshots are at least
	// ⌈steps per epoch/PerEpoch⌉ steps apart. If 0, it is defaulted to 20.
	PerEpoch int
}

// Tracker measures a run's sharpness beside its training, as often as its
// budget allows. A fixed K of about 20 measurements an epoch would cost a
// batch-64 run more than twice its own work (a warm-started measurement on
// 1,000 images is about 8 products, each about a training step on 1,000
// images, while an epoch is 60,000 images), so the budget, not K, sets the
// rate: about one measurement an epoch for the report's run, one every
// 5 to 10 steps for full-batch gradient descent on 5,000 images. The training goroutine hands it a copy
// of the weights (and of Adam's preconditioner) through Observe, in
// microseconds, only when it is ready for one and within budget; Run
// measures on its own goroutine and never blocks training.
type Tracker struct {
	t      *Trainer
	meter  *sharpnessMeter
	budget float64
	gap    int // steps between snapshots, at least

	want  atomic.Bool   // Run is ready for a snapshot
	spent atomic.Int64  // flops of the measurements so far
	ready chan struct{} // a snapshot was taken
	snap  snapshot      // written by Observe while want is true, read by Run after ready

	cost    workCost
	last    int     // the step of the last snapshot; training goroutine only
	trained float64 // flops of the training so far; training goroutine only
	from    ledger  // the work when the budget was last set; training goroutine only
}

// ledger is the work done by the training and by the measurements.
type ledger struct {
	trained float64
	spent   int64
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
		opt.Budget = 0.1
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
	tr := &Tracker{t: t, meter: meter, budget: opt.Budget, ready: make(chan struct{}, 1), cost: costOf(t.cfg.Arch),
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
	if !tr.want.Load() || ev.Step-tr.last < tr.gap || float64(tr.spent.Load()-tr.from.spent) > tr.budget*(tr.trained-tr.from.trained) {
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

// SetBudget changes the budget (TrackerOptions.Budget) from the next step
// on: the measurements from then are counted against the training from
// then, so that a budget raised for a while and lowered again does not
// stop the measurements until the training has caught up. A paced run,
// which waits on the clock most of the time, may allow its tracker more.
// Call it on the training goroutine, as Observe.
func (tr *Tracker) SetBudget(b float64) {
	if b > 0 {
		tr.budget, tr.from = b, ledger{tr.trained, tr.spent.Load()}
	}
}

// Ready reports whether Run is waiting for a snapshot.
func (tr *Tracker) Ready() bool { return tr.want.Load() }

// ObserveStart offers the weights that the run's next step starts from
// (the initial weights, or a checkpoint's), so that the first measurement
// is at the start, where a large rate's catapult begins (Lewkowycz et al.
// 2020). Call it on the goroutine that trains, before Trainer.Run, once
// Run is Ready; otherwise it does nothing. It adds no training work.
func (tr *Tracker) ObserveStart() {
	if !tr.want.Load() || !tr.meter.preconditioner(tr.t.opt, tr.snap.precond) {
		return
	}
	k := tr.t.Progress()
	copy(tr.snap.params, tr.t.net.Params)
	tr.snap.step, tr.snap.lr = k+1, tr.t.lrAt(k)
	tr.last = k
	tr.want.Store(false)
	select {
	case tr.ready <- struct{}{}:
	default:
	}
}

// account adds the step's work: its samples' matrix products.
func (tr *Tracker) account(ev StepEvent) {
	b, n := tr.t.cfg.Batch, tr.t.train.N
	samples := min(ev.Batch*b, n) - min((ev.Batch-1)*b, n)
	tr.trained += float64(samples) * tr.cost.step
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

// measure measures the snapshot and adds its work to spent.
func (tr *Tracker) measure(ctx context.Context) (SharpnessEvent, error) {
	s := &tr.snap
	ev, err := tr.meter.measure(ctx, s.params, s.precond, s.step, s.lr)
	n := float64(tr.meter.h.Examples())
	tr.spent.Add(int64(n * (tr.cost.setParams + float64(ev.HVPs)*tr.cost.hvp)))
	return ev, err
}

// workCost is the flops per image of the matrix products of a training
// step, of the passes a Hessian caches (Hessian.SetParams) and of one
// Hessian-vector product, for a network: 2·in·out per product of a layer,
//
//	training step: first layer x·Wᵀ, δᵀx; the others also δ·W        (2, 3)
//	SetParams:     first layer x·Wᵀ; the others also δ·W             (1, 2)
//	product:       first layer X·Vᵀ, R{δ}ᵀX; the others six products (2, 6)
type workCost struct{ step, setParams, hvp float64 }

func costOf(a Arch) workCost {
	var c workCost
	s := a.Sizes()
	for l := 0; l+1 < len(s); l++ {
		f := 2 * float64(s[l]*s[l+1])
		if l == 0 {
			c.step, c.setParams, c.hvp = c.step+2*f, c.setParams+f, c.hvp+2*f
			continue
		}
		c.step, c.setParams, c.hvp = c.step+3*f, c.setParams+2*f, c.hvp+6*f
	}
	return c
}
