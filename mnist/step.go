package mnist

import (
	"context"
	"fmt"
	"math"
	"time"

	"descent/mnist/internal/kernels"
	"descent/mnist/internal/phase"
)

// epoch runs one pass over the shuffled training set. It reports false when the
// run ends early (stopped or diverged), with res updated to say why.
func (t *Trainer) epoch(ctx context.Context, epoch int, hooks Hooks, res *Result) (EpochEvent, bool) {
	t.shuffle(epoch)
	t.ahead.ok = false
	ep := EpochEvent{Epoch: epoch}
	steps, b := t.StepsPerEpoch(), t.cfg.Batch
	var lossSum float64
	var elapsed time.Duration
	for i := range steps {
		if !t.wait(ctx) {
			res.Status = StatusStopped
			ep.Seconds = elapsed.Seconds()
			return ep, false
		}
		idx := t.perm[i*b : min((i+1)*b, len(t.perm))]
		t.next = t.perm[min((i+1)*b, len(t.perm)):min((i+2)*b, len(t.perm))]
		sharpness, threshold := t.measureSharpness(ctx) // before the step, at its starting weights
		start := time.Now()
		ev, ok := t.step(idx)
		elapsed += time.Since(start)
		ev.Sharpness, ev.Threshold = sharpness, threshold
		ev.Epoch, ev.Batch, ev.StepsPerEpoch = epoch, i+1, steps
		if !ok {
			res.Status, res.DivergedAt = StatusDiverged, ev.Step
			ep.Seconds = elapsed.Seconds()
			return ep, false
		}
		res.Steps = ev.Step
		lossSum += ev.Loss * float64(len(idx))
		ev.SamplesPerSec = float64(min((i+1)*b, len(t.perm))) / elapsed.Seconds()
		if hooks.Step != nil {
			hooks.Step(ev)
		}
	}
	ep.Step = res.Steps
	ep.TrainLoss = lossSum / float64(len(t.perm))
	ep.Seconds = elapsed.Seconds()
	return ep, true
}

// step is one optimizer step on the minibatch idx: forward, loss, backward,
// θ ← θ − α·update(∇J(θ)). It reports false when the run has diverged: the loss
// is not finite or above DivergedLoss, or the new weights are not finite. The
// run then ends; its snapshot keeps the last finished epoch's weights.
func (t *Trainer) step(idx []int32) (StepEvent, bool) {
	phase.Begin()
	defer phase.End()
	k := int(t.done.Load())
	ev := StepEvent{Step: k + 1, LR: t.lrAt(k)}
	if t.sgd != nil && fastPaths && kernels.FastSGD() && len(idx) <= chunkRows {
		return t.stepSGD(idx, ev)
	}
	net := t.net
	ev.Loss, _ = net.loss(t.train, idx, t.next)
	if !finite(ev.Loss) || ev.Loss > DivergedLoss {
		return ev, false
	}
	t.opt.SetLR(ev.LR)
	phase.Mark(phase.Rest)
	n := t.opt.StepMeasured(net.Params, net.Grads)
	phase.Mark(phase.Optimizer)
	ev.GradNorm, ev.UpdateRatio = math.Sqrt(n.Grad), n.Ratio()
	if !finite(n.Grad) || !finite(n.Theta) || !finite(n.Delta) {
		return ev, false
	}
	t.done.Add(1)
	return ev, true
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// DivergedLoss is the loss above which a run counts as diverged even while the
// numbers stay finite: 1000 times the loss of a uniform guess over ten classes,
// 1000·ln 10 ≈ 2303. With the log-sum-exp form the loss grows with the logits
// rather than overflowing, so an exploding run can stay finite for a long time;
// a loss this large means the weights have blown up.
const DivergedLoss = 1000 * math.Ln10

// Status returns the run's status as the page shows it: "done", "stopped", or
// "diverged at step k".
func (r Result) StatusText() string {
	if r.Status == StatusDiverged {
		return fmt.Sprintf("diverged at step %d", r.DivergedAt)
	}
	return r.Status
}
