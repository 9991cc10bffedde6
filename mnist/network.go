package mnist

import (
	"math"
	"math/rand/v2"

	"descent/mnist/internal/kernels"
	"descent/mnist/internal/phase"
	"descent/optim"
)

// The report's transform: x = (u/255 − Mean)/Std, with MNIST's mean and
// standard deviation.
const (
	Mean = 0.1307
	Std  = 0.3081
)

// Net is a multilayer perceptron, 784 → hidden… → 10 logits. All parameters live
// in one slab, layer by layer (W₁, b₁, W₂, b₂, … as PyTorch's parameters()), so
// that an optimizer walks one slice; Grads has the same layout.
type Net[T optim.Float] struct {
	Arch   Arch
	Params []T
	Grads  []T
	layers []layer[T]
	ws     workspace[T]
	norm   [256]T // pixel value → normalised input

	fusedNorm bool // float32 only: the kernels' fused normalisation gives norm

	keepEval bool         // keep evalWS between evaluations (while a trainer runs)
	evalWS   workspace[T] // Evaluate's workspace, when larger than ws

	ahead kernels.Prefetcher // the next images, fetched during the first layer's ∂J/∂W
}

// layer holds views into the slabs: W is (out, in), b is (out).
type layer[T optim.Float] struct {
	in, out int
	w, b    []T
	dw, db  []T
}

// workspace holds the activations and their gradients for up to cap rows.
type workspace[T optim.Float] struct {
	cap   int
	x     []T     // (B, 784) the normalised minibatch
	xt    []T     // (784, B) its transpose, for the first layer (see firstTransposed)
	zt    []T     // (out₁, B) the first layer's z₁ᵀ
	acts  [][]T   // acts[l] is (B, out_l): after the activation, logits for the last
	delta [][]T   // delta[l] is (B, out_l): ∂J/∂z_l
	lab   []uint8 // (B) the minibatch's labels
}

// NewNet returns a network with the given shape, initialised as PyTorch's
// nn.Linear is: every weight and bias uniform in ±1/√fan_in, drawn from a
// generator seeded with seed, so that a seed gives the same network every time.
func NewNet[T optim.Float](arch Arch, seed uint64) (*Net[T], error) {
	if err := arch.Validate(); err != nil {
		return nil, err
	}
	n := newNet[T](arch)
	n.Init(seed)
	return n, nil
}

// newNet lays out the slabs for a valid arch, with zero parameters.
func newNet[T optim.Float](arch Arch) *Net[T] {
	arch.Hidden = append([]int(nil), arch.Hidden...)
	n := &Net[T]{Arch: arch, Params: make([]T, arch.NumParams()), Grads: make([]T, arch.NumParams())}
	sizes, off := arch.Sizes(), 0
	for l := 0; l+1 < len(sizes); l++ {
		in, out := sizes[l], sizes[l+1]
		ly := layer[T]{in: in, out: out}
		ly.w, ly.dw = n.Params[off:off+in*out], n.Grads[off:off+in*out]
		off += in * out
		ly.b, ly.db = n.Params[off:off+out], n.Grads[off:off+out]
		off += out
		n.layers = append(n.layers, ly)
	}
	for u := range n.norm {
		n.norm[u] = T((float64(u)/255 - Mean) / Std)
	}
	if is32[T]() {
		n.fusedNorm = fusedNormExact((*[256]float32)(f32(n.norm[:])))
	}
	return n
}

// Init draws fresh weights and biases, uniform in ±1/√fan_in, from seed.
func (n *Net[T]) Init(seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 0x5eed1417))
	for _, ly := range n.layers {
		bound := 1 / math.Sqrt(float64(ly.in))
		for i := range ly.w {
			ly.w[i] = T((2*rng.Float64() - 1) * bound)
		}
		for i := range ly.b {
			ly.b[i] = T((2*rng.Float64() - 1) * bound)
		}
	}
}

// reserve makes the workspace hold at least rows rows. Training calls it once
// for its batch size, so that steps allocate nothing.
func (n *Net[T]) reserve(rows int) {
	if rows <= n.ws.cap {
		return
	}
	ws := workspace[T]{cap: rows, x: make([]T, rows*InputSize), lab: make([]uint8, rows)}
	if n.firstTransposed(rows) {
		block := min(rows, transposedBlock)
		ws.xt, ws.zt = make([]T, block*InputSize), make([]T, block*n.layers[0].out)
	}
	for _, ly := range n.layers {
		ws.acts = append(ws.acts, make([]T, rows*ly.out))
		ws.delta = append(ws.delta, make([]T, rows*ly.out))
	}
	n.ws = ws
}

// gather normalises the images idx of d into the workspace's input rows.
func (n *Net[T]) gather(d *Dataset, idx []int32) {
	for r, i := range idx {
		src := d.Images[int(i)*InputSize : (int(i)+1)*InputSize]
		dst := n.ws.x[r*InputSize : (r+1)*InputSize]
		for j, u := range src {
			dst[j] = n.norm[u]
		}
	}
}

