package runs

import (
	"context"
	"sync/atomic"
	"time"

	"descent/mnist"
	"descent/server/protocol"
	"descent/server/steps"
)

// Live is a run that this server trains: its trainer, every step at full
// resolution, its epochs, and the frames encoded once for every page that
// watches it.
type Live struct {
	base
	m       *Manager
	trainer *mnist.Trainer
	ctx     context.Context
	cancel  context.CancelFunc

	steps steps.Series // written by the training goroutine only
	feed  feed         // the live frames, published by Manager.publishLoop

	epochs []prepared[protocol.Epoch] // under base.mu
	trace  []time.Time                // when each step ended, with Manager.Trace

	weights     atomic.Pointer[prepared[protocol.Weights]]
	lastWeights time.Time // training goroutine only
	wbuf        []float32 // training goroutine only
	replay      snapshots // kept for WeightsAt
	pace        pacer

	answer answerer  // the weights that answer drawings, and their predictors
	st     liveStore // its side of the run store
	path   livePath  // its training path, for the landscape

	tracker *mnist.Tracker // its sharpness tracker, or nil; set before training (sharpness.go)
	tracked float64        // the pace its tracker's budget is for; training goroutine only
	current current        // its weights between two steps, for a Hessian
}

func newLive(id, sweep, label string, t *mnist.Trainer, m *Manager) *Live {
	ctx, cancel := context.WithCancel(m.ctx)
	r := &Live{m: m, trainer: t, ctx: ctx, cancel: cancel}
	r.id, r.sweep, r.label, r.cfg, r.state = id, sweep, label, t.Config(), protocol.StatusQueued
	return r
}

// Trainer is the run's trainer.
func (r *Live) Trainer() *mnist.Trainer { return r.trainer }

// StepTimes returns when each step ended, with Manager.Trace set.
func (r *Live) StepTimes() []time.Time { return r.trace }

// hooks are the training loop's callbacks; they never block.
func (r *Live) hooks() mnist.Hooks {
	return r.persistHooks(mnist.Hooks{Step: r.onStep, Epoch: r.onEpoch})
}

func (r *Live) onStep(ev mnist.StepEvent) {
	if r.m.Trace {
		r.trace = append(r.trace, time.Now())
	}
	r.steps.Add(steps.Point{Loss: float32(ev.Loss), GradNorm: float32(ev.GradNorm),
		UpdateRatio: float32(ev.UpdateRatio), LR: float32(ev.LR), SamplesPerSec: float32(ev.SamplesPerSec)})
	if r.tracker != nil {
		r.trackPace()
		r.tracker.Observe(ev)
	}
	r.current.offer(r.trainer, ev.Step)
	if now := time.Now(); now.Sub(r.lastWeights) >= time.Second/protocol.WeightsHz {
		r.lastWeights = now
		r.captureWeights(ev.Step)
	}
	r.pathStep(ev)
	r.pace.step(r.ctx, ev.StepsPerEpoch)
}

func (r *Live) onEpoch(ev mnist.EpochEvent) {
	snap := r.trainer.Snapshot()
	r.answer.set(snap, ev.Epoch)
	r.captureWeights(ev.Step)
	p, err := prepare(protocol.Epoch{Type: protocol.EvEpoch, Run: r.id, EpochEvent: ev,
		Predictions: predictSamples(snap, r.m.samples)})
	if err != nil {
		r.m.log.Error("server: epoch event", "run", r.id, "err", err)
		return
	}
	r.mu.Lock()
	r.epochs = append(r.epochs, *p)
	r.mu.Unlock()
}

// captureWeights turns W₁ into one 28×28 image per hidden unit, each row
// scaled by its own largest |w|. It runs on the training goroutine.
func (r *Live) captureWeights(step int) {
	r.wbuf = r.trainer.FirstLayer(r.wbuf)
	if p, err := prepare(weightImages(r.id, step, r.wbuf)); err == nil {
		r.weights.Store(p)
		r.replay.add(p)
	}
}

