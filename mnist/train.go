package mnist

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"descent/optim"
)

// Trainer runs one training run: the report's recipe of batch, forward, loss,
// backward, step, report, over shuffled epochs. It knows nothing of how its
// events are shown. Pause, Resume, Snapshot and Progress may be called from other
// goroutines while Run runs.
type Trainer struct {
	cfg         Config
	train, test *Dataset
	net         *Net[float32]
	opt         optim.Measured[float32]
	sgd         *optim.SGD[float32] // opt, when it is plain SGD (see plainSGD)
	ahead       ahead               // the next step's first product, at batch 1 (see sgdone.go)
	perm        []int32             // this epoch's minibatch order
	next        []int32             // the minibatch after the current step's, to prefetch
	pcg         *rand.PCG
	first       int // the epoch Run starts at: 1, or after a checkpoint's

	mu     sync.Mutex
	resume chan struct{} // non-nil while paused; closed by Resume

	snap atomic.Pointer[Model] // the weights after the last finished epoch
	done atomic.Int64          // steps done, for progress

	sharp   *sharpnessMeter // Config.SharpnessEvery's, or nil
	precond []float64       // Adam's P for the meter
}

// NewTrainer checks cfg and prepares a run on the given data. The network's
// initial weights and every epoch's minibatch order come from cfg.Seed alone.
func NewTrainer(cfg Config, train, test *Dataset) (*Trainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if train == nil || train.N == 0 {
		return nil, fmt.Errorf("mnist: no training images; %s", fixHint)
	}
	train, err := cfg.trainingSet(train)
	if err != nil {
		return nil, err
	}
	m, err := optim.New[float32](cfg.Optimizer, cfg.Hyper)
	if err != nil {
		return nil, err
	}
	opt, ok := m.(optim.Measured[float32])
	if !ok {
		return nil, fmt.Errorf("mnist: optimizer %s cannot measure its steps", cfg.Optimizer)
	}
	opt.SetLR(cfg.LR)
	net, err := NewNet[float32](cfg.Arch, cfg.Seed)
	if err != nil {
		return nil, err
	}
	cfg.Batch = min(cfg.Batch, train.N)
	t := &Trainer{cfg: cfg, train: train, test: test, net: net, opt: opt, sgd: plainSGD(opt), first: 1,
		perm: make([]int32, train.N), pcg: rand.NewPCG(0, 0)}
	t.cfg.Schedule = cfg.schedule(t.StepsPerEpoch(), t.TotalSteps())
	t.snap.Store(net.Model())
	if err := t.newRunMeter(); err != nil {
		return nil, err
	}
	return t, nil
}

// Config returns the run's settings.
func (t *Trainer) Config() Config { return t.cfg }

// StepsPerEpoch is ⌈N/B⌉: the last minibatch of an epoch may be smaller.
func (t *Trainer) StepsPerEpoch() int { return (t.train.N + t.cfg.Batch - 1) / t.cfg.Batch }

// TotalSteps is the number of steps of the whole run.
func (t *Trainer) TotalSteps() int { return t.StepsPerEpoch() * t.cfg.Epochs }

// Progress returns the number of steps done so far.
func (t *Trainer) Progress() int { return int(t.done.Load()) }

// Snapshot returns the weights after the last finished epoch (the initial
// weights before the first). The model is never modified afterwards, so it can be
// used for prediction while training goes on.
func (t *Trainer) Snapshot() *Model { return t.snap.Load() }

// Pause makes Run wait before its next step, until Resume or cancellation.
func (t *Trainer) Pause() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.resume == nil {
		t.resume = make(chan struct{})
	}
}

// Resume lets a paused Run go on.
func (t *Trainer) Resume() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.resume != nil {
		close(t.resume)
		t.resume = nil
	}
}

// Paused reports whether the run is paused.
func (t *Trainer) Paused() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.resume != nil
}

// wait blocks while paused. It reports false when ctx ends first.
func (t *Trainer) wait(ctx context.Context) bool {
	t.mu.Lock()
	ch := t.resume
	t.mu.Unlock()
	if ch == nil {
		return ctx.Err() == nil
	}
	select {
	case <-ch:
		return ctx.Err() == nil
	case <-ctx.Done():
		return false
	}
}

// shuffle sets perm to epoch's minibatch order, a permutation that depends only
// on the seed and the epoch (so that runs compared side by side, and a resumed
// run, see the same order).
func (t *Trainer) shuffle(epoch int) {
	for i := range t.perm {
		t.perm[i] = int32(i)
	}
	t.pcg.Seed(t.cfg.Seed, 0x0bad5eed+uint64(epoch))
	rng := rand.New(t.pcg)
	rng.Shuffle(len(t.perm), func(i, j int) { t.perm[i], t.perm[j] = t.perm[j], t.perm[i] })
}

// lrAt is the learning rate α of step t (0-based): the schedule's, or for an LR
// range test a rate that rises exponentially from LRMin to LRMax.
func (t *Trainer) lrAt(step int) float64 {
	c := t.cfg
	if !c.LRRange {
		return c.Schedule.LR(c.LR, step)
	}
	lo, hi := c.LRMin, c.LRMax
	if lo <= 0 {
		lo = 1e-5
	}
	if hi <= 0 {
		hi = 10
	}
	total := max(t.TotalSteps()-1, 1)
	return lo * math.Pow(hi/lo, float64(step)/float64(total))
}

// Run trains until the last epoch, until ctx is cancelled (status "stopped"), or
// until the loss or the weights stop being finite (status "diverged", with the
// step). Events go to hooks as they happen.
func (t *Trainer) Run(ctx context.Context, hooks Hooks) (Result, error) {
	t.net.keepEval = true
	defer func() { t.net.keepEval, t.net.evalWS = false, workspace[float32]{} }()
	res := Result{Status: StatusDone}
	var trained time.Duration
	res.Epochs, res.Steps = t.first-1, t.Progress()
	for epoch := t.first; epoch <= t.cfg.Epochs; epoch++ {
		ep, ok := t.epoch(ctx, epoch, hooks, &res)
		trained += time.Duration(ep.Seconds * float64(time.Second))
		if !ok {
			break
		}
		ep.TestLoss, ep.TestAccuracy, ep.Confusion = t.evaluate()
		res.Epochs, res.TestLoss, res.TestAccuracy = epoch, ep.TestLoss, ep.TestAccuracy
		t.snap.Store(t.net.Model())
		if hooks.Epoch != nil {
			hooks.Epoch(ep)
		}
	}
	res.Seconds = trained.Seconds()
	return res, nil
}

// evaluate measures the current weights on the test set.
func (t *Trainer) evaluate() (loss, acc float64, confusion [10][10]int) {
	if t.test == nil || t.test.N == 0 {
		return 0, 0, confusion
	}
	return t.net.Evaluate(t.test, t.cfg.EvalLimit)
}

// FirstLayer copies the first layer's current weights, W₁ (hidden × 784, each
// row one 28×28 image), into dst, which it grows as needed, and returns it. It
// reads the weights that training writes, so it may only be called from a
// hook, on the training goroutine, between steps.
func (t *Trainer) FirstLayer(dst []float32) []float32 {
	w := t.net.layers[0].w
	return append(dst[:0], w...)
}
