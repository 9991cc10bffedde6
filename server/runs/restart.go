package runs

import (
	"context"
	"errors"
	"fmt"

	"descent/mnist"
	"descent/server/protocol"
	"descent/server/steps"
	"descent/server/store"
)

// Restart continues an interrupted or stopped run from its last epoch's
// checkpoint (from the start without one): store.Resume drops what was
// recorded after the checkpoint, mnist.Resume rebuilds the trainer, and a new
// Live run with the same id takes the old one's place, its steps and epochs so
// far loaded from the store. With the same seed it ends exactly where an
// uninterrupted run ends.
func (m *Manager) Restart(id string) error {
	old, err := m.Get(id)
	if err != nil {
		return err
	}
	b := old.core()
	if m.st == nil || b.storeID == 0 {
		return protocol.Refuse(protocol.CodeInvalid, "run", "a run kept in the store",
			"run %s cannot be restarted without the run store (descent serve --data-dir)", id).With(id)
	}
	res, label, _ := b.outcome()
	if res == nil || (res.Status != protocol.StatusInterrupted && res.Status != protocol.StatusStopped) {
		return protocol.Refuse(protocol.CodeInvalid, "run", "an interrupted or stopped run", "run %s is %s", id, old.Info().StatusText).With(id)
	}
	if !b.restarting.CompareAndSwap(false, true) {
		return protocol.Refuse(protocol.CodeBusy, "run", "an interrupted or stopped run", "run %s is being restarted", id).With(id)
	}
	r, err := m.rebuild(b, label)
	if err != nil {
		b.restarting.Store(false)
		return err
	}
	return m.replace(old, r)
}

// replace puts the rebuilt run r in old's place and starts it.
func (m *Manager) replace(old Run, r *Live) error {
	m.mu.Lock()
	if m.ctx.Err() != nil {
		m.mu.Unlock()
		return fmt.Errorf("server: shutting down")
	}
	i := m.index(old.ID())
	if i < 0 || m.runs[i] != old {
		m.mu.Unlock()
		return protocol.Refuse(protocol.CodeUnknown, "run", "the id of a run in the list", "run %s was deleted", old.ID()).With(old.ID())
	}
	m.runs[i] = r
	complete := r.trainer.Progress() >= r.trainer.TotalSteps()
	if !complete {
		m.wg.Add(1)
		go m.execute(r)
	}
	m.mu.Unlock()
	m.changed()
	if complete { // its last epoch was kept, its end was not
		r.finish(r.keptResult(), nil)
		return nil
	}
	r.persistStatus()
	m.log.Info("run restarted", "run", r.id, "fromEpoch", r.trainer.Progress()/max(r.trainer.StepsPerEpoch(), 1))
	return nil
}

// keptResult is the result of a run whose every epoch was kept: that of its
// last epoch.
func (r *Live) keptResult() mnist.Result {
	res := mnist.Result{Status: protocol.StatusDone, Steps: r.trainer.Progress()}
	if e := r.epochsFrom(0); len(e) > 0 {
		last := e[len(e)-1].v
		res.Epochs, res.TestAccuracy, res.TestLoss = last.Epoch, last.TestAccuracy, last.TestLoss
	}
	return res
}

// rebuild makes the Live run that continues old from its last checkpoint.
func (m *Manager) rebuild(old *base, label string) (*Live, error) {
	ctx, cancel := context.WithTimeout(m.ctx, storeTimeout)
	defer cancel()
	ck, err := m.st.LatestCheckpoint(ctx, old.storeID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("server: restarting run %s: %w", old.id, err)
	}
	t, err := m.trainerFrom(old.cfg, ck)
	if err != nil {
		return nil, fmt.Errorf("server: restarting run %s: %w", old.id, err)
	}
	if _, err := m.st.Resume(ctx, old.storeID); err != nil {
		return nil, fmt.Errorf("server: restarting run %s: %w", old.id, err)
	}
	r := newLive(old.id, old.sweep, label, t, m)
	r.storeID, r.sharpness = old.storeID, old.sharpness
	r.version = old.Version() + 1
	if err := r.restorePath(ctx); err != nil {
		return nil, fmt.Errorf("server: restarting run %s: %w", old.id, err)
	}
	if ck != nil {
		if err := r.preload(ctx, ck); err != nil {
			return nil, fmt.Errorf("server: restarting run %s: %w", old.id, err)
		}
	}
	return r, nil
}

// trainerFrom builds a trainer at the checkpoint, or a fresh one for nil.
func (m *Manager) trainerFrom(cfg mnist.Config, ck *store.Checkpoint) (*mnist.Trainer, error) {
	if ck == nil {
		return mnist.NewTrainer(cfg, m.cfg.Train, m.cfg.Test)
	}
	return mnist.Resume(cfg, m.cfg.Train, m.cfg.Test,
		&mnist.Checkpoint{Epoch: ck.Epoch, Step: ck.Step, Model: ck.Model, Optimizer: ck.Optimizer})
}

// preload fills a restarted run's steps and epochs up to the checkpoint from
// the store, so that its history starts at step 1 and its series index stays
// the step number − 1. A step missing from the store is NaN.
func (r *Live) preload(ctx context.Context, ck *store.Checkpoint) error {
	st := r.m.st
	evs, err := st.Steps(ctx, r.storeID, 1, ck.Step)
	if err != nil {
		return err
	}
	for _, e := range evs {
		if e.Step > ck.Step {
			break
		}
		for r.steps.Len() < e.Step-1 {
			r.steps.Add(steps.NaN())
		}
		if r.steps.Len() == e.Step-1 {
			r.steps.Add(steps.Point{Loss: float32(e.Loss), GradNorm: float32(e.GradNorm),
				UpdateRatio: float32(e.UpdateRatio), LR: float32(e.LR), SamplesPerSec: float32(e.SamplesPerSec)})
		}
	}
	for r.steps.Len() < ck.Step {
		r.steps.Add(steps.NaN())
	}
	if err := r.preloadMarks(ctx, ck.Step); err != nil {
		return err
	}
	r.feed.to = r.steps.Len() // the steps so far go out as history, not as a frame
	r.feed.mto, _ = r.steps.MarkCount(r.feed.to)
	epochs, err := st.Epochs(ctx, r.storeID)
	if err != nil {
		return err
	}
	snap := r.trainer.Snapshot()
	for _, e := range epochs {
		if e.Epoch > ck.Epoch {
			break
		}
		ev := protocol.Epoch{Type: protocol.EvEpoch, Run: r.id, EpochEvent: e, Predictions: []protocol.Prediction{}}
		if e.Epoch == ck.Epoch {
			ev.Predictions = predictSamples(snap, r.m.samples)
		}
		p, err := prepare(ev)
		if err != nil {
			return err
		}
		r.epochs = append(r.epochs, *p)
	}
	r.answer.set(snap, ck.Epoch)
	return nil
}
