package server

import (
	"context"
	"encoding/json"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"descent/mnist"
)

// Weights images are sent at most WeightsHz times a second, for at most
// MaxWeightUnits hidden units.
const (
	WeightsHz      = 4
	MaxWeightUnits = 100
)

// Run is one training run: its trainer, every step at full resolution, its
// epochs, and the frames prepared once for every page that watches it.
type Run struct {
	id, sweep, label string
	cfg              mnist.Config
	trainer          *mnist.Trainer
	m                *manager
	ctx              context.Context
	cancel           context.CancelFunc

	steps series // written by the training goroutine only
	feed  feed   // the live frames, published by manager.publishLoop

	mu      sync.Mutex
	state   string // StatusQueued … StatusDiverged (StatusPaused is derived)
	paused  bool
	result  *mnist.Result
	errText string
	epochs  []prepared[Epoch]
	version int64 // bumped on every status change

	trace []time.Time // when each step ended, only in benchmarks (manager.trace)

	weights     atomic.Pointer[prepared[Weights]]
	lastWeights time.Time // training goroutine only
	wbuf        []float32 // training goroutine only

	draw runDraw // the drawing panel's weights and predictors (draw.go)

	st runStore // its place in the run store (persist.go)
}

// prepared is a message encoded once for every page.
type prepared[T any] struct {
	v   T
	msg *websocket.PreparedMessage
}

func prepare[T any](v T) (*prepared[T], error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	msg, err := websocket.NewPreparedMessage(websocket.TextMessage, b)
	if err != nil {
		return nil, err
	}
	return &prepared[T]{v: v, msg: msg}, nil
}

func newRun(id, sweep, label string, t *mnist.Trainer, m *manager) *Run {
	ctx, cancel := context.WithCancel(m.ctx)
	return &Run{id: id, sweep: sweep, label: label, cfg: t.Config(), trainer: t, m: m,
		ctx: ctx, cancel: cancel, state: StatusQueued}
}

// hooks are the training loop's callbacks; they never block.
func (r *Run) hooks() mnist.Hooks {
	return r.persistHooks(mnist.Hooks{Step: r.onStep, Epoch: r.onEpoch})
}

func (r *Run) onStep(ev mnist.StepEvent) {
	if r.m.trace {
		r.trace = append(r.trace, time.Now())
	}
	r.steps.add(stepRec{loss: float32(ev.Loss), gradNorm: float32(ev.GradNorm),
		updateRatio: float32(ev.UpdateRatio), lr: float32(ev.LR), samplesPerSec: float32(ev.SamplesPerSec)})
	if now := time.Now(); now.Sub(r.lastWeights) >= time.Second/WeightsHz {
		r.lastWeights = now
		r.captureWeights(ev.Step)
	}
}

func (r *Run) onEpoch(ev mnist.EpochEvent) {
	r.draw.drawn.Store(&snapshotAt{model: r.trainer.Snapshot(), epoch: ev.Epoch})
	r.captureWeights(ev.Step)
	e := Epoch{Type: EvEpoch, Run: r.id, EpochEvent: ev, Predictions: r.predict()}
	p, err := prepare(e)
	if err != nil {
		r.m.log.Error("server: epoch event", "run", r.id, "err", err)
		return
	}
	r.mu.Lock()
	r.epochs = append(r.epochs, *p)
	r.mu.Unlock()
}

// predict classifies the samples with the weights after the last epoch.
func (r *Run) predict() []Prediction {
	s := r.m.samples
	p, err := mnist.NewPredictor(r.trainer.Snapshot())
	if err != nil {
		return nil
	}
	out := make([]Prediction, len(s.Labels))
	for i := range out {
		probs, err := p.PredictPixels(s.Pixels[i*mnist.InputSize : (i+1)*mnist.InputSize])
		if err != nil {
			return nil
		}
		k := mnist.ArgMax(probs[:])
		out[i] = Prediction{Predicted: k, Probability: probs[k]}
	}
	return out
}

