package runs

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"

	"descent/mnist"
	"descent/server/internal/priority"
	"descent/server/protocol"
	"descent/server/store"
)

// MaxKept bounds the runs the manager keeps at once, finished ones
// included. When a new run would pass it, the oldest finished runs are
// forgotten (pages get a Deleted event). With a run store it bounds the runs
// whose every step is in memory: the oldest finished ones are then kept as
// Stored runs, listed, with their history read from the store.
const MaxKept = 64

// Config configures a Manager.
type Config struct {
	Train, Test *mnist.Dataset // shared read-only by every run
	// Concurrent is the number of runs that train at once; if 0, the number
	// of cores. The rest wait with status "queued".
	Concurrent int
	Logger     *slog.Logger // if nil, slog.Default()
	// Store keeps every run, its steps, epochs and checkpoints; if nil, runs
	// live in memory only. Call Restore after New.
	Store *store.Store
	// Notify is called after each publication of new steps, so that the
	// pages' writers look for them.
	Notify func()
	// SharpnessBudget is the budget of every run's sharpness tracker
	// (mnist.TrackerOptions.Budget); if 0, the tracker's default.
	SharpnessBudget float64
}

// Manager owns every run: it creates them, lets at most Concurrent train at
// once, publishes their steps for the pages, keeps them in the store, and
// stops them all at Close.
type Manager struct {
	cfg     Config
	log     *slog.Logger
	st      *store.Store
	samples protocol.Samples
	slots   chan struct{} // one token per run allowed to train
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup

	mu        sync.Mutex
	runs      []Run // in creation order
	nextRun   int
	nextSweep int
	version   atomic.Int64 // bumped on every create, status change and delete

	// Trace records when each step ended (Live.StepTimes), for the latency
	// benchmark. Set it before creating runs.
	Trace bool
	// AfterEpoch, if set, is called on the training goroutine after an epoch
	// was handed to the store; tests use it to stop a run at an epoch's end.
	AfterEpoch func(r *Live, epoch int)

	noPaths bool // runs keep no path: the benchmark's baseline
}

