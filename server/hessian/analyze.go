package hessian

import (
	"context"
	"fmt"
	"slices"
	"time"

	"descent/mnist"
	"descent/server/draw"
	"descent/server/protocol"
	"descent/server/runs"
)

// Sources are where Resolve finds the weights of a Hessian.
type Sources struct {
	Runs      *runs.Manager
	Models    *draw.Models
	Train     *mnist.Dataset // the server's training images
	MaxParams int            // --max-hessian-params
}

// currentWait is how long Resolve waits for a live run's next step before
// it takes the run's last epoch's weights instead: long enough for a paced
// run's step, short enough for a page that waits.
const currentWait = time.Second

// Resolve finds the weights r asks for and checks them: a live run's
// current weights (AtCurrent; its last epoch's when it takes no step within
// currentWait: paused, queued or finished), its last epoch's (AtEpoch), a
// stored run's last checkpoint, or a saved model's.
func (s Sources) Resolve(ctx context.Context, r Request) (Target, error) {
	var t Target
	var err error
	if r.Model != "" {
		t, err = s.model(r.Model)
	} else {
		t, err = s.run(ctx, r)
	}
	if err != nil {
		return t, err
	}
	return t, checkTarget(&t, r, s.MaxParams)
}

func (s Sources) model(name string) (Target, error) {
	snap, err := s.Models.Snapshot(name)
	if err != nil {
		return Target{}, err
	}
	return Target{Model: snap.Model, Train: s.Train, At: protocol.AtModel, Epoch: snap.Epoch}, nil
}

func (s Sources) run(ctx context.Context, r Request) (Target, error) {
	run, err := s.Runs.Get(r.Run)
	if err != nil {
		return Target{}, err
	}
	in := run.Info()
	train, err := s.Train.First(min(in.Config.TrainExamples, s.Train.N))
	if err != nil {
		return Target{}, fmt.Errorf("server: %w", err)
	}
	t := Target{Train: train}
	if live, ok := run.(*runs.Live); ok && r.At == protocol.AtCurrent {
		if w, ok := live.CurrentWeights(ctx, currentWait); ok {
			t.Model, t.At, t.Step = w.Model, protocol.AtCurrent, w.Step
			t.Epoch = w.Step / max(in.StepsPerEpoch, 1)
			return t, nil
		}
	}
	snap, err := run.Snapshot(ctx)
	if err != nil {
		return Target{}, err
	}
	if snap.Model == nil {
		return Target{}, protocol.Refuse(protocol.CodeUnknown, "run", "a run with weights", "run %s has no weights yet", r.Run).With(r.Run)
	}
	t.Model, t.At, t.Epoch = snap.Model, protocol.AtEpoch, snap.Epoch
	t.Step = min(snap.Epoch*in.StepsPerEpoch, in.Progress)
	return t, nil
}

// Analyze computes the Hessian of r at t with exact float64 products,
// reporting each product to progress (which may be nil), and returns the
// answer. It honours ctx between products.
func Analyze(ctx context.Context, r Request, t Target, progress func(stage string, hvps int)) (protocol.HessianResult, error) {
	rep, err := mnist.AnalyzeHessian(ctx, t.Model, t.Train, mnist.HessianOptions{Examples: t.Examples, Top: r.Top,
		Density: r.Density, Progress: progress, Seed: 1})
	if err != nil {
		return protocol.HessianResult{}, fmt.Errorf("server: the Hessian %s: %w", describe(&t, r), err)
	}
	res := protocol.HessianResult{Type: protocol.EvHessianResult, Req: r.Req, Run: r.Run, Model: r.Model,
		At: t.At, Step: t.Step, Epoch: t.Epoch, Examples: rep.Examples, Loss: rep.Loss, Eigenvalues: rep.Eigenvalues,
		Converged: rep.Converged, Trace: rep.Trace, TraceStdErr: rep.TraceStdErr, TraceProbes: rep.TraceProbes,
		Density: rep.Density, HVPs: rep.HVPs, Seconds: rep.Seconds}
	if h := t.Model.Arch.Hidden; len(h) > 0 && len(rep.Vector) >= h[0]*mnist.InputSize {
		tiles := protocol.NewTiles(rep.Vector[:h[0]*mnist.InputSize], protocol.MaxWeightUnits)
		res.Sharpest = &tiles
	}
	if !finiteResult(res) {
		return protocol.HessianResult{}, fmt.Errorf("server: the Hessian %s has values that are not finite", describe(&t, r))
	}
	return res, nil
}

// finiteResult reports whether every number of res is finite, as JSON
// needs.
func finiteResult(res protocol.HessianResult) bool {
	vals := append([]float64{res.Loss, res.Trace, res.TraceStdErr}, res.Eigenvalues...)
	if res.Density != nil {
		vals = append(append(vals, res.Density.X...), res.Density.Y...)
	}
	return !slices.ContainsFunc(vals, func(v float64) bool { return !protocol.Finite(v) })
}

// Progress returns the function that turns Analyze's products into
// HessianProgress events for send: the first product of each stage at once,
// then at most protocol.HessianProgressHz a second.
func Progress(r Request, send func(protocol.HessianProgress)) func(stage string, hvps int) {
	start, last, stageNow := time.Now(), time.Time{}, ""
	return func(stage string, hvps int) {
		now := time.Now()
		if stage == stageNow && now.Sub(last) < time.Second/protocol.HessianProgressHz {
			return
		}
		stageNow, last = stage, now
		send(protocol.HessianProgress{Type: protocol.EvHessianProgress, Req: r.Req, Run: r.Run, Model: r.Model,
			Stage: stage, HVPs: hvps, Seconds: now.Sub(start).Seconds()})
	}
}
