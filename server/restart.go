package server

import (
	"context"
	"errors"
	"fmt"
	"math"

	"descent/mnist"
	"descent/server/store"
)

// restart continues an interrupted or stopped run from its last epoch's
// checkpoint (from the start without one): store.Resume drops what was
// recorded after the checkpoint, mnist.Resume rebuilds the trainer, and a new
// Run with the same id takes the old one's place, its steps and epochs so far
// loaded from the store. With the same seed it ends exactly where an
// uninterrupted run ends.
func (m *manager) restart(id string) error {
	old, err := m.get(id)
	if err != nil {
		return err
	}
	st := m.keep.st
	if st == nil || old.st.id == 0 {
		return fieldErr("run", "a run kept in the store", "run %s cannot be restarted without the run store (descent serve --data-dir)", id)
	}
	old.mu.Lock()
	res, label := old.result, old.label
	old.mu.Unlock()
	if res == nil || (res.Status != StatusInterrupted && res.Status != StatusStopped) {
		return fieldErr("run", "an interrupted or stopped run", "run %s is %s", id, old.info().StatusText)
	}
	if !old.st.restarting.CompareAndSwap(false, true) {
		return fieldErr("run", "an interrupted or stopped run", "run %s is being restarted", id)
	}
	r, err := m.rebuild(old, label)
	if err != nil {
		old.st.restarting.Store(false)
		return err
	}
	m.mu.Lock()
	if m.ctx.Err() != nil {
		m.mu.Unlock()
		return fmt.Errorf("server: shutting down")
	}
	i := m.index(old)
	if i < 0 {
		m.mu.Unlock()
		return fieldErr("run", "the id of a run in the list", "run %s was deleted", id)
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
	m.log.Info("run restarted", "run", id, "fromEpoch", r.trainer.Progress()/max(r.trainer.StepsPerEpoch(), 1))
	return nil
}

// keptResult is the result of a run whose every epoch was kept: that of its
// last epoch.
func (r *Run) keptResult() mnist.Result {
	res := mnist.Result{Status: StatusDone, Steps: r.trainer.Progress()}
	if e := r.epochsFrom(0); len(e) > 0 {
		last := e[len(e)-1].v
		res.Epochs, res.TestAccuracy, res.TestLoss = last.Epoch, last.TestAccuracy, last.TestLoss
	}
	return res
}

// index returns the position of r in m.runs, or -1; m.mu is held.
func (m *manager) index(r *Run) int {
	for i, x := range m.runs {
		if x == r {
			return i
		}
	}
	return -1
}

// rebuild makes the Run that continues old from its last checkpoint.
func (m *manager) rebuild(old *Run, label string) (*Run, error) {
	st := m.keep.st
	ctx, cancel := context.WithTimeout(m.ctx, storeTimeout)
	defer cancel()
	ck, err := st.LatestCheckpoint(ctx, old.st.id)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("server: restarting run %s: %w", old.id, err)
	}
	t, err := m.trainerFrom(old.cfg, ck)
	if err != nil {
		return nil, fmt.Errorf("server: restarting run %s: %w", old.id, err)
	}
	if _, err := st.Resume(ctx, old.st.id); err != nil {
		return nil, fmt.Errorf("server: restarting run %s: %w", old.id, err)
	}
	r := newRun(old.id, old.sweep, label, t, m)
	r.st.id = old.st.id
	r.version = old.statusVersion() + 1
	if ck != nil {
		if err := r.preload(ctx, ck); err != nil {
			return nil, fmt.Errorf("server: restarting run %s: %w", old.id, err)
		}
	}
	return r, nil
}

// trainerFrom builds a trainer at the checkpoint, or a fresh one for nil.
func (m *manager) trainerFrom(cfg mnist.Config, ck *store.Checkpoint) (*mnist.Trainer, error) {
	if ck == nil {
		return mnist.NewTrainer(cfg, m.train, m.test)
	}
	return mnist.Resume(cfg, m.train, m.test,
		&mnist.Checkpoint{Epoch: ck.Epoch, Step: ck.Step, Model: ck.Model, Optimizer: ck.Optimizer})
}