// captureWeights turns W₁ into one 28×28 image per hidden unit, each row
// scaled by its own largest |w|. It runs on the training goroutine.
func (r *Run) captureWeights(step int) {
	r.wbuf = r.trainer.FirstLayer(r.wbuf)
	units := min(len(r.wbuf)/mnist.InputSize, MaxWeightUnits)
	w := Weights{Type: EvWeights, Run: r.id, Step: step, Units: units,
		Pixels: make([]byte, units*mnist.InputSize), Scale: make([]float64, units)}
	for u := range units {
		row := r.wbuf[u*mnist.InputSize : (u+1)*mnist.InputSize]
		var peak float32
		for _, v := range row {
			peak = max(peak, float32(math.Abs(float64(v))))
		}
		w.Scale[u] = float64(peak)
		if peak == 0 || math.IsNaN(float64(peak)) || math.IsInf(float64(peak), 0) {
			peak = 1
		}
		for i, v := range row {
			w.Pixels[u*mnist.InputSize+i] = byte(128 + 127*max(-1, min(1, v/peak)))
		}
	}
	if p, err := prepare(w); err == nil {
		r.weights.Store(p)
	}
}

// publish turns the steps stored since the last frame into a new frame.
func (r *Run) publish() {
	r.feed.publish(r.id, &r.steps)
}

func (r *Run) setState(s string) {
	r.mu.Lock()
	r.state = s
	r.version++
	r.mu.Unlock()
	r.m.changed()
	r.persistStatus()
}

// finish records the run's end.
func (r *Run) finish(res mnist.Result, err error) {
	if serr := r.persistFinish(res); err == nil {
		err = serr
	}
	r.mu.Lock()
	r.state, r.result, r.paused = res.Status, &res, false
	if err != nil {
		r.errText = err.Error()
	}
	r.version++
	r.mu.Unlock()
	r.m.changed()
}

// finished reports whether the run has ended.
func (r *Run) finished() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.result != nil
}

// pause, resume and stop act on an unfinished run.
func (r *Run) pause() error  { return r.control(true, r.trainer.Pause) }
func (r *Run) resume() error { return r.control(false, r.trainer.Resume) }
func (r *Run) stop() error {
	if r.finished() {
		return r.endedErr()
	}
	r.cancel()
	return nil
}

func (r *Run) control(paused bool, act func()) error {
	r.mu.Lock()
	if r.result != nil {
		r.mu.Unlock()
		return r.endedErr()
	}
	act()
	r.paused = paused
	r.version++
	r.mu.Unlock()
	r.m.changed()
	r.persistStatus()
	return nil
}

func (r *Run) endedErr() error {
	return fieldErr("run", "a queued, running or paused run", "run %s has already ended (%s)", r.id, r.info().StatusText)
}

// statusVersion returns the counter of status changes.
func (r *Run) statusVersion() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.version
}

// epochsFrom returns the prepared epochs from index i on.
func (r *Run) epochsFrom(i int) []prepared[Epoch] {
	r.mu.Lock()
	defer r.mu.Unlock()
	if i >= len(r.epochs) {
		return nil
	}
	return append([]prepared[Epoch](nil), r.epochs[i:]...)
}

// info describes the run for lists and status events.
func (r *Run) info() RunInfo {
	t := r.trainer
	r.mu.Lock()
	defer r.mu.Unlock()
	in := RunInfo{ID: r.id, Sweep: r.sweep, Label: r.label, Config: r.cfg, Status: r.state,
		StatusText: r.state, Paused: r.paused, Error: r.errText}
	if t != nil {
		in.StepsPerEpoch, in.TotalSteps, in.Progress = t.StepsPerEpoch(), t.TotalSteps(), t.Progress()
	}
	if r.state == StatusRunning && r.paused {
		in.Status, in.StatusText = StatusPaused, StatusPaused
	}
	if r.result != nil {
		res := *r.result
		in.Result, in.StatusText, in.DivergedAt = &res, res.StatusText(), res.DivergedAt
	}
	if t == nil {
		r.storedInfo(&in) // a stored run (persist.go)
	}
	return in
}
