package runs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"descent/mnist"
	"descent/server/protocol"
	"descent/server/store"
)

// Runs that last. With Config.Store every live run is kept in the store:
// created with its settings, every step from the step hook (AddStep never
// waits for the disk), each epoch with a checkpoint from the epoch hook, its
// status changes and its end. Restore loads the stored runs as Stored runs,
// whose history comes from the store. A run that was alive when the process
// ended is "interrupted", and Restart continues it from its last checkpoint,
// exactly as if it had never stopped.

// storeTimeout bounds one store call made outside the training path.
const storeTimeout = 30 * time.Second

// liveStore is a live run's side of the store.
type liveStore struct {
	failed  error       // the store error that stopped the run; training goroutine only
	deleted atomic.Bool // the run was deleted: write nothing more
}

func runID(id int64) string   { return fmt.Sprintf("r%d", id) }
func sweepID(id int64) string { return fmt.Sprintf("s%d", id) }

// newRuns gives the trainers of one start or sweep their ids, and their
// records in the store when there is one; sharpness is their tracking's
// probe set (0: not tracked). m.mu is held.
func (m *Manager) newRuns(ts []*mnist.Trainer, labels []string, sharpness int) ([]*Live, error) {
	if m.st == nil {
		sweep := ""
		if len(ts) > 1 {
			m.nextSweep++
			sweep = fmt.Sprintf("s%d", m.nextSweep)
		}
		runs := make([]*Live, len(ts))
		for i, t := range ts {
			m.nextRun++
			runs[i] = newLive(fmt.Sprintf("r%d", m.nextRun), sweep, labels[i], t, m)
			runs[i].sharpness = sharpness
		}
		return runs, nil
	}
	ctx, cancel := context.WithTimeout(m.ctx, storeTimeout)
	defer cancel()
	var sw store.Sweep
	if len(ts) > 1 {
		var err error
		if sw, err = m.st.CreateSweep(ctx, describeSweep(ts, labels)); err != nil {
			return nil, fmt.Errorf("server: keeping the sweep: %w", err)
		}
	}
	runs := make([]*Live, 0, len(ts))
	for i, t := range ts {
		kind := store.KindTrain
		switch {
		case t.Config().LRRange:
			kind = store.KindLRRange
		case sw.ID != 0:
			kind = store.KindSweepMember
		}
		sr, err := m.st.CreateRun(ctx, store.Run{Name: labels[i], Kind: kind, SweepID: sw.ID, Config: t.Config(), SharpnessExamples: sharpness})
		if err != nil {
			for _, r := range runs {
				_ = m.st.Delete(ctx, r.storeID)
			}
			return nil, fmt.Errorf("server: keeping the run: %w", err)
		}
		sweep := ""
		if sw.ID != 0 {
			sweep = sweepID(sw.ID)
		}
		r := newLive(runID(sr.ID), sweep, labels[i], t, m)
		r.storeID, r.sharpness = sr.ID, sharpness
		runs = append(runs, r)
	}
	return runs, nil
}

// describeSweep names a sweep after the setting that varies across its
// runs, and keeps their labels and settings as its config.
func describeSweep(ts []*mnist.Trainer, labels []string) store.Sweep {
	cfgs := make([]mnist.Config, len(ts))
	kind := store.SweepLR
	for i, t := range ts {
		cfgs[i] = t.Config()
		switch {
		case cfgs[i].Optimizer != cfgs[0].Optimizer:
			kind = store.SweepOptimizer
		case cfgs[i].Batch != cfgs[0].Batch && kind != store.SweepOptimizer:
			kind = store.SweepBatch
		}
	}
	vals := make([]string, len(ts))
	for i, c := range cfgs {
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
func (r *Live) persistHooks(h mnist.Hooks) mnist.Hooks {
	if r.storeID == 0 {
		return h
	}
	step, epoch := h.Step, h.Epoch
	h.Step = func(ev mnist.StepEvent) {
		step(ev)
		if r.st.failed == nil && !r.st.deleted.Load() {
			r.storeFailed(r.m.st.AddStep(r.storeID, ev))
		}
	}
	h.Epoch = func(ev mnist.EpochEvent) {
		epoch(ev)
		if r.st.failed == nil && !r.st.deleted.Load() {
			r.storeFailed(r.addEpoch(ev))
		}
		if f := r.m.AfterEpoch; f != nil {
			f(r, ev.Epoch)
		}
	}
	return h
}

// addEpoch hands an epoch and its checkpoint to the store; it runs on the
// training goroutine, inside the Epoch hook, as Trainer.Checkpoint requires.
func (r *Live) addEpoch(ev mnist.EpochEvent) error {
	ck, err := r.trainer.Checkpoint(ev.Epoch)
	if err != nil {
		return fmt.Errorf("server: checkpoint of run %s at epoch %d: %w", r.id, ev.Epoch, err)
	}
	return r.m.st.AddEpoch(r.storeID, ev, &store.Checkpoint{Model: ck.Model, Optimizer: ck.Optimizer})
}

// storeFailed stops the run on the first store error, so that no step is
// lost silently: the run ends "stopped" with the error in its status.
func (r *Live) storeFailed(err error) {
	if err == nil {
		return
	}
	r.st.failed = fmt.Errorf("server: run %s stopped: its steps cannot be kept: %w", r.id, err)
	r.m.log.Error("server: run stopped: its metrics cannot be kept", "run", r.id, "err", err)
	r.cancel()
}

// persistStatus records a queued, running or paused run's status.
func (r *Live) persistStatus() {
	if r.storeID == 0 || r.st.deleted.Load() {
		return
	}
	in := r.Info()
	if in.Result != nil {
		return // finish records it
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	if err := r.m.st.UpdateStatus(ctx, r.storeID, in.Status, ""); err != nil {
		r.m.log.Error("server: keeping a run's status", "run", r.id, "err", err)
	}
}

// persistFinish records how the run ended, and returns the store error that
// stopped it, if any. A run stopped because the server is stopping is
// recorded as interrupted, so that it can be restarted.
func (r *Live) persistFinish(res mnist.Result) error {
	if r.storeID == 0 || r.st.deleted.Load() {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	err := r.m.st.Finish(ctx, r.storeID, res)
	if err == nil && res.Status == protocol.StatusStopped && r.m.ctx.Err() != nil && r.st.failed == nil {
		err = r.m.st.UpdateStatus(ctx, r.storeID, protocol.StatusInterrupted,
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

// unstore deletes a run from the store; a live one was cancelled first.
func (m *Manager) unstore(r Run) error {
	b := r.core()
	if b.storeID == 0 {
		return nil
	}
	if l, ok := r.(*Live); ok {
		l.st.deleted.Store(true)
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	if err := m.st.Delete(ctx, b.storeID); err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("server: deleting run %s: %w", b.id, err)
	}
	return nil
}

// Rename gives a run a new label (already validated), in the store too.
func (m *Manager) Rename(id, name string) error {
	r, err := m.Get(id)
	if err != nil {
		return err
	}
	b := r.core()
	if b.storeID != 0 {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		if err := m.st.Rename(ctx, b.storeID, name); err != nil {
			return fmt.Errorf("server: renaming run %s: %w", id, err)
		}
	}
	b.mu.Lock()
	b.label = name
	b.version++
	b.mu.Unlock()
	m.changed()
	return nil
}
