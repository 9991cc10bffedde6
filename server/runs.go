package server

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"descent/mnist"
)

// MaxKeptRuns bounds the runs the server keeps at once, finished ones
// included. When a new run would pass it, the oldest finished runs are
// forgotten (pages get a Deleted event). With a run store it bounds the runs
// whose every step is in memory: the oldest finished ones are then kept as
// stored runs, listed, with their history read from the store (persist.go).
const MaxKeptRuns = 64

// manager owns every run: it creates them, lets at most `concurrent` train at
// once (the rest wait, status "queued"), and stops them all at shutdown.
type manager struct {
	train, test *mnist.Dataset
	samples     Samples
	log         *slog.Logger
	slots       chan struct{} // one token per run allowed to train
	ctx         context.Context
	cancel      context.CancelFunc
	wg          sync.WaitGroup

	mu        sync.Mutex
	runs      []*Run // in creation order
	nextRun   int
	nextSweep int
	version   atomic.Int64 // bumped on every create, status change and delete

	keep keeper // the run store (persist.go)

	trace  bool   // record each step's time, for the latency benchmark
	notify func() // called after each publication
}

// newManager starts the publisher; notify is called after each publication.
func newManager(train, test *mnist.Dataset, concurrent int, log *slog.Logger, notify func()) *manager {
	ctx, cancel := context.WithCancel(context.Background())
	m := &manager{train: train, test: test, log: log, slots: make(chan struct{}, max(concurrent, 1)),
		ctx: ctx, cancel: cancel, samples: samplesOf(test, 10), notify: notify}
	m.wg.Add(1)
	go m.publishLoop()
	return m
}

// samplesOf returns the first n test images and labels.
func samplesOf(test *mnist.Dataset, n int) Samples {
	if test == nil {
		return Samples{Pixels: []byte{}, Labels: []int{}}
	}
	n = min(n, test.N)
	s := Samples{Pixels: append([]byte(nil), test.Images[:n*mnist.InputSize]...), Labels: make([]int, n)}
	for i := range n {
		s.Labels[i] = int(test.Labels[i])
	}
	return s
}

// create makes one run per config and starts them. Runs of one call share a
// sweep id when there is more than one.
func (m *manager) create(cfgs []mnist.Config, labels []string) ([]*Run, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ctx.Err() != nil {
		return nil, fmt.Errorf("server: shutting down")
	}
	m.evict(m.inMemory() + len(cfgs) - MaxKeptRuns)
	if m.inMemory()+len(cfgs) > MaxKeptRuns {
		return nil, fieldErr("", fmt.Sprintf("at most %d runs kept", MaxKeptRuns),
			"%d runs are kept, too many still training for %d more; stop or delete some", m.inMemory(), len(cfgs))
	}
	trainers := make([]*mnist.Trainer, len(cfgs))
	for i, cfg := range cfgs {
		t, err := mnist.NewTrainer(cfg, m.train, m.test)
		if err != nil {
			return nil, fieldErr("config", "", "%v", err)
		}
		trainers[i] = t
	}
	runs, err := m.newRuns(trainers, labels) // persist.go: ids, and the store
	if err != nil {
		return nil, err
	}
	for _, r := range runs {
		m.runs = append(m.runs, r)
		m.wg.Add(1)
		go m.execute(r)
	}
	m.version.Add(1)
	return runs, nil
}

// evict forgets up to n of the oldest finished runs to make room; m.mu is held.
func (m *manager) evict(n int) {
	kept := m.runs[:0]
	for _, r := range m.runs {
		if n > 0 && r.finished() && r.trainer != nil {
			n--
			if twin := m.storedTwin(r); twin != nil { // persist.go
				kept = append(kept, twin)
			}
			continue
		}
		kept = append(kept, r)
	}
	clear(m.runs[len(kept):])
	m.runs = kept
}

// execute waits for a slot, trains, and records the result.
func (m *manager) execute(r *Run) {
	defer m.wg.Done()
	select {
	case m.slots <- struct{}{}:
	case <-r.ctx.Done():
		r.finish(mnist.Result{Status: mnist.StatusStopped}, nil)
		return
	}
	defer func() { <-m.slots }()
	lowerPriority() // pages first (priority.go)
	r.setState(StatusRunning)
	m.log.Info("run started", "run", r.id, "optimizer", r.cfg.Optimizer, "lr", r.cfg.LR, "batch", r.cfg.Batch)
	res, err := r.trainer.Run(r.ctx, r.hooks())
	r.publish()
	r.finish(res, err)
	m.log.Info("run ended", "run", r.id, "status", res.StatusText(), "steps", res.Steps, "accuracy", res.TestAccuracy)
}

// get returns the run with the given id.
func (m *manager) get(id string) (*Run, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.runs {
		if r.id == id {
			return r, nil
		}
	}
	return nil, fieldErr("run", "the id of a run in the list", "unknown run %q", id)
}

// list returns every run in creation order.
func (m *manager) list() []*Run {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]*Run(nil), m.runs...)
}

// infos describes every run.
func (m *manager) infos() []RunInfo {
	runs := m.list()
	out := make([]RunInfo, len(runs))
	for i, r := range runs {
		out[i] = r.info()
	}
	return out
}

// remove stops a run and forgets it.
func (m *manager) remove(id string) error {
	r, err := m.get(id)
	if err != nil {
		return err
	}
	r.cancel()
	if err := m.unstore(r); err != nil { // persist.go
		return err
	}
	m.mu.Lock()
	for i, x := range m.runs {
		if x == r {
			m.runs = append(m.runs[:i], m.runs[i+1:]...)
			break
		}
	}
	m.mu.Unlock()
	m.version.Add(1)
	return nil
}

// close stops every run and waits for their goroutines.
func (m *manager) close() {
	m.cancel()
	m.wg.Wait()
}

// changed records a status change.
func (m *manager) changed() { m.version.Add(1) }