// weightImages scales each row of W₁ (w, units × 784) into a 28×28 image:
// 128 + 127·w/max|w| over the row (protocol.NewTiles).
func weightImages(run string, step int, w []float32) protocol.Weights {
	t := protocol.NewTiles(w, protocol.MaxWeightUnits)
	return protocol.Weights{Type: protocol.EvWeights, Run: run, Step: step, Units: t.Units, Pixels: t.Pixels, Scale: t.Scale}
}

// publish turns the steps stored since the last frame into a new frame.
func (r *Live) publish() { r.feed.publish(r.id, &r.steps) }

func (r *Live) setState(s string) {
	r.mu.Lock()
	r.state = s
	r.version++
	r.mu.Unlock()
	r.m.changed()
	r.persistStatus()
}

// finish records the run's end.
func (r *Live) finish(res mnist.Result, err error) {
	if serr := r.persistFinish(res); err == nil {
		err = serr
	}
	r.releasePath()
	r.mu.Lock()
	r.state, r.result = res.Status, &res
	if err != nil {
		r.errText = err.Error()
	}
	r.version++
	r.mu.Unlock()
	r.m.changed()
}

// SetPace changes how fast the run trains: an epoch in about epochSeconds
// (0: as fast as it goes). It may be set before the run starts.
func (r *Live) SetPace(epochSeconds float64) error {
	if r.Finished() {
		return r.endedErr(r.Info().StatusText)
	}
	r.pace.set(epochSeconds)
	r.mu.Lock()
	r.version++
	r.mu.Unlock()
	r.m.changed()
	return nil
}

// Pause, Resume and Stop act on an unfinished run.
func (r *Live) Pause() error  { return r.control(r.trainer.Pause) }
func (r *Live) Resume() error { return r.control(r.trainer.Resume) }
func (r *Live) Stop() error {
	if r.Finished() {
		return r.endedErr(r.Info().StatusText)
	}
	r.cancel()
	return nil
}

func (r *Live) control(act func()) error {
	r.mu.Lock()
	if r.result != nil {
		r.mu.Unlock()
		return r.endedErr(r.Info().StatusText)
	}
	act()
	r.version++
	r.mu.Unlock()
	r.m.changed()
	r.persistStatus()
	return nil
}

// epochsFrom returns the prepared epochs from index i on.
func (r *Live) epochsFrom(i int) []prepared[protocol.Epoch] {
	r.mu.Lock()
	defer r.mu.Unlock()
	if i >= len(r.epochs) {
		return nil
	}
	return append([]prepared[protocol.Epoch](nil), r.epochs[i:]...)
}

// Info describes the run for lists and status events.
func (r *Live) Info() protocol.RunInfo {
	t := r.trainer
	r.mu.Lock()
	defer r.mu.Unlock()
	in := r.base.info()
	in.StepsPerEpoch, in.TotalSteps, in.Progress = t.StepsPerEpoch(), t.TotalSteps(), t.Progress()
	in.Paused = r.result == nil && t.Paused()
	in.Pace.EpochSeconds, _ = r.pace.get()
	if in.Sharpness != nil {
		in.Sharpness.Budget = r.m.budget(in.Pace.EpochSeconds)
	}
	if r.state == protocol.StatusRunning && in.Paused {
		in.Status, in.StatusText = protocol.StatusPaused, protocol.StatusPaused
	}
	return in
}

// Steps returns every step, thinned to maxPoints when that is above 0.
func (r *Live) Steps(_ context.Context, maxPoints int) (steps.Columns, error) {
	return r.steps.Points(0, r.steps.Len(), maxPoints), nil
}

// Epochs returns the epochs evaluated so far.
func (r *Live) Epochs(context.Context) ([]mnist.EpochEvent, error) {
	e := r.epochsFrom(0)
	out := make([]mnist.EpochEvent, len(e))
	for i := range e {
		out[i] = e[i].v.EpochEvent
	}
	return out, nil
}

// Snapshot returns the weights after the last finished epoch, or the
// initial ones before the first.
func (r *Live) Snapshot(context.Context) (Snapshot, error) {
	if s, ok := r.answer.get(); ok {
		return s, nil
	}
	return Snapshot{Model: r.trainer.Snapshot(), Pool: &r.answer.pool}, nil
}
