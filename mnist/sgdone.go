package mnist

import (
	"descent/mnist/internal/kernels"
	"descent/mnist/internal/phase"
)

// A batch of one with plain SGD (pure SGD, 60,000 steps an epoch) is all
// passes over W₁: the forward product reads it, the update reads and writes
// it. So the update also computes the next step's first product with the
// weights it has just written (kernels.SGDOuterDot): z₁ = W₁x′ for the next
// image x′, summed as the product itself sums it, bit for bit. The next step
// then starts from z₁.

// ahead is the next step's first product, made during this step's update.
type ahead struct {
	ok  bool
	idx int32     // the image it is for
	x   []float32 // (784) its normalised pixels
	z   []float32 // (out₁) W₁x, no bias yet
}

// forwardOne is the forward half of a step on one image, idx: it returns
// the cross-entropy and leaves ∂J/∂logits in the last layer's delta.
func (t *Trainer) forwardOne(idx []int32) float64 {
	n, a := t.net, &t.ahead
	n.reserve(1)
	first := 0
	if a.ok && a.idx == idx[0] {
		copy(n.ws.x[:InputSize], a.x)
		if len(t.next) > 0 {
			kernels.Prefetch(pixelsOf(t.train, t.next[0]))
		}
		z := n.ws.acts[0][:len(a.z)]
		copy(z, a.z)
		phase.Mark(phase.Gather)
		addBiasActivation(n.Arch.Activation, z, 1, len(z), n.layers[0].b)
		phase.Mark(phase.Activation)
		first = 1
	} else {
		n.gatherNext(t.train, idx, t.next)
		phase.Mark(phase.Gather)
	}
	a.ok = false
	lab := n.labels(t.train, idx)
	logits := n.forwardFrom(first, 1)
	loss, _ := softmaxCrossEntropy(n.ws.delta[len(n.layers)-1][:Classes], logits, lab, nil, Classes, 1)
	phase.Mark(phase.Softmax)
	return loss
}

// backwardOne is backward for one row fused with plain SGD's step: each
// layer's δ is formed with its weights before they move, then
// W ← W − α·(δ ⊗ x) and b ← b − α·δ. W₁'s update also makes the next
// step's first product, when there is a next step and a hidden layer. It
// returns the norms of the step.
func (t *Trainer) backwardOne(lr float32) kernels.Norms {
	n := t.net
	one := []float32{1}
	var norms kernels.Norms
	for l := len(n.layers) - 1; l >= 0; l-- {
		ly := n.layers[l]
		dy := n.ws.delta[l][:ly.out]
		x := n.ws.x[:InputSize]
		if l > 0 {
			x = n.ws.acts[l-1][:ly.in]
			dx := n.ws.delta[l-1][:ly.in]
			gemm(false, false, 1, ly.in, ly.out, dy, ly.out, ly.w, ly.in, 0, dx, ly.in)
			activationBackward(n.Arch.Activation, dx, x)
		}
		if l == 0 && t.prepareAhead() {
			norms = norms.Add(kernels.SGDOuterDot(ly.w, ly.in, dy, x, lr, t.ahead.x, t.ahead.z))
			t.ahead.ok = true
		} else {
			norms = norms.Add(kernels.SGDOuter(ly.w, ly.in, dy, x, lr))
		}
		norms = norms.Add(kernels.SGDOuter(ly.b, ly.out, one, dy, lr))
	}
	return norms
}

// prepareAhead normalises the next step's image for its first product and
// reports whether that product can be made now.
func (t *Trainer) prepareAhead() bool {
	n, a := t.net, &t.ahead
	if len(t.next) != 1 || len(n.layers) < 2 || !n.fusedNorm || !fastPaths {
		return false
	}
	if a.x == nil {
		a.x, a.z = make([]float32, InputSize), make([]float32, n.layers[0].out)
	}
	a.idx = t.next[0]
	kernels.Normalize(a.x, pixelsOf(t.train, a.idx), normScale, normShift)
	return true
}
