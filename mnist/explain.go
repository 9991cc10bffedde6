package mnist

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// TopClass, given as a class or a label, stands for the class that the
// network ranks first (the arg max of p). It is the default of both.
const TopClass = -1

// Explainer shows the derivatives of a fixed model on one image at a time:
// the forward values of every layer, the backward pass for a label L by the
// chain rule (Rumelhart, Hinton & Williams 1986), and the input gradient
// ∂ log p_C/∂u (the saliency map of Simonyan, Vedaldi & Zisserman 2014).
// It computes in float64 from a copy of the model's float32 weights (its
// derivatives and CheckGradient's central differences agree to about 1e-11)
// and hands the values out in float32; its probabilities agree with a
// float32 Predictor's to about 1e-6. An Explainer owns its buffers: one
// serves one goroutine.
type Explainer struct {
	net   *Net[float64]
	model *Model
	p     *pass
	g, gc *grads // the backward pass for the label L, and for the class C when C ≠ L
}

// NewExplainer returns an Explainer for m, whose weights it copies and never
// writes: a run's snapshot or a saved model can be explained while the run
// trains on.
func NewExplainer(m *Model) (*Explainer, error) {
	net, err := NetFrom[float64](m)
	if err != nil {
		return nil, err
	}
	dropGrads(net)
	return &Explainer{net: net, model: m, p: newPass(m.Arch), g: newGrads(m.Arch), gc: newGrads(m.Arch)}, nil
}

// Use makes e answer with m's weights, reusing its buffers when m has the
// shape of the model e holds (a run's next snapshot): a copy of the weights
// and nothing allocated.
func (e *Explainer) Use(m *Model) error {
	if m == e.model {
		return nil
	}
	if !sameArch(m.Arch, e.net.Arch) || len(m.Params) != len(e.net.Params) {
		ne, err := NewExplainer(m)
		if err != nil {
			return err
		}
		*e = *ne
		return nil
	}
	for i, v := range m.Params {
		e.net.Params[i] = float64(v)
	}
	e.model = m
	return nil
}

// dropGrads lets the gradient slab go: an Explainer keeps its own per-example
// gradients and never runs the training's backward pass, so half of a
// float64 network's memory would sit unused.
func dropGrads(n *Net[float64]) {
	n.Grads = nil
	for i := range n.layers {
		n.layers[i].dw, n.layers[i].db = nil, nil
	}
}

// Model returns the model whose weights e explains.
func (e *Explainer) Model() *Model { return e.model }

// Explain runs the network on img, 784 grey levels (0 background, 255 ink,
// row-major 28×28: a test image as it is in the set, or a drawing after
// Preprocess), normalised as in training, x = (u − 0.1307)/0.3081 with
// u = grey/255. It returns every layer's z, a, σ′(z), and the backward pass
// of J = −log p_L for label (TopClass: the top class), and the saliency
// ∂ log p_C/∂u for class (TopClass: the top class).
func (e *Explainer) Explain(img []uint8, class, label int) (*Explanation, error) {
	if err := errors.Join(checkImage(img), checkClass("class", class), checkClass("label", label)); err != nil {
		return nil, err
	}
	e.load(img)
	forwardPass(e.net, e.p)
	last := len(e.p.a) - 1
	probs := e.p.a[last]
	top := ArgMax(probs)
	if class == TopClass {
		class = top
	}
	if label == TopClass {
		label = top
	}
	backwardPass(e.net, e.g, e.p, label)
	gc := e.g
	if class != label {
		backwardPass(e.net, e.gc, e.p, class)
		gc = e.gc
	}
	arch := Arch{Hidden: slices.Clone(e.net.Arch.Hidden), Activation: e.net.Arch.Activation}
	ex := &Explanation{Arch: arch, Input: append(Grey(nil), img...), Probs: append([]float64(nil), probs...),
		Top: top, Class: class, Label: label, Loss: e.g.loss, Saliency: make([]float32, InputSize)}
	for i, v := range gc.gx {
		ex.Saliency[i] = float32(-v / Std) // ∂ log p_C/∂u = −∂J_C/∂x · ∂x/∂u
	}
	ex.Layers = e.layerValues()
	if !ex.finite() {
		return nil, fmt.Errorf("mnist: the network's answer on this image is not finite (%s); its weights have blown up", e.net.Arch)
	}
	return ex, nil
}

// finite reports whether every number of ex is finite, as JSON needs.
func (ex *Explanation) finite() bool {
	ok := finite(ex.Loss) && allFinite(ex.Saliency)
	for _, p := range ex.Probs {
		ok = ok && finite(p)
	}
	for _, lv := range ex.Layers {
		ok = ok && finite(lv.GradWNorm) && allFinite(lv.Z) && allFinite(lv.A) && allFinite(lv.Slope) && allFinite(lv.GradA) && allFinite(lv.Delta)
	}
	return ok
}

func allFinite(v []float32) bool {
	for _, x := range v {
		if !finite(float64(x)) {
			return false
		}
	}
	return true
}

// load normalises img into the pass's input, as training's table does.
func (e *Explainer) load(img []uint8) {
	for i, u := range img {
		e.p.x[i] = e.net.norm[u]
	}
}

// layerValues copies the pass and the label's gradients out, in float32.
func (e *Explainer) layerValues() []LayerValues {
	out := make([]LayerValues, len(e.net.layers))
	last := len(out) - 1
	in := e.p.x
	for l, ly := range e.net.layers {
		v := LayerValues{In: ly.in, Out: ly.out, Activation: string(e.net.Arch.Activation),
			Z: to32(e.p.z[l]), A: to32(e.p.a[l]), Delta: to32(e.g.delta[l])}
		v.GradWNorm = norm2(e.g.delta[l]) * norm2(in) // ‖δaᵀ‖_F = ‖δ‖·‖a‖
		if l == last {
			v.Activation = "softmax"
		} else {
			v.Slope, v.GradA = to32(e.p.slope[l]), to32(e.g.gradA[l])
		}
		out[l] = v
		in = e.p.a[l]
	}
	return out
}

func sameArch(a, b Arch) bool {
	return a.Activation == b.Activation && slices.Equal(a.Hidden, b.Hidden)
}

func checkImage(img []uint8) error {
	if len(img) != InputSize {
		return fmt.Errorf("mnist: image has %d pixels, want %d (28×28)", len(img), InputSize)
	}
	return nil
}

func checkClass(what string, c int) error {
	if c != TopClass && (c < 0 || c >= Classes) {
		return fmt.Errorf("mnist: %s %d is not a digit 0 to 9 (or %d for the top class)", what, c, TopClass)
	}
	return nil
}

func to32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

func norm2(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x * x
	}
	return math.Sqrt(s)
}
