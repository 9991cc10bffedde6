package runs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sync"

	"descent/mnist"
	"descent/server/protocol"
	"descent/server/steps"
	"descent/server/store"
)

// Stored is a finished run read back from the store: a run of an earlier
// session, or a live run evicted from memory (Manager.evict). It never
// changes but for its label; its history is read from the store once.
type Stored struct {
	base
	m        *Manager
	text     string // the store's status text, such as "interrupted in epoch 2 (was running)"
	progress int    // steps done

	histMu  sync.Mutex
	history *protocol.History // cached, without Req, Run and From
	answer  answerer
}

// Restore marks the runs that a previous server left alive as interrupted
// and loads every stored run, oldest first. Call it once, after New and
// before the pages come. Without a store it does nothing.
func (m *Manager) Restore(ctx context.Context) error {
	if m.st == nil {
		return nil
	}
	n, err := m.st.MarkInterrupted(ctx)
	if err != nil {
		return fmt.Errorf("server: restoring runs: %w", err)
	}
	runs, err := m.st.ListRuns(ctx)
	if err != nil {
		return fmt.Errorf("server: restoring runs: %w", err)
	}
	m.mu.Lock()
	for _, sr := range runs {
		m.runs = append(m.runs, m.stored(sr))
	}
	m.mu.Unlock()
	m.changed()
	m.log.Info("runs restored", "runs", len(runs), "interrupted", n, "dir", m.st.Dir())
	return nil
}

// stored makes a Stored run of a run in the store.
func (m *Manager) stored(sr store.Run) *Stored {
	r := &Stored{m: m, text: sr.StatusText, progress: sr.Steps}
	r.id, r.label, r.cfg, r.state, r.storeID, r.sharpness = runID(sr.ID), sr.Name, sr.Config, sr.Status, sr.ID, sr.SharpnessExamples
	if sr.SweepID != 0 {
		r.sweep = sweepID(sr.SweepID)
	}
	res := mnist.Result{Status: sr.Status, Epochs: sr.EpochsDone, Steps: sr.Steps,
		TestAccuracy: zeroNaN(sr.TestAccuracy), TestLoss: zeroNaN(sr.TestLoss)}
	if sr.Status == protocol.StatusDiverged {
		fmt.Sscanf(sr.StatusText, "diverged at step %d", &res.DivergedAt)
	}
	r.result = &res
	return r
}

func zeroNaN(f float64) float64 {
	if math.IsNaN(f) {
		return 0
	}
	return f
}

// storedTwin returns a finished live run as a stored run, which reads its
// history from the store instead of holding every step. The twin keeps r's
// status version, so pages see no change. m.mu is held.
func (m *Manager) storedTwin(r *Live) *Stored {
	in := r.Info()
	r.mu.Lock()
	defer r.mu.Unlock()
	res := *r.result
	twin := &Stored{m: m, text: in.StatusText, progress: in.Progress}
	twin.id, twin.sweep, twin.label, twin.cfg, twin.storeID, twin.sharpness = r.id, r.sweep, r.label, r.cfg, r.storeID, r.sharpness
	twin.state, twin.result, twin.errText, twin.version = r.state, &res, r.errText, r.version
	return twin
}

// Info describes the run for lists and status events.
func (r *Stored) Info() protocol.RunInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	in := r.base.info()
	if train := r.m.cfg.Train; train != nil && r.cfg.Batch > 0 {
		in.StepsPerEpoch = (train.N + r.cfg.Batch - 1) / r.cfg.Batch
		in.TotalSteps = in.StepsPerEpoch * r.cfg.Epochs
	}
	in.Progress = r.progress
	if r.text != "" {
		in.StatusText = r.text
	}
	return in
}

// Steps reads the run's steps from the store.
func (r *Stored) Steps(ctx context.Context, maxPoints int) (steps.Columns, error) {
	return r.m.st.StepColumns(ctx, r.storeID, maxPoints)
}

// Epochs reads the run's epochs from the store.
func (r *Stored) Epochs(ctx context.Context) ([]mnist.EpochEvent, error) {
	return r.m.st.Epochs(ctx, r.storeID)
}

// Snapshot loads the latest saved weights, once.
func (r *Stored) Snapshot(ctx context.Context) (Snapshot, error) {
	if s, ok := r.answer.get(); ok {
		return s, nil
	}
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	model, err := r.m.st.Model(ctx, r.storeID, 0)
	if errors.Is(err, store.ErrNotFound) {
		return Snapshot{}, protocol.Refuse(protocol.CodeUnknown, "run", "a run that finished an epoch",
			"run %s has no saved weights yet", r.id).With(r.id)
	}
	if err != nil {
		return Snapshot{}, fmt.Errorf("server: %w", err)
	}
	res, _, _ := r.outcome()
	return r.answer.setOnce(Snapshot{Model: model, Epoch: res.Epochs}), nil
}

// Subscribe reads the run's history (once, then from memory) and returns a
// subscription that sends it.
func (r *Stored) Subscribe(ctx context.Context, req int64, from int, _ bool) (Subscription, error) {
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	h, err := r.readHistory(ctx)
	if err != nil {
		return nil, err
	}
	out := *h
	out.Req, out.Run, out.From = req, r.Info(), from
	if from > 0 {
		out.Steps.Columns = h.Steps.After(from)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	return &storedSub{msg: b}, nil
}

// readHistory reads the steps down-sampled to HistoryPoints and the
// epochs, the last with the samples' predictions.
func (r *Stored) readHistory(ctx context.Context) (*protocol.History, error) {
	r.histMu.Lock()
	defer r.histMu.Unlock()
	if r.history != nil {
		return r.history, nil
	}
	cols, err := r.m.st.StepColumns(ctx, r.storeID, protocol.HistoryPoints)
	if err != nil {
		return nil, fmt.Errorf("server: history of run %s: %w", r.id, err)
	}
	epochs, err := r.m.st.Epochs(ctx, r.storeID)
	if err != nil {
		return nil, fmt.Errorf("server: history of run %s: %w", r.id, err)
	}
	h := &protocol.History{Type: protocol.EvHistory, Steps: protocol.Steps{Columns: cols}, Epochs: make([]protocol.Epoch, len(epochs))}
	for i, e := range epochs {
		h.Epochs[i] = protocol.Epoch{Type: protocol.EvEpoch, Run: r.id, EpochEvent: e, Predictions: []protocol.Prediction{}}
	}
	if n := len(epochs); n > 0 {
		if m, err := r.m.st.Model(ctx, r.storeID, epochs[n-1].Epoch); err == nil {
			h.Epochs[n-1].Predictions = predictSamples(m, r.m.samples)
		}
	}
	r.history = h
	return h, nil
}

// storedSub sends a stored run's history once.
type storedSub struct {
	msg  []byte
	sent bool
}

func (s *storedSub) Flush(write func([]byte) error) error {
	if s.sent {
		return nil
	}
	s.sent = true
	return write(s.msg)
}
