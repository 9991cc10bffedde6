package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"descent/mnist"
	"descent/server/store"
)

// Runs that last (issue 7). With Config.Store every run is kept in the
// store: created with its settings, every step from the step hook (AddStep
// never waits for the disk), each epoch with a checkpoint from the epoch hook,
// its status changes and its end. Restore loads the stored runs as finished
// Runs without a trainer; a page that subscribes to one gets its history
// from the store. A run that was alive when the process ended is
// "interrupted", and restart continues it from its last checkpoint, exactly
// as if it had never stopped.

// storeTimeout bounds one store call made outside the training path.
const storeTimeout = 30 * time.Second

// StatusInterrupted is a run that was alive when the server stopped or died.
// It can be restarted from its last epoch's checkpoint (Restart).
const StatusInterrupted = store.StatusInterrupted

// keeper is the manager's side of the store.
type keeper struct {
	st *store.Store // nil: runs are kept in memory only
	// afterEpoch, if set, is called on the training goroutine after an epoch
	// was handed to the store; tests use it to stop a run at an epoch's end.
	afterEpoch func(r *Run, epoch int)
}

// runStore is a run's side of the store.
type runStore struct {
	id      int64       // the run's id in the store; 0 without a store
	failed  error       // the store error that stopped the run; training goroutine only
	deleted atomic.Bool // the run was deleted: write nothing more
	// restarting is set while a restart replaces the run.
	restarting atomic.Bool

	// A stored run (no trainer) keeps what its list entry and history need.
	text     string // the store's status text, such as "interrupted in epoch 2 (was running)"
	progress int    // steps done
	mu       sync.Mutex
	history  *History // cached, without Req and Run
}

// Restore marks the runs that a previous server left alive as interrupted
// and loads every stored run, oldest first. Call it once, after New and
// before Serve. Without Config.Store it does nothing.
func (s *Server) Restore(ctx context.Context) error {
	m := s.runs
	if m.keep.st == nil {
		return nil
	}
	n, err := m.keep.st.MarkInterrupted(ctx)
	if err != nil {
		return fmt.Errorf("server: restoring runs: %w", err)
	}
	runs, err := m.keep.st.ListRuns(ctx)
	if err != nil {
		return fmt.Errorf("server: restoring runs: %w", err)
	}
	m.mu.Lock()
	for _, sr := range runs {
		m.runs = append(m.runs, m.storedRun(sr))
	}
	m.mu.Unlock()
	m.changed()
	s.log.Info("runs restored", "runs", len(runs), "interrupted", n, "dir", m.keep.st.Dir())
	return nil
}

// storedRun makes a finished Run without a trainer from a stored run.
func (m *manager) storedRun(sr store.Run) *Run {
	ctx, cancel := context.WithCancel(m.ctx)
	r := &Run{id: runID(sr.ID), label: sr.Name, cfg: sr.Config, m: m, ctx: ctx, cancel: cancel, state: sr.Status}
	if sr.SweepID != 0 {
		r.sweep = sweepID(sr.SweepID)
	}
	res := mnist.Result{Status: sr.Status, Epochs: sr.EpochsDone, Steps: sr.Steps,
		TestAccuracy: zeroNaN(sr.TestAccuracy), TestLoss: zeroNaN(sr.TestLoss)}
	if sr.Status == StatusDiverged {
		fmt.Sscanf(sr.StatusText, "diverged at step %d", &res.DivergedAt)
	}
	r.result = &res
	r.st.id, r.st.text, r.st.progress = sr.ID, sr.StatusText, sr.Steps
	return r
}

func runID(id int64) string   { return fmt.Sprintf("r%d", id) }
func sweepID(id int64) string { return fmt.Sprintf("s%d", id) }

func zeroNaN(f float64) float64 {
	if math.IsNaN(f) {
		return 0
	}
	return f
}

// storedInfo fills what a run without a trainer knows of its progress.
// r.mu is held.
func (r *Run) storedInfo(in *RunInfo) {
	if r.m.train != nil && r.cfg.Batch > 0 {
		in.StepsPerEpoch = (r.m.train.N + r.cfg.Batch - 1) / r.cfg.Batch
		in.TotalSteps = in.StepsPerEpoch * r.cfg.Epochs
	}
	in.Progress = r.st.progress
	if r.st.text != "" {
		in.StatusText = r.st.text
	}
}