// New returns a manager and starts its publisher.
func New(cfg Config) *Manager {
	if cfg.Concurrent <= 0 {
		cfg.Concurrent = runtime.NumCPU()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	m := &Manager{cfg: cfg, log: cfg.Logger, st: cfg.Store, samples: samplesOf(cfg.Test, 10),
		slots: make(chan struct{}, cfg.Concurrent), ctx: ctx, cancel: cancel}
	m.wg.Add(1)
	go m.publishLoop()
	return m
}

// Concurrent is the number of runs that train at once.
func (m *Manager) Concurrent() int { return m.cfg.Concurrent }

// Samples are the first 10 test images, predicted after each epoch.
func (m *Manager) Samples() protocol.Samples { return m.samples }

// Version changes whenever a run is created, changes its status or goes.
func (m *Manager) Version() int64 { return m.version.Load() }

func (m *Manager) changed() { m.version.Add(1) }

// samplesOf returns the first n test images and labels.
func samplesOf(test *mnist.Dataset, n int) protocol.Samples {
	if test == nil {
		return protocol.Samples{Pixels: []byte{}, Labels: []int{}}
	}
	n = min(n, test.N)
	s := protocol.Samples{Pixels: append([]byte(nil), test.Images[:n*mnist.InputSize]...), Labels: make([]int, n)}
	for i := range n {
		s.Labels[i] = int(test.Labels[i])
	}
	return s
}

// Create makes one run per config and starts them, each at the pace of an
// epoch in about epochSeconds (0: as fast as it goes). Runs of one call
// share a sweep id when there is more than one.
func (m *Manager) Create(cfgs []mnist.Config, labels []string, epochSeconds float64) ([]*Live, error) {
	return m.CreateWith(cfgs, labels, Options{EpochSeconds: epochSeconds})
}

// Options are the settings of a start or a sweep beside its runs' configs.
type Options struct {
	// EpochSeconds is the runs' pace: an epoch in about that many seconds
	// (0: as fast as it goes).
	EpochSeconds float64
	// Sharpness tracks each run's sharpness on the first Sharpness training
	// images of the run (1 to its training images), beside its training;
	// 0 does not track.
	Sharpness int
}

// CreateWith is Create with every option of a start or a sweep.
func (m *Manager) CreateWith(cfgs []mnist.Config, labels []string, o Options) ([]*Live, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ctx.Err() != nil {
		return nil, fmt.Errorf("server: shutting down")
	}
	m.evict(m.inMemory() + len(cfgs) - MaxKept)
	if m.inMemory()+len(cfgs) > MaxKept {
		return nil, protocol.Refuse(protocol.CodeLimit, "", fmt.Sprintf("at most %d runs kept", MaxKept),
			"%d runs are kept, too many still training for %d more; stop or delete some", m.inMemory(), len(cfgs))
	}
	trainers := make([]*mnist.Trainer, len(cfgs))
	for i, cfg := range cfgs {
		t, err := mnist.NewTrainer(cfg, m.cfg.Train, m.cfg.Test)
		if err != nil {
			return nil, protocol.Refuse(protocol.CodeInvalid, "config", "", "%v", err)
		}
		trainers[i] = t
	}
	runs, err := m.newRuns(trainers, labels, o.Sharpness) // ids, and the store's records
	if err != nil {
		return nil, err
	}
	for _, r := range runs {
		r.pace.set(o.EpochSeconds)
		m.runs = append(m.runs, r)
		m.wg.Add(1)
		go m.execute(r)
	}
	m.changed()
	return runs, nil
}

// evict makes room for n runs: the oldest finished live runs become stored
// runs, or are forgotten without a store. m.mu is held.
func (m *Manager) evict(n int) {
	kept := m.runs[:0]
	for _, r := range m.runs {
		if live, ok := r.(*Live); ok && n > 0 && r.Finished() {
			n--
			if live.storeID != 0 {
				kept = append(kept, m.storedTwin(live))
			}
			continue
		}
		kept = append(kept, r)
	}
	clear(m.runs[len(kept):])
	m.runs = kept
}

// inMemory counts the runs that hold their steps in memory. m.mu is held.
func (m *Manager) inMemory() int {
	n := 0
	for _, r := range m.runs {
		if _, ok := r.(*Live); ok {
			n++
		}
	}
	return n
}

// execute waits for a slot, trains, and records the result.
func (m *Manager) execute(r *Live) {
	defer m.wg.Done()
	select {
	case m.slots <- struct{}{}:
	case <-r.ctx.Done():
		r.finish(mnist.Result{Status: mnist.StatusStopped}, nil)
		return
	}
	defer func() { <-m.slots }()
	priority.Lower(priority.Training) // pages first
	r.startPath()
	r.setState(protocol.StatusRunning)
	m.log.Info("run started", "run", r.id, "optimizer", r.cfg.Optimizer, "lr", r.cfg.LR, "batch", r.cfg.Batch)
	stop := r.track() // its sharpness, beside it
	res, err := r.trainer.Run(r.ctx, r.hooks())
	r.stopPath()
	stop()
	r.publish()
	r.finish(res, err)
	m.log.Info("run ended", "run", r.id, "status", res.StatusText(), "steps", res.Steps, "accuracy", res.TestAccuracy)
}

// Get returns the run with the given id.
func (m *Manager) Get(id string) (Run, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if i := m.index(id); i >= 0 {
		return m.runs[i], nil
	}
	return nil, protocol.Refuse(protocol.CodeUnknown, "run", "the id of a run in the list", "unknown run %q", id).With(id)
}

// index returns the position of run id in m.runs, or -1; m.mu is held.
func (m *Manager) index(id string) int {
	for i, r := range m.runs {
		if r.ID() == id {
			return i
		}
	}
	return -1
}

// Live returns the live run with the given id; a stored run has ended.
func (m *Manager) Live(id string) (*Live, error) {
	r, err := m.Get(id)
	if err != nil {
		return nil, err
	}
	if l, ok := r.(*Live); ok {
		return l, nil
	}
	return nil, r.core().endedErr(r.Info().StatusText)
}

// List returns every run in creation order.
func (m *Manager) List() []Run {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Run(nil), m.runs...)
}

// Infos describes every run.
func (m *Manager) Infos() []protocol.RunInfo {
	runs := m.List()
	out := make([]protocol.RunInfo, len(runs))
	for i, r := range runs {
		out[i] = r.Info()
	}
	return out
}

// Unfinished counts the runs queued, training or paused.
func (m *Manager) Unfinished() int {
	n := 0
	for _, r := range m.List() {
		if !r.Finished() {
			n++
		}
	}
	return n
}

// Remove stops a run and forgets it, in the store too.
func (m *Manager) Remove(id string) error {
	r, err := m.Get(id)
	if err != nil {
		return err
	}
	if l, ok := r.(*Live); ok {
		l.cancel()
	}
	if err := m.unstore(r); err != nil {
		return err
	}
	m.mu.Lock()
	if i := m.index(id); i >= 0 && m.runs[i] == r {
		m.runs = append(m.runs[:i], m.runs[i+1:]...)
	}
	m.mu.Unlock()
	m.changed()
	return nil
}

// Close stops every run and waits for their goroutines.
func (m *Manager) Close() {
	m.cancel()
	m.wg.Wait()
}
