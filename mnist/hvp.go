package mnist

import (
	"fmt"
	"unsafe"

	"descent/optim"
)

// Hessian is H = ∇²J(θ) of the mean cross-entropy J over a fixed probe set
// (the first N training images, normalised as in training) at fixed weights
// θ, reached only through exact Hessian-vector products Hv, by the
// R-operator (Pearlmutter 1994): a forward pass of R{·} beside the network's
// forward pass and a backward pass beside its backward pass, the cost of
// about two gradients. H itself (79,510² entries for the report's network)
// is never formed.
//
// SetParams runs the forward and backward passes once and keeps them: every
// product at those weights reuses the activations a, the softmax p and the
// errors δ, so that a product costs the two large first-layer products X·V₁ᵀ
// and R{δ₁}ᵀ·X and small ones. Float64 is exact to rounding (the CLI and the
// tests); float32 is for tracking during training, about 4 times faster and
// checked against it. A Hessian is not safe for concurrent use.
type Hessian[T optim.Float] struct {
	sizes    []int // input, hidden…, classes
	act      Activation
	params   []T
	w, b     [][]T // views into params: w[l] is (out, in), b[l] is (out)
	in       probeInput[T]
	labels   []uint8
	rows     int
	loss     float64
	products int

	a, delta, g []T      // one slab each for the activations, ∂J/∂z and ∂J/∂a
	al, dl, gl  [][]T    // their layers: al[l] is (rows, sizes[l+1])
	p           []T      // (rows, classes) the softmax
	rz, ra, rd  [][]T    // R{z}, R{a} and R{δ} of each layer
	v, hv       []T      // float32 copies of a product's vectors
	views       [4][][]T // per-layer views of v and Hv
}

// MaxHessianBytes bounds the memory of one Hessian's cached passes: about
// 6·N·(Σ hidden + 10) values for N examples.
const MaxHessianBytes = 2 << 30

// NewHessian prepares the Hessian of the mean cross-entropy of the network
// arch over the first n images of d. Its weights are zero until SetParams.
func NewHessian[T optim.Float](arch Arch, d *Dataset, n int) (*Hessian[T], error) {
	if err := arch.Validate(); err != nil {
		return nil, err
	}
	if d == nil || n < 1 || n > d.N {
		return nil, fmt.Errorf("mnist: a Hessian over %d examples, want 1 to %d", n, datasetSize(d))
	}
	sizes := arch.Sizes()
	if b := hessianBytes[T](sizes, n); b > MaxHessianBytes {
		return nil, fmt.Errorf("mnist: the Hessian of %s over %d examples needs %.1f GB, more than %d GB; use fewer examples",
			arch, n, float64(b)/1e9, MaxHessianBytes>>30)
	}
	return newHessian(sizes, arch.Activation, newProbeInput[T](d, n), d.Labels[:n]), nil
}

func datasetSize(d *Dataset) int {
	if d == nil {
		return 0
	}
	return d.N
}

// hessianBytes estimates the cached passes and the probe input.
func hessianBytes[T optim.Float](sizes []int, n int) int64 {
	units := 0
	for _, s := range sizes[1:] {
		units += s
	}
	var z T
	return int64(n) * int64(6*units+InputSize) * int64(unsafe.Sizeof(z))
}

// newHessian lays out a Hessian for layers of the given widths over the
// inputs in with their labels.
func newHessian[T optim.Float](sizes []int, act Activation, in probeInput[T], labels []uint8) *Hessian[T] {
	n, L := len(labels), len(sizes)-1
	h := &Hessian[T]{sizes: sizes, act: act, in: in, labels: labels, rows: n}
	np, units := 0, 0
	for l := range L {
		np += sizes[l]*sizes[l+1] + sizes[l+1]
		units += sizes[l+1]
	}
	h.params = make([]T, np)
	h.a, h.delta, h.g = make([]T, n*units), make([]T, n*units), make([]T, n*units)
	h.p = make([]T, n*sizes[L])
	off, act0 := 0, 0
	for l := range L {
		in, out := sizes[l], sizes[l+1]
		h.w = append(h.w, h.params[off:off+in*out])
		h.b = append(h.b, h.params[off+in*out:off+in*out+out])
		off += in*out + out
		span := func(s []T) []T { return s[act0 : act0+n*out] }
		h.al, h.dl, h.gl = append(h.al, span(h.a)), append(h.dl, span(h.delta)), append(h.gl, span(h.g))
		h.rz, h.ra, h.rd = append(h.rz, make([]T, n*out)), append(h.ra, make([]T, n*out)), append(h.rd, make([]T, n*out))
		act0 += n * out
	}
	if is32[T]() {
		h.v, h.hv = make([]T, np), make([]T, np)
	}
	for i := range h.views {
		h.views[i] = make([][]T, L)
	}
	return h
}

// Dim is the number of parameters, the order of H.
func (h *Hessian[T]) Dim() int { return len(h.params) }

// Examples is the number N of images in the probe set.
func (h *Hessian[T]) Examples() int { return h.rows }

// Loss is J(θ), the mean cross-entropy over the probe set at the weights of
// the last SetParams.
func (h *Hessian[T]) Loss() float64 { return h.loss }

// Products is the number of Hessian-vector products computed so far.
func (h *Hessian[T]) Products() int { return h.products }

// SetParams sets θ (a slab laid out as Net.Params) and runs the forward
// and backward passes that every product at θ reuses.
func (h *Hessian[T]) SetParams(theta []T) {
	if len(theta) != len(h.params) {
		panic(fmt.Sprintf("mnist: %d parameters for a Hessian of %d", len(theta), len(h.params)))
	}
	copy(h.params, theta)
	L, n := len(h.w), h.rows
	for l := range L {
		in, out := h.sizes[l], h.sizes[l+1]
		act := h.act
		if l == L-1 {
			act = "" // logits
		}
		if l == 0 {
			h.in.mul(h.al[0], h.w[0], out)
			biasActivation(act, h.al[0], h.b[0], n, out)
			continue
		}
		linearForward(act, h.al[l], h.al[l-1], h.w[l], h.b[l], n, in, out)
	}
	classes := h.sizes[L]
	sum, _ := softmaxCrossEntropy(h.dl[L-1], h.al[L-1], h.labels, nil, classes, 1/float64(n))
	h.loss = sum / float64(n)
	softmaxRows(h.p, h.al[L-1], n, classes)
	for l := L - 1; l > 0; l-- { // g = δ·W, δ = f'(z)·g for the hidden layers
		in, out := h.sizes[l], h.sizes[l+1]
		gemm(false, false, n, in, out, h.dl[l], out, h.w[l], in, 0, h.gl[l-1], in)
		copy(h.dl[l-1], h.gl[l-1])
		activationBackward(h.act, h.dl[l-1], h.al[l-1])
	}
}

// biasActivation sets y ← act(y + b) on each of the rows; act "" only adds.
func biasActivation[T optim.Float](act Activation, y, b []T, rows, cols int) {
	if is32[T]() && act != "" {
		addBiasActivation(act, f32(y), rows, cols, f32(b))
		return
	}
	for r := range rows {
		yr := y[r*cols : (r+1)*cols]
		for j, v := range b {
			yr[j] += v
		}
	}
	if act != "" {
		activationForward(act, y)
	}
}
