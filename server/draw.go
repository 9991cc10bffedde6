package server

import (
	"encoding/base64"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"descent/mnist"
)

// The drawing panel: a page sends drawings (Predict) and gets the network's
// answer (PredictResult). Predictions run on one goroutine per page, never on
// a training goroutine, and read a run's weights through the snapshot that
// training replaces after each epoch, so they never wait behind training.

// snapshotAt is a run's weights after an epoch, with that epoch's number.
type snapshotAt struct {
	model *mnist.Model
	epoch int
}

// snapshot returns the weights that answer drawings: those after the last
// finished epoch, or the initial weights before the first.
func (r *Run) snapshot() (snapshotAt, error) {
	if s := r.draw.drawn.Load(); s != nil {
		return *s, nil
	}
	if r.trainer == nil {
		return r.storedSnapshot() // a stored run's saved weights (persist.go)
	}
	return snapshotAt{model: r.trainer.Snapshot()}, nil
}

// checkPredict validates a drawing and keeps its decoded pixels.
func checkPredict(p *Predict) error {
	w, err := rangeInt("width", p.Width, mnist.MinCanvas, mnist.MaxCanvas)
	if err != nil {
		return err
	}
	h, err := rangeInt("height", p.Height, mnist.MinCanvas, mnist.MaxCanvas)
	if err != nil {
		return err
	}
	allowed := fmt.Sprintf("base64 of width×height = %d grey levels (0 background … 255 ink)", w*h)
	if p.Pixels == "" {
		return fieldErr("pixels", allowed, "missing")
	}
	pix, err := base64.StdEncoding.DecodeString(p.Pixels)
	if err != nil {
		return fieldErr("pixels", allowed, "not base64: %v", err)
	}
	if len(pix) != w*h {
		return fieldErr("pixels", allowed, "%d bytes for a %d×%d drawing", len(pix), w, h)
	}
	if p.Run != "" && p.Model != "" {
		return fieldErr("model", "either run or model, not both", "both run %q and model %q", p.Run, p.Model)
	}
	p.pix = pix
	return nil
}

// answering returns the run that answers drawings sent to run id: that run,
// or for "" the finished run with the best test accuracy, else the latest one
// training.
func (m *manager) answering(id string) (*Run, error) {
	if id != "" {
		return m.get(id)
	}
	var best, running *Run
	bestAcc := -1.0
	for _, r := range m.list() {
		r.mu.Lock()
		res, state := r.result, r.state
		r.mu.Unlock()
		switch {
		case res != nil && res.Epochs > 0 && res.Status != StatusDiverged && res.TestAccuracy > bestAcc:
			best, bestAcc = r, res.TestAccuracy
		case res == nil && state == StatusRunning:
			running = r
		}
	}
	if best != nil {
		return best, nil
	}
	if running != nil {
		return running, nil
	}
	return nil, fieldErr("run", "a run id, or empty once a run has trained", "no network to answer yet: train a model first")
}

// predict classifies one validated drawing.
func (s *Server) predict(p *Predict) (PredictResult, error) {
	img, blank, err := mnist.Preprocess(p.pix, *p.Width, *p.Height)
	if err != nil {
		return PredictResult{}, fmt.Errorf("server: %w", err)
	}
	res := PredictResult{Type: EvPrediction, Req: p.Req, Run: p.Run, Model: p.Model, Probs: []float64{}, Top: -1, Blank: blank, Image: img}
	if blank && p.Run == "" && p.Model == "" {
		return res, nil // an empty canvas has no answer, and that is no error
	}
	var pool *predictorPool
	var model *mnist.Model
	if p.Model != "" {
		sm, err := s.savedModel(p.Model)
		if err != nil {
			return PredictResult{}, err
		}
		pool, model, res.Epoch = &sm.pool, sm.model, sm.model.Meta.Epochs
	} else {
		r, err := s.runs.answering(p.Run)
		if err != nil {
			return PredictResult{}, err
		}
		snap, err := r.snapshot()
		if err != nil {
			return PredictResult{}, err
		}
		pool, model, res.Run, res.Epoch = &r.draw.pool, snap.model, r.id, snap.epoch
	}
	if blank {
		return res, nil
	}
	probs, err := pool.predict(model, img)
	if err != nil {
		return PredictResult{}, fmt.Errorf("server: %s%s: %w", res.Run, res.Model, err)
	}
	res.Probs, res.Top = probs[:], mnist.ArgMax(probs[:])
	return res, nil
}

// predict is one forward pass of m with one of the pool's Predictors.
func (pp *predictorPool) predict(m *mnist.Model, img []uint8) ([mnist.Classes]float64, error) {
	pr, err := pp.get(m)
	if err != nil {
		return [mnist.Classes]float64{}, err
	}
	defer pp.put(m, pr)
	return pr.PredictPixels(img)
}

// runDraw is a run's side of the drawing panel: the weights after its last
// epoch, and idle Predictors for them.
type runDraw struct {
	drawn atomic.Pointer[snapshotAt] // set by the training goroutine after each epoch
	pool  predictorPool
}

// predictorPool keeps idle Predictors for a run's current snapshot, so that a
// drawing costs one forward pass and not a copy of the weights. A new epoch is
// a new snapshot, whose first drawing drops the old Predictors.
type predictorPool struct {
	mu    sync.Mutex
	model *mnist.Model
	free  []*mnist.Predictor
}

// maxIdlePredictors bounds the Predictors kept per run: as many as pages that
// draw at the same instant.
const maxIdlePredictors = 4

// get returns an idle Predictor for m, or a new one.
func (pp *predictorPool) get(m *mnist.Model) (*mnist.Predictor, error) {
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
func (pp *predictorPool) put(m *mnist.Model, p *mnist.Predictor) {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	if pp.model == m && len(pp.free) < maxIdlePredictors {
		pp.free = append(pp.free, p)
	}
}

// drawSlot holds a page's latest drawing until its predictor goroutine takes
// it: a newer drawing replaces an older one that waits, so a page that sends
// too fast gets answers to its latest drawings at PredictHz, never a backlog.
type drawSlot struct {
	once  sync.Once
	ready chan struct{} // a drawing is waiting
	mu    sync.Mutex
	next  *Predict
}

// queuePredict hands a drawing to the page's predictor goroutine, started on
// the first one. It is called by the reader only.
func (c *conn) queuePredict(p *Predict) {
	d := &c.draw
	d.once.Do(func() {
		d.ready = make(chan struct{}, 1)
		go c.predictLoop()
	})
	d.mu.Lock()
	d.next = p
	d.mu.Unlock()
	select {
	case d.ready <- struct{}{}:
	default:
	}
}

// predictLoop answers the page's drawings, at most PredictHz a second, until
// the page goes.
func (c *conn) predictLoop() {
	d := &c.draw
	gap := time.Second / PredictHz
	var last time.Time
	for {
		select {
		case <-c.done:
			return
		case <-d.ready:
		}
		if wait := gap - time.Since(last); wait > 0 {
			select {
			case <-c.done:
				return
			case <-time.After(wait):
			}
		}
		d.mu.Lock()
		p := d.next
		d.next = nil
		d.mu.Unlock()
		if p == nil {
			continue
		}
		last = time.Now()
		res, err := c.s.predict(p)
		if err != nil {
			c.sendError(CmdPredict, p.Req, err)
			continue
		}
		c.send(res)
	}
}
