package mnist

import (
	"descent/mnist/internal/kernels"
	"descent/mnist/internal/phase"
)

// forwardLayer runs layer l on batch rows: y = act(x·Wᵀ + b), or the logits
// x·Wᵀ + b for the last layer. x is (B, in), y is (B, out).
func (n *Net[T]) forwardLayer(l, batch int, x, y []T) {
	if l == 0 && n.firstTransposed(batch) && len(n.ws.xt) >= min(batch, transposedBlock)*InputSize {
		n.forwardFirstTransposed(batch, x, y)
		return
	}
	ly := n.layers[l]
	act := n.Arch.Activation
	if l == len(n.layers)-1 {
		act = "" // logits
	}
	if !is32[T]() || act == "" {
		linearForward(act, y, x, ly.w, ly.b, batch, ly.in, ly.out)
		phase.Mark(phase.Forward(l))
		return
	}
	gemm(false, true, batch, ly.out, ly.in, x, ly.in, ly.w, ly.in, 0, y, ly.out)
	phase.Mark(phase.Forward(l))
	addBiasActivation(act, f32(y), batch, ly.out, f32(ly.b))
	phase.Mark(phase.Activation)
}

// backwardLayer computes layer l's gradients from its δ (in the workspace):
// dW = δᵀ·x and db = Σ_rows δ, and for l > 0 the δ of layer l−1,
// (δ·W) ⊙ act'(a).
func (n *Net[T]) backwardLayer(l, rows int, accumulate bool) {
	ly := n.layers[l]
	dy := n.ws.delta[l][:rows*ly.out]
	x := n.ws.x[:rows*InputSize]
	var dx []T
	if l > 0 {
		x = n.ws.acts[l-1][:rows*ly.in]
		dx = n.ws.delta[l-1][:rows*ly.in]
	}
	if !is32[T]() {
		linearBackward(ly.dw, ly.db, dx, dy, x, ly.w, rows, ly.in, ly.out, accumulate)
		if dx != nil {
			activationBackward(n.Arch.Activation, dx, x)
		}
		phase.Mark(phase.WeightGrad(l))
		return
	}
	var beta T
	if accumulate {
		beta = 1
	}
	if l == 0 { // asking for the next images on the side (see queueAhead)
		kernels.SgemmPrefetch(&n.ahead, true, false, ly.out, ly.in, rows, 1, f32(dy), ly.out, f32(x), ly.in, float32(beta), f32(ly.dw), ly.in)
	} else {
		gemm(true, false, ly.out, ly.in, rows, dy, ly.out, x, ly.in, beta, ly.dw, ly.in)
	}
	phase.Mark(phase.WeightGrad(l))
	colSum(ly.db, dy, rows, ly.out, beta)
	phase.Mark(phase.BiasGrad)
	if dx == nil {
		return
	}
	gemm(false, false, rows, ly.in, ly.out, dy, ly.out, ly.w, ly.in, 0, dx, ly.in)
	phase.Mark(phase.InputGrad(l))
	activationBackward(n.Arch.Activation, dx, x)
	phase.Mark(phase.Activation)
}
