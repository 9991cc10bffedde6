package mnist

import (
	"math"

	"descent/mnist/internal/kernels"
	"descent/mnist/internal/phase"
	"descent/optim"
)

// The report's optimizer, plain SGD θ ← θ − α∇J(θ) (no momentum, no weight
// decay), takes a fused step where the kernels have one (kernels.FastSGD):
// the update and the page's norms in one pass over θ and ∇J, and for a
// batch of one, whose weight gradients are the outer products δ ⊗ x, the
// gradient and the update in one pass over θ without writing ∇J at all.
// Every weight is what optim's float32 SGD makes of the same gradient, bit
// for bit; the norms are summed in float32 runs (kernels.Norms), within a
// few float32 roundings of optim's float64 sums.

// plainSGD returns the optimizer as plain SGD, or nil when it is anything
// else.
func plainSGD(opt optim.Measured[float32]) *optim.SGD[float32] {
	s, ok := opt.(*optim.SGD[float32])
	if !ok || s.Momentum != 0 || s.WeightDecay != 0 {
		return nil
	}
	return s
}

// stepSGD is step for plain SGD with the fused kernels; ev carries the
// step number and α. After a batch of one, Grads is not kept.
func (t *Trainer) stepSGD(idx []int32, ev StepEvent) (StepEvent, bool) {
	net := t.net
	if len(idx) == 1 {
		ev.Loss = t.forwardOne(idx)
	} else {
		ev.Loss, _ = net.loss(t.train, idx, t.next)
	}
	if !finite(ev.Loss) || ev.Loss > DivergedLoss {
		return ev, false
	}
	t.opt.SetLR(ev.LR) // the optimizer's state stays what its own step leaves
	lr := float32(t.sgd.LearningRate)
	var n kernels.Norms
	if len(idx) == 1 {
		n = t.backwardOne(lr)
	} else {
		phase.Mark(phase.Rest)
		n = kernels.SGD(net.Params, net.Grads, lr)
	}
	if !finite(n.Grad) || !finite(n.Delta) || !finite(n.Theta) {
		n = t.wideNorms(len(idx) == 1, lr)
	}
	phase.Mark(phase.Optimizer)
	ev.GradNorm = math.Sqrt(n.Grad)
	if n.Theta > 0 {
		ev.UpdateRatio = math.Sqrt(n.Delta / n.Theta)
	}
	if !finite(n.Grad) || !finite(n.Theta) || !finite(n.Delta) {
		return ev, false
	}
	t.done.Add(1)
	return ev, true
}

// wideNorms measures the step just taken in float64, for when the fused
// kernels' float32 sums overflowed (or met a value that is not finite), so
// that the run is called diverged exactly when optim's float64 norms would
// call it so: ‖θ‖² from the weights; ‖g‖² from Grads, or after a batch of
// one from the outer products' factors, Σ_l ‖δ_l‖²(‖x_l‖² + 1); and ‖Δθ‖²
// as α²‖g‖² (Δθ = −αg, but for the rounding of θ).
func (t *Trainer) wideNorms(outer bool, lr float32) kernels.Norms {
	net := t.net
	n := kernels.Norms{Theta: sumSquares(net.Params)}
	if !outer {
		n.Grad = sumSquares(net.Grads)
	}
	for l := range net.layers {
		if !outer {
			break
		}
		ly := net.layers[l]
		x := net.ws.x[:InputSize]
		if l > 0 {
			x = net.ws.acts[l-1][:ly.in]
		}
		n.Grad += sumSquares(net.ws.delta[l][:ly.out]) * (sumSquares(x) + 1)
	}
	n.Delta = float64(lr) * float64(lr) * n.Grad
	return n
}

// sumSquares is Σ v² in float64.
func sumSquares(v []float32) float64 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return s
}
