package runs

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"descent/mnist"
	"descent/server/protocol"
)

// snapshots are a live run's first-layer images kept for replay: at most
// protocol.KeptWeights, spread over the whole run. When full, every other
// one is dropped and the gap between kept ones doubles, so a long run keeps
// as many as a short one.
type snapshots struct {
	mu    sync.Mutex
	kept  []*prepared[protocol.Weights]
	every int // steps between kept snapshots, at least
}

// add keeps w if it is far enough from the last one kept.
func (s *snapshots) add(w *prepared[protocol.Weights]) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := len(s.kept); n > 0 && w.v.Step-s.kept[n-1].v.Step < s.every {
		s.kept[n-1] = w // the newest stands for its stretch
		return
	}
	if len(s.kept) == protocol.KeptWeights {
		half := s.kept[:0]
		for i, k := range s.kept {
			if i%2 == 1 {
				half = append(half, k)
			}
		}
		clear(s.kept[len(half):])
		s.kept, s.every = half, max(2*s.every, 1)
	}
	s.kept = append(s.kept, w)
}

// at returns the snapshot nearest at or before step, or the first.
func (s *snapshots) at(step int) *prepared[protocol.Weights] {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out *prepared[protocol.Weights]
	for _, k := range s.kept {
		if out == nil || k.v.Step <= step {
			out = k
		}
	}
	return out
}

// WeightsAt returns the run's first-layer images kept nearest at or before
// step, encoded with req.
func (r *Live) WeightsAt(_ context.Context, req int64, step int) ([]byte, error) {
	w := r.replay.at(step)
	if w == nil {
		return nil, protocol.Refuse(protocol.CodeUnknown, "step", "a step the run has reached", "run %s has no weights yet", r.id).With(step)
	}
	return withReq(w.v, req)
}

// WeightsAt returns the images of the weights kept at the last epoch end at
// or before step (the first epoch's before it).
func (r *Stored) WeightsAt(ctx context.Context, req int64, step int) ([]byte, error) {
	epochs, err := r.m.st.Epochs(ctx, r.storeID)
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	if len(epochs) == 0 {
		return nil, protocol.Refuse(protocol.CodeUnknown, "step", "a step of a run that finished an epoch",
			"run %s kept no weights", r.id).With(step)
	}
	e := epochs[0]
	for _, x := range epochs {
		if x.Step <= step {
			e = x
		}
	}
	m, err := r.m.st.Model(ctx, r.storeID, e.Epoch)
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	return withReq(weightImages(r.id, e.Step, firstLayer(m)), req)
}

// firstLayer returns W₁ of a model, (hidden, 784).
func firstLayer(m *mnist.Model) []float32 {
	if len(m.Arch.Hidden) == 0 {
		return nil
	}
	return m.Params[:m.Arch.Hidden[0]*mnist.InputSize]
}

func withReq(w protocol.Weights, req int64) ([]byte, error) {
	w.Req = req
	return json.Marshal(w)
}