// newRuns gives the trainers of one start or sweep their ids, and their
// records in the store when there is one. m.mu is held.
func (m *manager) newRuns(ts []*mnist.Trainer, labels []string) ([]*Run, error) {
	st := m.keep.st
	if st == nil {
		sweep := ""
		if len(ts) > 1 {
			m.nextSweep++
			sweep = fmt.Sprintf("s%d", m.nextSweep)
		}
		runs := make([]*Run, len(ts))
		for i, t := range ts {
			m.nextRun++
			runs[i] = newRun(fmt.Sprintf("r%d", m.nextRun), sweep, labels[i], t, m)
		}
		return runs, nil
	}
	ctx, cancel := context.WithTimeout(m.ctx, storeTimeout)
	defer cancel()
	var sw store.Sweep
	if len(ts) > 1 {
		var err error
		if sw, err = st.CreateSweep(ctx, describeSweep(ts, labels)); err != nil {
			return nil, fmt.Errorf("server: keeping the sweep: %w", err)
		}
	}
	runs := make([]*Run, 0, len(ts))
	for i, t := range ts {
		kind := store.KindTrain
		switch {
		case t.Config().LRRange:
			kind = store.KindLRRange
		case sw.ID != 0:
			kind = store.KindSweepMember
		}
		sr, err := st.CreateRun(ctx, store.Run{Name: labels[i], Kind: kind, SweepID: sw.ID, Config: t.Config()})
		if err != nil {
			for _, r := range runs {
				_ = st.Delete(ctx, r.st.id)
			}
			return nil, fmt.Errorf("server: keeping the run: %w", err)
		}
		sweep := ""
		if sw.ID != 0 {
			sweep = sweepID(sw.ID)
		}
		r := newRun(runID(sr.ID), sweep, labels[i], t, m)
		r.st.id = sr.ID
		runs = append(runs, r)
	}
	return runs, nil
}

// describeSweep names a sweep after the setting that varies across its
// runs, and keeps their labels and settings as its config.
func describeSweep(ts []*mnist.Trainer, labels []string) store.Sweep {
	first := ts[0].Config()
	kind := store.SweepLR
	vals := make([]string, len(ts))
	for _, t := range ts {
		c := t.Config()
		switch {
		case c.Optimizer != first.Optimizer:
			kind = store.SweepOptimizer
		case c.Batch != first.Batch && kind != store.SweepOptimizer:
			kind = store.SweepBatch
		}
	}
	cfgs := make([]mnist.Config, len(ts))
	for i, t := range ts {
		c := t.Config()
		cfgs[i] = c
		switch kind {
		case store.SweepOptimizer:
			vals[i] = c.Optimizer
		case store.SweepBatch:
			vals[i] = fmt.Sprint(c.Batch)
		default:
			vals[i] = fmt.Sprintf("%g", c.LR)
		}
	}
	grid, _ := json.Marshal(map[string]any{"labels": labels, "configs": cfgs})
	return store.Sweep{Name: kind + " " + strings.Join(vals, ", "), Kind: kind, Config: grid}
}

// persistHooks adds the store to a run's hooks: every step, and each epoch
// with a checkpoint. Neither waits for the disk.
func (r *Run) persistHooks(h mnist.Hooks) mnist.Hooks {
	if r.st.id == 0 {
		return h
	}
	step, epoch := h.Step, h.Epoch
	h.Step = func(ev mnist.StepEvent) {
		step(ev)
		if r.st.failed == nil && !r.st.deleted.Load() {
			r.storeFailed(r.m.keep.st.AddStep(r.st.id, ev))
		}
	}
	h.Epoch = func(ev mnist.EpochEvent) {
		epoch(ev)
		if r.st.failed == nil && !r.st.deleted.Load() {
			r.storeFailed(r.addEpoch(ev))
		}
		if f := r.m.keep.afterEpoch; f != nil {
			f(r, ev.Epoch)
		}
	}
	return h
}

// addEpoch hands an epoch and its checkpoint to the store; it runs on the
// training goroutine, inside the Epoch hook, as Trainer.Checkpoint requires.
func (r *Run) addEpoch(ev mnist.EpochEvent) error {
	ck, err := r.trainer.Checkpoint(ev.Epoch)
	if err != nil {
		return fmt.Errorf("server: checkpoint of run %s at epoch %d: %w", r.id, ev.Epoch, err)
	}
	return r.m.keep.st.AddEpoch(r.st.id, ev, &store.Checkpoint{Model: ck.Model, Optimizer: ck.Optimizer})
}

// storeFailed stops the run on the first store error, so that no step is
// lost silently: the run ends "stopped" with the error in its status.
func (r *Run) storeFailed(err error) {
	if err == nil {
		return
	}
	r.st.failed = fmt.Errorf("server: run %s stopped: its steps cannot be kept: %w", r.id, err)
	r.m.log.Error("server: run stopped: its metrics cannot be kept", "run", r.id, "err", err)
	r.cancel()
}