// preload fills a restarted run's steps and epochs up to the checkpoint from
// the store, so that its history starts at step 1 and its series index stays
// the step number − 1. A step missing from the store is NaN.
func (r *Run) preload(ctx context.Context, ck *store.Checkpoint) error {
	st := r.m.keep.st
	steps, err := st.Steps(ctx, r.st.id, 1, ck.Step)
	if err != nil {
		return err
	}
	gap := float32(math.NaN())
	for _, e := range steps {
		if e.Step > ck.Step {
			break
		}
		for r.steps.len() < e.Step-1 {
			r.steps.add(stepRec{loss: gap, gradNorm: gap, updateRatio: gap, lr: gap, samplesPerSec: gap})
		}
		if r.steps.len() == e.Step-1 {
			r.steps.add(stepRec{loss: float32(e.Loss), gradNorm: float32(e.GradNorm),
				updateRatio: float32(e.UpdateRatio), lr: float32(e.LR), samplesPerSec: float32(e.SamplesPerSec)})
		}
	}
	for r.steps.len() < ck.Step {
		r.steps.add(stepRec{loss: gap, gradNorm: gap, updateRatio: gap, lr: gap, samplesPerSec: gap})
	}
	r.feed.to = r.steps.len() // the steps so far go out as history, not as a frame
	epochs, err := st.Epochs(ctx, r.st.id)
	if err != nil {
		return err
	}
	snap := r.trainer.Snapshot()
	for _, e := range epochs {
		if e.Epoch > ck.Epoch {
			break
		}
		ev := Epoch{Type: EvEpoch, Run: r.id, EpochEvent: e, Predictions: []Prediction{}}
		if e.Epoch == ck.Epoch {
			ev.Predictions = samplePredictions(snap, r.m.samples)
		}
		p, err := prepare(ev)
		if err != nil {
			return err
		}
		r.epochs = append(r.epochs, *p)
	}
	r.draw.drawn.Store(&snapshotAt{model: snap, epoch: ck.Epoch})
	return nil
}

// samplePredictions classifies the samples with m.
func samplePredictions(m *mnist.Model, s Samples) []Prediction {
	p, err := mnist.NewPredictor(m)
	if err != nil {
		return []Prediction{}
	}
	out := make([]Prediction, len(s.Labels))
	for i := range out {
		probs, err := p.PredictPixels(s.Pixels[i*mnist.InputSize : (i+1)*mnist.InputSize])
		if err != nil {
			return []Prediction{}
		}
		k := mnist.ArgMax(probs[:])
		out[i] = Prediction{Predicted: k, Probability: probs[k]}
	}
	return out
}

// storedHistory reads a run's history from the store: its steps
// down-sampled to at most HistoryPoints, and its epochs, the last with the
// samples' predictions. A run without a trainer never changes, so the
// history is read once.
func (r *Run) storedHistory(ctx context.Context) (*History, error) {
	r.st.mu.Lock()
	defer r.st.mu.Unlock()
	if r.st.history != nil {
		return r.st.history, nil
	}
	st := r.m.keep.st
	steps, err := st.StepsDownsampled(ctx, r.st.id, HistoryPoints)
	if err != nil {
		return nil, fmt.Errorf("server: history of run %s: %w", r.id, err)
	}
	epochs, err := st.Epochs(ctx, r.st.id)
	if err != nil {
		return nil, fmt.Errorf("server: history of run %s: %w", r.id, err)
	}
	h := &History{Type: EvHistory, Steps: stepColumns(steps), Epochs: make([]Epoch, len(epochs))}
	for i, e := range epochs {
		h.Epochs[i] = Epoch{Type: EvEpoch, Run: r.id, EpochEvent: e, Predictions: []Prediction{}}
	}
	if n := len(epochs); n > 0 {
		if m, err := st.Model(ctx, r.st.id, epochs[n-1].Epoch); err == nil {
			h.Epochs[n-1].Predictions = samplePredictions(m, r.m.samples)
		}
	}
	r.st.history = h
	return h, nil
}

// stepColumns turns stored steps into a Steps event's columns. The stored
// history keeps whole steps (the extremes of each bucket), so it has no
// lossMin and lossMax.
func stepColumns(steps []mnist.StepEvent) Steps {
	out := Steps{Step: make([]int, len(steps)), Loss: make(Column, len(steps)), GradNorm: make(Column, len(steps)),
		UpdateRatio: make(Column, len(steps)), LR: make(Column, len(steps)), SamplesPerSec: make(Column, len(steps))}
	for i, e := range steps {
		out.Step[i], out.Loss[i], out.GradNorm[i] = e.Step, float32(e.Loss), float32(e.GradNorm)
		out.UpdateRatio[i], out.LR[i], out.SamplesPerSec[i] = float32(e.UpdateRatio), float32(e.LR), float32(e.SamplesPerSec)
	}
	return out
}

// after returns the points of s after step from.
func (s Steps) after(from int) Steps {
	i := 0
	for i < len(s.Step) && s.Step[i] <= from {
		i++
	}
	return Steps{Step: s.Step[i:], Loss: s.Loss[i:], GradNorm: s.GradNorm[i:], UpdateRatio: s.UpdateRatio[i:],
		LR: s.LR[i:], SamplesPerSec: s.SamplesPerSec[i:]}
}

// subscribeStored sends the history of a run without a trainer, read from
// the store on the reader's goroutine so that the writer never waits for the
// disk.
func (c *conn) subscribeStored(r *Run, cmd *Subscribe) error {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	h, err := r.storedHistory(ctx)
	if err != nil {
		return err
	}
	c.enqueue(func() error {
		out := *h
		out.Req, out.Run, out.From = cmd.Req, r.info(), cmd.From
		if cmd.From > 0 {
			out.Steps = h.Steps.after(cmd.From)
		}
		c.subs[r.id] = &subscription{run: r}
		c.known[r.id] = r.statusVersion()
		return c.write(out)
	})
	return nil
}