// forward runs the network on the first batch rows of the workspace input and
// returns the logits, (B, 10).
func (n *Net[T]) forward(batch int) []T { return n.forwardFrom(0, batch) }

// forwardFrom is forward from layer first on, whose input is already in the
// workspace (the batch, or the activations of layer first−1).
func (n *Net[T]) forwardFrom(first, batch int) []T {
	x := n.ws.x[:batch*InputSize]
	if first > 0 {
		x = n.ws.acts[first-1][:batch*n.layers[first-1].out]
	}
	for l := first; l < len(n.layers); l++ {
		y := n.ws.acts[l][:batch*n.layers[l].out]
		n.forwardLayer(l, batch, x, y)
		x = y
	}
	return x
}

// backward fills Grads from ∂J/∂logits, which must already be in the last
// layer's delta, for the rows that forward last ran; with accumulate it adds to
// them instead.
func (n *Net[T]) backward(rows int, accumulate bool) {
	for l := len(n.layers) - 1; l >= 0; l-- {
		n.backwardLayer(l, rows, accumulate)
	}
}

// chunkRows bounds the rows that go through the network at once. A larger batch
// (up to full-batch gradient descent on 60,000 images) is processed in chunks
// whose gradients add up to the batch's, so memory does not grow with the batch.
const chunkRows = 1024

// evalRows is the chunk of test images evaluated at once. A run whose
// workspace is smaller evaluates in a workspace of its own: a trainer keeps
// it from one epoch's evaluation to the next (a fresh one costs its page
// faults every time) and drops it when its Run returns, so that eight runs
// held side by side cost little more than their weights.
const evalRows = 256

// Loss runs forward and backward on the images idx of d: it returns the mean
// cross-entropy J and the number classified right, and leaves ∇J(θ) in Grads.
func (n *Net[T]) Loss(d *Dataset, idx []int32) (loss float64, correct int) {
	return n.loss(d, idx, nil)
}

// loss is Loss that also prefetches the images next, which the following
// step will use.
func (n *Net[T]) loss(d *Dataset, idx, next []int32) (loss float64, correct int) {
	scale := 1 / float64(len(idx))
	n.reserve(min(len(idx), chunkRows))
	for start := 0; start < len(idx); start += chunkRows {
		part := idx[start:min(start+chunkRows, len(idx))]
		rows := len(part)
		ahead := next // the next chunk's images, or the next step's
		if end := start + chunkRows; end < len(idx) {
			ahead = idx[end:min(end+chunkRows, len(idx))]
		}
		n.gatherNext(d, part, n.queueAhead(d, ahead))
		lab := n.labels(d, part)
		phase.Mark(phase.Gather)
		logits := n.forward(rows)
		dz := n.ws.delta[len(n.layers)-1][:rows*Classes]
		l, c := softmaxCrossEntropy(dz, logits, lab, nil, Classes, scale)
		phase.Mark(phase.Softmax)
		loss, correct = loss+l, correct+c
		n.backward(rows, start > 0)
	}
	return loss * scale, correct
}

// Evaluate returns the mean cross-entropy and the accuracy of the network on the
// first limit images of d (all of them when limit is 0 or more than d.N), and
// the confusion matrix, confusion[actual][predicted]. It leaves Grads alone.
func (n *Net[T]) Evaluate(d *Dataset, limit int) (loss, accuracy float64, confusion [10][10]int) {
	if limit <= 0 || limit > d.N {
		limit = d.N
	}
	rows := min(limit, evalRows)
	if rows > n.ws.cap { // the evaluation's own workspace
		defer func(ws workspace[T]) { n.ws = ws }(n.ws)
		n.ws = n.evalWS
		n.reserve(rows)
		if n.keepEval {
			n.evalWS = n.ws
		}
	}
	idx := make([]int32, rows)
	pred := make([]uint8, rows)
	correct := 0
	for start := 0; start < limit; start += rows {
		part := idx[:min(rows, limit-start)]
		for r := range part {
			part[r] = int32(start + r)
		}
		n.gatherNext(d, part, nil)
		logits := n.forward(len(part))
		lab := n.labels(d, part)
		l, c := softmaxCrossEntropy(nil, logits, lab, pred[:len(part)], Classes, 1)
		loss, correct = loss+l, correct+c
		for r, y := range lab {
			confusion[y][pred[r]]++
		}
	}
	return loss / float64(limit), float64(correct) / float64(limit), confusion
}

// labels gathers the labels of idx into the workspace.
func (n *Net[T]) labels(d *Dataset, idx []int32) []uint8 {
	lab := n.ws.lab[:len(idx)]
	for r, i := range idx {
		lab[r] = d.Labels[i]
	}
	return lab
}
