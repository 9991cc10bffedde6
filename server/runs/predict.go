package runs

import (
	"sync"
	"sync/atomic"

	"descent/mnist"
	"descent/server/protocol"
)

// Snapshot is a run's weights at the end of an epoch (0: the initial
// weights), with the pool of Predictors that answer drawings with them.
type Snapshot struct {
	Model *mnist.Model
	Epoch int
	Pool  *PredictorPool
}

// Predict classifies a 28×28 image (grey levels, ink 255) with the
// snapshot's weights.
func (s Snapshot) Predict(img []uint8) ([mnist.Classes]float64, error) {
	return s.Pool.Predict(s.Model, img)
}

// answerer is a run's side of the drawing panel: the weights after its last
// epoch (replaced by the training goroutine), and idle Predictors for them.
// Predictions never run on a training goroutine and never wait behind one.
type answerer struct {
	snap atomic.Pointer[Snapshot]
	pool PredictorPool
}

func (a *answerer) set(m *mnist.Model, epoch int) {
	a.snap.Store(&Snapshot{Model: m, Epoch: epoch, Pool: &a.pool})
}

// setOnce keeps s unless a snapshot is already there, and returns the one
// kept.
func (a *answerer) setOnce(s Snapshot) Snapshot {
	s.Pool = &a.pool
	a.snap.CompareAndSwap(nil, &s)
	return *a.snap.Load()
}

func (a *answerer) get() (Snapshot, bool) {
	if s := a.snap.Load(); s != nil {
		return *s, true
	}
	return Snapshot{}, false
}

// PredictorPool keeps idle Predictors for one model at a time, so that a
// drawing costs one forward pass and not a copy of the weights. A new model
// (a new epoch) drops the old Predictors on its first drawing.
type PredictorPool struct {
	mu    sync.Mutex
	model *mnist.Model
	free  []*mnist.Predictor
}

// maxIdlePredictors bounds the Predictors kept per pool: as many as pages
// that draw at the same instant.
const maxIdlePredictors = 4

// Predict is one forward pass of m with one of the pool's Predictors.
func (pp *PredictorPool) Predict(m *mnist.Model, img []uint8) ([mnist.Classes]float64, error) {
	pr, err := pp.get(m)
	if err != nil {
		return [mnist.Classes]float64{}, err
	}
	defer pp.put(m, pr)
	return pr.PredictPixels(img)
}

// get returns an idle Predictor for m, or a new one.
func (pp *PredictorPool) get(m *mnist.Model) (*mnist.Predictor, error) {
	pp.mu.Lock()
	if pp.model != m {
		pp.model, pp.free = m, nil
	}
	if n := len(pp.free); n > 0 {
		p := pp.free[n-1]
		pp.free = pp.free[:n-1]
		pp.mu.Unlock()
		return p, nil
	}
	pp.mu.Unlock()
	return mnist.NewPredictor(m)
}

// put returns a Predictor that get handed out for m.
func (pp *PredictorPool) put(m *mnist.Model, p *mnist.Predictor) {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	if pp.model == m && len(pp.free) < maxIdlePredictors {
		pp.free = append(pp.free, p)
	}
}

// predictSamples classifies the samples with m: the report's first 10 test
// predictions. It returns an empty list when m cannot predict.
func predictSamples(m *mnist.Model, s protocol.Samples) []protocol.Prediction {
	p, err := mnist.NewPredictor(m)
	if err != nil {
		return []protocol.Prediction{}
	}
	out := make([]protocol.Prediction, len(s.Labels))
	for i := range out {
		probs, err := p.PredictPixels(s.Pixels[i*mnist.InputSize : (i+1)*mnist.InputSize])
		if err != nil {
			return []protocol.Prediction{}
		}
		k := mnist.ArgMax(probs[:])
		out[i] = protocol.Prediction{Predicted: k, Probability: probs[k]}
	}
	return out
}

// Answering returns the run that answers drawings sent to run id: that run,
// or for "" the finished run with the best test accuracy, else the latest
// one training.
func (m *Manager) Answering(id string) (Run, error) {
	if id != "" {
		return m.Get(id)
	}
	var best, running Run
	bestAcc := -1.0
	for _, r := range m.List() {
		res, _, state := r.core().outcome()
		switch {
		case res != nil && res.Epochs > 0 && res.Status != protocol.StatusDiverged && res.TestAccuracy > bestAcc:
			best, bestAcc = r, res.TestAccuracy
		case res == nil && state == protocol.StatusRunning:
			running = r
		}
	}
	if best != nil {
		return best, nil
	}
	if running != nil {
		return running, nil
	}
	return nil, protocol.Refuse(protocol.CodeUnknown, "run", "a run id, or empty once a run has trained",
		"no network to answer yet: train a model first")
}