// persistStatus records a queued, running or paused run's status.
func (r *Run) persistStatus() {
	if r.st.id == 0 || r.st.deleted.Load() {
		return
	}
	in := r.info()
	if in.Result != nil {
		return // finish records it
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	if err := r.m.keep.st.UpdateStatus(ctx, r.st.id, in.Status, ""); err != nil {
		r.m.log.Error("server: keeping a run's status", "run", r.id, "err", err)
	}
}

// persistFinish records how the run ended, and returns the store error that
// stopped it, if any. A run stopped because the server is stopping is
// recorded as interrupted, so that it can be restarted.
func (r *Run) persistFinish(res mnist.Result) error {
	if r.st.id == 0 || r.st.deleted.Load() {
		return nil
	}
	st := r.m.keep.st
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	err := st.Finish(ctx, r.st.id, res)
	if err == nil && res.Status == StatusStopped && r.m.ctx.Err() != nil && r.st.failed == nil {
		err = st.UpdateStatus(ctx, r.st.id, StatusInterrupted,
			fmt.Sprintf("interrupted in epoch %d (the server stopped)", res.Epochs+1))
	}
	if err != nil {
		r.m.log.Error("server: keeping a run's end", "run", r.id, "err", err)
	}
	if r.st.failed != nil {
		return r.st.failed
	}
	return err
}

// unstore deletes a run from the store. It is called after the run was
// cancelled.
func (m *manager) unstore(r *Run) error {
	if r.st.id == 0 {
		return nil
	}
	r.st.deleted.Store(true)
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	if err := m.keep.st.Delete(ctx, r.st.id); err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("server: deleting run %s: %w", r.id, err)
	}
	return nil
}

// rename gives a run a new label, in the store too.
func (m *manager) rename(id, name string) error {
	r, err := m.get(id)
	if err != nil {
		return err
	}
	if r.st.id != 0 {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		if err := m.keep.st.Rename(ctx, r.st.id, name); err != nil {
			return fmt.Errorf("server: renaming run %s: %w", id, err)
		}
	}
	r.mu.Lock()
	r.label = name
	r.version++
	r.mu.Unlock()
	m.changed()
	return nil
}

// storedSnapshot loads the latest saved weights of a run without a trainer,
// for the drawing panel, and keeps them.
func (r *Run) storedSnapshot() (snapshotAt, error) {
	if r.st.id == 0 {
		return snapshotAt{}, fieldErr("run", "a run that has trained", "run %s has no weights", r.id)
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	model, err := r.m.keep.st.Model(ctx, r.st.id, 0)
	if errors.Is(err, store.ErrNotFound) {
		return snapshotAt{}, fieldErr("run", "a run that finished an epoch", "run %s has no saved weights yet", r.id)
	}
	if err != nil {
		return snapshotAt{}, fmt.Errorf("server: %w", err)
	}
	r.mu.Lock()
	epoch := 0
	if r.result != nil {
		epoch = r.result.Epochs
	}
	r.mu.Unlock()
	s := &snapshotAt{model: model, epoch: epoch}
	r.draw.drawn.CompareAndSwap(nil, s)
	return *r.draw.drawn.Load(), nil
}

// checkRename validates a Rename: a run id and a name of 1 to MaxName
// characters.
func checkRename(c *Rename) error {
	if err := checkRunID(c.Run); err != nil {
		return err
	}
	allowed := fmt.Sprintf("1 to %d characters", MaxName)
	name := strings.TrimSpace(c.Name)
	if name == "" {
		return fieldErr("name", allowed, "missing")
	}
	if n := len([]rune(name)); n > MaxName {
		return fieldErr("name", allowed, "%d characters", n)
	}
	c.Name = name
	return nil
}

// runData is a run's series for exports: a live run's from memory, a run of
// an earlier session from the store, under its run id.
func (m *manager) runData(ctx context.Context, r *Run) (RunData, error) {
	if r.trainer != nil || r.st.id == 0 {
		return liveRunData(r), nil
	}
	d, err := StoreRun(ctx, m.keep.st, r.st.id)
	if err != nil {
		return RunData{}, err
	}
	d.ID, d.Sweep = r.id, r.sweep
	return d, nil
}

// inMemory counts the runs that hold their steps in memory: every run
// without a store, the runs with a trainer with one. m.mu is held.
func (m *manager) inMemory() int {
	if m.keep.st == nil {
		return len(m.runs)
	}
	n := 0
	for _, r := range m.runs {
		if r.trainer != nil {
			n++
		}
	}
	return n
}

// storedTwin returns a finished run as a stored run, which reads its history
// from the store instead of holding every step, or nil without a store.
// The twin keeps r's status version, so pages see no change. m.mu is held.
func (m *manager) storedTwin(r *Run) *Run {
	if r.st.id == 0 {
		return nil
	}
	in := r.info()
	r.mu.Lock()
	defer r.mu.Unlock()
	res := *r.result
	ctx, cancel := context.WithCancel(m.ctx)
	twin := &Run{id: r.id, sweep: r.sweep, label: r.label, cfg: r.cfg, m: m, ctx: ctx, cancel: cancel,
		state: r.state, result: &res, errText: r.errText, version: r.version}
	twin.st.id, twin.st.text, twin.st.progress = r.st.id, in.StatusText, in.Progress
	return twin
}
